// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include <QByteArray>
#include <QString>

#include "core/common/result.h"
#include "core/logs/log_event.h"
#include "core/store/log_chunk_builder.h"
#include "core/store/log_chunk_codec.h"

class QSqlDatabase;

namespace bi::core::store {

class ProjectStore;

/// How far a log source has been imported. A log is identified by the SHA-256 of its
/// first 64 KiB (decompressed), so a rotated copy (maillog → maillog.1.gz) is the same
/// log and re-reading it resumes where the last import stopped: nothing is added twice.
struct LogSourceState {
    qint64 sourceId = 0;
    QByteArray headSha256;     ///< hex
    qint64 importedBytes = 0;  ///< decompressed bytes whose events are committed
    qint64 importedLines = 0;
    qint64 events = 0;
    QString format;            ///< "postfix", "exim", ...
    QString timeZone;          ///< IANA id or "UTC+01:00" used for stamps without offset
};

/// Log events in the project (tables log_chunks, log_raw and log_names, schema v2): the events of
/// one (host, queue id) are stored together, several per row, so an import writes a row per
/// message rather than per line and the correlator reads a message in one go.
///
/// Writing: add() gathers events per (host, queue id) in a LogChunkBuilder and writes a
/// message's chunk when the builder completes it; flush() writes everything gathered. Both
/// must run inside a transaction (ProjectStore::begin/commit), and flush() before every
/// commit, so what is committed is exactly the events added before it. The import instead
/// runs its own builder in its reading thread and hands the output to write(). Memory:
/// bounded (a few tens of MB) whatever the log.
///
/// Uses the connection of the ProjectStore it was made from, through QtSql and, for the bulk
/// paths, the sqlite3 C API on the same connection (system SQLite only, see
/// sqlite_statement.h). Thread: the store's thread; destroy it before the store.
class LogRepository final {
public:
    /// Events per chunk at most (a longer message continues in the next chunk).
    static constexpr qint64 kEventsPerChunk = store::kEventsPerChunk;

    explicit LogRepository(const ProjectStore& store);
    /// On a connection that has no ProjectStore yet: the schema migration that moves early
    /// projects' events into log_chunks (schema.cpp, migration 7).
    explicit LogRepository(const QSqlDatabase& db);
    ~LogRepository();
    LogRepository(const LogRepository&) = delete;
    LogRepository& operator=(const LogRepository&) = delete;

    /// The log source whose first 64 KiB hash to headSha256, if any.
    [[nodiscard]] Result<std::optional<LogSourceState>> findByHead(const QByteArray& headSha256) const;
    /// The log sources imported up to fewer than maxBytes bytes (their head is all they
    /// had), largest first: a file that grew since has a longer head of its own.
    [[nodiscard]] Result<QList<LogSourceState>> shortSources(qint64 maxBytes) const;
    [[nodiscard]] Result<std::optional<LogSourceState>> state(qint64 sourceId) const;
    [[nodiscard]] Result<void> saveState(const LogSourceState& state);

    /// Adds one event (gathered; written by a later add() or flush()). Call inside a
    /// transaction. Errors: SQLite refused a write.
    [[nodiscard]] Result<void> add(qint64 sourceId, const logs::LogEvent& event);
    /// Writes every gathered event and the raw line block still being compressed; call inside
    /// the transaction, before its commit.
    [[nodiscard]] Result<void> flush();
    /// Forgets gathered events that were not written (after a rollback).
    void discard();
    /// The seq the next raw line of sourceId gets: where a LogChunkBuilder of it starts.
    [[nodiscard]] Result<qint64> nextRawSeq(qint64 sourceId);
    /// Writes what a LogChunkBuilder produced and empties it; call inside a transaction, and
    /// flush() before its commit. Errors: SQLite refused a write.
    [[nodiscard]] Result<void> write(LogWrites& writes);

    /// Every event, grouped for the correlator by (host, queue id): the groups in time order of
    /// their first stamped event (unstamped groups first; then host, queue id), the events of a
    /// group by time, id (unstamped first). Events without a queue id (SMTP-time rejects) are
    /// not part of any message and are left out; rawLine is left empty (read it with events()
    /// or eventsOf()). Streams one group at a time; return false to stop.
    [[nodiscard]] Result<void> forEachByQueue(const std::function<bool(const StoredLogEvent&)>& callback) const;
    /// The same, one (host, queue id) at a time: the callback gets the group's events in that
    /// order and may move from them.
    [[nodiscard]] Result<void> forEachQueueGroup(const std::function<bool(QList<StoredLogEvent>&)>& callback) const;
    /// The events without a queue id (SMTP-time refusals of sessions that queued nothing), one
    /// stored chunk at a time, every host's, without rawLine. Return false to stop.
    [[nodiscard]] Result<void> forEachUnqueued(const std::function<bool(QList<StoredLogEvent>&)>& callback) const;
    /// The events of one message on one host, in time order (raw view, timeline). withRaw
    /// false leaves rawLine empty and spares decompressing the raw blocks.
    [[nodiscard]] Result<QList<StoredLogEvent>> eventsOf(const QString& host, const QString& queueId,
                                                         bool withRaw = true) const;
    /// Events whose ids are given, in the order given; unknown ids are left out. withRaw as
    /// for eventsOf().
    [[nodiscard]] Result<QList<StoredLogEvent>> events(const QList<qint64>& rows, bool withRaw = true) const;
    /// Each Message-ID that more than one (host, queue id) logged: a message sent again, or
    /// handed on inside our side (content filter, another relay of ours), or logged per
    /// recipient (formats without queue ids).
    [[nodiscard]] Result<void> forEachSharedMessageId(const std::function<void(const QString&)>& callback) const;
    /// Events stored (committed).
    [[nodiscard]] Result<qint64> count() const;
    /// Distinct hosts seen in the logs. (Schema 2's sender_domain names are no longer written:
    /// a relay's logged senders include the forged ones of inbound spam, so they tell nothing
    /// about which domains are ours.)
    [[nodiscard]] Result<QStringList> hosts() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_d;
};

} // namespace bi::core::store
