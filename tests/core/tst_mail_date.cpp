// SPDX-License-Identifier: GPL-3.0-or-later
#include <QTest>
#include <QTimeZone>

#include "core/mail/mail_date.h"

using namespace Qt::StringLiterals;
using bi::core::mail::MailDate;

namespace {

// UTC instant of a wall-clock time at a given offset, computed without MailDate.
qint64 utcMs(int y, int mo, int d, int h, int mi, int s, int offsetMinutes)
{
    const QDateTime wall(QDate(y, mo, d), QTime(h, mi, s), QTimeZone::utc());
    return wall.addSecs(-qint64(offsetMinutes) * 60).toMSecsSinceEpoch();
}

} // namespace

class TstMailDate : public QObject {
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void rejects_data();
    void rejects();
    void normalizeFeedsQt();
    void commonShapeReadsAsGeneral();
};

void TstMailDate::parse_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<qint64>("utcMsecs");
    QTest::addColumn<int>("offsetSeconds");
    QTest::addColumn<bool>("offsetKnown");

    QTest::newRow("rfc5322-canonical") << "Wed, 29 Apr 2009 00:00:00 +0900"_ba << utcMs(2009, 4, 29, 0, 0, 0, 540) << 32400
                                       << true;
    QTest::newRow("negative-offset") << "Tue, 1 Jan 2002 10:00:00 -0500"_ba << utcMs(2002, 1, 1, 10, 0, 0, -300)
                                     << -18000 << true;
    QTest::newRow("half-hour-offset") << "1 Jan 2002 10:00:00 +0530"_ba << utcMs(2002, 1, 1, 10, 0, 0, 330) << 19800
                                      << true;
    QTest::newRow("wrong-weekday-ignored") << "Thu, 29 Apr 2009 00:00:00 +0900"_ba << utcMs(2009, 4, 29, 0, 0, 0, 540)
                                           << 32400 << true;
    QTest::newRow("comment-stripped") << "Wed, 29 Apr 2009 00:00:00 +0000 (UTC)"_ba << utcMs(2009, 4, 29, 0, 0, 0, 0)
                                      << 0 << true;
    QTest::newRow("nested-comment") << "29 Apr 2009 (a (b) c) 00:00:00 +0100"_ba << utcMs(2009, 4, 29, 0, 0, 0, 60)
                                    << 3600 << true;
    QTest::newRow("zone-gmt") << "29 Apr 2009 12:00:00 GMT"_ba << utcMs(2009, 4, 29, 12, 0, 0, 0) << 0 << true;
    QTest::newRow("zone-ut") << "29 Apr 2009 12:00:00 UT"_ba << utcMs(2009, 4, 29, 12, 0, 0, 0) << 0 << true;
    QTest::newRow("zone-utc") << "29 Apr 2009 12:00:00 UTC"_ba << utcMs(2009, 4, 29, 12, 0, 0, 0) << 0 << true;
    QTest::newRow("zone-z") << "29 Apr 2009 12:00:00 Z"_ba << utcMs(2009, 4, 29, 12, 0, 0, 0) << 0 << true;
    QTest::newRow("zone-est") << "29 Apr 2009 12:00:00 EST"_ba << utcMs(2009, 4, 29, 12, 0, 0, -300) << -18000 << true;
    QTest::newRow("zone-edt") << "29 Apr 2009 12:00:00 EDT"_ba << utcMs(2009, 4, 29, 12, 0, 0, -240) << -14400 << true;
    QTest::newRow("zone-cst") << "29 Apr 2009 12:00:00 CST"_ba << utcMs(2009, 4, 29, 12, 0, 0, -360) << -21600 << true;
    QTest::newRow("zone-cdt") << "29 Apr 2009 12:00:00 CDT"_ba << utcMs(2009, 4, 29, 12, 0, 0, -300) << -18000 << true;
    QTest::newRow("zone-mst") << "29 Apr 2009 12:00:00 MST"_ba << utcMs(2009, 4, 29, 12, 0, 0, -420) << -25200 << true;
    QTest::newRow("zone-mdt") << "29 Apr 2009 12:00:00 MDT"_ba << utcMs(2009, 4, 29, 12, 0, 0, -360) << -21600 << true;
    QTest::newRow("zone-pst") << "29 Apr 2009 12:00:00 PST"_ba << utcMs(2009, 4, 29, 12, 0, 0, -480) << -28800 << true;
    QTest::newRow("zone-pdt") << "29 Apr 2009 12:00:00 pdt"_ba << utcMs(2009, 4, 29, 12, 0, 0, -420) << -25200 << true;
    QTest::newRow("zone-jst-extension") << "Wed, 29 Apr 2009 09:00:00 JST"_ba << utcMs(2009, 4, 29, 0, 0, 0, 0)
                                        << 32400 << true;
    QTest::newRow("military-zone-means-unknown") << "29 Apr 2009 12:00:00 A"_ba << utcMs(2009, 4, 29, 12, 0, 0, 0)
                                                 << 0 << false;
    QTest::newRow("unknown-zone-name-means-unknown") << "29 Apr 2009 12:00:00 XYZT"_ba
                                                     << utcMs(2009, 4, 29, 12, 0, 0, 0) << 0 << false;
    QTest::newRow("minus-0000-unknown-returns-utc") << "29 Apr 2009 12:00:00 -0000"_ba
                                                    << utcMs(2009, 4, 29, 12, 0, 0, 0) << 0 << false;
    QTest::newRow("missing-zone-unknown") << "29 Apr 2009 12:00:00"_ba << utcMs(2009, 4, 29, 12, 0, 0, 0) << 0
                                          << false;
    QTest::newRow("two-digit-year-below-50") << "1 Jan 22 10:00:00 +0000"_ba << utcMs(2022, 1, 1, 10, 0, 0, 0) << 0
                                             << true;
    QTest::newRow("two-digit-year-above-50") << "1 Jan 98 10:00:00 +0000"_ba << utcMs(1998, 1, 1, 10, 0, 0, 0) << 0
                                             << true;
    QTest::newRow("three-digit-year") << "1 Jan 102 10:00:00 +0000"_ba << utcMs(2002, 1, 1, 10, 0, 0, 0) << 0 << true;
    QTest::newRow("missing-seconds") << "Mon, 1 Jan 2001 10:30 +0100"_ba << utcMs(2001, 1, 1, 10, 30, 0, 60) << 3600
                                     << true;
    QTest::newRow("missing-weekday") << "1 Jan 2001 10:30:15 +0100"_ba << utcMs(2001, 1, 1, 10, 30, 15, 60) << 3600
                                     << true;
    QTest::newRow("extra-spaces") << "  Mon ,  1   Jan   2001   10:30:15    +0100  "_ba
                                  << utcMs(2001, 1, 1, 10, 30, 15, 60) << 3600 << true;
    QTest::newRow("no-space-after-comma") << "Mon,1 Jan 2001 10:30:15 +0100"_ba << utcMs(2001, 1, 1, 10, 30, 15, 60)
                                          << 3600 << true;
    QTest::newRow("single-digit-day") << "Sat, 3 Feb 2001 01:02:03 +0000"_ba << utcMs(2001, 2, 3, 1, 2, 3, 0) << 0
                                      << true;
    QTest::newRow("lowercase-month") << "3 feb 2001 01:02:03 +0000"_ba << utcMs(2001, 2, 3, 1, 2, 3, 0) << 0 << true;
    QTest::newRow("full-month-name") << "3 February 2001 01:02:03 +0000"_ba << utcMs(2001, 2, 3, 1, 2, 3, 0) << 0
                                     << true;
    QTest::newRow("dashed-date") << "3-Feb-2001 01:02:03 +0000"_ba << utcMs(2001, 2, 3, 1, 2, 3, 0) << 0 << true;
    QTest::newRow("offset-with-colon") << "3 Feb 2001 01:02:03 +09:00"_ba << utcMs(2001, 2, 3, 1, 2, 3, 540) << 32400
                                       << true;
    QTest::newRow("offset-glued-to-time") << "3 Feb 2001 01:02:03+0900"_ba << utcMs(2001, 2, 3, 1, 2, 3, 540)
                                          << 32400 << true;
    QTest::newRow("leap-second-clamped") << "31 Dec 2016 23:59:60 +0000"_ba << utcMs(2016, 12, 31, 23, 59, 59, 0)
                                         << 0 << true;
    QTest::newRow("pm-marker") << "3 Feb 2001 01:02:03 PM +0000"_ba << utcMs(2001, 2, 3, 13, 2, 3, 0) << 0 << true;
    QTest::newRow("asctime-from-line") << "Thu Apr 29 00:00:00 2009"_ba << utcMs(2009, 4, 29, 0, 0, 0, 0) << 0
                                       << false;
    QTest::newRow("asctime-padded-day") << "Mon Feb  3 01:02:03 2003"_ba << utcMs(2003, 2, 3, 1, 2, 3, 0) << 0
                                        << false;
    QTest::newRow("date1-with-zone-before-year") << "Wed Apr 29 09:00:00 JST 2009"_ba
                                                 << utcMs(2009, 4, 29, 0, 0, 0, 0) << 32400 << true;
    QTest::newRow("iso8601-z") << "2009-04-29T00:00:00Z"_ba << utcMs(2009, 4, 29, 0, 0, 0, 0) << 0 << true;
    QTest::newRow("iso8601-offset-fraction") << "2009-04-29T10:00:00.512+02:00"_ba << utcMs(2009, 4, 29, 10, 0, 0, 120)
                                             << 7200 << true;
    QTest::newRow("iso8601-space-no-zone") << "2009-04-29 10:00:00"_ba << utcMs(2009, 4, 29, 10, 0, 0, 0) << 0
                                           << false;
    QTest::newRow("gmt-plus-offset") << "29 Apr 2009 10:00:00 GMT+0200"_ba << utcMs(2009, 4, 29, 10, 0, 0, 120)
                                     << 7200 << true;
}

