// SPDX-License-Identifier: GPL-3.0-or-later
#include <QCommandLineParser>

#include "core/bounce/bounce_json.h"
#include "core/bounce/bounce_parser.h"
#include "core/cli/command_line.h"
#include "core/cli/commands.h"
#include "core/cli/console.h"
#include "core/cli/console_progress.h"
#include "core/mail/mail_reader.h"

using namespace Qt::StringLiterals;

namespace bi::core::cli {

int runParse(const QStringList& arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption jsonl(u"jsonl"_s, u"One JSON object per line for each recipient result (the default)."_s);
    parser.addOption(jsonl);
    parser.addPositionalArgument(u"PATH"_s, u"Mailboxes, Maildirs, message files or folders (also .gz)."_s,
                                 u"PATH..."_s);
    int exitCode = ExitOk;
    if (!parseCommandLine(parser, u"parse"_s,
                          u"Decode every bounce, delay notice, feedback report and auto-reply in the given "
                          u"mailboxes and print one record per recipient. No project is needed."_s,
                          arguments, exitCode))
        return exitCode;
    const QStringList paths = parser.positionalArguments();
    if (paths.isEmpty()) {
        Console::err(u"bounce-inspector-cli parse: no PATH given (see --help)"_s);
        return ExitUsage;
    }

    ConsoleProgress progress;
    int failures = 0;
    for (const QString& path : paths) {
        auto sink = [](mail::RawMessage&& raw) {
            const bounce::BounceReport report = bounce::BounceParser::parse(raw.bytes);
            for (qsizetype i = 0; i < report.recipients.size(); ++i)
                Console::out(bounce::BounceJson::record(raw.sourcePath, raw.index, report, i));
            return true;
        };
        auto read = mail::MailReader::read(path, sink, &progress);
        progress.finish();
        if (!read) {
            Console::err(read.error().toString());
            ++failures;
        } else if (read->stopped) {
            Console::err(u"stopped on request"_s);
            return ExitFailure;
        }
    }
    Console::flush();
    return failures ? ExitFailure : ExitOk;
}

} // namespace bi::core::cli
