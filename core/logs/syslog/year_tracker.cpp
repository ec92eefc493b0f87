// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/logs/syslog/year_tracker.h"

#include <algorithm>

namespace bi::core::logs {

YearTracker::YearTracker(QDate anchorDate, QTime anchorTime)
    : m_anchorDate(anchorDate.isValid() ? anchorDate : QDate::currentDate())
    , m_anchorSecs(anchorTime.isValid() ? anchorTime.msecsSinceStartOfDay() / 1000 : 0)
{
}

int YearTracker::yearFor(int month, int day, int secsOfDay)
{
    if (!m_started) {
        m_started = true;
        m_month = month;
        m_year = m_anchorDate.year();
        // Compare as (month, day, seconds) tuples: Feb 29 must not need a valid QDate here.
        const qint64 stamp = (qint64(month) * 32 + day) * 86400 + secsOfDay;
        const qint64 anchor = (qint64(m_anchorDate.month()) * 32 + m_anchorDate.day()) * 86400
            + m_anchorSecs;
        if (stamp > anchor + kToleranceSeconds)
            --m_year;
        return m_year;
    }
    // FORMATS.md §10: only a big step back in months is a roll-over; small steps back are
    // interleaving of hosts or delivery agents.
    if (month < m_month - 6) {
        ++m_year;
        m_month = month;
        return m_year;
    }
    if (month > m_month + 6)
        return m_year - 1;
    m_month = month;
    return m_year;
}

QDateTime YearTracker::spanAnchor(const QDateTime& anchor, const QTimeZone& zone, DayTime first, DayTime last)
{
    if (!anchor.isValid())
        return anchor;
    const auto key = [](int month, int day, int secs) { return (qint64(month) * 32 + day) * 86400 + secs; };
    const QDateTime local = anchor.toTimeZone(zone);
    int lastYear = local.date().year();
    if (key(last.month, last.day, last.secsOfDay)
        > key(local.date().month(), local.date().day(), local.time().msecsSinceStartOfDay() / 1000) + kToleranceSeconds)
        --lastYear;
    // Small steps back are hosts interleaving (as yearFor() reads them), not a New Year.
    const bool newYear = key(last.month, last.day, last.secsOfDay) < key(first.month, first.day, first.secsOfDay) - 2 * 86400;
    // The tracker dates its first stamp in the anchor's year unless it is after the anchor: the
    // last stamp's own moment, or the last second of the year before a New Year.
    const QDateTime end = newYear ? QDateTime(QDate(lastYear - 1, 12, 31), QTime(23, 59, 59), zone)
                                  : QDateTime(QDate(lastYear, last.month, last.day),
                                              QTime::fromMSecsSinceStartOfDay(last.secsOfDay * 1000), zone);
    if (!end.isValid())
        return anchor; // Feb 29 of a year without one: the stamps themselves say little
    return std::min(end.toUTC(), anchor.toUTC());
}

} // namespace bi::core::logs
