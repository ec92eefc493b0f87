// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/logs/cached_string.h"
#include "core/logs/log_event.h"
#include "core/logs/log_parser.h"
#include "core/logs/syslog/syslog_line.h"

namespace bi::core::logs {

/// What every event of a syslog-based format's line starts from: the format, the time in UTC
/// with its offset (or a warning about an impossible stamp), the host (the context's default
/// when the line names none) and the program. Host and program names repeat on nearly every
/// line and are decoded once (CachedString). Thread: one thread at a time, like its parser.
class SyslogEventBase final {
public:
    [[nodiscard]] LogEvent make(const SyslogLine& line, LogFormat format, ParseContext& context);

private:
    CachedString m_hosts;
    CachedString m_programs;
};

} // namespace bi::core::logs
