// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/log_repository.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <tuple>
#include <utility>

#include <sqlite3.h>

#include <QHash>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include "core/store/log_raw_blocks.h"
#include "core/store/project_store.h"
#include "core/store/sql_helpers.h"
#include "core/store/sqlite_statement.h"
#include "core/store/varint.h"

using namespace Qt::StringLiterals;

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
//            before, or a literal (varint length + UTF-8) that follows
// The raw lines are in log_raw (LogRawBlocks); events of one line (Exchange rows with several
// recipients) share one raw seq.
// Host and queue id are the chunk's columns. Recipients are stored lower case, as the
// correlator and the fates use them.

constexpr char kVersion = 2;

constexpr quint8 kFlagTruncated = 0x01;
constexpr quint8 kFlagTime = 0x02;
constexpr quint8 kFlagSize = 0x04;
constexpr quint8 kFlagRecipientCount = 0x08;
constexpr quint8 kDelayShift = 4; // 2 bits
constexpr quint8 kDelayNone = 0;
constexpr quint8 kDelayMillis = 1;
constexpr quint8 kDelayDouble = 2;

enum StringCode : quint8 { kEmpty = 0, kSame = 1, kLiteral = 2 };

constexpr int kStringFields = 17;
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

quint64 zigzag(qint64 v)
{
    return (quint64(v) << 1) ^ quint64(v >> 63);
}

qint64 unzigzag(quint64 v)
{
    return qint64(v >> 1) ^ -qint64(v & 1);
}

// UTF-8 with a length prefix. Log text is nearly always ASCII: copied byte by byte (and
// lower-cased on the way when asked) without building a QByteArray. The loops have no early
// exit, so the compiler vectorises them.
void putString(QByteArray& out, const QString& s, bool lower)
{
    const auto* p = reinterpret_cast<const char16_t*>(s.constData());
    const qsizetype n = s.size();
    char16_t bits = 0;
    for (qsizetype i = 0; i < n; ++i)
        bits |= p[i];
    if (bits >= 0x80) {
        const QByteArray utf8 = (lower ? s.toLower() : s).toUtf8();
        putVarint(out, quint64(utf8.size()));
        out.append(utf8);
        return;
    }
    putVarint(out, quint64(n));
    const qsizetype start = out.size();
    out.resize(start + n);
    char* dst = out.data() + start;
    if (lower) {
        for (qsizetype i = 0; i < n; ++i) {
            const char16_t c = p[i];
            dst[i] = char(c + (char16_t(c - u'A') < 26 ? 32 : 0));
        }
    } else {
        for (qsizetype i = 0; i < n; ++i)
            dst[i] = char(p[i]);
    }
}

// Whether a string equals the one before: the parsers hand out shared copies of repeated
// values (program names, hosts), which compare by pointer.
bool sameString(const QString& a, const QString& b)
{
    return a.size() == b.size() && (a.constData() == b.constData() || a == b);
}

