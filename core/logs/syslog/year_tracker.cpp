// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/logs/syslog/year_tracker.h"

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

} // namespace bi::core::logs