void TstMailDate::parse()
{
    QFETCH(QByteArray, raw);
    QFETCH(qint64, utcMsecs);
    QFETCH(int, offsetSeconds);
    QFETCH(bool, offsetKnown);
    bool known = !offsetKnown;
    const auto dt = MailDate::parse(raw, &known);
    QVERIFY2(dt.has_value(), raw.constData());
    QVERIFY(dt->isValid());
    QCOMPARE(dt->toMSecsSinceEpoch(), utcMsecs);
    QCOMPARE(dt->offsetFromUtc(), offsetSeconds);
    QCOMPARE(known, offsetKnown);
    if (!offsetKnown)
        QCOMPARE(dt->timeSpec(), Qt::UTC);
    QCOMPARE(MailDate::parse(raw).has_value(), true);
}

void TstMailDate::rejects_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("words") << "yesterday evening"_ba;
    QTest::newRow("no-time") << "29 Apr 2009"_ba;
    QTest::newRow("no-month") << "29 2009 10:00:00 +0000"_ba;
    QTest::newRow("feb-31") << "31 Feb 2009 10:00:00 +0000"_ba;
    QTest::newRow("hour-25") << "1 Jan 2009 25:00:00 +0000"_ba;
    QTest::newRow("minute-61") << "1 Jan 2009 10:61:00 +0000"_ba;
    QTest::newRow("numeric-ambiguous-day-month") << "01-02-2009 10:00:00"_ba;
    QTest::newRow("garbage-bytes") << QByteArray("\x01\xff\0:::\x80", 8);
    QTest::newRow("huge") << QByteArray(10 * 1024 * 1024, '9');
}