QDateTime utcFromMSecs(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

// Decodes a chunk's events and appends them to out, and their raw seqs to rawSeqs when given.
bool decodeChunk(QByteArrayView data, qint64 chunkId, qint64 sourceId, const QString& host, const QString& queueId,
                 QList<StoredLogEvent>& out, QList<qint64>* rawSeqs)
{
    ByteReader in(data);
    if (in.byte() != quint8(kVersion))
        return false;
    qint64 line = 0, offset = 0, time = 0, rawSeq = 0;
    std::array<QString, kStringFields> prev;
    qint64 index = 0;
    while (!in.atEnd()) {
        if (index >= LogRepository::kEventsPerChunk)
            return false;
        StoredLogEvent s;
        s.row = chunkId * LogRepository::kEventsPerChunk + index++;
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
            return false;
        for (int f = 0; f < kStringFields; ++f) {
            const quint8 code = (quint8(codes[f / 4]) >> ((f % 4) * 2)) & 0x03;
            if (code == kLiteral) {
                const QByteArrayView text = in.bytes(in.varint());
                prev[f] = QString::fromUtf8(text);
            } else if (code == kEmpty) {
                prev[f] = QString();
            } else if (code != kSame) {
                return false;
            }
            e.*kStrings[f] = prev[f];
        }
        e.host = host;
        e.queueId = queueId;
        if (rawSeqs)
            rawSeqs->append(rawSeq);
        if (!in.ok())
            return false;
        out.append(std::move(s));
    }
    return true;
}

// The order of the old per-event table: time (unstamped first), then id.
void sortByTime(QList<StoredLogEvent>& events, qsizetype from)
{
    const auto before = [](const StoredLogEvent& a, const StoredLogEvent& b) {
        const bool at = a.event.time.isValid(), bt = b.event.time.isValid();
        if (at != bt)
            return !at;
        if (at) {
            const qint64 ta = a.event.time.toMSecsSinceEpoch(), tb = b.event.time.toMSecsSinceEpoch();
            if (ta != tb)
                return ta < tb;
        }
        return a.row < b.row;
    };
    // A chunk is in file order, which is nearly always time order already: checking is much
    // cheaper than moving the (large) events around.
    if (!std::is_sorted(events.cbegin() + from, events.cend(), before))
        std::stable_sort(events.begin() + from, events.end(), before);
}

const QString kStateColumns =
    u"source_id, head_sha256, imported_bytes, imported_lines, events, format, time_zone"_s;

LogSourceState readState(const QSqlQuery& q)
{
    LogSourceState s;
    s.sourceId = q.value(0).toLongLong();
    s.headSha256 = q.value(1).toString().toLatin1();
    s.importedBytes = q.value(2).toLongLong();
    s.importedLines = q.value(3).toLongLong();
    s.events = q.value(4).toLongLong();
    s.format = q.value(5).toString();
    s.timeZone = q.value(6).toString();
    return s;
}

// Gathered events of messages still open are bounded by this many bytes (and chunks); past
// it the messages idle longest are written. A busy smarthost has a few thousand messages in
// its queue at once, a few KB each: far below.
constexpr qint64 kMaxOpenBytes = 48LL * 1024 * 1024;
constexpr qsizetype kMaxOpenChunks = 100000;
constexpr qint64 kChunkOverhead = 512; // hash node, the previous strings, allocations

struct ChunkKey {
    qint64 sourceId = 0;
    QString host;
    QString queueId;
    bool operator==(const ChunkKey& o) const
    {
        return sourceId == o.sourceId && queueId == o.queueId && host == o.host;
    }
};

size_t qHash(const ChunkKey& k, size_t seed = 0)
{
    return qHashMulti(seed, k.sourceId, k.host, k.queueId);
}

struct OpenChunk {
    QByteArray data;
    int events = 0;
    qint64 firstTime = std::numeric_limits<qint64>::max();
    qint64 lastTime = std::numeric_limits<qint64>::min();
    qint64 firstLine = 0;
    qint64 lastLine = 0;
    QString messageId;
    qint64 touched = 0;
    // The event before, for the deltas and "same" codes.
    qint64 line = 0, offset = 0, time = 0, rawSeq = 0;
    std::array<QString, kStringFields> strings;

    [[nodiscard]] qint64 bytes() const { return data.capacity() + kChunkOverhead; }
};

void encodeEvent(OpenChunk& c, const logs::LogEvent& e, qint64 rawSeq)
{
    QByteArray& out = c.data;
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
    out.append(char(quint8(e.type) | quint8(quint8(e.outcome) << 4)));
    out.append(char(quint8(e.notification) | quint8((quint8(e.format) & 0x07) << 3) | (e.hasSender ? 0x40 : 0)
                    | (e.skipped ? 0x80 : 0)));
    out.append(char(flags));
    putVarint(out, zigzag(e.lineNumber - c.line));
    putVarint(out, zigzag(e.byteOffset - c.offset));
    putVarint(out, zigzag(rawSeq - c.rawSeq));
    c.line = e.lineNumber;
    c.offset = e.byteOffset;
    c.rawSeq = rawSeq;
    if (hasTime) {
        putVarint(out, zigzag(time - c.time));
        c.time = time;
        c.firstTime = std::min(c.firstTime, time);
        c.lastTime = std::max(c.lastTime, time);
    }
    putVarint(out, zigzag(e.utcOffsetSeconds));
    if (e.size >= 0)
        putVarint(out, quint64(e.size));
    if (e.recipientCount >= 0)
        putVarint(out, quint64(e.recipientCount));
    putVarint(out, quint64(std::max(0, e.smtpCode)));
    if (delayKind == kDelayMillis) {
        putVarint(out, delayMillis);
    } else if (delayKind == kDelayDouble) {
        char d[sizeof(double)];
        std::memcpy(d, &e.delaySeconds, sizeof(double));
        out.append(d, sizeof(double));
    }
    // The codes of every string first, then the literals.
    std::array<quint8, kStringCodeBytes> codes{};
    std::array<StringCode, kStringFields> fieldCodes;
    for (int f = 0; f < kStringFields; ++f) {
        const QString& s = e.*kStrings[f];
        const StringCode code = s.isEmpty() ? kEmpty : sameString(s, c.strings[f]) ? kSame : kLiteral;
        fieldCodes[f] = code;
        codes[f / 4] |= quint8(code << ((f % 4) * 2));
    }
    out.append(reinterpret_cast<const char*>(codes.data()), kStringCodeBytes);
    for (int f = 0; f < kStringFields; ++f) {
        if (fieldCodes[f] == kLiteral) {
            const QString& s = e.*kStrings[f];
            putString(out, s, isLowered(f));
            c.strings[f] = s;
        } else if (fieldCodes[f] == kEmpty && !c.strings[f].isNull()) {
            c.strings[f] = QString();
        }
    }

    if (c.events == 0)
        c.firstLine = e.lineNumber;
    c.lastLine = std::max(c.lastLine, e.lineNumber);
    if (c.messageId.isEmpty() && !e.messageId.isEmpty())
        c.messageId = e.messageId;
    ++c.events;
}

} // namespace

