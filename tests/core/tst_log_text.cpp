// SPDX-License-Identifier: GPL-3.0-or-later
#include <QRandomGenerator>
#include <QTest>

#include "core/logs/log_text.h"

using namespace Qt::StringLiterals;
namespace text = bi::core::logs::text;

class TstLogText : public QObject {
    Q_OBJECT

private slots:
    void findLikeIndexOf_data()
    {
        QTest::addColumn<QByteArray>("hay");
        QTest::addColumn<QByteArray>("needle");
        QTest::addColumn<qsizetype>("from");
        QTest::addColumn<qsizetype>("expected");
        const QByteArray line = "to=<a@b.example>, relay=mx[192.0.2.1]:25, delay=1.2, dsn=2.0.0, status=sent";
        QTest::newRow("first") << line << QByteArray(", ") << qsizetype(0) << qsizetype(16);
        QTest::newRow("from-after") << line << QByteArray(", ") << qsizetype(17) << qsizetype(40);
        QTest::newRow("from-at-match") << line << QByteArray(", ") << qsizetype(16) << qsizetype(16);
        QTest::newRow("none") << line << QByteArray(" said: ") << qsizetype(0) << qsizetype(-1);
        QTest::newRow("at-end") << line << QByteArray("sent") << qsizetype(0) << qsizetype(line.size() - 4);
        QTest::newRow("cut-at-end") << QByteArray("abc,") << QByteArray(", ") << qsizetype(0) << qsizetype(-1);
        QTest::newRow("longer-needle") << QByteArray("ab") << QByteArray("abc") << qsizetype(0) << qsizetype(-1);
        QTest::newRow("empty-hay") << QByteArray() << QByteArray(", ") << qsizetype(0) << qsizetype(-1);
        QTest::newRow("empty-needle") << QByteArray("abc") << QByteArray() << qsizetype(1) << qsizetype(1);
        QTest::newRow("from-past-end") << QByteArray("abc") << QByteArray("c") << qsizetype(9) << qsizetype(-1);
        QTest::newRow("negative-from") << QByteArray("abc") << QByteArray("a") << qsizetype(-3) << qsizetype(0);
        QTest::newRow("overlap") << QByteArray("aaab") << QByteArray("aab") << qsizetype(0) << qsizetype(1);
        QTest::newRow("nul-bytes") << QByteArray("a\0b\0c", 5) << QByteArray("\0c", 2) << qsizetype(0) << qsizetype(3);
    }

    void findLikeIndexOf()
    {
        QFETCH(QByteArray, hay);
        QFETCH(QByteArray, needle);
        QFETCH(qsizetype, from);
        QFETCH(qsizetype, expected);
        QCOMPARE(text::find(hay, needle, from), expected);
    }

    void findAgreesWithIndexOfOnRandomText()
    {
        // Small alphabets make partial matches (the first byte found, the rest not) common.
        QRandomGenerator rng(20261130);
        for (int round = 0; round < 20000; ++round) {
            QByteArray hay(rng.bounded(0, 40), Qt::Uninitialized);
            for (char& c : hay)
                c = "ab, "[rng.bounded(4)];
            QByteArray needle(rng.bounded(1, 5), Qt::Uninitialized);
            for (char& c : needle)
                c = "ab, "[rng.bounded(4)];
            const qsizetype from = rng.bounded(0, 42);
            const qsizetype want = from > hay.size() ? -1 : QByteArrayView(hay).indexOf(needle, from);
            QCOMPARE(text::find(hay, needle, from), want);
        }
    }

    void parseSecondsEqualsToDouble()
    {
        // The short path must give the very double toDouble() gives: the encoder compares it
        // with its milliseconds to decide how to store it. Lengths around the 15-digit limit.
        QRandomGenerator rng(20261130);
        for (int round = 0; round < 200000; ++round) {
            QByteArray v(rng.bounded(1, 19), Qt::Uninitialized);
            for (char& c : v)
                c = char('0' + rng.bounded(10));
            if (rng.bounded(4) != 0)
                v[rng.bounded(v.size())] = '.';
            double got = -1;
            bool ok = false;
            const double want = v.toDouble(&ok);
            QCOMPARE(text::parseSeconds(v, got), ok);
            if (ok)
                QVERIFY2(got == want, qPrintable(u"%1: %2 instead of %3"_s.arg(QString::fromLatin1(v))
                                                     .arg(got, 0, 'g', 17).arg(want, 0, 'g', 17)));
        }
        double d = -1;
        QVERIFY(text::parseSeconds("0.57", d));
        QCOMPARE(d, 0.57);
        QVERIFY(text::parseSeconds("307136", d));
        QCOMPARE(d, 307136.0);
        QVERIFY(!text::parseSeconds("1.2.3", d));
        QVERIFY(!text::parseSeconds(".", d));
        QVERIFY(!text::parseSeconds("-1", d));
        QVERIFY(!text::parseSeconds("", d));
    }

    void findCharLikeIndexOf()
    {
        QRandomGenerator rng(20261201);
        for (int round = 0; round < 20000; ++round) {
            QByteArray hay(rng.bounded(0, 20), Qt::Uninitialized);
            for (char& c : hay)
                c = "ab="[rng.bounded(3)];
            const qsizetype from = rng.bounded(-25, 25);
            QCOMPARE(text::findChar(hay, '=', from), QByteArrayView(hay).indexOf('=', from));
        }
    }

    void fieldValueFindsKeysOnBoundaries()
    {
        const QByteArray list = "xdelay=9, delay=1.5, to=<u@example.org>, status=sent";
        bool found = false;
        QCOMPARE(text::fieldValue(list, "delay", ", ", &found), QByteArrayView("1.5"));
        QVERIFY(found);
        QCOMPARE(text::fieldValue(list, "to", ", ", &found), QByteArrayView("<u@example.org>"));
        QCOMPARE(text::fieldValue(list, "status", ", ", &found), QByteArrayView("sent"));
        QVERIFY(text::fieldValue(list, "relay", ", ", &found).isEmpty());
        QVERIFY(!found);
    }
};

QTEST_GUILESS_MAIN(TstLogText)
#include "tst_log_text.moc"
