// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <algorithm>

#include <QDate>
#include <QList>
#include <QString>

namespace bi::core::report {

/// How long one bar of a time chart is.
enum class PeriodUnit { Day, Week, Month, Year };

/// The UTC days one bar of a time chart stands for, both ends included.
struct CalendarPeriod {
    QDate first;
    QDate last;
};

/// The bars of a time chart (dashboard and report) that spans the days first..last: every day
/// up to kMaxDays, ISO weeks (Monday to Sunday) up to kMaxWeeks, calendar months up to
/// kMaxMonths, years beyond (a bounce dated 1970 by a broken clock). Every period in between is
/// there, those without data too, so that the axis is time: a chart of only the days with data
/// would draw a quiet month as nothing. Thread: a value type.
class CalendarPeriods final {
public:
    static constexpr qint64 kMaxDays = 92;
    static constexpr qint64 kMaxWeeks = 106;
    static constexpr qint64 kMaxMonths = 120;

    CalendarPeriods() = default;
    /// first and last valid, first <= last (swapped otherwise).
    CalendarPeriods(QDate first, QDate last);

    [[nodiscard]] PeriodUnit unit() const { return m_unit; }
    [[nodiscard]] const QList<CalendarPeriod>& periods() const { return m_periods; }
    /// The index of the period holding day; -1 when it holds none.
    [[nodiscard]] qsizetype indexOf(QDate day) const;

    /// "day", "week", "month" or "year".
    [[nodiscard]] static QString unitName(PeriodUnit unit);
    /// Axis text: the first day as "MM-dd" (days and weeks), with its year ("yyyy-MM-dd") on
    /// the chart's first period and the first of each new year (previous: the first day of the
    /// period before, invalid for the first); the month as "yyyy-MM"; the year.
    [[nodiscard]] static QString shortLabel(const CalendarPeriod& period, PeriodUnit unit, QDate previous = {});

private:
    PeriodUnit m_unit = PeriodUnit::Day;
    QList<CalendarPeriod> m_periods;
};

/// Days with data further than this from the rest (a bounce dated 1970 by a broken clock, or
/// 2099) are not drawn: they would stretch the chart to years of nothing.
inline constexpr qint64 kMaxChartGapDays = 366;

/// Rows of one day each (members day and last, as CalendarPeriod) summed into the periods of
/// the chart that spans them, every period included; unit gets the periods' length. add(sum,
/// row) adds a row's values to its period's. Rows separated from the largest group of days (by
/// the number of days with data) by a gap of more than kMaxChartGapDays are left out of the
/// chart and appended to leftOut, so the caller can say so.
template <typename Row, typename Add>
[[nodiscard]] QList<Row> inPeriods(const QList<Row>& days, PeriodUnit& unit, Add add, QList<Row>* leftOut = nullptr)
{
    if (days.isEmpty())
        return {};
    QList<QDate> dates;
    dates.reserve(days.size());
    for (const Row& d : days)
        dates << d.day;
    std::sort(dates.begin(), dates.end());
    // The run of days without a gap over the limit that holds the most days with data.
    qsizetype bestStart = 0, bestEnd = 0, start = 0;
    for (qsizetype i = 1; i <= dates.size(); ++i) {
        if (i < dates.size() && dates.at(i - 1).daysTo(dates.at(i)) <= kMaxChartGapDays)
            continue;
        if (i - start > bestEnd - bestStart) {
            bestStart = start;
            bestEnd = i;
        }
        start = i;
    }
    const CalendarPeriods calendar(dates.at(bestStart), dates.at(bestEnd - 1));
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
        else if (leftOut)
            leftOut->append(d);
    }
    return out;
}

} // namespace bi::core::report
