// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/log_raw_blocks.h"

#include <future>
#include <system_error>

#include <zstd.h>

#include <QList>

#include "core/store/sqlite_statement.h"
#include "core/store/varint.h"

using namespace Qt::StringLiterals;

namespace bi::core::store {

namespace {

// zstd's fastest regular level: about 350 MB/s on log text for a tenfold size reduction;
// higher levels gain little on 256 KiB blocks and cost the import its speed.
constexpr int kLevel = 1;
// A block never holds more than kBlockBytes plus one line (LogReader cuts lines at 64 KiB;
// a relay-split line joined again is two): anything much larger is damage.
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
// tenth of that thread's time), inserted by it when the next block closes or at flush().
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
    block.bytes.resize(qsizetype(ZSTD_compressBound(size_t(block.input.size()))));
    const size_t n = ZSTD_compressCCtx(cctx, block.bytes.data(), size_t(block.bytes.size()), block.input.constData(),
                                       size_t(block.input.size()), kLevel);
    if (ZSTD_isError(n))
        block.error = u"zstd: "_s + QString::fromUtf8(ZSTD_getErrorName(n));
    else
        block.bytes.resize(qsizetype(n));
    return block;
}

} // namespace

struct LogRawBlocks::Impl {
    explicit Impl(sqlite3* handle) : db(handle) {}
    ~Impl()
    {
        if (pending.valid())
            pending.wait(); // it uses cctx
        if (cctx)
            ZSTD_freeCCtx(cctx);
        if (dctx)
            ZSTD_freeDCtx(dctx);
    }

    Result<qint64> nextSeqOf(qint64 sourceId);
    Result<void> writeOpen();
    Result<void> insertPending();

    sqlite3* db;
    SqliteStatement insert;
    SqliteStatement lastSeq;
    SqliteStatement select;
    ZSTD_CCtx* cctx = nullptr;
    ZSTD_DCtx* dctx = nullptr;
    QHash<qint64, qint64> nextSeq; // per source: the seq the next line gets
    // The block being filled.
    qint64 openSource = 0;
    qint64 openFirst = 0;
    qint64 openLines = 0;
    QByteArray open;
    QByteArray spare; // the buffer of the block compressed last, for the next one
    std::future<CompressedBlock> pending;
    // The block read last.
    qint64 readSource = -1;
    qint64 readFirst = 0;
    QByteArray readBlock;
    QList<QByteArrayView> readLines;
};

Result<qint64> LogRawBlocks::Impl::nextSeqOf(qint64 sourceId)
{
    if (auto it = nextSeq.constFind(sourceId); it != nextSeq.cend())
        return *it;
    if (!lastSeq.isPrepared()) {
        if (auto ok = lastSeq.prepare(db,
                                      "SELECT first_seq + lines FROM log_raw WHERE source_id = ? "
                                      "ORDER BY first_seq DESC LIMIT 1",
                                      u"log_raw"_s);
            !ok)
            return ok.error();
    }
    lastSeq.bindInt(1, sourceId);
    auto row = lastSeq.step();
    if (!row) {
        lastSeq.reset();
        return row.error();
    }
    const qint64 next = *row ? lastSeq.columnInt(0) : 0;
    lastSeq.reset();
    nextSeq.insert(sourceId, next);
    return next;
}

Result<void> LogRawBlocks::Impl::insertPending()
{
    if (!pending.valid())
        return {};
    CompressedBlock block = pending.get();
    spare = std::move(block.input);
    spare.clear(); // keeps the capacity
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

Result<void> LogRawBlocks::Impl::writeOpen()
{
    if (openLines == 0)
        return {};
    if (auto ok = insertPending(); !ok)
        return ok;
    if (!cctx)
        cctx = ZSTD_createCCtx();
    if (!cctx)
        return makeError(ErrorCode::Io, u"zstd: out of memory"_s, u"log_raw"_s);
    CompressedBlock block{openSource, openFirst, openLines, std::move(open), {}, {}};
    try {
        pending = std::async(std::launch::async, compress, cctx, std::move(block));
    } catch (const std::system_error&) { // no thread to be had: compress here
        std::promise<CompressedBlock> done;
        done.set_value(compress(cctx, std::move(block)));
        pending = done.get_future();
    }
    open = std::move(spare);
    spare = QByteArray();
    openFirst += openLines;
    openLines = 0;
    nextSeq.insert(openSource, openFirst);
    return {};
}

LogRawBlocks::LogRawBlocks(sqlite3* db) : m_d(std::make_unique<Impl>(db)) {}

LogRawBlocks::~LogRawBlocks() = default;

Result<qint64> LogRawBlocks::append(qint64 sourceId, const QByteArray& line)
{
    Impl& d = *m_d;
    if (d.openLines > 0 && d.openSource != sourceId) {
        if (auto ok = d.writeOpen(); !ok)
            return ok.error();
    }
    if (d.openLines == 0) {
        auto next = d.nextSeqOf(sourceId);
        if (!next)
            return next.error();
        d.openSource = sourceId;
        d.openFirst = *next;
        if (d.open.capacity() < kBlockBytes)
            d.open.reserve(kBlockBytes + 4096);
    }
    putVarint(d.open, quint64(line.size()));
    d.open.append(line);
    const qint64 seq = d.openFirst + d.openLines++;
    if (d.open.size() >= kBlockBytes) {
        if (auto ok = d.writeOpen(); !ok)
            return ok.error();
    }
    return seq;
}

Result<void> LogRawBlocks::flush()
{
    if (auto ok = m_d->writeOpen(); !ok)
        return ok;
    return m_d->insertPending();
}

void LogRawBlocks::discard()
{
    Impl& d = *m_d;
    if (d.pending.valid())
        d.pending.wait();
    d.pending = {};
    d.open.clear();
    d.openLines = 0;
    d.nextSeq.clear();
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
        const unsigned long long size = ZSTD_getFrameContentSize(data.data(), size_t(data.size()));
        bool ok = size != ZSTD_CONTENTSIZE_UNKNOWN && size != ZSTD_CONTENTSIZE_ERROR && size <= kMaxBlockBytes
            && lines >= 0;
        if (ok) {
            if (!d.dctx)
                d.dctx = ZSTD_createDCtx();
            d.readBlock.resize(qsizetype(size));
            const size_t n = d.dctx ? ZSTD_decompressDCtx(d.dctx, d.readBlock.data(), size_t(size), data.data(),
                                                          size_t(data.size()))
                                    : size_t(-1);
            ok = !ZSTD_isError(n) && n == size && splitBlock(d.readBlock, lines, d.readLines);
        }
        d.select.reset();
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
