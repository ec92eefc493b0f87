// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArrayView>

#include "core/logs/log_clock.h"

namespace bi::core::logs {

/// Recognises the time stamp shapes MTA logs use, at a position in a line. Each function
/// advances pos past the stamp on success and leaves it unchanged on failure; none allocates.
/// Thread: any (no state).
class StampParser final {
public:
    /// Classic syslog `Mmm dd hh:mm:ss` (day padded with a space or not; optional fraction).
    /// Sets year = 0: the year must be inferred.
    [[nodiscard]] static bool classic(QByteArrayView v, qsizetype& pos, WallTime& out);
    /// ISO 8601 / RFC 3339 `YYYY-MM-DD(T| )hh:mm:ss[.frac][Z|±hh:mm|±hhmm]`; the offset, when
    /// present, is attached to the time (RFC 3339 §5.6). Fractions beyond milliseconds are cut.
    [[nodiscard]] static bool iso(QByteArrayView v, qsizetype& pos, WallTime& out);
    /// A separate numeric zone ` +hhmm` / ` -hhmm` after a stamp (Exim log_timezone); optional,
    /// so callers may ignore whether one was there.
    static bool spacedOffset(QByteArrayView v, qsizetype& pos, WallTime& out);
    /// daemontools tai64n label `@` + 24 hex digits → Unix milliseconds (leap seconds ignored,
    /// as tai64nlocal does: TAI = 2^62 + Unix + 10).
    [[nodiscard]] static bool tai64n(QByteArrayView v, qsizetype& pos, qint64& msecs);
    /// splogger `seconds.micro` epoch → Unix milliseconds.
    [[nodiscard]] static bool epoch(QByteArrayView v, qsizetype& pos, qint64& msecs);
};

} // namespace bi::core::logs
