// SPDX-License-Identifier: GPL-3.0-or-later
#include <QTest>

#include "core/store/log_chunk_builder.h"
#include "core/store/varint.h"

using namespace Qt::StringLiterals;
using bi::core::logs::LogEvent;
using bi::core::logs::LogEventType;
using bi::core::store::ByteReader;
using bi::core::store::decodeChunk;
using bi::core::store::EncodedLogChunk;
using bi::core::store::kEventsPerChunk;
using bi::core::store::LogChunkBuilder;
using bi::core::store::LogWrites;
using bi::core::store::RawLineBlock;
using bi::core::store::StoredLogEvent;

namespace {

LogEvent logEvent(qint64 line, const QString& qid, LogEventType type = LogEventType::DeliveryAttempt,
               const QString& host = u"mx1"_s)
{
    LogEvent e;
    e.type = type;
    e.host = host;
    e.queueId = qid;
    e.program = u"postfix/smtp"_s;
    e.recipient = u"User%1@Example.org"_s.arg(line);
    e.relay = u"mx.example.org[192.0.2.1]:25"_s;
    e.replyText = u"250 ok %1"_s.arg(line * 7919);
    e.time = QDateTime::fromMSecsSinceEpoch(1700000000000 + line * 1000, Qt::UTC);
    e.lineNumber = line;
    e.byteOffset = line * 100;
    e.delaySeconds = 0.25;
    e.rawLine = "line " + QByteArray::number(line) + ' ' + qid.toUtf8();
    return e;
}

// The raw lines of blocks, by seq.
QMap<qint64, QByteArray> rawLines(const QList<RawLineBlock>& blocks)
{
    QMap<qint64, QByteArray> out;
    for (const RawLineBlock& b : blocks) {
        ByteReader in{QByteArrayView(b.data)};
        for (qint64 i = 0; i < b.lines; ++i)
            out.insert(b.firstSeq + i, in.bytes(in.varint()).toByteArray());
        if (!in.ok() || !in.atEnd())
            out.insert(-1, QByteArray("damaged"));
    }
    return out;
}

QList<StoredLogEvent> decoded(const EncodedLogChunk& c, QList<qint64>* seqs = nullptr)
{
    QList<StoredLogEvent> out;
    if (!decodeChunk(c.encoded.data, 7, c.sourceId, c.host, c.queueId, out, seqs))
        out.clear();
    return out;
}

} // namespace

class TstLogChunkBuilder : public QObject {
    Q_OBJECT

private slots:
    void messageIsCompleteWhenRemoved()
    {
        LogChunkBuilder builder(3, 100);
        LogWrites out;
        builder.add(logEvent(1, u"A"_s, LogEventType::Queued), out);
        builder.add(logEvent(2, u"B"_s, LogEventType::Queued), out);
        builder.add(logEvent(3, u"A"_s), out);
        QVERIFY(out.chunks.isEmpty());
        builder.add(logEvent(4, u"A"_s, LogEventType::Removed), out);
        QCOMPARE(out.chunks.size(), 1);
        const EncodedLogChunk& a = out.chunks.constFirst();
        QCOMPARE(a.sourceId, 3);
        QCOMPARE(a.queueId, u"A"_s);
        QCOMPARE(a.encoded.events, 3);
        QCOMPARE(a.encoded.firstLine, 1);
        QCOMPARE(a.encoded.lastLine, 4);
        QCOMPARE(out.events, 4); // B's event is counted though its chunk is still open
        QCOMPARE(out.newHosts.size(), 1);
        QCOMPARE(out.newHosts.constFirst(), (std::pair<qint64, QString>(3, u"mx1"_s)));

        // Decoded: the same events, recipients lower-cased, the delay and times kept.
        QList<qint64> seqs;
        const QList<StoredLogEvent> events = decoded(a, &seqs);
        QCOMPARE(events.size(), 3);
        QCOMPARE(events.at(1).row, 7 * kEventsPerChunk + 1);
        QCOMPARE(events.at(1).event.recipient, u"user3@example.org"_s);
        QCOMPARE(events.at(1).event.replyText, u"250 ok %1"_s.arg(3 * 7919));
        QCOMPARE(events.at(1).event.relay, u"mx.example.org[192.0.2.1]:25"_s);
        QCOMPARE(events.at(1).event.delaySeconds, 0.25);
        QCOMPARE(events.at(2).event.time, logEvent(4, u"A"_s).time);
        QCOMPARE(events.at(2).event.type, LogEventType::Removed);
        QCOMPARE(seqs, (QList<qint64>{100, 102, 103}));

        // flush() hands out the rest, and the raw lines, numbered from the first seq.
        builder.flush(out);
        QCOMPARE(out.chunks.size(), 2);
        QCOMPARE(out.chunks.at(1).queueId, u"B"_s);
        const auto raw = rawLines(out.rawBlocks);
        QCOMPARE(raw.size(), 4);
        QCOMPARE(raw.value(100), QByteArray("line 1 A"));
        QCOMPARE(raw.value(101), QByteArray("line 2 B"));
        QCOMPARE(raw.value(103), QByteArray("line 4 A"));
    }

