// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/log_chunk_codec.h"

#include <algorithm>
#include <cstring>

#include <QDateTime>

#include "core/store/varint.h"

namespace bi::core::store {

namespace {

// --- The chunk encoding -------------------------------------------------------------------
//
// data (log_chunks.data): a version byte, then per event
//   byte 0   type | outcome << 4
//   byte 1   notification | format << 3 | hasSender << 6 | skipped << 7
//   byte 2   flags (kFlag*)
//   varints  line number, byte offset and raw seq (LogRawBlocks: the ordinal of the event's
//            raw line in its source) as zig-zag deltas from the event before, the time
//            (when kFlagTime) as a zig-zag delta in ms, the UTC offset (zig-zag), size and
//            recipient count (when flagged), the SMTP code, the delay (kDelayMillis: ms as a
//            varint, which gives back the same double for every value with at most three
//            decimals, i.e. every value a log writes; kDelayDouble: the 8 bytes)
//   5 bytes  a 2-bit code per string field (kStringFields order): empty, same as the event
//            before, a literal (varint length + UTF-8) that follows, or (version 3; program,
//            recipient, relay, dsn and reply text only) one of the field's last four literals
//            in the chunk: its slot (literal count % 4 when it was written) as a varint that
//            follows
// The raw lines are in log_raw (LogRawBlocks); events of one line (Exchange rows with several
// recipients) share one raw seq.
// Host and queue id are the chunk's columns. Recipients are stored lower case, as the
// correlator and the fates use them.

constexpr char kVersion = 3;
constexpr char kVersionWithoutEarlier = 2; // still read

constexpr quint8 kFlagTruncated = 0x01;
constexpr quint8 kFlagTime = 0x02;
constexpr quint8 kFlagSize = 0x04;
constexpr quint8 kFlagRecipientCount = 0x08;
constexpr quint8 kDelayShift = 4; // 2 bits
constexpr quint8 kDelayNone = 0;
constexpr quint8 kDelayMillis = 1;
constexpr quint8 kDelayDouble = 2;

enum StringCode : quint8 { kEmpty = 0, kSame = 1, kLiteral = 2, kEarlier = 3 };

constexpr int kStringFields = kChunkStringFields;
constexpr int kStringCodeBytes = (kStringFields * 2 + 7) / 8;

// The string members of LogEvent other than host and queue id, in encoding order. Never
// reorder: stored chunks depend on it (append new ones and bump kVersion).
constexpr QString logs::LogEvent::*kStrings[kStringFields] = {
    &logs::LogEvent::program,       &logs::LogEvent::sender,        &logs::LogEvent::recipient,
    &logs::LogEvent::originalRecipient, &logs::LogEvent::messageId, &logs::LogEvent::referenceMessageId,
    &logs::LogEvent::client,        &logs::LogEvent::relay,         &logs::LogEvent::dsn,
    &logs::LogEvent::replyText,     &logs::LogEvent::nextQueueId,   &logs::LogEvent::newQueueId,
    &logs::LogEvent::parentQueueId, &logs::LogEvent::deliveryId,    &logs::LogEvent::jobId,
    &logs::LogEvent::envelopeId,    &logs::LogEvent::category,
};
// Recipient and original recipient (fields 2 and 3) are lower-cased.
constexpr bool isLowered(int field) { return field == 2 || field == 3; }
// The fields that may refer to an earlier literal (program, recipient, relay, dsn and reply
// text, fields 0, 2, 7, 8 and 9: the events of a message take turns between programs, and
// those of a message retried for days between its recipients and their replies): their index
// among ChunkEncoder's earlier-literal fields, else -1.
constexpr int earlierIndex(int field)
{
    switch (field) {
    case 0:
        return 0;
    case 2:
        return 1;
    case 7:
        return 2;
    case 8:
        return 3;
    case 9:
        return 4;
    default:
        return -1;
    }
}
static_assert(ChunkEncoder::kEarlierFields == 5);

quint64 zigzag(qint64 v)
{
    return (quint64(v) << 1) ^ quint64(v >> 63);
}

qint64 unzigzag(quint64 v)
{
    return qint64(v >> 1) ^ -qint64(v & 1);
}

// The most bytes putString() writes for s: UTF-8 has at most three bytes per UTF-16 unit.
qsizetype stringBound(const QString& s)
{
    return 10 + 3 * s.size();
}

// UTF-8 with a length prefix at p (room for stringBound(s) bytes); returns the end of what it
// wrote, and the text's offset through at. Log text is nearly always ASCII: copied byte by
// byte (and lower-cased on the way when asked) without building a QByteArray. The loops have
// no early exit, so the compiler vectorises them.
char* putString(char* p, const QString& s, bool lower, const char** at)
{
    const auto* u = reinterpret_cast<const char16_t*>(s.constData());
    const qsizetype n = s.size();
    char16_t bits = 0;
    for (qsizetype i = 0; i < n; ++i)
        bits |= u[i];
    if (bits >= 0x80) {
        const QByteArray utf8 = (lower ? s.toLower() : s).toUtf8();
        p = putVarint(p, quint64(utf8.size()));
        *at = p;
        std::memcpy(p, utf8.constData(), size_t(utf8.size()));
        return p + utf8.size();
    }
    p = putVarint(p, quint64(n));
    *at = p;
    if (lower) {
        for (qsizetype i = 0; i < n; ++i) {
            const char16_t c = u[i];
            p[i] = char(c + (char16_t(c - u'A') < 26 ? 32 : 0));
        }
    } else {
        for (qsizetype i = 0; i < n; ++i)
            p[i] = char(u[i]);
    }
    return p + n;
}

// Whether s (lower-cased when asked) is the UTF-8 text of n bytes at stored: what putString
// wrote for it. UTF-8 never has fewer bytes than UTF-16 has units, and has as many only for
// ASCII: an ASCII s of another length differs without converting it (most misses are so).
bool equalsStored(const QString& s, const char* stored, qsizetype n, bool lower)
{
    const auto* p = reinterpret_cast<const char16_t*>(s.constData());
    const qsizetype size = s.size();
    if (n < size)
        return false;
    char16_t bits = 0;
    for (qsizetype i = 0; i < size; ++i)
        bits |= p[i];
    if (bits < 0x80) {
        if (n != size)
            return false;
        // The differences or-ed together, in two loops without a condition inside: the
        // compiler vectorises them (a running "equal &= a == b" it did one unit at a time, and
        // that loop was the reading thread's busiest function).
        const auto* b = reinterpret_cast<const quint8*>(stored);
        char16_t diff = 0;
        if (lower) {
            for (qsizetype i = 0; i < n; ++i) {
                const char16_t c = p[i];
                diff |= char16_t(c + (char16_t(c - u'A') < 26 ? 32 : 0)) ^ char16_t(b[i]);
            }
        } else {
            for (qsizetype i = 0; i < n; ++i)
                diff |= p[i] ^ char16_t(b[i]);
        }
        return diff == 0;
    }
    const QByteArray utf8 = (lower ? s.toLower() : s).toUtf8();
    return utf8.size() == n && std::memcmp(utf8.constData(), stored, size_t(n)) == 0;
}

QDateTime utcFromMSecs(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

} // namespace

bool decodeChunk(QByteArrayView data, qint64 chunkId, qint64 sourceId, const QString& host, const QString& queueId,
                 QList<StoredLogEvent>& out, QList<qint64>* rawSeqs)
{
    ByteReader in(data);
    const quint8 version = in.byte();
    if (version != quint8(kVersion) && version != quint8(kVersionWithoutEarlier))
        return false;
    qint64 line = 0, offset = 0, time = 0, rawSeq = 0;
    std::array<QString, kStringFields> prev;
    std::array<std::array<QString, ChunkEncoder::kEarlierSlots>, ChunkEncoder::kEarlierFields> earlier;
    std::array<quint32, ChunkEncoder::kEarlierFields> literals{};
    qint64 index = 0;
    while (!in.atEnd()) {
        if (index >= kEventsPerChunk)
            return false;
        // Built in place: a default event moved into the list and destroyed cost as much as
        // reading its bytes. Taken out again when the event turns out damaged.
        StoredLogEvent& s = out.emplaceBack();
        const auto damaged = [&out] {
            out.removeLast();
            return false;
        };
        s.row = chunkId * kEventsPerChunk + index++;
        s.sourceId = sourceId;
        logs::LogEvent& e = s.event;
        const quint8 b0 = in.byte(), b1 = in.byte(), flags = in.byte();
        e.type = static_cast<logs::LogEventType>(b0 & 0x0f);
        e.outcome = static_cast<logs::DeliveryOutcome>(b0 >> 4);
        e.notification = static_cast<logs::NotificationKind>(b1 & 0x07);
        e.format = static_cast<logs::LogFormat>((b1 >> 3) & 0x07);
        e.hasSender = b1 & 0x40;
        e.skipped = b1 & 0x80;
        e.truncated = flags & kFlagTruncated;
        line += unzigzag(in.varint());
        offset += unzigzag(in.varint());
        rawSeq += unzigzag(in.varint());
        e.lineNumber = line;
        e.byteOffset = offset;
        if (flags & kFlagTime) {
            time += unzigzag(in.varint());
            e.time = utcFromMSecs(time);
        }
        e.utcOffsetSeconds = int(unzigzag(in.varint()));
        if (flags & kFlagSize)
            e.size = qint64(in.varint());
        if (flags & kFlagRecipientCount)
            e.recipientCount = int(in.varint());
        e.smtpCode = int(in.varint());
        switch ((flags >> kDelayShift) & 0x03) {
        case kDelayMillis:
            e.delaySeconds = double(in.varint()) / 1000.0;
            break;
        case kDelayDouble: {
            const QByteArrayView d = in.bytes(sizeof(double));
            if (d.size() == sizeof(double))
                std::memcpy(&e.delaySeconds, d.data(), sizeof(double));
            break;
        }
        default:
            break;
        }
        const QByteArrayView codes = in.bytes(kStringCodeBytes);
        if (!in.ok())
            return damaged();
        for (int f = 0; f < kStringFields; ++f) {
            const quint8 code = (quint8(codes[f / 4]) >> ((f % 4) * 2)) & 0x03;
            const int ef = earlierIndex(f);
            if (code == kLiteral) {
                const QByteArrayView text = in.bytes(in.varint());
                prev[f] = QString::fromUtf8(text);
                if (ef >= 0)
                    earlier[ef][literals[ef]++ % ChunkEncoder::kEarlierSlots] = prev[f];
            } else if (code == kEarlier) {
                const quint64 slot = in.varint();
                if (ef < 0 || slot >= quint64(std::min<quint32>(literals[ef], ChunkEncoder::kEarlierSlots)))
                    return damaged();
                prev[f] = earlier[ef][slot];
            } else if (code == kEmpty) {
                prev[f] = QString();
            } else if (code != kSame) {
                return damaged();
            }
            if (!prev[f].isNull()) // the event's strings start null: most stay so
                e.*kStrings[f] = prev[f];
        }
        e.host = host;
        e.queueId = queueId;
        if (rawSeqs)
            rawSeqs->append(rawSeq);
        if (!in.ok())
            return damaged();
    }
    return true;
}


void ChunkEncoder::add(const logs::LogEvent& e, qint64 rawSeq)
{
    QByteArray& out = data;
    if (out.isEmpty()) {
        out.reserve(256);
        out.append(kVersion);
    }
    quint8 flags = 0;
    if (e.truncated)
        flags |= kFlagTruncated;
    const bool hasTime = e.time.isValid();
    const qint64 time = hasTime ? e.time.toMSecsSinceEpoch() : 0;
    if (hasTime)
        flags |= kFlagTime;
    if (e.size >= 0)
        flags |= kFlagSize;
    if (e.recipientCount >= 0)
        flags |= kFlagRecipientCount;
    quint8 delayKind = kDelayNone;
    quint64 delayMillis = 0;
    if (e.delaySeconds >= 0) {
        const double ms = e.delaySeconds * 1000.0;
        delayKind = kDelayDouble;
        if (ms < 9.0e15) {
            delayMillis = quint64(ms + 0.5);
            if (double(delayMillis) / 1000.0 == e.delaySeconds)
                delayKind = kDelayMillis;
        }
    }
    flags |= quint8(delayKind << kDelayShift);

    // The code of every string first. "Same" compares with the field's last literal in this
    // chunk's bytes rather than with a copy of the last string: the encoder of a message that
    // waited while thousands of others were logged is out of the cache, and a small one costs
    // fewer misses (and no reference counting).
    std::array<quint8, kStringCodeBytes> codes{};
    std::array<StringCode, kStringFields> fieldCodes;
    // Three type and flag bytes, nine varints, a double and the codes, then the literals.
    qsizetype bound = 3 + 9 * 10 + qsizetype(sizeof(double)) + kStringCodeBytes;
    std::array<int, kEarlierFields> earlierSlot{};
    for (int f = 0; f < kStringFields; ++f) {
        const QString& s = e.*kStrings[f];
        const Literal& last = m_last[f];
        StringCode code = s.isEmpty() ? kEmpty
            : last.bytes > 0 && equalsStored(s, out.constData() + last.offset, last.bytes, isLowered(f)) ? kSame
                                                                                                       : kLiteral;
        if (const int ef = earlierIndex(f); code == kLiteral && ef >= 0) {
            const int filled = int(std::min<quint32>(m_literals[ef], kEarlierSlots));
            for (int slot = 0; slot < filled; ++slot) {
                const Literal& l = m_earlier[ef][slot];
                if (equalsStored(s, out.constData() + l.offset, l.bytes, isLowered(f))) {
                    code = kEarlier;
                    earlierSlot[ef] = slot;
                    break;
                }
            }
        }
        fieldCodes[f] = code;
        codes[f / 4] |= quint8(code << ((f % 4) * 2));
        if (code == kLiteral)
            bound += stringBound(s);
        else if (code == kEarlier)
            bound += 1;
    }

    // Written in place: a dozen appends per event, each checking capacity, were a tenth of
    // the reading thread's time.
    const qsizetype start = out.size();
    out.resize(start + bound);
    char* const base = out.data();
    char* p = base + start;
    *p++ = char(quint8(e.type) | quint8(quint8(e.outcome) << 4));
    *p++ = char(quint8(e.notification) | quint8((quint8(e.format) & 0x07) << 3) | (e.hasSender ? 0x40 : 0)
                | (e.skipped ? 0x80 : 0));
    *p++ = char(flags);
    p = putVarint(p, zigzag(e.lineNumber - m_line));
    p = putVarint(p, zigzag(e.byteOffset - m_offset));
    p = putVarint(p, zigzag(rawSeq - m_rawSeq));
    m_line = e.lineNumber;
    m_offset = e.byteOffset;
    m_rawSeq = rawSeq;
    if (hasTime) {
        p = putVarint(p, zigzag(time - m_time));
        m_time = time;
        firstTime = std::min(firstTime, time);
        lastTime = std::max(lastTime, time);
    }
    p = putVarint(p, zigzag(e.utcOffsetSeconds));
    if (e.size >= 0)
        p = putVarint(p, quint64(e.size));
    if (e.recipientCount >= 0)
        p = putVarint(p, quint64(e.recipientCount));
    p = putVarint(p, quint64(std::max(0, e.smtpCode)));
    if (delayKind == kDelayMillis) {
        p = putVarint(p, delayMillis);
    } else if (delayKind == kDelayDouble) {
        std::memcpy(p, &e.delaySeconds, sizeof(double));
        p += sizeof(double);
    }
    std::memcpy(p, codes.data(), kStringCodeBytes);
    p += kStringCodeBytes;
    for (int f = 0; f < kStringFields; ++f) {
        const int ef = earlierIndex(f);
        if (fieldCodes[f] == kLiteral) {
            const char* at = nullptr;
            p = putString(p, e.*kStrings[f], isLowered(f), &at);
            m_last[f] = {quint32(at - base), quint32(p - at)};
            if (ef >= 0)
                m_earlier[ef][m_literals[ef]++ % kEarlierSlots] = m_last[f];
        } else if (fieldCodes[f] == kEarlier) {
            *p++ = char(earlierSlot[ef]); // a varint of one byte: slots are fewer than 128
            m_last[f] = m_earlier[ef][earlierSlot[ef]];
        } else if (fieldCodes[f] == kEmpty) {
            m_last[f] = {};
        }
    }
    Q_ASSERT(p - base <= start + bound);
    out.resize(p - base);

    if (events == 0)
        firstLine = e.lineNumber;
    lastLine = std::max(lastLine, e.lineNumber);
    if (messageId.isEmpty() && !e.messageId.isEmpty())
        messageId = e.messageId;
    ++events;
}


} // namespace bi::core::store
