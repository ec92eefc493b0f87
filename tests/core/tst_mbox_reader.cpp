// SPDX-License-Identifier: GPL-3.0-or-later
#include <algorithm>
#include <cstring>

#include <zlib.h>

#include <QBuffer>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

#include "core/mail/gzip_device.h"
#include "core/mail/mbox_reader.h"

using namespace Qt::StringLiterals;
using bi::core::Diagnostic;
using bi::core::mail::GzipDevice;
using bi::core::mail::MboxReader;
using bi::core::mail::RawMessage;

namespace {

struct ReadResult {
    QList<RawMessage> messages;
    bool readError = false;
    bi::core::Diagnostics inputDiagnostics;
};

ReadResult readAll(QIODevice* device, MboxReader::Mode mode = MboxReader::Mode::Mbox, qint64 chunkSize = 0,
                   qint64 maxMessage = 0)
{
    MboxReader reader(device, u"test.mbox"_s, mode);
    if (chunkSize > 0)
        reader.setChunkSize(chunkSize);
    if (maxMessage > 0)
        reader.setMaxMessageSize(maxMessage);
    ReadResult result;
    RawMessage msg;
    while (reader.next(msg)) {
        result.messages << msg;
        if (result.messages.size() > 100000)
            break; // a splitting bug must fail, not hang
    }
    result.readError = reader.hasReadError();
    result.inputDiagnostics = reader.takeInputDiagnostics();
    return result;
}

ReadResult readBytes(const QByteArray& input, MboxReader::Mode mode = MboxReader::Mode::Mbox,
                     qint64 chunkSize = 0, qint64 maxMessage = 0)
{
    QBuffer buffer;
    buffer.setData(input);
    buffer.open(QIODevice::ReadOnly);
    return readAll(&buffer, mode, chunkSize, maxMessage);
}

QString diagnosticsText(const RawMessage& msg)
{
    QStringList lines;
    for (const Diagnostic& d : msg.diagnostics)
        lines << d.toString();
    return lines.join(u" | "_s);
}

bool hasDiagnostic(const RawMessage& msg, const QString& fragment)
{
    return std::any_of(msg.diagnostics.begin(), msg.diagnostics.end(),
                       [&](const Diagnostic& d) { return d.what.contains(fragment, Qt::CaseInsensitive); });
}

/// The mboxrd rule, written independently of the reader: one '>' off every line matching ^>+From .
QByteArray unquoteMboxrd(const QByteArray& raw)
{
    static const QRegularExpression quoted(u"^>(>*From )"_s, QRegularExpression::MultilineOption);
    QString latin = QString::fromLatin1(raw);
    latin.replace(quoted, u"\\1"_s);
    return latin.toLatin1();
}

/// An mboxrd writer (as used for the shared corpus): envelope line, quoted body, one empty line.
QByteArray writeMboxrd(const QList<QByteArray>& messages)
{
    static const QRegularExpression fromLine(u"^(>*From )"_s, QRegularExpression::MultilineOption);
    QByteArray out;
    int i = 0;
    for (const QByteArray& m : messages) {
        const bool crlf = m.contains("\r\n");
        out += "From sender" + QByteArray::number(++i) + "@example.org Thu Apr 29 23:34:45 2021"
            + (crlf ? "\r\n" : "\n");
        QString body = QString::fromLatin1(m);
        body.replace(fromLine, u">\\1"_s);
        out += body.toLatin1();
        out += crlf ? "\r\n" : "\n";
    }
    return out;
}

QByteArray gzip(const QByteArray& data)
{
    z_stream zs{};
    deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    QByteArray out(static_cast<qsizetype>(deflateBound(&zs, static_cast<uLong>(data.size()))) + 64, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.constData()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    deflate(&zs, Z_FINISH);
    out.resize(static_cast<qsizetype>(zs.total_out));
    deflateEnd(&zs);
    return out;
}

/// Sequential device that yields `data` and then fails, like a disk or NFS read error.
class FailingDevice final : public QIODevice {
public:
    explicit FailingDevice(QByteArray data) : m_data(std::move(data)) {}
    bool isSequential() const override { return true; }

protected:
    qint64 readData(char* out, qint64 maxSize) override
    {
        if (m_pos >= m_data.size()) {
            setErrorString(u"Input/output error"_s);
            return -1;
        }
        const qint64 n = std::min<qint64>(maxSize, m_data.size() - m_pos);
        std::memcpy(out, m_data.constData() + m_pos, static_cast<size_t>(n));
        m_pos += n;
        return n;
    }
    qint64 writeData(const char*, qint64) override { return -1; }

private:
    QByteArray m_data;
    qint64 m_pos = 0;
};

/// Sequential device that generates a large mbox on the fly without holding it in memory.
class GeneratedMbox final : public QIODevice {
public:
    GeneratedMbox(qint64 messages, QByteArray message) : m_left(messages), m_message(std::move(message))
    {
        m_record = "From MAILER-DAEMON Thu Apr 29 23:34:45 2021\n" + m_message + "\n";
    }
    bool isSequential() const override { return true; }

protected:
    qint64 readData(char* out, qint64 maxSize) override
    {
        qint64 written = 0;
        while (written < maxSize && m_left > 0) {
            const qint64 n = std::min<qint64>(maxSize - written, m_record.size() - m_pos);
            std::memcpy(out + written, m_record.constData() + m_pos, static_cast<size_t>(n));
            written += n;
            m_pos += n;
            if (m_pos == m_record.size()) {
                m_pos = 0;
                --m_left;
            }
        }
        return written;
    }
    qint64 writeData(const char*, qint64) override { return -1; }

private:
    qint64 m_left;
    QByteArray m_message;
    QByteArray m_record;
    qint64 m_pos = 0;
};

qint64 peakRssKib()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

} // namespace

class TstMboxReader : public QObject {
    Q_OBJECT

private slots:
    void split_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QList<QByteArray>>("expected");
        QTest::addColumn<QList<QByteArray>>("envelopes");
        QTest::addColumn<QStringList>("diagnostics"); // per message: "" = none, else a fragment