    void eventsOfOneLineShareTheirRawLine()
    {
        LogChunkBuilder builder(1, 0);
        LogWrites out;
        LogEvent first = logEvent(5, u"X"_s);
        LogEvent second = logEvent(5, u"X"_s);
        second.recipient = u"other@example.org"_s;
        builder.add(first, out);
        builder.add(second, out);
        builder.add(logEvent(6, u"X"_s), out);
        builder.flush(out);
        QList<qint64> seqs;
        QCOMPARE(decoded(out.chunks.constFirst(), &seqs).size(), 3);
        QCOMPARE(seqs, (QList<qint64>{0, 0, 1}));
        QCOMPARE(rawLines(out.rawBlocks).size(), 2);

        // Also when the line's first event closed a raw block.
        LogChunkBuilder big(1, 0);
        LogWrites bigOut;
        qint64 line = 0;
        while (bigOut.rawBlocks.isEmpty()) {
            ++line;
            LogEvent e = logEvent(line, u"B"_s);
            e.rawLine = QByteArray(3000, 'y') + QByteArray::number(line);
            big.add(e, bigOut);
        }
        LogEvent again = logEvent(line, u"B"_s);
        again.rawLine = QByteArray(3000, 'y') + QByteArray::number(line);
        again.recipient = u"second@example.org"_s;
        big.add(again, bigOut);
        big.add(logEvent(line + 1, u"B"_s), bigOut);
        big.flush(bigOut);
        QList<qint64> bigSeqs;
        QCOMPARE(decoded(bigOut.chunks.constFirst(), &bigSeqs).size(), line + 2);
        QCOMPARE(bigSeqs.at(line - 1), line - 1);
        QCOMPARE(bigSeqs.at(line), line - 1);
        QCOMPARE(bigSeqs.at(line + 1), line);
        QCOMPARE(rawLines(bigOut.rawBlocks).size(), line + 1);
    }

    void flushHandsOutInFileOrder()
    {
        LogChunkBuilder builder(1, 0);
        LogWrites out;
        for (qint64 line = 1; line <= 30; ++line)
            builder.add(logEvent(line, u"Q%1"_s.arg(30 - line)), out);
        builder.flush(out);
        QCOMPARE(out.chunks.size(), 30);
        for (qsizetype i = 0; i < out.chunks.size(); ++i)
            QCOMPARE(out.chunks.at(i).encoded.firstLine, i + 1);
        // A flush closes the raw block too; the next line starts the next one.
        builder.add(logEvent(31, u"Z"_s), out);
        builder.flush(out);
        QCOMPARE(out.rawBlocks.size(), 2);
        QCOMPARE(out.rawBlocks.at(1).firstSeq, 30);
        QCOMPARE(out.rawBlocks.at(1).lines, 1);
    }

    void longMessagesAndLargeLogsAreCut()
    {
        // A message past kEventsPerChunk events goes on in a second chunk.
        LogChunkBuilder builder(1, 0);
        LogWrites out;
        for (qint64 line = 1; line <= kEventsPerChunk + 10; ++line)
            builder.add(logEvent(line, u"LONG"_s), out);
        QCOMPARE(out.chunks.size(), 1);
        QCOMPARE(out.chunks.constFirst().encoded.events, int(kEventsPerChunk));
        // Raw lines are cut into blocks of about kRawBlockBytes.
        LogChunkBuilder big(2, 0);
        LogWrites bigOut;
        qint64 line = 0;
        while (bigOut.rawBlocks.size() < 2) {
            ++line;
            LogEvent e = logEvent(line, u"R%1"_s.arg(line), LogEventType::Removed);
            e.rawLine = QByteArray(1000, 'x') + QByteArray::number(line);
            big.add(e, bigOut);
        }
        QVERIFY(bigOut.rawBlocks.at(0).data.size() >= LogChunkBuilder::kRawBlockBytes);
        QVERIFY(bigOut.rawBlocks.at(0).data.size() < LogChunkBuilder::kRawBlockBytes + 1100);
        QCOMPARE(bigOut.rawBlocks.at(1).firstSeq, bigOut.rawBlocks.at(0).lines);
        QCOMPARE(rawLines(bigOut.rawBlocks).value(0), QByteArray(1000, 'x') + "1");
    }

