// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <algorithm>

#include <QDate>
#include <QList>
#include <QString>

namespace bi::core::report {

/// How long one bar of a time chart is.
enum class PeriodUnit { Day, Week, Month };

/// The UTC days one bar of a time chart stands for, both ends included.
struct CalendarPeriod {
    QDate first;
    QDate last;
};

/// The bars of a time chart (dashboard and report) that spans the days first..last: every day
/// up to kMaxDays, ISO weeks (Monday to Sunday) up to kMaxWeeks, calendar months beyond. Every
/// period in between is there, those without data too, so that the axis is time: a chart of
/// only the days with data would draw a quiet month as nothing. Thread: a value type.
class CalendarPeriods final {
public:
    static constexpr qint64 kMaxDays = 92;
    static constexpr qint64 kMaxWeeks = 106;

    CalendarPeriods() = default;
    /// first and last valid, first <= last (swapped otherwise).
    CalendarPeriods(QDate first, QDate last);

    [[nodiscard]] PeriodUnit unit() const { return m_unit; }
    [[nodiscard]] const QList<CalendarPeriod>& periods() const { return m_periods; }
    /// The index of the period holding day; -1 when it holds none.
    [[nodiscard]] qsizetype indexOf(QDate day) const;

    /// "day", "week" or "month".
    [[nodiscard]] static QString unitName(PeriodUnit unit);
    /// Axis text: the first day as "MM-dd" (days and weeks) or the month as "yyyy-MM".
    [[nodiscard]] static QString shortLabel(const CalendarPeriod& period, PeriodUnit unit);

private:
    PeriodUnit m_unit = PeriodUnit::Day;
    QList<CalendarPeriod> m_periods;
};

/// Rows of one day each (members day and last, as CalendarPeriod) summed into the periods of
/// the chart that spans them, every period included; unit gets the periods' length. add(sum,
/// row) adds a row's values to its period's.
template <typename Row, typename Add>
[[nodiscard]] QList<Row> inPeriods(const QList<Row>& days, PeriodUnit& unit, Add add)
{
    if (days.isEmpty())
        return {};
    QDate first = days.constFirst().day, last = first;
    for (const Row& d : days) {
        first = std::min(first, d.day);
        last = std::max(last, d.day);
    }
    const CalendarPeriods calendar(first, last);
    unit = calendar.unit();
    QList<Row> out;
    out.reserve(calendar.periods().size());
    for (const CalendarPeriod& p : calendar.periods()) {
        Row r{};
        r.day = p.first;
        r.last = p.last;
        out << r;
    }
    for (const Row& d : days) {
        if (const qsizetype i = calendar.indexOf(d.day); i >= 0)
            add(out[i], d);
    }
    return out;
}

} // namespace bi::core::report
