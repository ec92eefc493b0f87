// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <limits>

#include <QDateTime>
#include <QTimeZone>

#include "core/logs/syslog/year_tracker.h"

namespace bi::core::logs {

/// A time stamp as written in a log line, before conversion: wall-clock fields, and an
/// explicit UTC offset when the line had one. year == 0 means a year-less syslog stamp.
struct WallTime {
    int year = 0;
    int month = 0;
    int day = 0;
    int secsOfDay = 0;
    int msec = 0;
    bool hasOffset = false;
    int offsetSeconds = 0;
};

/// Turns log time stamps into UTC for one source file: year inference for syslog stamps,
/// conversion of local wall-clock times with the source's QTimeZone (cached per minute, since
/// QTimeZone look-ups are slow), and the DST fall-back hour.
///
/// In the repeated hour of a fall-back (a local time that exists twice) the first occurrence
/// is chosen until the file has already been past it: then the second one is, so file order
/// is kept. Local times in the spring-forward gap move forward by the gap, as QDateTime does.
/// Thread: one thread at a time.
class LogClock final {
public:
    struct Stamp {
        QDateTime utc;         ///< UTC; invalid when the stamp could not be used
        int offsetSeconds = 0; ///< the source's offset from UTC at that moment
    };

    /// anchor: the instant year-less stamps must not be after (file mtime or explicit).
    LogClock(QTimeZone zone, const QDateTime& anchor);

    /// Converts a wall time (with or without year or offset). False for impossible dates.
    [[nodiscard]] bool resolve(const WallTime& wall, Stamp& out);
    /// An absolute instant (epoch, tai64n); the offset comes from the source zone.
    [[nodiscard]] Stamp fromUtcMSecs(qint64 msecsSinceEpoch);

    [[nodiscard]] const QTimeZone& zone() const { return m_zone; }

    /// Days since 1970-01-01 of a proleptic Gregorian date (no range checks).
    [[nodiscard]] static qint64 daysFromCivil(int year, int month, int day);
    /// True when day exists in that month of that year.
    [[nodiscard]] static bool isValidDate(int year, int month, int day);

private:
    [[nodiscard]] int offsetAt(qint64 utcSecs) const;
    [[nodiscard]] qint64 localToUtcSecs(qint64 localSecs);

    QTimeZone m_zone;
    YearTracker m_years;
    qint64 m_lastUtcSecs = std::numeric_limits<qint64>::min();
    // Per-minute cache of the zone's offsets around a local time.
    qint64 m_cacheMinute = std::numeric_limits<qint64>::min();
    int m_cacheEarly = 0;  // offset valid for the first (or only) occurrence
    int m_cacheLate = 0;   // offset of the second occurrence in a fall-back hour
    bool m_cacheAmbiguous = false;
    qint64 m_utcCacheMinute = std::numeric_limits<qint64>::min();
    int m_utcCacheOffset = 0;
};

} // namespace bi::core::logs
