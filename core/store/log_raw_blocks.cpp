// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/log_raw_blocks.h"

#include <optional>
#include <system_error>
#include <thread>


#include <QList>

#include "core/common/bounded_queue.h"
#include "core/store/sqlite_statement.h"
#include "core/store/varint.h"
#include "core/store/zstd_frame.h"

using namespace Qt::StringLiterals;

namespace bi::core::store {

namespace {

// zstd's fastest regular level: about 350 MB/s on log text for a tenfold size reduction;
// higher levels gain little on 256 KiB blocks and cost the import its speed.
constexpr int kLevel = 1;
// A block never holds more than LogChunkBuilder::kRawBlockBytes plus one line (LogReader cuts
// lines at 64 KiB; a relay-split line joined again is two): anything much larger is damage.
constexpr quint64 kMaxBlockBytes = 64ULL * 1024 * 1024;

// Splits a decompressed block into its lines; false when it is inconsistent.
bool splitBlock(const QByteArray& block, qint64 lines, QList<QByteArrayView>& out)
{
    out.clear();
    ByteReader in{QByteArrayView(block)};
    for (qint64 i = 0; i < lines; ++i) {
        const QByteArrayView line = in.bytes(in.varint());
        if (!in.ok())
            return false;
        out.append(line);
    }
    return in.atEnd();
}

// One block on its way to the table: compressed off the import's storing thread (zstd is a
// tenth of that thread's time) by one worker thread that lives as long as the writer, inserted
// by the storing thread when the next block closes or at flush().
struct CompressedBlock {
    qint64 source = 0;
    qint64 first = 0;
    qint64 lines = 0;
    QByteArray input;
    QByteArray bytes;
    QString error;
};

CompressedBlock compress(ZSTD_CCtx* cctx, CompressedBlock block)
{
    try {
        QString why;
        if (!compressZstdFrame(cctx, block.input, block.bytes, &why))
            block.error = u"zstd: "_s + why;
    } catch (const std::bad_alloc&) { // nothing may leave the worker thread (STYLE §5)
        block.error = u"zstd: out of memory"_s;
    }
    return block;
}

} // namespace

struct LogRawBlocks::Impl {
    explicit Impl(sqlite3* handle) : db(handle) {}
    ~Impl()
    {
        // The worker uses cctx: it ends (a block it is compressing is dropped) before cctx goes.
        toCompress.abort();
        compressed.abort();
        if (worker.joinable())
            worker.join();
        if (cctx)
            ZSTD_freeCCtx(cctx);
        if (dctx)
            ZSTD_freeDCtx(dctx);
    }

    Result<void> insertPending();
    // Hands the block to the worker (started by the first block), or compresses it here when
    // no thread can be had.
    void startCompressing(CompressedBlock block);

