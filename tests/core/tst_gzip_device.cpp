// SPDX-License-Identifier: GPL-3.0-or-later
#include <zlib.h>

#include <QBuffer>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTest>

#include "core/mail/gzip_device.h"

using namespace Qt::StringLiterals;
using bi::core::mail::GzipDevice;

namespace {

/// gzip member (RFC 1952) written by zlib, independent of the code under test.
QByteArray gzipMember(const QByteArray& data, int level = Z_DEFAULT_COMPRESSION)
{
    z_stream zs{};
    if (deflateInit2(&zs, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    QByteArray out(static_cast<qsizetype>(deflateBound(&zs, static_cast<uLong>(data.size()))) + 64, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.constData()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&zs, Z_FINISH);
    out.resize(static_cast<qsizetype>(zs.total_out));
    deflateEnd(&zs);
    return rc == Z_STREAM_END ? out : QByteArray();
}

QByteArray textData(qsizetype size)
{
    QByteArray text;
    text.reserve(size + 100);
    for (int i = 0; text.size() < size; ++i)
        text += "Line " + QByteArray::number(i) + ": the quick brown fox, status 5.1.1 user unknown\n";
    text.truncate(size);
    return text;
}

QByteArray randomData(qsizetype size, quint32 seed)
{
    QRandomGenerator rng(seed);
    QByteArray data(size, '\0');
    for (qsizetype i = 0; i < size; ++i)
        data[i] = static_cast<char>(rng.bounded(256));
    return data;
}

struct Inflated {
    QByteArray data;
    bool error = false;
    QString errorString;
    bool trailingGarbage = false;
    int members = 0;
    qint64 compressedPosition = 0;
};

Inflated inflateAll(const QByteArray& compressed, qint64 readSize)
{
    QBuffer source;
    source.setData(compressed);
    source.open(QIODevice::ReadOnly);
    GzipDevice gz(&source);
    Inflated result;
    if (!gz.open(QIODevice::ReadOnly)) {
        result.error = true;
        result.errorString = gz.errorString();
        return result;
    }
    QByteArray chunk(readSize, '\0');
    for (int guard = 0; guard < 10'000'000; ++guard) {
        const qint64 n = gz.read(chunk.data(), readSize);
        if (n < 0) {
            result.error = true;
            result.errorString = gz.errorString();
            break;
        }
        if (n == 0)
            break;
        result.data.append(chunk.constData(), n);
    }
    result.trailingGarbage = gz.hasTrailingGarbage();
    result.members = gz.memberCount();
    result.compressedPosition = gz.compressedPosition();
    if (!result.error && gz.hasError()) {
        result.error = true;
        result.errorString = gz.errorString();
    }
    return result;
}

} // namespace

class TstGzipDevice : public QObject {
    Q_OBJECT

private slots:
    void roundTrip_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<qint64>("readSize");
        QTest::newRow("empty") << QByteArray() << qint64(4096);
        QTest::newRow("one-line") << QByteArray("From: a@example.org\n") << qint64(4096);
        QTest::newRow("one-line-read-1") << QByteArray("Subject: read byte by byte\n") << qint64(1);
        QTest::newRow("text-5mib-read-64k") << textData(5 * 1024 * 1024) << qint64(64 * 1024);
        QTest::newRow("text-300k-read-7") << textData(300 * 1024) << qint64(7);
        QTest::newRow("random-1mib") << randomData(1024 * 1024, 42) << qint64(1024 * 1024);
    }

    void roundTrip()
    {
        QFETCH(QByteArray, data);
        QFETCH(qint64, readSize);
        const QByteArray compressed = gzipMember(data);
        QVERIFY(!compressed.isEmpty());
        const Inflated got = inflateAll(compressed, readSize);
        QVERIFY2(!got.error, qPrintable(got.errorString));
        QCOMPARE(got.data.size(), data.size());
        QVERIFY(got.data == data);
        QCOMPARE(got.members, 1);
        QVERIFY(!got.trailingGarbage);
        QCOMPARE(got.compressedPosition, compressed.size());
    }

    void readAllAndAtEnd()
    {
        const QByteArray data = textData(200 * 1024);
        QBuffer source;
        source.setData(gzipMember(data));
        QVERIFY(source.open(QIODevice::ReadOnly));
        GzipDevice gz(&source);
        QVERIFY(gz.open(QIODevice::ReadOnly));
        QVERIFY(gz.isSequential());
        QVERIFY(!gz.atEnd());
        QCOMPARE(gz.peek(5), QByteArray("Line "));
        QVERIFY(gz.readAll() == data);
        QVERIFY(gz.atEnd());
        QCOMPARE(gz.read(10), QByteArray());
    }

    void multiMember_data()
    {
        QTest::addColumn<QList<QByteArray>>("parts");
        QTest::newRow("two") << QList<QByteArray>{"first member\n", "second member\n"};
        QTest::newRow("three-with-empty") << QList<QByteArray>{"a\n", QByteArray(), "c\n"};
        QTest::newRow("large-parts") << QList<QByteArray>{textData(700 * 1024), randomData(300 * 1024, 7),
                                                          textData(100)};
    }

    void multiMember()
    {
        // RFC 1952 §2.2: concatenated members form one stream (what `cat a.gz b.gz` produces).
        QFETCH(QList<QByteArray>, parts);
        QByteArray compressed;
        QByteArray expected;
        for (const QByteArray& part : parts) {
            compressed += gzipMember(part);
            expected += part;
        }
        for (const qint64 readSize : {qint64(3), qint64(64 * 1024)}) {
            const Inflated got = inflateAll(compressed, readSize);
            QVERIFY2(!got.error, qPrintable(got.errorString));
            QVERIFY(got.data == expected);
            QCOMPARE(got.members, parts.size());
            QVERIFY(!got.trailingGarbage);
        }
    }

    void truncated_data()
    {
        QTest::addColumn<int>("keepPercent");
        QTest::addColumn<int>("dropTail");
        QTest::newRow("magic-only") << 0 << -2;
        QTest::newRow("header-cut") << 0 << -6;
        QTest::newRow("half") << 50 << 0;
        QTest::newRow("missing-trailer") << 100 << 4;
        QTest::newRow("last-byte-missing") << 100 << 1;
        QTest::newRow("second-member-half") << -1 << 0;
    }

    void truncated()
    {
        QFETCH(int, keepPercent);
        QFETCH(int, dropTail);
        const QByteArray data = textData(256 * 1024);
        QByteArray compressed = gzipMember(data);
        if (keepPercent < 0) { // whole first member, then half of a second one
            const QByteArray second = gzipMember(data);
            compressed = compressed + second.left(second.size() / 2);
        } else if (dropTail < 0) {
            compressed.truncate(-dropTail);
        } else {
            compressed.truncate(compressed.size() * keepPercent / 100 - dropTail);
        }
        const Inflated got = inflateAll(compressed, 4096);
        QVERIFY(got.error);
        QVERIFY2(got.errorString.contains(u"truncated"_s), qPrintable(got.errorString));
        // Everything delivered before the error is genuine data.
        const QByteArray expectedPrefix = keepPercent < 0 ? data + data : data;
        QVERIFY(got.data.size() <= expectedPrefix.size());
        QVERIFY(expectedPrefix.startsWith(got.data));
        if (keepPercent < 0)
            QVERIFY(got.data.size() >= data.size());
    }

    void corrupt_data()
    {
        QTest::addColumn<QByteArray>("compressed");
        const QByteArray data = textData(64 * 1024);
        const QByteArray good = gzipMember(data);
        QByteArray badCrc = good;
        badCrc[badCrc.size() - 8] = static_cast<char>(badCrc.at(badCrc.size() - 8) ^ 0x5a);
        QByteArray badSize = good;
        badSize[badSize.size() - 1] = static_cast<char>(badSize.at(badSize.size() - 1) ^ 0x01);
        QByteArray badMethod = good;
        badMethod[2] = 7; // RFC 1952 §2.3.1: CM 8 (deflate) is the only method
        QByteArray badBlock = good;
        badBlock[10] = static_cast<char>(0xff); // first deflate block header: type 3 is reserved
        QByteArray noise = good.left(10) + randomData(4096, 99);
        QTest::newRow("bad-crc") << badCrc;
        QTest::newRow("bad-isize") << badSize;
        QTest::newRow("bad-method") << badMethod;
        QTest::newRow("bad-block-type") << badBlock;
        QTest::newRow("random-after-header") << noise;
    }

    void corrupt()
    {
        QFETCH(QByteArray, compressed);
        const Inflated got = inflateAll(compressed, 4096);
        QVERIFY(got.error);
        QVERIFY2(got.errorString.startsWith(u"corrupt gzip data"_s) || got.errorString.contains(u"truncated"_s),
                 qPrintable(got.errorString));
        QVERIFY(!got.errorString.contains(u'\n'));
    }

    void trailingBytes_data()
    {
        QTest::addColumn<QByteArray>("tail");
        QTest::addColumn<bool>("garbage");
        QTest::newRow("zero-padding") << QByteArray(512, '\0') << false;
        QTest::newRow("text-garbage") << QByteArray("garbage after the member\n") << true;
        QTest::newRow("single-byte") << QByteArray("\x1f") << true;
        QTest::newRow("zeros-then-text") << (QByteArray(16, '\0') + "x") << true;
    }

    void trailingBytes()
    {
        QFETCH(QByteArray, tail);
        QFETCH(bool, garbage);
        const QByteArray data = textData(10 * 1024);
        const Inflated got = inflateAll(gzipMember(data) + tail, 4096);
        QVERIFY2(!got.error, qPrintable(got.errorString));
        QVERIFY(got.data == data);
        QCOMPARE(got.trailingGarbage, garbage);
    }

    void readOnly()
    {
        QBuffer source;
        source.setData(gzipMember("x"));
        QVERIFY(source.open(QIODevice::ReadOnly));
        GzipDevice gz(&source);
        QVERIFY(!gz.open(QIODevice::WriteOnly));
        QVERIFY(!gz.open(QIODevice::ReadWrite));
        QVERIFY(gz.open(QIODevice::ReadOnly));
        QCOMPARE(gz.write("y"), qint64(-1));
        QCOMPARE(gz.readAll(), QByteArray("x"));

        QBuffer closed;
        GzipDevice onClosed(&closed);
        QVERIFY(!onClosed.open(QIODevice::ReadOnly));
        QVERIFY(!onClosed.errorString().isEmpty());
    }

    void hasGzipMagic_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<bool>("magic");
        QTest::newRow("gzip") << gzipMember("abc") << true;
        QTest::newRow("magic-only") << QByteArray("\x1f\x8b") << true;
        QTest::newRow("one-byte") << QByteArray("\x1f") << false;
        QTest::newRow("mbox") << QByteArray("From MAILER-DAEMON") << false;
        QTest::newRow("zlib-rfc1950") << QByteArray("\x78\x9c") << false;
        QTest::newRow("empty") << QByteArray() << false;
    }

    void hasGzipMagic()
    {
        QFETCH(QByteArray, head);
        QFETCH(bool, magic);
        QCOMPARE(GzipDevice::hasGzipMagic(head), magic);
    }

    void gzipToolCompatible()
    {
        // Files in the wild come from gzip(1) (with a file name field), not from zlib.
        const QString gzip = QStandardPaths::findExecutable(u"gzip"_s);
        if (gzip.isEmpty())
            QSKIP("gzip(1) is not installed");
        const QByteArray data = textData(123 * 1024);
        QProcess proc;
        proc.start(gzip, {u"-c"_s, u"-9"_s});
        QVERIFY(proc.waitForStarted());
        proc.write(data);
        proc.closeWriteChannel();
        QVERIFY(proc.waitForFinished());
        const QByteArray compressed = proc.readAllStandardOutput();
        QVERIFY(GzipDevice::hasGzipMagic(compressed));
        const Inflated got = inflateAll(compressed, 8192);
        QVERIFY2(!got.error, qPrintable(got.errorString));
        QVERIFY(got.data == data);
    }
};

QTEST_GUILESS_MAIN(TstGzipDevice)
#include "tst_gzip_device.moc"
