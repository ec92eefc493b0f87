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
    switch (stepOf(m_month, month)) {
    case Step::NewYear:
        ++m_year;
        m_month = month;
        return m_year;
    case Step::Straggler:
        return m_year - 1;
    case Step::Same:
        break;
    }
    m_month = month;
    return m_year;
}

YearTracker::Step YearTracker::stepOf(int currentMonth, int month)
{
    // FORMATS.md §10: only a big step back in months is a roll-over; small steps back are
    // interleaving of hosts or delivery agents.
    if (month < currentMonth - 6)
        return Step::NewYear;
    if (month > currentMonth + 6)
        return Step::Straggler;
    return Step::Same;
}

namespace {
qint64 dayTimeKey(YearTracker::DayTime t)
{
    return (qint64(t.month) * 32 + t.day) * 86400 + t.secsOfDay;
}
} // namespace

void YearTracker::Span::see(DayTime stamp)
{
    if (isEmpty()) {
        m_first = stamp;
        m_latest = stamp;
        m_month = stamp.month;
        return;
    }
    switch (stepOf(m_month, stamp.month)) {
    case Step::Straggler:
        return; // dated the year before: never the file's latest
    case Step::NewYear:
        ++m_newYears;
        m_latest = stamp;
        break;
    case Step::Same:
        // A small step back (hosts interleaving) stays in the year: the latest is the furthest on.
        if (dayTimeKey(stamp) > dayTimeKey(m_latest))
            m_latest = stamp;
        break;
    }
    m_month = stamp.month;
}

void YearTracker::Span::append(const Span& later)
{
    if (later.isEmpty())
        return;
    if (isEmpty()) {
        *this = later;
        return;
    }
    // Small steps back are hosts interleaving (as yearFor() reads them), not a New Year.
    const int more = later.m_newYears + (dayTimeKey(later.m_first) < dayTimeKey(m_latest) - 2 * 86400);
    if (more > 0 || dayTimeKey(later.m_latest) > dayTimeKey(m_latest))
        m_latest = later.m_latest;
    m_newYears += more;
    m_month = later.m_month;
}

QDateTime YearTracker::spanAnchor(const QDateTime& anchor, const QTimeZone& zone, const Span& span)
{
    if (!anchor.isValid() || span.isEmpty())
        return anchor;
    const DayTime latest = span.latest();
    const QDateTime local = anchor.toTimeZone(zone);
    int lastYear = local.date().year();
    if (dayTimeKey(latest) > dayTimeKey({local.date().month(), local.date().day(), local.time().msecsSinceStartOfDay() / 1000})
            + kToleranceSeconds)
        --lastYear;
    // The tracker dates its first stamp in the anchor's year unless it is after the anchor: the
    // latest stamp's own moment, or the last second of the year as many New Years before.
    const QDateTime end = span.newYears() > 0
        ? QDateTime(QDate(lastYear - span.newYears(), 12, 31), QTime(23, 59, 59), zone)
        : QDateTime(QDate(lastYear, latest.month, latest.day), QTime::fromMSecsSinceStartOfDay(latest.secsOfDay * 1000),
                    zone);
    if (!end.isValid())
        return anchor; // Feb 29 of a year without one: the stamps themselves say little
    return std::min(end.toUTC(), anchor.toUTC());
}

} // namespace bi::core::logs
