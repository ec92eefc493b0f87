// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/log_repository.h"

#include <algorithm>
#include <limits>
#include <map>

#include <sqlite3.h>

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include "core/store/log_raw_blocks.h"
#include "core/store/project_store.h"
#include "core/store/sql_helpers.h"
#include "core/store/sqlite_statement.h"

using namespace Qt::StringLiterals;

namespace bi::core::store {

namespace {

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

} // namespace

struct LogRepository::Impl {
    explicit Impl(const QString& connection)
        : db(QSqlDatabase::database(connection, false)), raw(sqliteHandle(db))
    {
    }

    Result<void> prepareWrites();
    Result<void> writeChunk(const EncodedLogChunk& chunk);
    Result<void> fillRaw(QList<StoredLogEvent>& events, qsizetype from, const QList<qint64>& seqs);

    QSqlDatabase db;
    LogRawBlocks raw;
    SqliteStatement insertChunk;
    SqliteStatement insertName;
    SqliteStatement selectChunk; ///< events()
    // add()'s builders, one per source; their output waits here until written.
    std::map<qint64, LogChunkBuilder> builders;
    LogWrites pending;
};

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

Result<void> LogRepository::Impl::writeChunk(const EncodedLogChunk& chunk)
{
    const ChunkEncoder& c = chunk.encoded;
    const QByteArray host = chunk.host.toUtf8();
    const QByteArray queueId = chunk.queueId.toUtf8();
    const QByteArray messageId = c.messageId.toUtf8();
    SqliteStatement& q = insertChunk;
    q.bindInt(1, chunk.sourceId);
    q.bindText(2, host);
    q.bindText(3, queueId);
    if (c.hasTime()) {
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

LogRepository::LogRepository(const ProjectStore& store) : m_d(std::make_unique<Impl>(store.connectionName())) {}

LogRepository::LogRepository(const QSqlDatabase& db) : m_d(std::make_unique<Impl>(db.connectionName())) {}

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

Result<QList<LogSourceState>> LogRepository::shortSources(qint64 maxBytes) const
{
    QSqlQuery q(m_d->db);
    q.prepare(u"SELECT "_s + kStateColumns
              + u" FROM log_sources WHERE imported_bytes > 0 AND imported_bytes < ? ORDER BY imported_bytes DESC, "
                u"source_id"_s);
    q.addBindValue(maxBytes);
    if (auto ok = execPrepared(q, u"log_sources"_s); !ok)
        return ok.error();
    QList<LogSourceState> out;
    while (q.next())
        out.append(readState(q));
    return out;
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

Result<qint64> LogRepository::nextRawSeq(qint64 sourceId)
{
    return m_d->raw.nextSeq(sourceId);
}

Result<void> LogRepository::write(LogWrites& writes)
{
    Impl& d = *m_d;
    if (auto ok = d.prepareWrites(); !ok)
        return ok;
    for (const EncodedLogChunk& chunk : std::as_const(writes.chunks)) {
        if (auto ok = d.writeChunk(chunk); !ok)
            return ok;
    }
    for (RawLineBlock& block : writes.rawBlocks) {
        if (auto ok = d.raw.write(std::move(block)); !ok)
            return ok;
    }
    for (const auto& [sourceId, host] : std::as_const(writes.newHosts)) {
        const QByteArray utf8 = host.toUtf8();
        d.insertName.bindInt(1, sourceId);
        d.insertName.bindText(2, QByteArrayView("host"));
        d.insertName.bindText(3, utf8);
        if (auto ok = d.insertName.exec(); !ok)
            return ok;
    }
    writes.chunks.clear();
    writes.rawBlocks.clear();
    writes.newHosts.clear();
    writes.events = 0;
    return {};
}

Result<void> LogRepository::add(qint64 sourceId, const logs::LogEvent& event)
{
    Impl& d = *m_d;
    auto it = d.builders.find(sourceId);
    if (it == d.builders.end()) {
        auto next = d.raw.nextSeq(sourceId);
        if (!next)
            return next.error();
        it = d.builders.emplace(sourceId, LogChunkBuilder(sourceId, *next)).first;
    }
    it->second.add(event, d.pending);
    if (d.pending.isEmpty())
        return {};
    return write(d.pending);
}

Result<void> LogRepository::flush()
{
    Impl& d = *m_d;
    for (auto& [sourceId, builder] : d.builders)
        builder.flush(d.pending);
    auto ok = write(d.pending);
    if (ok)
        ok = d.raw.flush();
    if (!ok)
        discard();
    return ok;
}

void LogRepository::discard()
{
    m_d->raw.discard();
    m_d->builders.clear();
    m_d->pending = LogWrites();
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
    // The groups are listed from the queue-id index (it covers the query), then read in time
    // order of their first chunk. Queue ids are random, so reading the chunks in their order
    // jumped all over the table and read each page again for every chunk on it; a message's
    // chunks were written when it left the queue, so time order reads the table nearly in
    // sequence. Time, then host, then the first chunk's id: messages of one host that started
    // in the same second come in the order the log wrote them (a message handed to a content
    // filter before the one the filter queued again), and the order does not depend on the
    // order of the imports (a host's lines are in one log).
    constexpr qint64 kUnstamped = std::numeric_limits<qint64>::min(); // such groups come first
    struct Group {
        qint64 firstTime = kUnstamped;
        qsizetype firstChunk = 0; // in chunkIds
        qsizetype chunks = 0;
        QByteArray host;
    };
    QList<Group> groups;
    QList<qint64> chunkIds;
    {
        SqliteStatement list;
        if (auto ok = list.prepare(sqliteHandle(m_d->db),
                                   "SELECT id, host, queue_id, first_time FROM log_chunks WHERE queue_id <> '' "
                                   "ORDER BY host, queue_id, first_time, id",
                                   u"log_chunks"_s);
            !ok)
            return ok;
        QByteArray groupHost, groupQueue;
        auto listed = list.forEachRow([&]() -> Result<bool> {
            const QByteArrayView h = list.columnBytes(1);
            const QByteArrayView qid = list.columnBytes(2);
            if (groups.isEmpty() || h != groupHost || qid != groupQueue) {
                groupHost = h.toByteArray();
                groupQueue = qid.toByteArray();
                groups.append({kUnstamped, chunkIds.size(), 0, groupHost});
            }
            Group& g = groups.last();
            // NULL times come first: the first stamped chunk's time is the group's.
            if (g.firstTime == kUnstamped && !list.isNull(3))
                g.firstTime = list.columnInt(3);
            chunkIds.append(list.columnInt(0));
            ++g.chunks;
            return true;
        });
        if (!listed)
            return listed;
    }
    std::stable_sort(groups.begin(), groups.end(), [&chunkIds](const Group& a, const Group& b) {
        if (a.firstTime != b.firstTime)
            return a.firstTime < b.firstTime;
        if (a.host != b.host)
            return a.host < b.host;
        return chunkIds.at(a.firstChunk) < chunkIds.at(b.firstChunk);
    });

    SqliteStatement q;
    if (auto ok = q.prepare(sqliteHandle(m_d->db), "SELECT source_id, host, queue_id, data FROM log_chunks WHERE id = ?",
                            u"log_chunks"_s);
        !ok)
        return ok;
    QList<StoredLogEvent> group;
    for (const Group& g : std::as_const(groups)) {
        QString host, queueId;
        for (qsizetype i = g.firstChunk; i < g.firstChunk + g.chunks; ++i) {
            const qint64 id = chunkIds.at(i);
            q.reset();
            q.bindInt(1, id);
            auto row = q.step();
            if (!row)
                return row.error();
            if (!*row)
                return makeError(ErrorCode::Database, u"log chunk %1 vanished while read"_s.arg(id), u"log_chunks"_s);
            if (i == g.firstChunk) {
                host = q.columnText(1);
                queueId = q.columnText(2);
            }
            if (!decodeChunk(q.columnBytes(3), id, q.columnInt(0), host, queueId, group, nullptr))
                return makeError(ErrorCode::Database, u"damaged log chunk %1"_s.arg(id), u"log_chunks"_s);
        }
        sortByTime(group, 0);
        if (!callback(group))
            return {};
        group.clear();
    }
    return {};
}

Result<void> LogRepository::forEachUnqueued(const std::function<bool(QList<StoredLogEvent>&)>& callback) const
{
    auto hosts = this->hosts();
    if (!hosts)
        return hosts.error();
    hosts->prepend(QString()); // Exim mainlogs without syslog and other formats without a host
    SqliteStatement q;
    // The queue-id index: a host's refusals only, not the chunks of its messages.
    if (auto ok = q.prepare(sqliteHandle(m_d->db),
                            "SELECT id, source_id, data FROM log_chunks WHERE host = ? AND queue_id = '' "
                            "ORDER BY first_time, id",
                            u"log_chunks"_s);
        !ok)
        return ok;
    for (const QString& host : std::as_const(*hosts)) {
        const QByteArray h = host.toUtf8();
        q.bindText(1, h);
        bool stopped = false;
        auto read = q.forEachRow([&]() -> Result<bool> {
            QList<StoredLogEvent> chunk;
            const qint64 id = q.columnInt(0);
            if (!decodeChunk(q.columnBytes(2), id, q.columnInt(1), host, QString(), chunk, nullptr))
                return makeError(ErrorCode::Database, u"damaged log chunk %1"_s.arg(id), u"log_chunks"_s);
            stopped = !callback(chunk);
            return !stopped;
        });
        if (!read)
            return read.error();
        if (stopped)
            return {};
    }
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

Result<void> LogRepository::forEachSharedMessageId(const std::function<void(const QString&)>& callback) const
{
    // The Message-ID index gives the ids in order; a message's several chunks count once.
    SqliteStatement q;
    if (auto ok = q.prepare(sqliteHandle(m_d->db),
                            "SELECT message_id FROM log_chunks WHERE message_id <> '' GROUP BY message_id "
                            "HAVING count(DISTINCT host || char(10) || queue_id) > 1",
                            u"log_chunks"_s);
        !ok)
        return ok;
    return q.forEachRow([&]() -> Result<bool> {
        callback(q.columnText(0));
        return true;
    });
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
