// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>

#include <QByteArray>

#include "core/common/result.h"
#include "core/store/log_chunk_builder.h"

struct sqlite3;

namespace bi::core::store {

/// The raw lines of log events, verbatim (table log_raw, schema v2): every distinct raw line
/// of a source gets the next ordinal of that source ("raw seq"), and consecutive lines are
/// stored together, zstd-compressed, in blocks of about LogChunkBuilder::kRawBlockBytes. A
/// log's lines repeat host, program and text shapes, so a block shrinks about tenfold: the
/// raw view costs a tenth of the log on disk instead of its whole size, and the import writes
/// that much less.
///
/// Writing: LogChunkBuilder fills the blocks; write() compresses one in a thread of its own
/// and inserts it at the next write() or flush(). Both inside the caller's transaction,
/// flush() before its commit; discard() after a rollback. Reading: line() decompresses the
/// block holding a seq (the last block read is kept).
/// Thread: the connection's thread.
class LogRawBlocks final {
public:
    explicit LogRawBlocks(sqlite3* db);
    ~LogRawBlocks();
    LogRawBlocks(const LogRawBlocks&) = delete;
    LogRawBlocks& operator=(const LogRawBlocks&) = delete;

    /// The seq sourceId's next raw line gets (0 for a new source). Errors: SQLite.
    [[nodiscard]] Result<qint64> nextSeq(qint64 sourceId);
    /// Compresses and stores a block. Errors: SQLite refused a write, zstd failed.
    [[nodiscard]] Result<void> write(RawLineBlock block);
    /// Stores the block still being compressed.
    [[nodiscard]] Result<void> flush();
    /// Forgets the block still being compressed.
    void discard();

    /// The raw line seq of sourceId; empty when it is not stored. Errors: SQLite, or a
    /// damaged block.
    [[nodiscard]] Result<QByteArray> line(qint64 sourceId, qint64 seq);

private:
    struct Impl;
    std::unique_ptr<Impl> m_d;
};

} // namespace bi::core::store
