// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/cli/report_options.h"

#include "core/cli/command_line.h"

#include "core/cli/console.h"

using namespace Qt::StringLiterals;

namespace bi::core::cli {

ReportCommandOptions::ReportCommandOptions()
    : from(u"from"_s, u"First day of the period (YYYY-MM-DD, UTC)."_s, u"DATE"_s),
      to(u"to"_s, u"Last day of the period, inclusive (YYYY-MM-DD, UTC)."_s, u"DATE"_s),
      redact(u"redact"_s, u"Replace the local parts of addresses by a stable short hash (domains kept); no message "
                          u"content."_s)
{
}

bool ReportCommandOptions::read(const QCommandLineParser& parser, const QString& command,
                                report::ReportOptions& out, int& exitCode) const
{
    for (const auto& [option, target] : {std::pair{&from, &out.from}, std::pair{&to, &out.to}}) {
        if (!parser.isSet(*option))
            continue;
        *target = parseDay(parser.value(*option));
        if (!target->isValid()) {
            Console::err(u"bounce-inspector-cli %1: --%2 needs a date as YYYY-MM-DD, not '%3'"_s.arg(
                command, option->names().constFirst(), parser.value(*option)));
            exitCode = ExitUsage;
            return false;
        }
    }
    if (out.from.isValid() && out.to.isValid() && out.to < out.from) {
        Console::err(u"bounce-inspector-cli %1: --to is before --from"_s.arg(command));
        exitCode = ExitUsage;
        return false;
    }
    out.redact = parser.isSet(redact);
    return true;
}

} // namespace bi::core::cli