struct LogRepository::Impl {
    explicit Impl(const QString& connection)
        : db(QSqlDatabase::database(connection, false)), raw(sqliteHandle(db))
    {
    }

    Result<void> prepareWrites();
    Result<void> writeChunk(const ChunkKey& key, OpenChunk& chunk);
    Result<void> evictIdle();
    Result<void> writeNames();
    void noteName(qint64 sourceId, const char* kind, const QString& name);
    Result<qint64> rawSeqOf(qint64 sourceId, const logs::LogEvent& e);
    Result<void> fillRaw(QList<StoredLogEvent>& events, qsizetype from, const QList<qint64>& seqs);

    QSqlDatabase db;
    LogRawBlocks raw;
    SqliteStatement insertChunk;
    SqliteStatement insertName;
    SqliteStatement selectChunk; ///< events()
    QHash<ChunkKey, OpenChunk> open;
    qint64 openBytes = 0;
    qint64 serial = 0;
    // Names seen by this repository and not written yet / written already.
    QList<std::tuple<qint64, const char*, QString>> newNames;
    QSet<QString> knownNames;
    std::tuple<qint64, const char*, QString> lastNoted{0, nullptr, QString()};
    // The raw line stored last: the events of one line share it.
    qint64 lastRawSource = 0;
    qint64 lastRawLineNumber = -1;
    qint64 lastRawSeq = -1;
    QByteArray lastRaw;
};

Result<qint64> LogRepository::Impl::rawSeqOf(qint64 sourceId, const logs::LogEvent& e)
{
    if (lastRawSeq >= 0 && sourceId == lastRawSource && e.lineNumber == lastRawLineNumber && e.rawLine == lastRaw)
        return lastRawSeq;
    auto seq = raw.append(sourceId, e.rawLine);
    if (!seq)
        return seq;
    lastRawSource = sourceId;
    lastRawLineNumber = e.lineNumber;
    lastRawSeq = *seq;
    lastRaw = e.rawLine;
    return seq;
}

Result<void> LogRepository::Impl::fillRaw(QList<StoredLogEvent>& events, qsizetype from, const QList<qint64>& seqs)
{
    for (qsizetype i = from; i < events.size(); ++i) {
        StoredLogEvent& s = events[i];
        auto line = raw.line(s.sourceId, seqs.at(i - from));
        if (!line)
            return line.error();
        s.event.rawLine = std::move(*line);
    }
    return {};
}

Result<void> LogRepository::Impl::prepareWrites()
{
    if (insertChunk.isPrepared())
        return {};
    sqlite3* handle = sqliteHandle(db);
    // SQLite's default page cache (2 MB) is smaller than the log_chunks indexes of a large
    // log, whose queue-id order is random: every insert would read its index pages back from
    // the file. 32 MB keeps them for a few million lines; the setting lasts as long as the
    // connection (an import), and a failure only costs speed.
    sqlite3_exec(handle, "PRAGMA cache_size = -32768", nullptr, nullptr, nullptr);
    if (auto ok = insertChunk.prepare(handle,
                                      "INSERT INTO log_chunks (source_id, host, queue_id, first_time, last_time, "
                                      "first_line, last_line, events, message_id, data) "
                                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                      u"log_chunks"_s);
        !ok)
        return ok;
    return insertName.prepare(handle, "INSERT OR IGNORE INTO log_names (source_id, kind, name) VALUES (?, ?, ?)",
                              u"log_names"_s);
}

