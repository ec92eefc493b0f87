// SPDX-License-Identifier: GPL-3.0-or-later
// Time in logs: the stamp shapes, year inference for year-less syslog stamps, and conversion
// of local wall-clock times with a zone, DST fall-back and spring-forward included.
#include <QRandomGenerator>
#include <QTest>
#include <QTimeZone>

#include "core/logs/log_clock.h"
#include "core/logs/stamp_parser.h"
#include "core/logs/syslog/year_tracker.h"

using namespace bi::core::logs;
using namespace Qt::StringLiterals;

class TstLogTime final : public QObject {
    Q_OBJECT
private slots:
    void classicStamps_data();
    void classicStamps();
    void isoStamps_data();
    void isoStamps();
    void tai64nAndEpoch();
    void yearInference_data();
    void yearInference();
    void fileDatedFromItsEnd_data();
    void fileDatedFromItsEnd();
    void fileOfSnippetsEndsByItsAnchor();
    void fallBackHourKeepsFileOrder();
    void springForwardGapMovesForward();
    void absoluteInstantsTakeTheZoneOffset();
    void impossibleDatesAreRefused();
};

namespace {

QDateTime utc(int y, int mo, int d, int h, int mi, int s, int ms = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s, ms), Qt::UTC);
}

WallTime local(int y, int mo, int d, int h, int mi, int s)
{
    WallTime w;
    w.year = y;
    w.month = mo;
    w.day = d;
    w.secsOfDay = h * 3600 + mi * 60 + s;
    return w;
}

} // namespace

void TstLogTime::classicStamps_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("month");
    QTest::addColumn<int>("day");
    QTest::addColumn<int>("secs");
    QTest::addColumn<int>("msec");
    QTest::newRow("day-padded-with-space") << QByteArray("Jan  2 03:04:05 host") << true << 1 << 2 << 3 * 3600 + 4 * 60 + 5 << 0;
    QTest::newRow("single-space-day") << QByteArray("Nov 9 12:01:31 src@eadmin1") << true << 11 << 9 << 12 * 3600 + 1 * 60 + 31 << 0;
    QTest::newRow("two-digit-day") << QByteArray("Dec 31 23:59:59 h") << true << 12 << 31 << 86399 << 0;
    QTest::newRow("fraction") << QByteArray("Feb 11 16:49:24.123456 h") << true << 2 << 11 << 16 * 3600 + 49 * 60 + 24 << 123;
    QTest::newRow("lower-case-month") << QByteArray("jan 10 00:00:00 h") << true << 1 << 10 << 0 << 0;
    QTest::newRow("not-a-month") << QByteArray("Foo 10 00:00:00 h") << false << 0 << 0 << 0 << 0;
    QTest::newRow("day-zero") << QByteArray("Jan 0 00:00:00 h") << false << 0 << 0 << 0 << 0;
    QTest::newRow("hour-25") << QByteArray("Jan 10 25:00:00 h") << false << 0 << 0 << 0 << 0;
    QTest::newRow("cut-in-time") << QByteArray("Jan 10 12:3") << false << 0 << 0 << 0 << 0;
}

void TstLogTime::classicStamps()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, ok);
    qsizetype pos = 0;
    WallTime w;
    QCOMPARE(StampParser::classic(text, pos, w), ok);
    if (!ok) {
        QCOMPARE(pos, 0);
        return;
    }
    QFETCH(int, month);
    QFETCH(int, day);
    QFETCH(int, secs);
    QFETCH(int, msec);
    QCOMPARE(w.year, 0);
    QCOMPARE(w.month, month);
    QCOMPARE(w.day, day);
    QCOMPARE(w.secsOfDay, secs);
    QCOMPARE(w.msec, msec);
    QCOMPARE(text.at(pos), ' ');
}

