// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/cli/command_line.h"

#include <QFileInfo>
#include <QRegularExpression>

#include "core/cli/console.h"
#include "core/import/import_job.h"

using namespace Qt::StringLiterals;

namespace bi::core::cli {

bool parseCommandLine(QCommandLineParser& parser, const QString& command, const QString& description,
                      const QStringList& arguments, int& exitCode)
{
    parser.setApplicationDescription(description);
    const QCommandLineOption help(QStringList{u"h"_s, u"help"_s}, u"Show this help."_s);
    parser.addOption(help);
    QStringList args = arguments;
    if (!args.isEmpty())
        args[0] = u"bounce-inspector-cli "_s + command;
    if (!parser.parse(args)) {
        Console::err(u"bounce-inspector-cli %1: %2 (see --help)"_s.arg(command, parser.errorText()));
        exitCode = ExitUsage;
        return false;
    }
    if (parser.isSet(help)) {
        // Qt names the program as it was invoked ("../bin/bounce-inspector-cli"): the name
        // and the command instead, as the main help and the manual write them.
        QString text = parser.helpText();
        const qsizetype program = text.indexOf(u"Usage: "_s) + 7;
        const qsizetype usageEnd = text.indexOf(u' ', program);
        if (program >= 7 && usageEnd > program)
            text.replace(program, usageEnd - program, u"bounce-inspector-cli "_s + command);
        Console::outText(text);
        exitCode = ExitOk;
        return false;
    }
    // A command that declared no positional argument (its help has no "Arguments:") takes
    // none: "summary --db p.bip extra" is a mistake to say, not to ignore.
    if (!parser.positionalArguments().isEmpty() && !parser.helpText().contains(u"\nArguments:\n"_s)) {
        Console::err(u"bounce-inspector-cli %1: unexpected argument '%2' (see --help)"_s.arg(
            command, parser.positionalArguments().constFirst()));
        exitCode = ExitUsage;
        return false;
    }
    return true;
}

std::optional<store::ProjectStore> openProjectForReading(const QCommandLineParser& parser, const QCommandLineOption& db,
                                                         const QString& command, int& exitCode)
{
    if (!parser.isSet(db)) {
        Console::err(u"bounce-inspector-cli %1: --db FILE is required (see --help)"_s.arg(command));
        exitCode = ExitUsage;
        return std::nullopt;
    }
    if (!QFileInfo::exists(parser.value(db))) {
        Console::err(u"%1: no such project file"_s.arg(parser.value(db)));
        exitCode = ExitFailure;
        return std::nullopt;
    }
    // A project on a read-only medium or in a folder the user may not write is opened for
    // reading only (a writable one as usual: an older schema is upgraded, a report's
    // redaction salt stored).
    auto store = store::ProjectStore::openForReading(parser.value(db), u"cli-read"_s);
    if (!store) {
        Console::err(store.error().toString());
        exitCode = ExitFailure;
        return std::nullopt;
    }
    // An import running now, or stopped before it recomputed the fates (the project cannot
    // tell the two apart): what they show leaves its data out.
    if (auto pending = store->setting(import::ImportJob::fatesPendingKey()); pending && pending->has_value()) {
        Console::err(u"warning: %1: the fates leave out the last import's data: it is still running, or it was "
                     u"stopped before the fates were recomputed (then import any of its files again)"_s.arg(
                         parser.value(db)));
    }
    return std::move(*store);
}

QDate parseDay(const QString& text)
{
    static const QRegularExpression day(u"^\\d{4}-\\d{2}-\\d{2}$"_s);
    return day.match(text).hasMatch() ? QDate::fromString(text, Qt::ISODate) : QDate();
}

} // namespace bi::core::cli
