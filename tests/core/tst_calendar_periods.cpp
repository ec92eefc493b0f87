// SPDX-License-Identifier: GPL-3.0-or-later
// The time charts' bars: days, weeks or months by the span, quiet periods included.
#include <QTest>

#include "core/report/calendar_periods.h"

using namespace Qt::StringLiterals;
using bi::core::report::CalendarPeriod;
using bi::core::report::CalendarPeriods;
using bi::core::report::PeriodUnit;

namespace {

struct Row {
    QDate day;
    QDate last;
    qint64 count = 0;
};

// Consecutive, without gaps or overlaps, first to last.
void checkContiguous(const CalendarPeriods& c)
{
    const QList<CalendarPeriod>& p = c.periods();
    QVERIFY(!p.isEmpty());
    for (qsizetype i = 0; i < p.size(); ++i) {
        QVERIFY(p.at(i).first <= p.at(i).last);
        if (i > 0)
            QCOMPARE(p.at(i - 1).last.addDays(1), p.at(i).first);
        QCOMPARE(c.indexOf(p.at(i).first), i);
        QCOMPARE(c.indexOf(p.at(i).last), i);
    }
}

} // namespace

class TstCalendarPeriods : public QObject {
    Q_OBJECT

private slots:
    void unitFollowsTheSpan_data()
    {
        QTest::addColumn<QDate>("first");
        QTest::addColumn<QDate>("last");
        QTest::addColumn<PeriodUnit>("unit");
        QTest::addColumn<int>("bars");
        QTest::newRow("one day") << QDate(2026, 1, 5) << QDate(2026, 1, 5) << PeriodUnit::Day << 1;
        QTest::newRow("92 days") << QDate(2026, 1, 1) << QDate(2026, 4, 2) << PeriodUnit::Day << 92;
        // 93 days from a Thursday: the weeks from Monday 2025-12-29 to Monday 2026-03-30.
        QTest::newRow("93 days") << QDate(2026, 1, 1) << QDate(2026, 4, 3) << PeriodUnit::Week << 14;
        QTest::newRow("a year") << QDate(2025, 12, 29) << QDate(2026, 11, 7) << PeriodUnit::Week << 45;
        QTest::newRow("three years") << QDate(2024, 2, 29) << QDate(2027, 1, 2) << PeriodUnit::Month << 36;
        QTest::newRow("ten years") << QDate(2016, 1, 31) << QDate(2025, 12, 1) << PeriodUnit::Month << 120;
        // A bounce dated 1970 by a broken clock: years, not 676 months.
        QTest::newRow("epoch outlier") << QDate(1970, 1, 1) << QDate(2026, 4, 3) << PeriodUnit::Year << 57;
        QTest::newRow("swapped") << QDate(2026, 1, 10) << QDate(2026, 1, 5) << PeriodUnit::Day << 6;
    }

    void unitFollowsTheSpan()
    {
        QFETCH(QDate, first);
        QFETCH(QDate, last);
        QFETCH(PeriodUnit, unit);
        QFETCH(int, bars);
        const CalendarPeriods c(first, last);
        QCOMPARE(c.unit(), unit);
        QCOMPARE(c.periods().size(), bars);
        checkContiguous(c);
        QVERIFY(c.periods().constFirst().first <= std::min(first, last));
        QVERIFY(c.periods().constLast().last >= std::max(first, last));
        if (unit == PeriodUnit::Week) {
            for (const CalendarPeriod& p : c.periods()) {
                QCOMPARE(p.first.dayOfWeek(), 1);
                QCOMPARE(p.last.dayOfWeek(), 7);
            }
        }
        if (unit == PeriodUnit::Year) {
            for (const CalendarPeriod& p : c.periods()) {
                QCOMPARE(p.first, QDate(p.first.year(), 1, 1));
                QCOMPARE(p.last, QDate(p.first.year(), 12, 31));
            }
        }
        if (unit == PeriodUnit::Month) {
            for (const CalendarPeriod& p : c.periods()) {
                QCOMPARE(p.first.day(), 1);
                QCOMPARE(p.last.day(), p.last.daysInMonth());
            }
        }
    }

    void outsideAndInvalid()
    {
        const CalendarPeriods c(QDate(2026, 1, 5), QDate(2026, 1, 7));
        QCOMPARE(c.indexOf(QDate(2026, 1, 4)), -1);
        QCOMPARE(c.indexOf(QDate(2026, 1, 8)), -1);
        QCOMPARE(c.indexOf(QDate()), -1);
        QVERIFY(CalendarPeriods(QDate(), QDate(2026, 1, 1)).periods().isEmpty());
        QCOMPARE(CalendarPeriods().indexOf(QDate(2026, 1, 1)), -1);
    }

