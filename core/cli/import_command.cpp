// SPDX-License-Identifier: GPL-3.0-or-later
#include <QCommandLineParser>

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
    parser.addOption(db);
    parser.addPositionalArgument(u"PATH"_s, u"Mailboxes, Maildirs, message files or folders (also .gz)."_s,
                                 u"PATH..."_s);
    int exitCode = ExitOk;
    if (!parseCommandLine(parser, u"import"_s,
                          u"Import mailboxes into a project: every message is stored with its raw bytes, "
                          u"its provenance and its decoded bounce results. Importing again adds nothing."_s,
                          arguments, exitCode))
        return exitCode;
    const QStringList paths = parser.positionalArguments();
    if (!parser.isSet(db) || paths.isEmpty()) {
        Console::err(u"bounce-inspector-cli import: --db FILE and at least one PATH are required (see --help)"_s);
        return ExitUsage;
    }
    auto store = store::ProjectStore::open(parser.value(db), u"cli-import"_s);
    if (!store) {
        Console::err(store.error().toString());
        return ExitFailure;
    }
    ConsoleProgress progress;
    import::ImportJob job(*store);
    auto result = job.run(paths, &progress);
    progress.finish();
    if (!result) {
        Console::err(result.error().toString());
        return ExitFailure;
    }
    const import::ImportSummary& s = *result;
    for (const QString& e : s.errors)
        Console::err(e);
    Console::outText(u"files: %1\nmessages read: %2\nmessages added: %3\nalready in project: %4\n"
                     u"bounces: %5\nrecipient results: %6\ndiagnostics: %7%8"_s
                         .arg(s.files).arg(s.messages).arg(s.added).arg(s.duplicates).arg(s.bounces)
                         .arg(s.recipients).arg(s.diagnostics)
                         .arg(s.stopped ? u"\nstopped on request: what was committed is kept"_s : QString()));
    Console::flush();
    if (s.files == 0 && !s.errors.isEmpty())
        return ExitFailure;
    return s.errors.isEmpty() && !s.stopped ? ExitOk : ExitFailure;
}

} // namespace bi::core::cli