void TstLogTime::isoStamps_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QDateTime>("expected"); // with the offset applied; invalid = refused
    QTest::addColumn<bool>("hasOffset");
    QTest::newRow("rfc3339-micro-plus-one") << QByteArray("2016-03-20T13:30:53.574978+01:00 tron") << utc(2016, 3, 20, 12, 30, 53, 574) << true;
    QTest::newRow("zulu") << QByteArray("2025-02-10T09:00:01.120Z,") << utc(2025, 2, 10, 9, 0, 1, 120) << true;
    QTest::newRow("compact-offset") << QByteArray("2025-05-12 23:59:59-0700,x") << utc(2025, 5, 13, 6, 59, 59) << true;
    QTest::newRow("space-no-offset") << QByteArray("2019-10-22 03:39:17 mx1") << utc(2019, 10, 22, 3, 39, 17) << false;
    QTest::newRow("nanoseconds") << QByteArray("2020-06-25 08:00:09.681525500 new msg") << utc(2020, 6, 25, 8, 0, 9, 681) << false;
    QTest::newRow("month-13") << QByteArray("2020-13-01 00:00:00 x") << QDateTime() << false;
    QTest::newRow("feb-30") << QByteArray("2021-02-30T00:00:00Z") << QDateTime() << false;
    QTest::newRow("glued-junk") << QByteArray("2021-02-03T00:00:00Zjunk") << QDateTime() << false;
}

void TstLogTime::isoStamps()
{
    QFETCH(QByteArray, text);
    QFETCH(QDateTime, expected);
    QFETCH(bool, hasOffset);
    qsizetype pos = 0;
    WallTime w;
    const bool ok = StampParser::iso(text, pos, w);
    QCOMPARE(ok, expected.isValid());
    if (!ok)
        return;
    QCOMPARE(w.hasOffset, hasOffset);
    LogClock clock(QTimeZone::utc(), utc(2025, 1, 1, 0, 0, 0));
    LogClock::Stamp s;
    QVERIFY(clock.resolve(w, s));
    QCOMPARE(s.utc, expected);
}

void TstLogTime::tai64nAndEpoch()
{
    // FORMATS.md §4: @40000000433225833b6e1a8c → 2005-09-22 03:31:05.997 UTC
    qsizetype pos = 0;
    qint64 ms = 0;
    QVERIFY(StampParser::tai64n("@40000000433225833b6e1a8c tcpserver: status: 5/30", pos, ms));
    QCOMPARE(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC), utc(2005, 9, 22, 3, 31, 5, 997));
    QCOMPARE(pos, 25);
    pos = 0;
    QVERIFY(!StampParser::tai64n("@4000000043322583zz6e1a8c x", pos, ms));
    QVERIFY(!StampParser::tai64n("@40000000433225833b6e1a", pos, ms));
    // splogger epoch: 1157520813.485077 → 2006-09-06 05:33:33.485 UTC
    pos = 0;
    QVERIFY(StampParser::epoch("1157520813.485077 rblsmtpd: x", pos, ms));
    QCOMPARE(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC), utc(2006, 9, 6, 5, 33, 33, 485));
    pos = 0;
    QVERIFY(!StampParser::epoch("1234 short", pos, ms));
}

void TstLogTime::yearInference_data()
{
    QTest::addColumn<QDate>("anchor");
    QTest::addColumn<QList<int>>("months");  // one month per line, day 15 unless 12 → 31, 1 → 1
    QTest::addColumn<QList<int>>("years");

    QTest::newRow("first-line-before-anchor-keeps-its-year")
        << QDate(2025, 6, 1) << QList<int>{3, 4, 5} << QList<int>{2025, 2025, 2025};
    QTest::newRow("first-line-after-anchor-is-last-year")
        << QDate(2025, 1, 5) << QList<int>{12} << QList<int>{2024};
    QTest::newRow("december-to-january-rolls-over")
        << QDate(2025, 1, 5) << QList<int>{12, 12, 1, 1} << QList<int>{2024, 2024, 2025, 2025};
    QTest::newRow("small-step-back-is-interleaving")
        << QDate(2025, 12, 1) << QList<int>{3, 2, 3, 4} << QList<int>{2025, 2025, 2025, 2025};
    QTest::newRow("straggler-after-new-year-stays-in-old-year")
        << QDate(2025, 2, 1) << QList<int>{12, 1, 12, 1} << QList<int>{2024, 2025, 2024, 2025};
    QTest::newRow("each-new-year-adds-one")
        << QDate(2026, 1, 10) << QList<int>{12, 1, 6, 12, 1} << QList<int>{2025, 2026, 2026, 2026, 2027};
}