    void idleMessagesGoFirstPastTheBound()
    {
        // Past 100,000 open messages the half idle longest is handed out, oldest first.
        LogChunkBuilder builder(1, 0);
        LogWrites out;
        qint64 line = 0;
        while (out.chunks.isEmpty()) {
            ++line;
            builder.add(logEvent(line, u"M%1"_s.arg(line)), out);
        }
        QCOMPARE(line, 100001);
        QCOMPARE(out.chunks.size(), 50000);
        QCOMPARE(out.chunks.constFirst().queueId, u"M1"_s);
        QCOMPARE(out.chunks.constLast().queueId, u"M50000"_s);
        // A later event of an evicted message starts a new chunk.
        builder.add(logEvent(++line, u"M1"_s, LogEventType::Removed), out);
        QCOMPARE(out.chunks.size(), 50001);
        QCOMPARE(out.chunks.constLast().encoded.events, 1);
    }

    void repeatedRepliesReferToEarlierOnes()
    {
        // A recipient retried for days: three replies and two relays take turns. Each is
        // written once; later events refer to it, and decode to the same text.
        const QStringList replies{u"host mx.example.org[192.0.2.1] said: 451 4.7.1 Greylisted (in reply to RCPT TO command)"_s,
                                  u"connect to mx.example.org[192.0.2.1]:25: Connection timed out"_s,
                                  u"host mx.example.org[192.0.2.1] said: 421 4.2.0 Try later (in reply to MAIL FROM command)"_s};
        const QStringList relays{u"mx.example.org[192.0.2.1]:25"_s, u"none"_s};
        LogChunkBuilder builder(1, 0);
        LogWrites out;
        QList<LogEvent> sent;
        for (qint64 line = 1; line <= 60; ++line) {
            LogEvent e = logEvent(line, u"A"_s, line == 1 ? LogEventType::Queued : LogEventType::DeliveryAttempt);
            e.replyText = line == 1 ? QString() : replies.at((line * 7) % 3);
            e.relay = line == 1 ? QString() : relays.at((line * 5 / 3) % 2);
            if (line == 30)
                e.replyText = u"a reply of its own, between the others"_s;
            sent << e;
            builder.add(e, out);
        }
        LogEvent removed = logEvent(61, u"A"_s, LogEventType::Removed);
        removed.replyText.clear();
        removed.relay.clear();
        sent << removed;
        builder.add(removed, out);
        QCOMPARE(out.chunks.size(), 1);
        const EncodedLogChunk& chunk = out.chunks.constFirst();
        for (const QString& text : replies)
            QCOMPARE(chunk.encoded.data.count(text.toUtf8()), 1);
        const QList<StoredLogEvent> events = decoded(chunk);
        QCOMPARE(events.size(), sent.size());
        for (qsizetype i = 0; i < sent.size(); ++i) {
            QCOMPARE(events.at(i).event.replyText, sent.at(i).replyText);
            QCOMPARE(events.at(i).event.relay, sent.at(i).relay);
            QCOMPARE(events.at(i).event.recipient, sent.at(i).recipient.toLower());
        }
    }

    void damagedChunkIsRefused()
    {
        LogChunkBuilder builder(1, 0);
        LogWrites out;
        builder.add(logEvent(1, u"A"_s, LogEventType::Removed), out);
        EncodedLogChunk chunk = out.chunks.constFirst();
        QCOMPARE(decoded(chunk).size(), 1);
        chunk.encoded.data.chop(3);
        QList<StoredLogEvent> events;
        QVERIFY(!decodeChunk(chunk.encoded.data, 1, 1, chunk.host, chunk.queueId, events, nullptr));
        QVERIFY(events.isEmpty()); // the damaged event is not handed out half-read
        chunk.encoded.data[0] = 99; // unknown version
        QVERIFY(!decodeChunk(chunk.encoded.data, 1, 1, chunk.host, chunk.queueId, events, nullptr));
    }
};

QTEST_GUILESS_MAIN(TstLogChunkBuilder)
#include "tst_log_chunk_builder.moc"
