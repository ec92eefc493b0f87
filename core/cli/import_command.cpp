// SPDX-License-Identifier: GPL-3.0-or-later
#include <algorithm>

#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QTimeZone>

#include "core/cli/command_line.h"
#include "core/cli/commands.h"
#include "core/cli/console.h"
#include "core/cli/console_progress.h"
#include "core/import/import_job.h"
#include "core/store/project_store.h"

using namespace Qt::StringLiterals;

namespace bi::core::cli {

int runImport(const QStringList& arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption db(u"db"_s, u"Project file (created when missing)."_s, u"FILE"_s);
    const QCommandLineOption tz(u"tz"_s,
                                u"Time zone of the logs' clocks for stamps without an offset: an IANA name "
                                u"(Europe/Berlin), UTC, or UTC+01:00. Default: this machine's."_s,
                                u"ZONE"_s);
    const QCommandLineOption until(u"logs-until"_s,
                                   u"The day the logs end (YYYY-MM-DD): syslog stamps without a year are dated up to "
                                   u"it. Default: each file's modification time, which a copy may have reset."_s,
                                   u"DATE"_s);
    parser.addOption(db);
    parser.addOption(tz);
    parser.addOption(until);
    parser.addPositionalArgument(u"PATH"_s, u"Mailboxes, Maildirs, message files, smarthost logs or folders (also .gz)."_s,
                                 u"PATH..."_s);
    int exitCode = ExitOk;
    if (!parseCommandLine(parser, u"import"_s,
                          u"Import mailboxes and smarthost logs, mixed and in any order, into a project: every "
                          u"message is stored with its raw bytes, its provenance and its decoded bounce results, "
                          u"every log line with its events; then every recipient's fate is decided again from "
                          u"all the project holds. Importing again adds nothing."_s,
                          arguments, exitCode))
        return exitCode;
    const QStringList paths = parser.positionalArguments();
    if (!parser.isSet(db) || paths.isEmpty()) {
        Console::err(u"bounce-inspector-cli import: --db FILE and at least one PATH are required (see --help)"_s);
        return ExitUsage;
    }
    import::ImportOptions options;
    if (parser.isSet(tz)) {
        options.logTimeZone = QTimeZone(parser.value(tz).toLatin1());
        if (parser.value(tz).trimmed().isEmpty() || !options.logTimeZone.isValid()) {
            Console::err(u"bounce-inspector-cli import: unknown time zone '%1'"_s.arg(parser.value(tz)));
            return ExitUsage;
        }
    }
    if (parser.isSet(until)) {
        options.logsUntil = parseDay(parser.value(until));
        if (!options.logsUntil.isValid()) {
            Console::err(u"bounce-inspector-cli import: --logs-until takes a date as YYYY-MM-DD, not '%1'"_s.arg(
                parser.value(until)));
            return ExitUsage;
        }
    }
    // Nothing to import (every path mistyped): say so without leaving a new, empty project behind.
    if (std::none_of(paths.cbegin(), paths.cend(), [](const QString& p) { return QFileInfo::exists(p); })) {
        for (const QString& p : paths)
            Console::err(p + u": no such file or directory"_s);
        return ExitFailure;
    }
    const QString dbPath = parser.value(db);
    const bool created = !QFileInfo::exists(dbPath);
    bool imported = false;
    const int code = [&]() -> int {
        auto store = store::ProjectStore::open(dbPath, u"cli-import"_s);
        if (!store) {
            Console::err(store.error().toString());
            return ExitFailure;
        }
        ConsoleProgress progress;
        import::ImportJob job(*store, options);
        auto result = job.run(paths, &progress);
        progress.finish();
        if (!result) {
            Console::err(result.error().toString());
            return ExitFailure;
        }
        const import::ImportSummary& s = *result;
        imported = s.files > 0 || s.logFiles > 0;
        for (const QString& e : s.errors)
            Console::err(e);
        for (const QString& e : s.skipped)
            Console::err(u"skipped "_s + e);
        for (const QString& w : s.warnings)
            Console::err(u"warning: "_s + w);
        Console::outText(u"files: %1\nmessages read: %2\nmessages added: %3\nalready in project: %4\n"
                         u"bounces: %5\nrecipient results: %6\ndiagnostics: %7"_s
                             .arg(s.files).arg(s.messages).arg(s.added).arg(s.duplicates).arg(s.bounces)
                             .arg(s.recipients).arg(s.diagnostics));
        Console::outText(u"log files: %1\nlog lines: %2\nlog events added: %3\nlog events already in project: %4\n"
                         u"log diagnostics: %5\nfates: %6%7"_s
                             .arg(s.logFiles).arg(s.logLines).arg(s.logEvents).arg(s.logEventsSkipped)
                             .arg(s.logDiagnostics).arg(s.fates)
                             .arg(s.stopped                ? u"\nstopped on request: what was committed is kept"_s
                                  : !s.fatesRecomputed ? u" (unchanged: nothing new to join)"_s
                                                       : QString()));
        Console::flush();
        if (s.files == 0 && !s.errors.isEmpty())
            return ExitFailure;
        return s.errors.isEmpty() && !s.stopped ? ExitOk : ExitFailure;
    }();
    // A project this import created and nothing went into (every file failed): not left behind.
    if (created && !imported && code != ExitOk) {
        for (const QString& suffix : {QString(), u"-wal"_s, u"-shm"_s, u"-journal"_s})
            QFile::remove(dbPath + suffix);
    }
    return code;
}

} // namespace bi::core::cli