void TstLogTime::yearInference()
{
    QFETCH(QDate, anchor);
    QFETCH(QList<int>, months);
    QFETCH(QList<int>, years);
    YearTracker tracker(anchor, QTime(12, 0));
    for (qsizetype i = 0; i < months.size(); ++i) {
        const int m = months[i];
        const int day = m == 12 ? 31 : (m == 1 ? 1 : 15);
        QCOMPARE(tracker.yearFor(m, day, 3600), years[i]);
    }
}

void TstLogTime::fileDatedFromItsEnd_data()
{
    QTest::addColumn<QDate>("anchor");
    QTest::addColumn<QDate>("first"); // year unused
    QTest::addColumn<QDate>("last");  // year unused
    QTest::addColumn<int>("firstYear");
    // A log of Nov 22 to Dec 28 copied on Dec 1: its end is last year's Dec 28, so is its start.
    QTest::newRow("end-after-anchor") << QDate(2026, 12, 1) << QDate(1, 11, 22) << QDate(1, 12, 28) << 2025;
    // Its own mtime, the day after its last line: this year.
    QTest::newRow("end-before-anchor") << QDate(2025, 12, 29) << QDate(1, 11, 22) << QDate(1, 12, 28) << 2025;
    // Across New Year, ending before the anchor: the start is the year before the end.
    QTest::newRow("new-year-inside") << QDate(2026, 1, 10) << QDate(1, 12, 20) << QDate(1, 1, 5) << 2025;
    // Across New Year, its end after the anchor's day: the end is last year, the start the one before.
    QTest::newRow("new-year-end-after-anchor") << QDate(2026, 1, 3) << QDate(1, 12, 20) << QDate(1, 1, 5) << 2024;
    // Lines of hosts a minute apart, the last a little before the first: no New Year.
    QTest::newRow("interleaved-end") << QDate(2025, 6, 1) << QDate(1, 5, 3) << QDate(1, 5, 3) << 2025;
}

void TstLogTime::fileDatedFromItsEnd()
{
    QFETCH(QDate, anchor);
    QFETCH(QDate, first);
    QFETCH(QDate, last);
    QFETCH(int, firstYear);
    const QTimeZone zone("Europe/Berlin");
    const QDateTime at(anchor, QTime(12, 0), zone);
    // The head and the tail of a long file, the middle unread.
    YearTracker::Span head;
    head.see({first.month(), first.day(), 7200});
    YearTracker::Span tail;
    tail.see({last.month(), last.day(), 7100});
    head.append(tail);
    const QDateTime span = YearTracker::spanAnchor(at, zone, head);
    QVERIFY(span.isValid());
    QVERIFY(span <= at);
    const QDateTime local = span.toTimeZone(zone);
    YearTracker tracker(local.date(), local.time());
    QCOMPARE(tracker.yearFor(first.month(), first.day(), 7200), firstYear);
}

// A file of snippets from several years (a parser's test log: Feb, Apr, Oct, Feb, Jul, Dec,
// Apr ...) read whole: the anchor counts the New Years the tracker will, so the last line is
// dated by the anchor (its mtime), not a year or more after it. Seeded random sequences too.
void TstLogTime::fileOfSnippetsEndsByItsAnchor()
{
    QList<QList<int>> files{{2, 2, 4, 10, 2, 7, 2, 12, 4, 2, 3}, {11, 1, 6, 12, 1}, {3, 3, 3}};
    QRandomGenerator random(29);
    for (int i = 0; i < 200; ++i) {
        QList<int> months;
        for (int n = 1 + random.bounded(12); n > 0; --n)
            months << 1 + random.bounded(12);
        files << months;
    }
    const QTimeZone zone("Europe/Berlin");
    const QDateTime at(QDate(2026, 12, 1), QTime(12, 0), zone);
    for (const QList<int>& months : std::as_const(files)) {
        YearTracker::Span span;
        for (int m : months)
            span.see({m, 16, 3600});
        const QDateTime anchor = YearTracker::spanAnchor(at, zone, span);
        QVERIFY(anchor.isValid() && anchor <= at);
        const QDateTime local = anchor.toTimeZone(zone);
        YearTracker tracker(local.date(), local.time());
        QDate lastDate; // the latest: a straggler is dated the year before
        for (int m : months)
            lastDate = std::max(lastDate, QDate(tracker.yearFor(m, 16, 3600), m, 16));
        const QDateTime last(lastDate, QTime(1, 0), zone);
        QVERIFY2(last <= at, qPrintable(u"months %1: last line dated %2"_s.arg(
                                 [&] { QStringList s; for (int m : months) s << QString::number(m); return s.join(u','); }(),
                                 last.toString(Qt::ISODate))));
        QVERIFY2(last > at.addYears(-1), qPrintable(last.toString(Qt::ISODate)));
    }
}

