// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>

#include <QByteArray>
#include <QHash>

#include "core/common/result.h"

struct sqlite3;

namespace bi::core::store {

/// The raw lines of log events, verbatim (table log_raw, schema v2): every distinct raw line
/// of a source gets the next ordinal of that source ("raw seq"), and consecutive lines are
/// stored together, zstd-compressed, in blocks of about kBlockBytes. A log's lines repeat
/// host, program and text shapes, so a block shrinks about tenfold: the raw view costs a
/// tenth of the log on disk instead of its whole size, and the import writes that much less.
///
/// Writing: append() returns the line's seq; flush() writes the open block. Both inside the
/// caller's transaction, flush() before its commit; discard() after a rollback. Reading:
/// line() decompresses the block holding a seq (the last block read is kept).
/// Thread: the connection's thread.
class LogRawBlocks final {
public:
    /// Uncompressed bytes per block (a block closes at the first line past it).
    static constexpr qsizetype kBlockBytes = 256 * 1024;

    explicit LogRawBlocks(sqlite3* db);
    ~LogRawBlocks();
    LogRawBlocks(const LogRawBlocks&) = delete;
    LogRawBlocks& operator=(const LogRawBlocks&) = delete;

    /// Adds a raw line of sourceId; returns its seq. Errors: SQLite refused a write.
    [[nodiscard]] Result<qint64> append(qint64 sourceId, const QByteArray& line);
    /// Writes the open block.
    [[nodiscard]] Result<void> flush();
    /// Forgets what was not written, and the next seqs (read again from the table).
    void discard();

    /// The raw line seq of sourceId; empty when it is not stored. Errors: SQLite, or a
    /// damaged block.
    [[nodiscard]] Result<QByteArray> line(qint64 sourceId, qint64 seq);

private:
    struct Impl;
    std::unique_ptr<Impl> m_d;
};

} // namespace bi::core::store
