// SPDX-License-Identifier: GPL-3.0-or-later
// json::append* must write what QJsonDocument writes for the same value, byte for byte.
#include <cmath>
#include <limits>

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>
#include <QTimeZone>

#include "core/common/json_text.h"

using namespace Qt::StringLiterals;
namespace json = bi::core::json;

namespace {

// What QJsonDocument writes for v as the one element of an array, without the brackets.
QByteArray qtJson(const QJsonValue& v)
{
    const QByteArray a = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
    return a.mid(1, a.size() - 2);
}

QByteArray ours(const QString& s)
{
    QByteArray out = "x"; // appends: what is there stays
    json::appendString(out, s);
    return out.mid(1);
}

} // namespace

class TstJsonText : public QObject {
    Q_OBJECT

private slots:
    void stringsAsQJsonDocument_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << QString();
        QTest::newRow("plain") << u"550 5.1.1 <user@example.org>: Recipient address rejected"_s;
        QTest::newRow("quotes-backslash") << u"say \"no\" to C:\\temp"_s;
        QTest::newRow("controls") << QString::fromUtf8("a\bb\fc\nd\re\tf\x01g\x1fh\x7f");
        QTest::newRow("latin1") << u"Empfänger unbekannt"_s;
        QTest::newRow("cjk") << u"用户不存在"_s;
        QTest::newRow("pair") << QString::fromUcs4(U"mail \U0001F4EC box");
        QTest::newRow("lone-high") << u"a"_s + QChar(0xd83d) + u"b"_s;
        QTest::newRow("lone-low-at-end") << u"a"_s + QChar(0xdc00);
        QTest::newRow("reversed-pair") << QString(QChar(0xdc00)) + QChar(0xd800);
        QTest::newRow("bom-and-ffff") << QString(QChar(0xfeff)) + QChar(0xffff);
    }

    void stringsAsQJsonDocument()
    {
        QFETCH(QString, text);
        QCOMPARE(ours(text), qtJson(text));
    }

    void randomStringsAsQJsonDocument()
    {
        // Units from every class: ASCII, escapes, two- and three-byte UTF-8, surrogates.
        static const char16_t kUnits[] = {u'a', u'"', u'\\', u'\n', 0x01, 0x7f, 0xe9, 0x7ff, 0x800,
                                          0x4e2d, 0xd83d, 0xdcec, 0xfffd, 0xffff, u' '};
        QRandomGenerator rng(20261130);
        for (int round = 0; round < 20000; ++round) {
            QString s(rng.bounded(0, 12), Qt::Uninitialized);
            for (QChar& c : s)
                c = QChar(kUnits[rng.bounded(int(std::size(kUnits)))]);
            QCOMPARE(ours(s), qtJson(s));
        }
    }

    void stringArraysAsQJsonDocument()
    {
        for (const QStringList& items : {QStringList{}, QStringList{u"one"_s},
                                         QStringList{u"550 \"no\""_s, QString(), u"Empfänger\n"_s}}) {
            QByteArray out;
            json::appendStringArray(out, items);
            QCOMPARE(out, QJsonDocument(QJsonArray::fromStringList(items)).toJson(QJsonDocument::Compact));
        }
    }

    void timesAsIsoDate()
    {
        const QDateTime utc(QDate(2026, 1, 3), QTime(9, 5, 7, 999), Qt::UTC);
        const QDateTime zoned(QDate(2026, 1, 3), QTime(10, 5, 7), QTimeZone("Europe/Berlin"));
        const QDateTime early(QDate(987, 12, 31), QTime(23, 59, 59), Qt::UTC);
        const QDateTime late(QDate(12026, 1, 1), QTime(0, 0), Qt::UTC);
        for (const QDateTime& t : {utc, zoned, early, late, QDateTime()}) {
            QByteArray out;
            json::appendIsoUtc(out, t);
            QCOMPARE(out, qtJson(t.isValid() ? t.toUTC().toString(Qt::ISODate) : QString()));
        }
        QByteArray out;
        json::appendIsoUtc(out, utc);
        QCOMPARE(out, QByteArray("\"2026-01-03T09:05:07Z\""));
    }

    void numbersAsQJsonDocument()
    {
        for (double d : {0.0, -0.0, 1.0, 0.5, 0.95, 1.0 / 3.0, 1e6, 1e19, -1e300, 123456789.125, -2.5e-7, 0x1p63, -0x1p63, 0x1p62, -0x1p62, 0x1p53, 0x1p53 + 2, -0x1p53, 1e15, 1e16,
                         std::numeric_limits<double>::infinity(), std::nan("")}) {
            QByteArray out;
            json::appendDouble(out, d);
            QCOMPARE(out, qtJson(d));
        }
        QRandomGenerator rng(20261130);
        for (int round = 0; round < 20000; ++round) {
            const double d = round % 2 ? double(rng.generate64() >> rng.bounded(64)) * (round % 4 == 1 ? 1 : -1)
                                       : rng.generateDouble() * std::pow(10.0, rng.bounded(-8, 20));
            QByteArray out;
            json::appendDouble(out, d);
            QCOMPARE(out, qtJson(d));
        }
        for (qint64 v : {qint64(0), qint64(-1), qint64(86400), std::numeric_limits<qint64>::max(),
                         std::numeric_limits<qint64>::min()}) {
            QByteArray out;
            json::appendInt(out, v);
            QCOMPARE(out, qtJson(v));
        }
    }
};

QTEST_GUILESS_MAIN(TstJsonText)
#include "tst_json_text.moc"