Result<void> LogRepository::Impl::writeChunk(const ChunkKey& key, OpenChunk& c)
{
    if (auto ok = prepareWrites(); !ok)
        return ok;
    const QByteArray host = key.host.toUtf8();
    const QByteArray queueId = key.queueId.toUtf8();
    const QByteArray messageId = c.messageId.toUtf8();
    SqliteStatement& q = insertChunk;
    q.bindInt(1, key.sourceId);
    q.bindText(2, host);
    q.bindText(3, queueId);
    if (c.firstTime <= c.lastTime) {
        q.bindInt(4, c.firstTime);
        q.bindInt(5, c.lastTime);
    } else {
        q.bindNull(4);
        q.bindNull(5);
    }
    q.bindInt(6, c.firstLine);
    q.bindInt(7, c.lastLine);
    q.bindInt(8, c.events);
    q.bindText(9, messageId);
    q.bindBlob(10, c.data);
    return q.exec();
}

Result<void> LogRepository::Impl::evictIdle()
{
    // Write the half of the open messages that saw no event for longest.
    QList<std::pair<qint64, ChunkKey>> byAge;
    byAge.reserve(open.size());
    for (auto it = open.cbegin(); it != open.cend(); ++it)
        byAge.append({it->touched, it.key()});
    const qsizetype half = std::max<qsizetype>(1, byAge.size() / 2);
    std::nth_element(byAge.begin(), byAge.begin() + (half - 1), byAge.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (qsizetype i = 0; i < half; ++i) {
        auto it = open.find(byAge.at(i).second);
        if (it == open.end())
            continue;
        openBytes -= it->bytes();
        const Result<void> ok = writeChunk(it.key(), *it);
        open.erase(it);
        if (!ok)
            return ok;
    }
    return {};
}

void LogRepository::Impl::noteName(qint64 sourceId, const char* kind, const QString& name)
{
    if (std::get<0>(lastNoted) == sourceId && std::get<1>(lastNoted) == kind && std::get<2>(lastNoted) == name)
        return; // most messages share their host and sender domain with the one before
    lastNoted = {sourceId, kind, name};
    const QString key = QString::number(sourceId) + u'\n' + QLatin1StringView(kind) + u'\n' + name;
    if (knownNames.contains(key))
        return;
    knownNames.insert(key);
    newNames.append({sourceId, kind, name});
}

Result<void> LogRepository::Impl::writeNames()
{
    if (newNames.isEmpty())
        return {};
    if (auto ok = prepareWrites(); !ok)
        return ok;
    for (const auto& [sourceId, kind, name] : std::as_const(newNames)) {
        const QByteArray utf8 = name.toUtf8();
        insertName.bindInt(1, sourceId);
        insertName.bindText(2, QByteArrayView(kind));
        insertName.bindText(3, utf8);
        if (auto ok = insertName.exec(); !ok)
            return ok;
    }
    newNames.clear();
    return {};
}

LogRepository::LogRepository(const ProjectStore& store) : m_d(std::make_unique<Impl>(store.connectionName())) {}

LogRepository::~LogRepository() = default;

Result<std::optional<LogSourceState>> LogRepository::findByHead(const QByteArray& headSha256) const
{
    QSqlQuery q(m_d->db);
    q.prepare(u"SELECT "_s + kStateColumns + u" FROM log_sources WHERE head_sha256 = ? ORDER BY source_id LIMIT 1"_s);
    q.addBindValue(QString::fromLatin1(headSha256));
    if (auto ok = execPrepared(q, u"log_sources"_s); !ok)
        return ok.error();
    if (!q.next())
        return std::optional<LogSourceState>();
    return std::optional<LogSourceState>(readState(q));
}

Result<std::optional<LogSourceState>> LogRepository::state(qint64 sourceId) const
{
    QSqlQuery q(m_d->db);
    q.prepare(u"SELECT "_s + kStateColumns + u" FROM log_sources WHERE source_id = ?"_s);
    q.addBindValue(sourceId);
    if (auto ok = execPrepared(q, u"log_sources"_s); !ok)
        return ok.error();
    if (!q.next())
        return std::optional<LogSourceState>();
    return std::optional<LogSourceState>(readState(q));
}

Result<void> LogRepository::saveState(const LogSourceState& s)
{
    QSqlQuery q(m_d->db);
    q.prepare(u"INSERT INTO log_sources (source_id, head_sha256, imported_bytes, imported_lines, events, format, "
              u"time_zone) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source_id) DO UPDATE SET "
              u"head_sha256 = excluded.head_sha256, imported_bytes = excluded.imported_bytes, "
              u"imported_lines = excluded.imported_lines, events = excluded.events, format = excluded.format, "
              u"time_zone = excluded.time_zone"_s);
    q.addBindValue(s.sourceId);
    q.addBindValue(QString::fromLatin1(s.headSha256));
    q.addBindValue(s.importedBytes);
    q.addBindValue(s.importedLines);
    q.addBindValue(s.events);
    q.addBindValue(textValue(s.format));
    q.addBindValue(textValue(s.timeZone));
    return execPrepared(q, u"log_sources"_s);
}

Result<void> LogRepository::add(qint64 sourceId, const logs::LogEvent& e)
{
    Impl& d = *m_d;
    ChunkKey key{sourceId, e.host, e.queueId};
    auto it = d.open.find(key);
    if (it == d.open.end()) {
        if (!e.host.isEmpty())
            d.noteName(sourceId, "host", e.host);
        it = d.open.insert(std::move(key), OpenChunk{});
    }
    auto rawSeq = d.rawSeqOf(sourceId, e);
    if (!rawSeq)
        return rawSeq.error();
    OpenChunk& c = *it;
    const qint64 before = c.bytes();
    encodeEvent(c, e, *rawSeq);
    d.openBytes += c.bytes() - before;
    c.touched = ++d.serial;
    // A message's chunk is complete when it leaves the queue; queue ids come back later as
    // new messages and start a new chunk. SMTP rejects (no queue id) are chunked by size.
    if (c.events >= kEventsPerChunk || (e.type == logs::LogEventType::Removed && !e.queueId.isEmpty())) {
        d.openBytes -= c.bytes();
        const Result<void> ok = d.writeChunk(it.key(), c);
        d.open.erase(it);
        if (!ok)
            return ok;
    }
    if (d.openBytes > kMaxOpenBytes || d.open.size() > kMaxOpenChunks)
        return d.evictIdle();
    return {};
}

Result<void> LogRepository::flush()
{
    Impl& d = *m_d;
    // In file order of their first line, so chunk ids (and so event ids) follow the file.
    QList<std::pair<qint64, ChunkKey>> order;
    order.reserve(d.open.size());
    for (auto it = d.open.cbegin(); it != d.open.cend(); ++it)
        order.append({it->firstLine, it.key()});
    std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [line, key] : std::as_const(order)) {
        auto it = d.open.find(key);
        const Result<void> ok = d.writeChunk(it.key(), *it);
        d.open.erase(it);
        if (!ok) {
            discard();
            return ok;
        }
    }
    d.openBytes = 0;
    if (auto ok = d.raw.flush(); !ok) {
        discard();
        return ok;
    }
    return d.writeNames();
}