        const QByteArray env1 = "From MAILER-DAEMON Thu Apr 29 23:34:45 2021";
        const QByteArray env2 = "From bounce@example.net  Fri Apr 30 01:02:03 2021";
        const QByteArray env3 = "From <> Sat May  1 10:11:12 2021";

        QTest::newRow("mboxo-two")
            << (env1 + "\nSubject: one\n\nbody one\n>From the quoted line\n\n" + env2
                + "\nSubject: two\n\nbody two\n")
            << QList<QByteArray>{"Subject: one\n\nbody one\nFrom the quoted line\n", "Subject: two\n\nbody two\n"}
            << QList<QByteArray>{env1, env2} << QStringList{u""_s, u""_s};

        QTest::newRow("mboxrd-levels")
            << (env1 + "\nSubject: q\n\n>From a\n>>From b\n>>>From c\n> From d\n>Fromage\nFrom: not at start\n\n")
            << QList<QByteArray>{"Subject: q\n\nFrom a\n>From b\n>>From c\n> From d\n>Fromage\nFrom: not at start\n\n"}
            << QList<QByteArray>{env1} << QStringList{u""_s};

        QTest::newRow("mboxcl2-unquoted-from-in-body")
            << (env1 + "\nSubject: cl2\nContent-Length: 35\n\nfirst\n\nFrom here the body goes on\n\n\n" + env2
                + "\nSubject: next\n\nx\n")
            << QList<QByteArray>{"Subject: cl2\nContent-Length: 35\n\nfirst\n\nFrom here the body goes on\n\n",
                                 "Subject: next\n\nx\n"}
            << QList<QByteArray>{env1, env2} << QStringList{u""_s, u""_s};

        QTest::newRow("mboxcl2-body-starts-with-from")
            << (env1 + "\nSubject: cl2\nContent-Length: 24\n\nFrom me to you, a body.\n\n" + env2
                + "\nContent-Length: 5\n\nlast\n")
            << QList<QByteArray>{"Subject: cl2\nContent-Length: 24\n\nFrom me to you, a body.\n",
                                 "Content-Length: 5\n\nlast\n"}
            << QList<QByteArray>{env1, env2} << QStringList{u""_s, u""_s};

        QTest::newRow("mboxcl2-lands-on-separator-directly")
            << (env1 + "\nContent-Length: 6\n\nbody1\n" + env2 + "\nSubject: 2\n\nb2\n")
            << QList<QByteArray>{"Content-Length: 6\n\nbody1\n", "Subject: 2\n\nb2\n"}
            << QList<QByteArray>{env1, env2} << QStringList{u""_s, u""_s};