void TstLogTime::fallBackHourKeepsFileOrder()
{
    // Europe/Berlin, 2024-10-27: 03:00 CEST becomes 02:00 CET; 02:00-02:59 happens twice.
    LogClock clock(QTimeZone("Europe/Berlin"), utc(2024, 12, 1, 0, 0, 0));
    struct Step {
        int h, m, s;
        QDateTime utc;
        int offset;
    };
    const QList<Step> steps = {
        {1, 59, 59, utc(2024, 10, 26, 23, 59, 59), 7200},
        {2, 0, 0, utc(2024, 10, 27, 0, 0, 0), 7200},
        {2, 59, 59, utc(2024, 10, 27, 0, 59, 59), 7200},
        {2, 59, 58, utc(2024, 10, 27, 0, 59, 58), 7200}, // interleaving, not the repeat
        {2, 0, 1, utc(2024, 10, 27, 1, 0, 1), 3600},     // the clock went back: second pass
        {2, 30, 0, utc(2024, 10, 27, 1, 30, 0), 3600},
        {3, 0, 0, utc(2024, 10, 27, 2, 0, 0), 3600},
    };
    for (const Step& st : steps) {
        LogClock::Stamp s;
        QVERIFY(clock.resolve(local(2024, 10, 27, st.h, st.m, st.s), s));
        QCOMPARE(s.utc, st.utc);
        QCOMPARE(s.offsetSeconds, st.offset);
    }
}

void TstLogTime::springForwardGapMovesForward()
{
    // Europe/Berlin, 2024-03-31: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist.
    LogClock clock(QTimeZone("Europe/Berlin"), utc(2024, 12, 1, 0, 0, 0));
    LogClock::Stamp s;
    QVERIFY(clock.resolve(local(2024, 3, 31, 1, 59, 0), s));
    QCOMPARE(s.utc, utc(2024, 3, 31, 0, 59, 0));
    QVERIFY(clock.resolve(local(2024, 3, 31, 2, 30, 0), s));
    QCOMPARE(s.utc, utc(2024, 3, 31, 1, 30, 0)); // = 03:30 CEST
    QVERIFY(clock.resolve(local(2024, 3, 31, 3, 30, 0), s));
    QCOMPARE(s.utc, utc(2024, 3, 31, 1, 30, 0));
    QCOMPARE(s.offsetSeconds, 7200);
}

void TstLogTime::absoluteInstantsTakeTheZoneOffset()
{
    LogClock clock(QTimeZone("America/New_York"), utc(2024, 12, 1, 0, 0, 0));
    const LogClock::Stamp summer = clock.fromUtcMSecs(utc(2024, 7, 1, 12, 0, 0).toMSecsSinceEpoch());
    QCOMPARE(summer.utc, utc(2024, 7, 1, 12, 0, 0));
    QCOMPARE(summer.offsetSeconds, -4 * 3600);
    const LogClock::Stamp winter = clock.fromUtcMSecs(utc(2024, 1, 1, 12, 0, 0).toMSecsSinceEpoch());
    QCOMPARE(winter.offsetSeconds, -5 * 3600);
}

void TstLogTime::impossibleDatesAreRefused()
{
    LogClock clock(QTimeZone::utc(), utc(2025, 6, 1, 0, 0, 0));
    LogClock::Stamp s;
    WallTime feb29;
    feb29.month = 2;
    feb29.day = 29;
    QVERIFY(!clock.resolve(feb29, s)); // 2025 is no leap year
    QVERIFY(!clock.resolve(local(2024, 4, 31, 0, 0, 0), s));
    QVERIFY(clock.resolve(local(2024, 2, 29, 0, 0, 0), s));
}

QTEST_GUILESS_MAIN(TstLogTime)
#include "tst_log_time.moc"