    void rowsSumIntoEveryPeriod()
    {
        // Two busy days a month apart and one in between: the quiet days are bars of zero.
        const QList<Row> days{{QDate(2026, 1, 20), {}, 5}, {QDate(2025, 12, 29), {}, 2}, {QDate(2026, 1, 2), {}, 1}};
        PeriodUnit unit = PeriodUnit::Month;
        const QList<Row> bars = bi::core::report::inPeriods(days, unit, [](Row& sum, const Row& d) { sum.count += d.count; });
        QCOMPARE(unit, PeriodUnit::Day);
        QCOMPARE(bars.size(), 23);
        QCOMPARE(bars.constFirst().day, QDate(2025, 12, 29));
        QCOMPARE(bars.constLast().day, QDate(2026, 1, 20));
        QCOMPARE(bars.at(0).count, 2);
        QCOMPARE(bars.at(4).count, 1);
        QCOMPARE(bars.at(22).count, 5);
        qint64 total = 0;
        for (const Row& b : bars) {
            QCOMPARE(b.last, b.day);
            total += b.count;
        }
        QCOMPARE(total, 8);

        // Over a year: weeks from Monday, each day's count in its week.
        const QList<Row> spread{{QDate(2025, 12, 29), {}, 1}, {QDate(2026, 1, 4), {}, 2}, {QDate(2026, 1, 5), {}, 4},
                                {QDate(2026, 11, 7), {}, 8}};
        const QList<Row> weeks = bi::core::report::inPeriods(spread, unit, [](Row& sum, const Row& d) { sum.count += d.count; });
        QCOMPARE(unit, PeriodUnit::Week);
        QCOMPARE(weeks.size(), 45);
        QCOMPARE(weeks.at(0).count, 3); // Monday 12-29 to Sunday 01-04
        QCOMPARE(weeks.at(0).last, QDate(2026, 1, 4));
        QCOMPARE(weeks.at(1).count, 4);
        QCOMPARE(weeks.constLast().count, 8);
        QCOMPARE(weeks.constLast().day, QDate(2026, 11, 2));
        QVERIFY(bi::core::report::inPeriods(QList<Row>{}, unit, [](Row&, const Row&) {}).isEmpty());
    }

    void farDaysAreLeftOut()
    {
        // A bounce dated 1970 and one dated 2099 around three weeks of traffic: days, not years.
        const QList<Row> days{{QDate(1970, 1, 1), {}, 1}, {QDate(2026, 1, 5), {}, 4}, {QDate(2026, 1, 20), {}, 2},
                              {QDate(2026, 1, 6), {}, 3}, {QDate(2099, 12, 31), {}, 7}};
        PeriodUnit unit = PeriodUnit::Month;
        QList<Row> far;
        const auto add = [](Row& sum, const Row& d) { sum.count += d.count; };
        const QList<Row> bars = bi::core::report::inPeriods(days, unit, add, &far);
        QCOMPARE(unit, PeriodUnit::Day);
        QCOMPARE(bars.size(), 16);
        QCOMPARE(bars.constFirst().day, QDate(2026, 1, 5));
        QCOMPARE(far.size(), 2);
        qint64 drawn = 0;
        for (const Row& b : bars)
            drawn += b.count;
        QCOMPARE(drawn, 9);
        QCOMPARE(far.at(0).count + far.at(1).count, 8);

        // Two campaigns half a year apart are one chart (weeks), nothing left out.
        far.clear();
        const QList<Row> campaigns{{QDate(2026, 3, 2), {}, 5}, {QDate(2026, 9, 14), {}, 5}};
        QCOMPARE(bi::core::report::inPeriods(campaigns, unit, add, &far).size(), 29);
        QCOMPARE(unit, PeriodUnit::Week);
        QVERIFY(far.isEmpty());
    }

    void labels()
    {
        const CalendarPeriod week{QDate(2026, 1, 5), QDate(2026, 1, 11)};
        // The year on a chart's first period and on the first of each new year.
        QCOMPARE(CalendarPeriods::shortLabel(week, PeriodUnit::Week), u"2026-01-05"_s);
        QCOMPARE(CalendarPeriods::shortLabel(week, PeriodUnit::Week, QDate(2025, 12, 29)), u"2026-01-05"_s);
        QCOMPARE(CalendarPeriods::shortLabel({QDate(2026, 1, 12), QDate(2026, 1, 18)}, PeriodUnit::Week, week.first),
                 u"01-12"_s);
        QCOMPARE(CalendarPeriods::shortLabel({QDate(2026, 1, 13), QDate(2026, 1, 13)}, PeriodUnit::Day, QDate(2026, 1, 12)),
                 u"01-13"_s);
        QCOMPARE(CalendarPeriods::shortLabel({QDate(2026, 2, 1), QDate(2026, 2, 28)}, PeriodUnit::Month), u"2026-02"_s);
        QCOMPARE(CalendarPeriods::unitName(PeriodUnit::Month), u"month"_s);
        QCOMPARE(CalendarPeriods::shortLabel({QDate(1970, 1, 1), QDate(1970, 12, 31)}, PeriodUnit::Year), u"1970"_s);
    }
};

QTEST_GUILESS_MAIN(TstCalendarPeriods)
#include "tst_calendar_periods.moc"
