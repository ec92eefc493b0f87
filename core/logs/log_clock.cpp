// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/logs/log_clock.h"

#include <utility>

namespace bi::core::logs {

namespace {

QDateTime anchorInZone(const QDateTime& anchor, const QTimeZone& zone)
{
    const QDateTime a = anchor.isValid() ? anchor : QDateTime::currentDateTimeUtc();
    return zone.isValid() ? a.toTimeZone(zone) : a.toLocalTime();
}

// How far apart two candidate offsets can be looked up around a local time: transitions are
// months apart, offsets are within ±14 h.
constexpr qint64 kProbeSeconds = 86400;
// Time may step back this much (interleaved hosts) before we assume the fall-back hour.
constexpr qint64 kBackStepSeconds = 60;

} // namespace

LogClock::LogClock(QTimeZone zone, const QDateTime& anchor)
    : m_zone(zone.isValid() ? std::move(zone) : QTimeZone::systemTimeZone())
    , m_years(anchorInZone(anchor, m_zone).date(), anchorInZone(anchor, m_zone).time())
{
}

qint64 LogClock::daysFromCivil(int year, int month, int day)
{
    // Howard Hinnant's days_from_civil.
    const int y = year - (month <= 2 ? 1 : 0);
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned mp = unsigned(month > 2 ? month - 3 : month + 9);
    const unsigned doy = (153 * mp + 2) / 5 + unsigned(day) - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return qint64(era) * 146097 + qint64(doe) - 719468;
}

bool LogClock::isValidDate(int year, int month, int day)
{
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1)
        return false;
    static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int max = kDays[month - 1];
    if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
        max = 29;
    return day <= max;
}

int LogClock::offsetAt(qint64 utcSecs) const
{
    return m_zone.offsetFromUtc(QDateTime::fromSecsSinceEpoch(utcSecs, Qt::UTC));
}

qint64 LogClock::localToUtcSecs(qint64 localSecs)
{
    const qint64 minute = localSecs / 60 - (localSecs % 60 < 0 ? 1 : 0);
    if (minute != m_cacheMinute) {
        m_cacheMinute = minute;
        const qint64 probe = minute * 60;
        const int before = offsetAt(probe - kProbeSeconds);
        const int after = offsetAt(probe + kProbeSeconds);
        if (before == after) {
            m_cacheEarly = m_cacheLate = before;
            m_cacheAmbiguous = false;
        } else {
            const bool beforeFits = offsetAt(probe - before) == before;
            const bool afterFits = offsetAt(probe - after) == after;
            m_cacheAmbiguous = beforeFits && afterFits;
            if (m_cacheAmbiguous) {
                m_cacheEarly = before;
                m_cacheLate = after;
            } else if (afterFits) {
                m_cacheEarly = m_cacheLate = after;
            } else {
                // beforeFits only, or neither: a local time in the spring-forward gap is read
                // with the offset before the gap, which moves it forward like QDateTime does.
                m_cacheEarly = m_cacheLate = before;
            }
        }
    }
    qint64 utc = localSecs - m_cacheEarly;
    if (m_cacheAmbiguous && m_lastUtcSecs != std::numeric_limits<qint64>::min()
        && m_lastUtcSecs > utc + kBackStepSeconds) {
        // Already past the first occurrence of this wall time: the hour is repeating.
        utc = localSecs - m_cacheLate;
    }
    return utc;
}

bool LogClock::resolve(const WallTime& wall, Stamp& out)
{
    int year = wall.year;
    if (year == 0) {
        if (wall.month < 1 || wall.month > 12 || wall.day < 1 || wall.day > 31)
            return false;
        year = m_years.yearFor(wall.month, wall.day, wall.secsOfDay);
    }
    if (!isValidDate(year, wall.month, wall.day) || wall.secsOfDay < 0
        || wall.secsOfDay > 86400 || wall.msec < 0 || wall.msec > 999) {
        return false;
    }
    const qint64 localSecs = daysFromCivil(year, wall.month, wall.day) * 86400 + wall.secsOfDay;
    qint64 utcSecs = 0;
    if (wall.hasOffset) {
        utcSecs = localSecs - wall.offsetSeconds;
        out.offsetSeconds = wall.offsetSeconds;
    } else {
        utcSecs = localToUtcSecs(localSecs);
        out.offsetSeconds = int(localSecs - utcSecs);
        m_lastUtcSecs = utcSecs;
    }
    out.utc = QDateTime::fromMSecsSinceEpoch(utcSecs * 1000 + wall.msec, Qt::UTC);
    return true;
}

LogClock::Stamp LogClock::fromUtcMSecs(qint64 msecsSinceEpoch)
{
    Stamp s;
    const qint64 secs = msecsSinceEpoch / 1000 - (msecsSinceEpoch % 1000 < 0 ? 1 : 0);
    const qint64 minute = secs / 60 - (secs % 60 < 0 ? 1 : 0);
    // Busy qmail-send logs stamp every line with tai64n: look the offset up once a minute.
    if (minute != m_utcCacheMinute) {
        m_utcCacheMinute = minute;
        m_utcCacheOffset = offsetAt(minute * 60);
    }
    s.offsetSeconds = m_utcCacheOffset;
    s.utc = QDateTime::fromMSecsSinceEpoch(msecsSinceEpoch, Qt::UTC);
    return s;
}

} // namespace bi::core::logs