    sqlite3* db;
    SqliteStatement insert;
    SqliteStatement lastSeq;
    SqliteStatement select;
    ZSTD_CCtx* cctx = nullptr;
    ZSTD_DCtx* dctx = nullptr;
    // At most one block is in flight: in toCompress, in the worker, or in compressed.
    BoundedQueue<CompressedBlock> toCompress{1};
    BoundedQueue<CompressedBlock> compressed{1};
    std::thread worker;
    bool inFlight = false;
    std::optional<CompressedBlock> compressedHere; // the block in flight, when no worker could start
    // The block read last.
    qint64 readSource = -1;
    qint64 readFirst = 0;
    QByteArray readBlock;
    QList<QByteArrayView> readLines;
};

Result<void> LogRawBlocks::Impl::insertPending()
{
    if (!inFlight)
        return {};
    inFlight = false;
    CompressedBlock block;
    if (compressedHere) {
        block = std::move(*compressedHere);
        compressedHere.reset();
    } else if (!compressed.pop(block)) {
        return makeError(ErrorCode::Io, u"zstd: the compressing thread ended"_s, u"log_raw"_s);
    }
    if (!block.error.isEmpty())
        return makeError(ErrorCode::Io, block.error, u"log_raw"_s);
    if (!insert.isPrepared()) {
        if (auto ok = insert.prepare(db, "INSERT INTO log_raw (source_id, first_seq, lines, data) VALUES (?, ?, ?, ?)",
                                     u"log_raw"_s);
            !ok)
            return ok;
    }
    insert.bindInt(1, block.source);
    insert.bindInt(2, block.first);
    insert.bindInt(3, block.lines);
    insert.bindBlob(4, block.bytes);
    return insert.exec();
}

LogRawBlocks::LogRawBlocks(sqlite3* db) : m_d(std::make_unique<Impl>(db)) {}

LogRawBlocks::~LogRawBlocks() = default;

Result<qint64> LogRawBlocks::nextSeq(qint64 sourceId)
{
    Impl& d = *m_d;
    if (auto ok = d.insertPending(); !ok)
        return ok.error();
    if (!d.lastSeq.isPrepared()) {
        if (auto ok = d.lastSeq.prepare(d.db,
                                        "SELECT first_seq + lines FROM log_raw WHERE source_id = ? "
                                        "ORDER BY first_seq DESC LIMIT 1",
                                        u"log_raw"_s);
            !ok)
            return ok.error();
    }
    d.lastSeq.bindInt(1, sourceId);
    auto row = d.lastSeq.step();
    if (!row) {
        d.lastSeq.reset();
        return row.error();
    }
    const qint64 next = *row ? d.lastSeq.columnInt(0) : 0;
    d.lastSeq.reset();
    return next;
}

Result<void> LogRawBlocks::write(RawLineBlock block)
{
    Impl& d = *m_d;
    if (block.lines == 0)
        return {};
    if (auto ok = d.insertPending(); !ok)
        return ok;
    if (!d.cctx) {
        d.cctx = ZSTD_createCCtx();
        if (d.cctx && ZSTD_isError(ZSTD_CCtx_setParameter(d.cctx, ZSTD_c_compressionLevel, kLevel))) {
            ZSTD_freeCCtx(d.cctx);
            d.cctx = nullptr;
        }
    }
    if (!d.cctx)
        return makeError(ErrorCode::Io, u"zstd: out of memory"_s, u"log_raw"_s);
    d.startCompressing({block.sourceId, block.firstSeq, block.lines, std::move(block.data), {}, {}});
    return {};
}

void LogRawBlocks::Impl::startCompressing(CompressedBlock block)
{
    inFlight = true;
    if (!worker.joinable()) {
        try {
            worker = std::thread([this] {
                CompressedBlock next;
                while (toCompress.pop(next)) {
                    if (!compressed.push(compress(cctx, std::move(next))))
                        return;
                }
            });
        } catch (const std::system_error&) { // no thread to be had: this block is compressed here
        }
    }
    if (worker.joinable() && toCompress.push(std::move(block)))
        return;
    compressedHere = compress(cctx, std::move(block));
}

Result<void> LogRawBlocks::flush()
{
    return m_d->insertPending();
}

void LogRawBlocks::discard()
{
    Impl& d = *m_d;
    if (d.inFlight) {
        d.inFlight = false;
        CompressedBlock dropped;
        if (d.compressedHere)
            d.compressedHere.reset();
        else
            (void)d.compressed.pop(dropped);
    }
    d.readSource = -1;
}

Result<QByteArray> LogRawBlocks::line(qint64 sourceId, qint64 seq)
{
    Impl& d = *m_d;
    const bool cached = d.readSource == sourceId && seq >= d.readFirst && seq - d.readFirst < d.readLines.size();
    if (!cached) {
        if (!d.select.isPrepared()) {
            if (auto ok = d.select.prepare(d.db,
                                           "SELECT first_seq, lines, data FROM log_raw WHERE source_id = ? "
                                           "AND first_seq <= ? ORDER BY first_seq DESC LIMIT 1",
                                           u"log_raw"_s);
                !ok)
                return ok.error();
        }
        d.select.bindInt(1, sourceId);
        d.select.bindInt(2, seq);
        auto row = d.select.step();
        if (!row) {
            d.select.reset();
            return row.error();
        }
        if (!*row) {
            d.select.reset();
            return QByteArray();
        }
        const qint64 first = d.select.columnInt(0);
        const qint64 lines = d.select.columnInt(1);
        const QByteArrayView data = d.select.columnBytes(2);
        if (!d.dctx)
            d.dctx = ZSTD_createDCtx();
        const FrameRead read = d.dctx && lines >= 0 ? decompressZstdFrame(data, kMaxBlockBytes, d.readBlock, d.dctx)
                                                    : FrameRead::Damaged;
        const bool ok = read == FrameRead::Ok && splitBlock(d.readBlock, lines, d.readLines);
        d.select.reset();
        if (read == FrameRead::OutOfMemory) {
            d.readSource = -1;
            return makeError(ErrorCode::Io, u"out of memory reading the raw log block at line %1"_s.arg(first), u"log_raw"_s);
        }
        if (!ok) {
            d.readSource = -1;
            return makeError(ErrorCode::Database, u"damaged raw log block at line %1"_s.arg(first), u"log_raw"_s);
        }
        d.readSource = sourceId;
        d.readFirst = first;
    }
    const qint64 index = seq - d.readFirst;
    if (index < 0 || index >= d.readLines.size())
        return QByteArray();
    return d.readLines.at(index).toByteArray();
}

} // namespace bi::core::store
