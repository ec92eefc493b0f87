// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>
#include <limits>

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include "core/logs/log_event.h"

namespace bi::core::store {

/// Events per chunk at most (a longer message continues in the next chunk). An event's id is
/// its chunk's id * kEventsPerChunk + its index in the chunk.
inline constexpr qint64 kEventsPerChunk = 4096;

/// A stored log event with its id (see row).
struct StoredLogEvent {
    /// The event's id: its chunk's id * kEventsPerChunk + its index in the chunk. Stable for
    /// the life of the project; fates' timeline steps cite it.
    qint64 row = 0;
    qint64 sourceId = 0;
    logs::LogEvent event;
};

/// The number of string fields of LogEvent a chunk encodes (all but host and queue id, which
/// are the chunk's columns).
inline constexpr int kChunkStringFields = 17;

/// One message's events being encoded into a log_chunks row (the column data): the bytes so
/// far, and the event before, which the next one is encoded against (deltas, "same" codes).
struct ChunkEncoder {
    QByteArray data;
    int events = 0;
    qint64 firstTime = std::numeric_limits<qint64>::max();
    qint64 lastTime = std::numeric_limits<qint64>::min();
    qint64 firstLine = 0;
    qint64 lastLine = 0;
    QString messageId; ///< the first the message logged

    /// Appends one event whose raw line has the ordinal rawSeq (LogRawBlocks).
    void add(const logs::LogEvent& e, qint64 rawSeq);
    [[nodiscard]] bool hasTime() const { return firstTime <= lastTime; }

    /// Fields whose earlier values in the chunk can be referred to (program, recipient, relay,
    /// dsn, reply text: the events of a message take turns between a few of each), and how
    /// many of each.
    static constexpr int kEarlierFields = 5;
    static constexpr int kEarlierSlots = 4;

private:
    /// Where the field's last literal is in data (no bytes: none, or the field was empty).
    struct Literal {
        quint32 offset = 0;
        quint32 bytes = 0;
    };
    qint64 m_line = 0, m_offset = 0, m_time = 0, m_rawSeq = 0;
    std::array<Literal, kChunkStringFields> m_last;
    /// The last kEarlierSlots literals of each such field, slot = literal count % slots.
    std::array<std::array<Literal, kEarlierSlots>, kEarlierFields> m_earlier;
    std::array<quint32, kEarlierFields> m_literals{};
};

/// Decodes a chunk's events (host and queue id are the chunk's columns) and appends them to
/// out, and their raw seqs to rawSeqs when given. False when the data is damaged.
[[nodiscard]] bool decodeChunk(QByteArrayView data, qint64 chunkId, qint64 sourceId, const QString& host,
                               const QString& queueId, QList<StoredLogEvent>& out, QList<qint64>* rawSeqs);

} // namespace bi::core::store