void LogRepository::discard()
{
    m_d->raw.discard();
    m_d->lastRawSeq = -1;
    m_d->lastRaw = QByteArray();
    m_d->open.clear();
    m_d->openBytes = 0;
    m_d->newNames.clear();
    m_d->knownNames.clear();
    m_d->lastNoted = {};
}

Result<void> LogRepository::forEachByQueue(const std::function<bool(const StoredLogEvent&)>& callback) const
{
    return forEachQueueGroup([&callback](QList<StoredLogEvent>& group) {
        for (const StoredLogEvent& e : std::as_const(group)) {
            if (!callback(e))
                return false;
        }
        return true;
    });
}

Result<void> LogRepository::forEachQueueGroup(const std::function<bool(QList<StoredLogEvent>&)>& callback) const
{
    SqliteStatement q;
    if (auto ok = q.prepare(sqliteHandle(m_d->db),
                            "SELECT id, source_id, host, queue_id, data FROM log_chunks WHERE queue_id <> '' "
                            "ORDER BY host, queue_id, first_time, id",
                            u"log_chunks"_s);
        !ok)
        return ok;
    QList<StoredLogEvent> group;
    QByteArray groupHost, groupQueue;
    QString host, queueId;
    auto deliver = [&] {
        sortByTime(group, 0);
        if (!callback(group))
            return false;
        group.clear();
        return true;
    };
    bool stopped = false;
    auto read = q.forEachRow([&]() -> Result<bool> {
        const QByteArrayView h = q.columnBytes(2);
        const QByteArrayView qid = q.columnBytes(3);
        if (h != groupHost || qid != groupQueue) {
            if (!group.isEmpty() && !deliver()) {
                stopped = true;
                return false;
            }
            groupHost = h.toByteArray();
            groupQueue = qid.toByteArray();
            host = QString::fromUtf8(groupHost);
            queueId = QString::fromUtf8(groupQueue);
        }
        const qint64 id = q.columnInt(0);
        if (!decodeChunk(q.columnBytes(4), id, q.columnInt(1), host, queueId, group, nullptr))
            return makeError(ErrorCode::Database, u"damaged log chunk %1"_s.arg(id), u"log_chunks"_s);
        return true;
    });
    if (!read)
        return read;
    if (!stopped && !group.isEmpty())
        deliver();
    return {};
}

