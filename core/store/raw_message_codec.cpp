// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/raw_message_codec.h"

#include <new>

#include "core/store/zstd_frame.h"

using namespace Qt::StringLiterals;

namespace bi::core::store {

namespace {

// zstd's default level: on mail some 300 MB/s for a two- to fourfold reduction. The import
// compresses in its reading thread, which waits on the storing one most of the time.
constexpr int kLevel = 3;

// One compression context per thread, made on first use: a context costs more to make than
// to compress a typical message. Frames carry a checksum of their content, so a damaged
// row is an error when read, never a message with different bytes.
ZSTD_CCtx* threadContext()
{
    struct Context {
        ZSTD_CCtx* cctx = ZSTD_createCCtx();
        Context()
        {
            if (cctx && (ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, kLevel))
                         || ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1)))) {
                ZSTD_freeCCtx(cctx);
                cctx = nullptr;
            }
        }
        ~Context() { ZSTD_freeCCtx(cctx); }
        Context(const Context&) = delete;
        Context& operator=(const Context&) = delete;
    };
    thread_local Context context;
    return context.cctx;
}

} // namespace

EncodedRaw RawMessageCodec::encode(QByteArrayView bytes)
{
    EncodedRaw out;
    try {
        ZSTD_CCtx* cctx = threadContext();
        QByteArray frame;
        if (cctx && compressZstdFrame(cctx, bytes, frame) && frame.size() < bytes.size()) {
            out.bytes = std::move(frame);
            out.encoding = RawEncoding::Zstd;
            return out;
        }
    } catch (const std::bad_alloc&) { // the bytes as they are, then
    }
    out.bytes = bytes.toByteArray();
    return out;
}

Result<QByteArray> RawMessageCodec::decode(const QByteArray& stored, int encoding)
{
    if (encoding == int(RawEncoding::Plain))
        return stored;
    if (encoding != int(RawEncoding::Zstd))
        return makeError(ErrorCode::Database, u"raw message in an unknown encoding (%1)"_s.arg(encoding), u"message_raw"_s);
    QByteArray bytes;
    switch (decompressZstdFrame(stored, kMaxBytes, bytes)) {
    case FrameRead::Ok:
        return bytes;
    case FrameRead::OutOfMemory:
        return makeError(ErrorCode::Io, u"out of memory decompressing a raw message"_s, u"message_raw"_s);
    case FrameRead::Damaged:
        break;
    }
    return makeError(ErrorCode::Database, u"damaged raw message: not a zstd frame of its stated size"_s, u"message_raw"_s);
}

} // namespace bi::core::store
