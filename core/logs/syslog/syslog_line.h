// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArrayView>

#include "core/logs/log_clock.h"

namespace bi::core::logs {

/// The syslog header of one line, shared by the syslog-based formats (Postfix, Sendmail,
/// qmail/splogger, OpenSMTPD, syslog-wrapped Exim):
///
///     Mmm dd hh:mm:ss host prog[pid]: message                  (RFC 3164 style, no year)
///     2016-03-20T13:30:53.574978+01:00 host prog[pid]: message (RFC 3339, rsyslog/journald)
///     2019-10-22 03:39:17 host prog[pid]: message              (date with a space)
///     <22>1 2016-03-20T13:30:53+01:00 host prog pid msgid [sd] message (RFC 5424, rsyslog's
///                                                              SyslogProtocol23 format)
///     1772507100.123456 host prog[pid]: message                 (journalctl -o short-unix)
///     Tue 2026-03-03 04:05:01 CET host prog[pid]: message      (journalctl -o short-full)
///
/// Also handled: a missing `[pid]`, a missing host (`Mmm dd hh:mm:ss prog: msg`), collector
/// prefixes (Loghub's `- 1131566491 2005.11.09 host ` and `src@host`), and the syslog daemon's
/// own lines (`last message repeated N times`, `-- MARK --`, rsyslog `message repeated N
/// times: [...]`) and journalctl's markers (`-- Boot ... --`), which parse with isNoise set. The views point into the parsed line.
/// Thread: a value type.
struct SyslogLine {
    WallTime wall;                 ///< the stamp; wall.year == 0 for classic stamps
    qint64 collectorEpochMSecs = -1; ///< UTC from a collector prefix, when there was one
    int collectorYear = 0;          ///< the collector's date, which dates year-less stamps
    QByteArrayView host;
    QByteArrayView program;         ///< e.g. "postfix-out/smtp", without [pid]
    QByteArrayView pid;
    QByteArrayView message;         ///< everything after "prog[pid]: "
    bool isNoise = false;

    /// Parses line into out. False when the line has no syslog header (a continuation
    /// fragment, garbage, another format).
    [[nodiscard]] static bool parse(QByteArrayView line, SyslogLine& out);

    /// The part of program after the last '/' (Postfix daemon: "smtp" in "postfix-out/smtp").
    [[nodiscard]] QByteArrayView daemon() const;
    /// Converts the stamp to UTC. A collector epoch wins (the collector's clock is UTC and
    /// says what offset the host's wall clock had); otherwise the clock infers the year and
    /// applies the source zone.
    [[nodiscard]] bool resolveTime(LogClock& clock, LogClock::Stamp& out) const;
};

} // namespace bi::core::logs