Result<QList<StoredLogEvent>> LogRepository::eventsOf(const QString& host, const QString& queueId,
                                                     bool withRaw) const
{
    SqliteStatement q;
    if (auto ok = q.prepare(sqliteHandle(m_d->db),
                            "SELECT id, source_id, data FROM log_chunks "
                            "WHERE host = ? AND queue_id = ? ORDER BY first_time, id",
                            u"log_chunks"_s);
        !ok)
        return ok.error();
    const QByteArray h = host.toUtf8(), qid = queueId.toUtf8();
    q.bindText(1, h);
    q.bindText(2, qid);
    QList<StoredLogEvent> out;
    QList<qint64> seqs;
    auto read = q.forEachRow([&]() -> Result<bool> {
        const qint64 id = q.columnInt(0);
        if (!decodeChunk(q.columnBytes(2), id, q.columnInt(1), host, queueId, out, withRaw ? &seqs : nullptr))
            return makeError(ErrorCode::Database, u"damaged log chunk %1"_s.arg(id), u"log_chunks"_s);
        return true;
    });
    if (!read)
        return read.error();
    if (withRaw) {
        if (auto ok = m_d->fillRaw(out, 0, seqs); !ok)
            return ok.error();
    }
    sortByTime(out, 0);
    return out;
}

Result<QList<StoredLogEvent>> LogRepository::events(const QList<qint64>& rows, bool withRaw) const
{
    // Prepared once: the fates' steps ask for a few events per fate, a million times.
    SqliteStatement& q = m_d->selectChunk;
    if (!q.isPrepared()) {
        if (auto ok = q.prepare(sqliteHandle(m_d->db),
                                "SELECT source_id, host, queue_id, data FROM log_chunks WHERE id = ?",
                                u"log_chunks"_s);
            !ok)
            return ok.error();
    }
    QList<StoredLogEvent> out;
    QList<StoredLogEvent> chunk;
    QList<qint64> seqs;
    qint64 chunkId = -1;
    for (qint64 row : rows) {
        if (row < 0)
            continue;
        const qint64 wanted = row / kEventsPerChunk;
        if (wanted != chunkId) {
            chunk.clear();
            seqs.clear();
            chunkId = wanted;
            q.bindInt(1, wanted);
            auto found = q.step();
            if (!found)
                return found.error();
            if (*found) {
                const QString host = q.columnText(1), queueId = q.columnText(2);
                if (!decodeChunk(q.columnBytes(3), wanted, q.columnInt(0), host, queueId, chunk, &seqs)) {
                    q.reset();
                    return makeError(ErrorCode::Database, u"damaged log chunk %1"_s.arg(wanted), u"log_chunks"_s);
                }
            }
            q.reset();
            if (withRaw) {
                if (auto ok = m_d->fillRaw(chunk, 0, seqs); !ok)
                    return ok.error();
            }
        }
        const qint64 index = row % kEventsPerChunk;
        if (index < chunk.size())
            out.append(chunk.at(index));
    }
    return out;
}

Result<qint64> LogRepository::count() const
{
    // log_sources.events is committed with the events (ImportJob saves the state in the same
    // transaction), so no scan of the chunks is needed.
    QSqlQuery q(m_d->db);
    if (!q.exec(u"SELECT coalesce(sum(events), 0) FROM log_sources"_s) || !q.next())
        return sqlError(q.lastError(), u"log_sources"_s);
    return q.value(0).toLongLong();
}

Result<QStringList> LogRepository::hosts() const
{
    QSqlQuery q(m_d->db);
    if (!q.exec(u"SELECT DISTINCT name FROM log_names WHERE kind = 'host' ORDER BY name"_s))
        return sqlError(q.lastError(), u"log_names"_s);
    QStringList out;
    while (q.next())
        out << q.value(0).toString();
    return out;
}

} // namespace bi::core::store