        QTest::newRow("mboxcl2-single-message-writer-blank-dropped")
            << (env1 + "\nContent-Length: 6\n\nbody\n\n\n")
            << QList<QByteArray>{"Content-Length: 6\n\nbody\n\n"} << QList<QByteArray>{env1} << QStringList{u""_s};

        QTest::newRow("mboxcl2-lands-on-unusual-separator")
            << (env1 + "\nContent-Length: 6\n\nbody1\nFrom () 2020-03-03 07:50:45 +0000\nSubject: 2\n")
            << QList<QByteArray>{"Content-Length: 6\n\nbody1\n", "Subject: 2\n"}
            << QList<QByteArray>{env1, "From () 2020-03-03 07:50:45 +0000"} << QStringList{u""_s, u""_s};

        QTest::newRow("content-length-wrong")
            << (env1 + "\nSubject: w\nContent-Length: 3\n\nbody one\n\n" + env2 + "\nSubject: two\n\nbody\n")
            << QList<QByteArray>{"Subject: w\nContent-Length: 3\n\nbody one\n", "Subject: two\n\nbody\n"}
            << QList<QByteArray>{env1, env2} << QStringList{u"Content-Length: 3"_s, u""_s};

        QTest::newRow("content-length-past-end")
            << (env1 + "\nContent-Length: 5000\n\nshort body\n")
            << QList<QByteArray>{"Content-Length: 5000\n\nshort body\n"} << QList<QByteArray>{env1}
            << QStringList{u"runs past the end"_s};

        QTest::newRow("content-length-invalid")
            << (env1 + "\nContent-Length: twelve\n\nbody\n")
            << QList<QByteArray>{"Content-Length: twelve\n\nbody\n"} << QList<QByteArray>{env1}
            << QStringList{u"invalid Content-Length"_s};

        QTest::newRow("content-length-no-body")
            << (env1 + "\nSubject: x\nContent-Length: 10\n\n" + env2 + "\nSubject: y\n")
            << QList<QByteArray>{"Subject: x\nContent-Length: 10\n", "Subject: y\n"}
            << QList<QByteArray>{env1, env2} << QStringList{u"Content-Length: 10"_s, u""_s};

        QTest::newRow("crlf")
            << (env1 + "\r\nSubject: one\r\n\r\nbody\r\n>From q\r\n\r\n" + env2 + "\r\nSubject: two\r\n\r\nb2\r\n\r\n")
            << QList<QByteArray>{"Subject: one\r\n\r\nbody\r\nFrom q\r\n", "Subject: two\r\n\r\nb2\r\n"}
            << QList<QByteArray>{env1, env2} << QStringList{u""_s, u""_s};

        QTest::newRow("mixed-lf-crlf")
            << (env1 + "\nSubject: lf\n\nbody\n\n" + env2 + "\r\nSubject: crlf\r\n\r\nbody\r\n\r\n" + env3
                + "\nSubject: lf again\n\nb\n\n")
            << QList<QByteArray>{"Subject: lf\n\nbody\n", "Subject: crlf\r\n\r\nbody\r\n", "Subject: lf again\n\nb\n"}
            << QList<QByteArray>{env1, env2, env3} << QStringList{u""_s, u""_s, u""_s};

        QTest::newRow("separator-without-blank-line")
            << (env1 + "\nSubject: one\n\nbody\n" + env2 + "\nSubject: two\n\nb2\n")
            << QList<QByteArray>{"Subject: one\n\nbody\n", "Subject: two\n\nb2\n"}
            << QList<QByteArray>{env1, env2} << QStringList{u"not preceded by an empty line"_s, u""_s};

        QTest::newRow("from-line-in-body-not-a-separator")
            << (env1 + "\nSubject: one\n\nbody\nFrom what I can see, it bounced.\nFrom a@b on Monday\n\n")
            << QList<QByteArray>{"Subject: one\n\nbody\nFrom what I can see, it bounced.\nFrom a@b on Monday\n\n"}
            << QList<QByteArray>{env1} << QStringList{u""_s};

        QTest::newRow("unquoted-from-after-blank-splits")
            << (env1 + "\nSubject: one\n\nbody\n\nFrom here on it is a new message\n")
            << QList<QByteArray>{"Subject: one\n\nbody\n", ""}
            << QList<QByteArray>{env1, "From here on it is a new message"}
            << QStringList{u""_s, u"empty message"_s};

