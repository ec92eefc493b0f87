// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/report/calendar_periods.h"

#include <utility>

using namespace Qt::StringLiterals;

namespace bi::core::report {

namespace {

QDate periodStart(QDate day, PeriodUnit unit)
{
    switch (unit) {
    case PeriodUnit::Day: return day;
    case PeriodUnit::Week: return day.addDays(1 - day.dayOfWeek());
    case PeriodUnit::Month: return QDate(day.year(), day.month(), 1);
    case PeriodUnit::Year: return QDate(day.year(), 1, 1);
    }
    return day;
}

QDate nextStart(QDate start, PeriodUnit unit)
{
    switch (unit) {
    case PeriodUnit::Day: return start.addDays(1);
    case PeriodUnit::Week: return start.addDays(7);
    case PeriodUnit::Month: return start.addMonths(1);
    case PeriodUnit::Year: return start.addYears(1);
    }
    return start.addDays(1);
}

} // namespace

CalendarPeriods::CalendarPeriods(QDate first, QDate last)
{
    if (!first.isValid() || !last.isValid())
        return;
    if (last < first)
        std::swap(first, last);
    const qint64 days = first.daysTo(last) + 1;
    const qint64 months = qint64(last.year() - first.year()) * 12 + last.month() - first.month() + 1;
    m_unit = days <= kMaxDays ? PeriodUnit::Day
        : (days + 12) / 7 <= kMaxWeeks ? PeriodUnit::Week // +12: partial weeks at both ends
        : months <= kMaxMonths         ? PeriodUnit::Month
                                       : PeriodUnit::Year;
    const QDate end = periodStart(last, m_unit);
    for (QDate start = periodStart(first, m_unit); start <= end; start = nextStart(start, m_unit))
        m_periods << CalendarPeriod{start, nextStart(start, m_unit).addDays(-1)};
}

qsizetype CalendarPeriods::indexOf(QDate day) const
{
    if (m_periods.isEmpty() || !day.isValid() || day < m_periods.constFirst().first
        || day > m_periods.constLast().last)
        return -1;
    const QDate origin = m_periods.constFirst().first;
    switch (m_unit) {
    case PeriodUnit::Day: return origin.daysTo(day);
    case PeriodUnit::Week: return origin.daysTo(day) / 7;
    case PeriodUnit::Month: return (day.year() - origin.year()) * 12 + day.month() - origin.month();
    case PeriodUnit::Year: return day.year() - origin.year();
    }
    return -1;
}

QString CalendarPeriods::unitName(PeriodUnit unit)
{
    switch (unit) {
    case PeriodUnit::Day: return u"day"_s;
    case PeriodUnit::Week: return u"week"_s;
    case PeriodUnit::Month: return u"month"_s;
    case PeriodUnit::Year: return u"year"_s;
    }
    return u"day"_s;
}

QString CalendarPeriods::shortLabel(const CalendarPeriod& period, PeriodUnit unit, QDate previous)
{
    switch (unit) {
    case PeriodUnit::Day:
    case PeriodUnit::Week:
        return period.first.toString(!previous.isValid() || previous.year() != period.first.year() ? u"yyyy-MM-dd"_s
                                                                                                  : u"MM-dd"_s);
    case PeriodUnit::Month: return period.first.toString(u"yyyy-MM"_s);
    case PeriodUnit::Year: return period.first.toString(u"yyyy"_s);
    }
    return period.first.toString(Qt::ISODate);
}

} // namespace bi::core::report
