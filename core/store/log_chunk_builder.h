// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <utility>

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

#include "core/logs/log_event.h"
#include "core/store/log_chunk_codec.h"

namespace bi::core::store {

/// A message's events on one host, encoded: one log_chunks row.
struct EncodedLogChunk {
    qint64 sourceId = 0;
    QString host;
    QString queueId;
    ChunkEncoder encoded;
};

/// Consecutive raw lines of one source (each a varint length and the bytes), ready to be
/// compressed into one log_raw row.
struct RawLineBlock {
    qint64 sourceId = 0;
    qint64 firstSeq = 0;
    qint64 lines = 0;
    QByteArray data;
};

/// What LogChunkBuilder produced, in the order it is to be written (LogRepository::write):
/// chunk ids, and so event ids, follow it.
struct LogWrites {
    QList<EncodedLogChunk> chunks;
    QList<RawLineBlock> rawBlocks;
    QList<std::pair<qint64, QString>> newHosts; ///< (source, host) not seen before by the builder
    qint64 events = 0; ///< events added to the chunks above or to chunks still open

    [[nodiscard]] bool isEmpty() const { return chunks.isEmpty() && rawBlocks.isEmpty() && newHosts.isEmpty(); }
};

/// Turns one log source's events into log_chunks and log_raw rows, without touching the
/// database: the import runs it in its reading thread, where the events were just parsed (in
/// the storing thread, reading them back from the other core's cache was most of its time).
///
/// Events are gathered per (host, queue id); a message's chunk is complete when it leaves the
/// queue (LogEventType::Removed), when it reaches kEventsPerChunk events, or when the gathered
/// events pass a memory bound (then the messages idle longest go first); flush() hands out
/// everything gathered. Raw lines get consecutive ordinals ("raw seqs") from firstRawSeq on;
/// the events of one line share one. Memory: bounded (a few tens of MB) whatever the log.
/// Thread: value type; one thread at a time.
class LogChunkBuilder final {
public:
    /// Uncompressed bytes per raw line block (a block closes at the first line past it).
    static constexpr qsizetype kRawBlockBytes = 256 * 1024;

    /// firstRawSeq: the seq the source's next raw line gets (LogRepository::nextRawSeq).
    LogChunkBuilder(qint64 sourceId, qint64 firstRawSeq);

    /// Adds an event of this builder's source; what it completes goes to out.
    void add(const logs::LogEvent& e, LogWrites& out);
    /// Hands every open chunk (in file order of their first line) and the open raw block out.
    void flush(LogWrites& out);

private:
    struct Key {
        QString host;
        QString queueId;
        size_t hash = 0; ///< of host and queue id, made once per event by add()
        bool operator==(const Key& o) const { return hash == o.hash && queueId == o.queueId && host == o.host; }
        friend size_t qHash(const Key& k, size_t seed = 0) { return k.hash ^ seed; }
    };
    struct Open {
        ChunkEncoder encoded;
        qint64 touched = 0;
        [[nodiscard]] qint64 bytes() const;
    };
    /// The events from here on are host's: its hash, and it recorded as new when it is.
    void switchHost(const QString& host, LogWrites& out);
    qint64 rawSeqOf(const logs::LogEvent& e, LogWrites& out);
    void closeRawBlock(LogWrites& out);
    void close(QHash<Key, Open>::iterator it, LogWrites& out);
    void evictIdle(LogWrites& out);

    qint64 m_sourceId;
    QHash<Key, Open> m_open;
    qint64 m_openBytes = 0;
    qint64 m_serial = 0;
    size_t m_seed;
    QSet<QString> m_hosts;
    QString m_host; ///< of the last event
    size_t m_hostHash;
    // The raw line block being filled, and the line stored last (the events of one line share it).
    RawLineBlock m_raw;
    qint64 m_lastRawLineNumber = -1;
    qint64 m_lastRawSeq = -1;
    QByteArray m_lastRaw;
};

} // namespace bi::core::store