        QTest::newRow("empty") << QByteArray() << QList<QByteArray>{} << QList<QByteArray>{} << QStringList{};

        QTest::newRow("envelope-only") << (env1 + "\n") << QList<QByteArray>{""} << QList<QByteArray>{env1}
                                       << QStringList{u"empty message"_s};

        QTest::newRow("truncated-last-line")
            << (env1 + "\nSubject: one\n\nbody\n\n" + env2 + "\nSubject: two\n\nthe last line is cu")
            << QList<QByteArray>{"Subject: one\n\nbody\n", "Subject: two\n\nthe last line is cu"}
            << QList<QByteArray>{env1, env2} << QStringList{u""_s, u"truncated"_s};

        QTest::newRow("garbage-before-first")
            << ("\n\nsome junk\n\n" + env1 + "\nSubject: one\n\nbody\n")
            << QList<QByteArray>{"Subject: one\n\nbody\n"} << QList<QByteArray>{env1}
            << QStringList{u"skipped"_s};

        QTest::newRow("garbage-between")
            << (env1 + "\nSubject: one\n\nb1\n\n" + env2 + "\n\x01\x02\xff binary junk\n\n" + env3
                + "\nSubject: three\n\nb3\n")
            << QList<QByteArray>{"Subject: one\n\nb1\n", "\x01\x02\xff binary junk\n", "Subject: three\n\nb3\n"}
            << QList<QByteArray>{env1, env2, env3}
            << QStringList{u""_s, u"does not start with a header field"_s, u""_s};

        QTest::newRow("nul-bytes")
            << (env1 + "\nSubject: nul\n\nbefore" + QByteArray(3, '\0') + "after\n")
            << QList<QByteArray>{"Subject: nul\n\nbefore" + QByteArray(3, '\0') + "after\n"}
            << QList<QByteArray>{env1} << QStringList{u"NUL"_s};

        QTest::newRow("single-message-keeps-last-blank")
            << (env1 + "\nSubject: saved\n\nbody\n\n")
            << QList<QByteArray>{"Subject: saved\n\nbody\n\n"} << QList<QByteArray>{env1} << QStringList{u""_s};

        QTest::newRow("writer-blank-dropped-at-end")
            << (env1 + "\nSubject: 1\n\nb\n\n" + env2 + "\nSubject: 2\n\nb\n\n")
            << QList<QByteArray>{"Subject: 1\n\nb\n", "Subject: 2\n\nb\n"} << QList<QByteArray>{env1, env2}
            << QStringList{u""_s, u""_s};

        QTest::newRow("message-own-blank-kept")
            << (env1 + "\nSubject: 1\n\nb\n\n\n" + env2 + "\nSubject: 2\n\nb\n\n\n")
            << QList<QByteArray>{"Subject: 1\n\nb\n\n", "Subject: 2\n\nb\n\n"} << QList<QByteArray>{env1, env2}
            << QStringList{u""_s, u""_s};

        QTest::newRow("iso-date-envelope-at-start")
            << QByteArray("From () 2020-03-03 07:50:45 +0000\nSubject: gsuite\n\nb\n")
            << QList<QByteArray>{"Subject: gsuite\n\nb\n"}
            << QList<QByteArray>{"From () 2020-03-03 07:50:45 +0000"} << QStringList{u""_s};
    }

    void split()
    {
        QFETCH(QByteArray, input);
        QFETCH(QList<QByteArray>, expected);
        QFETCH(QList<QByteArray>, envelopes);
        QFETCH(QStringList, diagnostics);
        for (const qint64 chunk : {qint64(0), qint64(4096)}) {
            const ReadResult got = readBytes(input, MboxReader::Mode::Mbox, chunk);
            QCOMPARE(got.messages.size(), expected.size());
            qint64 previousEnd = 0;
            for (qsizetype i = 0; i < expected.size(); ++i) {
                const RawMessage& m = got.messages.at(i);
                QCOMPARE(m.bytes, expected.at(i));
                QCOMPARE(m.envelopeLine, envelopes.at(i));
                QCOMPARE(m.index, int(i + 1));
                QCOMPARE(m.sourcePath, u"test.mbox"_s);
                if (diagnostics.at(i).isEmpty())
                    QVERIFY2(m.diagnostics.isEmpty(), qPrintable(diagnosticsText(m)));
                else
                    QVERIFY2(hasDiagnostic(m, diagnostics.at(i)), qPrintable(diagnosticsText(m)));
                // Provenance: the bytes at offset..offset+length are the message as stored.
                QVERIFY(m.offset >= previousEnd);
                QVERIFY(m.offset + m.length <= input.size());
                QCOMPARE(unquoteMboxrd(input.mid(m.offset, m.length)), m.bytes);
                const qint64 eol = m.offset >= 2 && input.at(m.offset - 2) == '\r' ? 2 : 1;
                QCOMPARE(input.mid(m.offset - eol - m.envelopeLine.size(), m.envelopeLine.size()),
                         m.envelopeLine);
                previousEnd = m.offset + m.length;
            }
        }
    }