void TstMailDate::rejects()
{
    QFETCH(QByteArray, raw);
    QVERIFY(!MailDate::parse(raw).has_value());
}

void TstMailDate::normalizeFeedsQt()
{
    // The normal form is what Qt::RFC2822Date accepts; garbage gives nothing.
    QCOMPARE(MailDate::normalize("Thu, 29 Apr 09 00:00 GMT (comment)"), "29 Apr 2009 00:00:00 +0000"_ba);
    QCOMPARE(MailDate::normalize("Tue, 1 Jan 2002 10:00:00 EST"), "01 Jan 2002 10:00:00 -0500"_ba);
    QVERIFY(MailDate::normalize("not a date").isEmpty());
}

// The common shape "[Www, ]D Mon YYYY HH:MM[:SS] +HHMM [(comment)]" has a reader of its own;
// a second comment sends the same date through the general reader, which must agree, also on
// the edges (unknown "-0000" and out-of-range offsets, leap second, 31 Feb, blanks).
void TstMailDate::commonShapeReadsAsGeneral()
{
    const QList<QByteArray> dates = {
        "Mon, 29 Dec 2025 18:36:58 +0100",  "29 Dec 2025 18:36:58 +0100", "Wed, 1 Jan 2026 00:00 -0500",
        "Fri, 31 Dec 1999 23:59:60 +0000", "Tue, 3 Feb 2026 12:00:00 -0000", "Tue, 3 Feb 2026 12:00:00 +1500",
        "Tue, 3 Feb 2026 12:00:00 +0960",  "Sat, 31 Feb 2026 10:00:00 +0900", "sun, 5 jan 2020 01:02:03 +0530",
        "  Thu,  4   Jun 2026 07:08:09\t+0200 ", "Mon, 29 Dec 2025 24:00:00 +0100", "Mon, 29 Dec 2025 18:36:58 +0100 (CET)",
    };
    for (const QByteArray& d : dates) {
        const auto common = MailDate::parse(d);
        const auto general = MailDate::parse(d + " (x) (y)");
        QCOMPARE(common.has_value(), general.has_value());
        if (common) {
            QCOMPARE(common->toMSecsSinceEpoch(), general->toMSecsSinceEpoch());
            QCOMPARE(common->offsetFromUtc(), general->offsetFromUtc());
        }
        bool commonKnown = false, generalKnown = false;
        QCOMPARE(MailDate::parse(d, &commonKnown).has_value(), common.has_value());
        QCOMPARE(MailDate::parse(d + " (x) (y)", &generalKnown).has_value(), general.has_value());
        QCOMPARE(commonKnown, generalKnown);
        QCOMPARE(MailDate::normalize(d), MailDate::normalize(d + " (x) (y)"));
    }
    QVERIFY(MailDate::parse("Mon, 29 Dec 2025 18:36:58 +0100").has_value());
    QVERIFY(!MailDate::parse("Sat, 31 Feb 2026 10:00:00 +0900").has_value());
}

QTEST_GUILESS_MAIN(TstMailDate)
#include "tst_mail_date.moc"
