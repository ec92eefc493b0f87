// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/logs/syslog/syslog_event_base.h"

using namespace Qt::StringLiterals;

namespace bi::core::logs {

LogEvent SyslogEventBase::make(const SyslogLine& line, LogFormat format, ParseContext& context)
{
    LogEvent base;
    base.format = format;
    LogClock::Stamp stamp;
    if (line.resolveTime(context.clock(), stamp)) {
        base.time = stamp.utc;
        base.utcOffsetSeconds = stamp.offsetSeconds;
    } else {
        context.diagnose(Diagnostic::Severity::Warning, u"impossible time stamp"_s);
    }
    base.host = line.host.isEmpty() ? context.defaultHost() : m_hosts.get(line.host);
    base.program = m_programs.get(line.program);
    return base;
}

} // namespace bi::core::logs