    void fixtureFiles_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QList<QByteArray>>("expected");
        QTest::newRow("mboxrd.mbox")
            << u"mboxrd.mbox"_s
            << QList<QByteArray>{
                   "Return-Path: <>\n"
                   "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\n"
                   "To: sender@example.com\n"
                   "Subject: Undelivered Mail Returned to Sender\n"
                   "Date: Thu, 29 Apr 2021 23:34:45 +0000\n\n"
                   "This is the mail system at host mx.example.org.\n"
                   "From the desk of the postmaster: one quoting level was added by the writer.\n"
                   ">From here on two levels were there before and one is removed.\n"
                   "> From with a space after '>' is not quoted.\n",
                   "From: postmaster@example.net\n"
                   "To: sender@example.com\n"
                   "Subject: Delivery Status Notification (Failure)\n\n"
                   "Body of the second message.\n\n"
                   "It ends with an empty line of its own, followed by the writer's separator line.\n\n",
                   "From: MAILER-DAEMON@example.org\nSubject: third\n\nLast message.\n"};
        QTest::newRow("mboxcl2.mbox")
            << u"mboxcl2.mbox"_s
            << QList<QByteArray>{"From: MAILER-DAEMON@example.org\n"
                                 "Subject: mboxcl2 body with an unquoted From line\n"
                                 "Content-Length: 71\n\n"
                                 "First body line.\n\nFrom the point of view of mboxcl2 this is body text.\n",
                                 "From: sender@example.com\nSubject: second\nContent-Length: 12\n\nSecond body\n"};
    }

    void fixtureFiles()
    {
        QFETCH(QString, file);
        QFETCH(QList<QByteArray>, expected);
        QFile f(QStringLiteral(BI_MAIL_TEST_DATA_DIR "/") + file);
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.errorString()));
        const ReadResult got = readAll(&f);
        QCOMPARE(got.messages.size(), expected.size());
        for (qsizetype i = 0; i < expected.size(); ++i) {
            QCOMPARE(got.messages.at(i).bytes, expected.at(i));
            QVERIFY2(got.messages.at(i).diagnostics.isEmpty(), qPrintable(diagnosticsText(got.messages.at(i))));
        }
    }

    void roundTripThroughWriter_data()
    {
        QTest::addColumn<qint64>("chunkSize");
        QTest::newRow("chunk-4k") << qint64(4096);
        QTest::newRow("chunk-5000") << qint64(5000);
        QTest::newRow("chunk-1mib") << qint64(1024 * 1024);
    }

    void roundTripThroughWriter()
    {
        // Messages with the awkward parts (From lines, quoted lines, long lines that cross chunk
        // boundaries, CRLF, trailing empty lines) written by an mboxrd writer come back unchanged.
        QFETCH(qint64, chunkSize);
        QList<QByteArray> messages;
        for (int i = 0; i < 60; ++i) {
            const QByteArray eol = (i % 3 == 1) ? "\r\n" : "\n";
            QByteArray m = "From: sender" + QByteArray::number(i) + "@example.org" + eol + "Subject: message "
                + QByteArray::number(i) + eol + eol;
            m += "From the start of the body" + eol;
            m += ">From already quoted" + eol + ">>>From deeply quoted" + eol;
            m += QByteArray(i * 397 % 9000 + 1, char('a' + i % 26)) + eol; // long lines
            if (i % 7 == 0)
                m += QByteArray(70000, 'z') + eol;
            m += eol + "From sender Thu Apr 29 23:34:45 2021" + eol; // an unquoted one would split
            if (i % 4 == 0)
                m += eol; // message ending in an empty line of its own
            messages << m;
        }
        const QByteArray mbox = writeMboxrd(messages);
        const ReadResult got = readBytes(mbox, MboxReader::Mode::Mbox, chunkSize);
        QCOMPARE(got.messages.size(), messages.size());
        for (qsizetype i = 0; i < messages.size(); ++i) {
            QVERIFY2(got.messages.at(i).bytes == messages.at(i), qPrintable(u"message %1"_s.arg(i + 1)));
            QCOMPARE(unquoteMboxrd(mbox.mid(got.messages.at(i).offset, got.messages.at(i).length)),
                     messages.at(i));
        }
    }

    void singleMessageMode()
    {
        // A message file is taken byte for byte: no splitting, no unquoting, no Content-Length.
        const QByteArray input = "Subject: eml\nContent-Length: 2\n\nbody\n\nFrom here on\n>From kept\n\n";
        const ReadResult got = readBytes(input, MboxReader::Mode::SingleMessage);
        QCOMPARE(got.messages.size(), 1);
        QCOMPARE(got.messages.at(0).bytes, input);
        QCOMPARE(got.messages.at(0).offset, 0);
        QCOMPARE(got.messages.at(0).length, input.size());
        QVERIFY(got.messages.at(0).envelopeLine.isEmpty());
        QVERIFY2(got.messages.at(0).diagnostics.isEmpty(), qPrintable(diagnosticsText(got.messages.at(0))));
        QCOMPARE(readBytes(QByteArray(), MboxReader::Mode::SingleMessage).messages.size(), 0);
    }

    void oversizedMessageIsCut()
    {
        const QByteArray big = "Subject: big\n\n" + QByteArray(20000, 'x') + "\n";
        const QByteArray input = "From a@b Thu Apr 29 23:34:45 2021\n" + big + "\nFrom c@d Thu Apr 29 23:34:46 2021\n"
            + "Subject: small\n\nok\n";
        const ReadResult got = readBytes(input, MboxReader::Mode::Mbox, 4096, 8192);
        QCOMPARE(got.messages.size(), 2);
        QCOMPARE(got.messages.at(0).bytes.size(), 8192);
        QVERIFY(big.startsWith(got.messages.at(0).bytes));
        QCOMPARE(got.messages.at(0).length, big.size());
        QVERIFY2(hasDiagnostic(got.messages.at(0), u"larger than the limit"_s), qPrintable(diagnosticsText(got.messages.at(0))));
        QCOMPARE(got.messages.at(1).bytes, QByteArray("Subject: small\n\nok\n"));
        QVERIFY(got.messages.at(1).diagnostics.isEmpty());
    }

    void hugeHeaderLine()
    {
        // A 10 MB header line: read in pieces, kept whole, reported, and the next message is fine.
        const QByteArray line = "X-Junk: " + QByteArray(10 * 1024 * 1024, 'j') + "\n";
        const QByteArray first = "Subject: one\n" + line + "\nbody\n";
        const QByteArray input = "From a@b Thu Apr 29 23:34:45 2021\n" + first + "\nFrom c@d Thu Apr 29 23:34:46 2021\n"
            + "Subject: two\n\nok\n";
        const ReadResult got = readBytes(input);
        QCOMPARE(got.messages.size(), 2);
        QVERIFY(got.messages.at(0).bytes == first);
        QVERIFY2(hasDiagnostic(got.messages.at(0), u"header line of"_s), qPrintable(diagnosticsText(got.messages.at(0))));
        QCOMPARE(got.messages.at(1).bytes, QByteArray("Subject: two\n\nok\n"));
        QVERIFY(got.messages.at(1).diagnostics.isEmpty());
    }

    void hugeLineWithoutNewline()
    {
        // 3 MiB without any line ending after a separator: no hang, one truncated message.
        const QByteArray input = "From a@b Thu Apr 29 23:34:45 2021\nSubject: x\n\n" + QByteArray(3 * 1024 * 1024, 'q');
        const ReadResult got = readBytes(input, MboxReader::Mode::Mbox, 64 * 1024);
        QCOMPARE(got.messages.size(), 1);
        QCOMPARE(got.messages.at(0).bytes.size(), input.size() - input.indexOf('\n') - 1);
        QVERIFY(hasDiagnostic(got.messages.at(0), u"truncated"_s));
    }

    void readError()
    {
        const QByteArray input = "From a@b Thu Apr 29 23:34:45 2021\nSubject: one\n\nb\n\n"
                                 "From c@d Thu Apr 29 23:34:46 2021\nSubject: two\n\npartial";
        FailingDevice device(input);
        QVERIFY(device.open(QIODevice::ReadOnly));
        const ReadResult got = readAll(&device);
        QVERIFY(got.readError);
        QCOMPARE(got.messages.size(), 2);
        QVERIFY(got.messages.at(0).diagnostics.isEmpty());
        QCOMPARE(got.messages.at(1).bytes, QByteArray("Subject: two\n\npartial"));
        QVERIFY2(hasDiagnostic(got.messages.at(1), u"Input/output error"_s), qPrintable(diagnosticsText(got.messages.at(1))));
    }

    void readErrorBetweenMessages()
    {
        FailingDevice device("From a@b Thu Apr 29 23:34:45 2021\nSubject: one\n\nb\n");
        QVERIFY(device.open(QIODevice::ReadOnly));
        const ReadResult got = readAll(&device);
        QVERIFY(got.readError);
        QCOMPARE(got.messages.size(), 1);
        QVERIFY(hasDiagnostic(got.messages.at(0), u"read error"_s));
        FailingDevice empty(QByteArray{});
        QVERIFY(empty.open(QIODevice::ReadOnly));
        const ReadResult none = readAll(&empty);
        QVERIFY(none.readError);
        QCOMPARE(none.messages.size(), 0);
        QCOMPARE(none.inputDiagnostics.size(), 1);
    }

    void truncatedGzip()
    {
        // A gzip mbox cut short: every complete message, then the partial one with the reason.
        QList<QByteArray> messages;
        for (int i = 0; i < 200; ++i)
            messages << "Subject: " + QByteArray::number(i) + "\n\n" + QByteArray(500, char('a' + i % 26)) + "\n";
        const QByteArray compressed = gzip(writeMboxrd(messages));
        QBuffer source;
        source.setData(compressed.left(compressed.size() / 2));
        QVERIFY(source.open(QIODevice::ReadOnly));
        GzipDevice gz(&source);
        QVERIFY(gz.open(QIODevice::ReadOnly));
        const ReadResult got = readAll(&gz);
        QVERIFY(got.readError);
        QVERIFY(got.messages.size() > 1);
        QVERIFY(got.messages.size() < messages.size());
        for (qsizetype i = 0; i + 1 < got.messages.size(); ++i)
            QCOMPARE(got.messages.at(i).bytes, messages.at(i));
        const RawMessage& last = got.messages.last();
        QVERIFY2(hasDiagnostic(last, u"truncated gzip"_s), qPrintable(diagnosticsText(last)));
    }

    void garbageInput_data()
    {
        QTest::addColumn<QByteArray>("input");
        QByteArray binary(256 * 1024, '\0');
        for (qsizetype i = 0; i < binary.size(); ++i)
            binary[i] = static_cast<char>((i * 7919) % 251);
        QTest::newRow("binary") << binary;
        QTest::newRow("from-lines-only") << QByteArray("From \n").repeated(10000);
        QTest::newRow("blank-lines-only") << QByteArray("\n").repeated(100000);
        QTest::newRow("cr-only") << QByteArray("\r").repeated(100000);
        QTest::newRow("huge-content-length")
            << QByteArray("From a Thu Apr 29 23:34:45 2021\nContent-Length: 999999999999999\n\nx\n");
        QTest::newRow("content-length-overflow")
            << QByteArray("From a Thu Apr 29 23:34:45 2021\nContent-Length: 99999999999999999999999\n\nx\n");
        QTest::newRow("separator-after-binary") << (binary + "\n\nFrom a Thu Apr 29 23:34:45 2021\nS: x\n");
    }

    void garbageInput()
    {
        // Hostile input: no crash, no hang, and bytes are accounted for.
        QFETCH(QByteArray, input);
        for (const auto mode : {MboxReader::Mode::Mbox, MboxReader::Mode::SingleMessage}) {
            const ReadResult got = readBytes(input, mode, 4096);
            qint64 total = 0;
            for (const RawMessage& m : got.messages) {
                QVERIFY(m.length >= 0);
                QVERIFY(m.offset + m.length <= input.size());
                QVERIFY(m.bytes.size() <= m.length);
                total += m.length;
            }
            QVERIFY(total <= input.size());
            if (mode == MboxReader::Mode::SingleMessage)
                QCOMPARE(got.messages.size(), 1);
        }
    }

    void looksLikeEnvelope_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<bool>("envelope");
        QTest::newRow("mailer-daemon") << QByteArray("From MAILER-DAEMON Thu Apr 29 23:34:45 2008") << true;
        QTest::newRow("two-spaces") << QByteArray("From MAILER-DAEMON  Fri Feb 13 02:45:46 2015") << true;
        QTest::newRow("address-padded-day") << QByteArray("From a@example.org Sat Dec  6 13:45:31 2014") << true;
        QTest::newRow("zone-before-year") << QByteArray("From a@b Thu Apr 29 23:34:45 JST 2008") << true;
        QTest::newRow("zone-after-year") << QByteArray("From a@b Thu Apr 29 23:34:45 2008 +0900") << true;
        QTest::newRow("crlf") << QByteArray("From a@b Thu Apr 29 23:34:45 2008\r\n") << true;
        QTest::newRow("no-seconds") << QByteArray("From a@b Thu Apr 29 23:34 2008") << true;
        QTest::newRow("prose") << QByteArray("From what I can see the mail bounced") << false;
        QTest::newRow("prose-with-day") << QByteArray("From Mon to Fri we are open 9 to 5") << false;
        QTest::newRow("no-year") << QByteArray("From a@b Thu Apr 29 23:34:45") << false;
        QTest::newRow("iso-date") << QByteArray("From () 2020-03-03 07:50:45 +0000") << false;
        QTest::newRow("header") << QByteArray("From: a@b Thu Apr 29 23:34:45 2008") << false;
        QTest::newRow("bad-month") << QByteArray("From a@b Thu Foo 29 23:34:45 2008") << false;
    }

    void looksLikeEnvelope()
    {
        QFETCH(QByteArray, line);
        QFETCH(bool, envelope);
        QCOMPARE(MboxReader::looksLikeEnvelope(line.constData(), line.size()), envelope);
    }

    void headerFieldLine_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<bool>("field");
        QTest::newRow("return-path") << QByteArray("Return-Path: <>") << true;
        QTest::newRow("obsolete-space") << QByteArray("Subject : old style") << true;
        QTest::newRow("odd-name") << QByteArray("eturn-path: <>") << true;
        QTest::newRow("envelope") << QByteArray("From MAILER-DAEMON Thu Apr 29 23:34:45 2008") << false;
        QTest::newRow("continuation") << QByteArray(" folded: text") << false;
        QTest::newRow("no-colon") << QByteArray("Hello world") << false;
        QTest::newRow("empty-name") << QByteArray(": value") << false;
        QTest::newRow("binary") << QByteArray("\x01\x02: x") << false;
    }

    void headerFieldLine()
    {
        QFETCH(QByteArray, line);
        QFETCH(bool, field);
        QCOMPARE(MboxReader::isHeaderFieldLine(line.constData(), line.size()), field);
    }

    void boundedMemory()
    {
        // 512 MiB of mbox streamed through the reader: the peak RSS may only grow by a few chunks
        // and one message (the design goal is a 2 GB mbox well under 300 MB).
        const qint64 before = peakRssKib();
        if (before < 0)
            QSKIP("no /proc/self/status on this system");
        const QByteArray message = "Subject: stream\n\n" + QByteArray(8 * 1024, 'm') + "\n";
        const qint64 count = 512LL * 1024 * 1024 / (message.size() + 46);
        GeneratedMbox device(count, message);
        QVERIFY(device.open(QIODevice::ReadOnly));
        MboxReader reader(&device, u"generated"_s);
        RawMessage msg;
        qint64 seen = 0;
        bool allEqual = true;
        while (reader.next(msg)) {
            ++seen;
            allEqual = allEqual && msg.bytes == message;
        }
        QCOMPARE(seen, count);
        QVERIFY(allEqual);
        const qint64 grown = peakRssKib() - before;
        QVERIFY2(grown < 64 * 1024, qPrintable(u"peak RSS grew by %1 KiB"_s.arg(grown)));
    }
};

QTEST_GUILESS_MAIN(TstMboxReader)
#include "tst_mbox_reader.moc"
