// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/zstd_frame.h"

#include <new>

namespace bi::core::store {

bool compressZstdFrame(ZSTD_CCtx* cctx, QByteArrayView input, QByteArray& frame, QString* why)
{
    frame.resize(qsizetype(ZSTD_compressBound(size_t(input.size()))));
    const size_t n = ZSTD_compress2(cctx, frame.data(), size_t(frame.size()), input.data(), size_t(input.size()));
    if (ZSTD_isError(n)) {
        if (why)
            *why = QString::fromUtf8(ZSTD_getErrorName(n));
        frame.clear();
        return false;
    }
    frame.resize(qsizetype(n));
    return true;
}

FrameRead decompressZstdFrame(QByteArrayView frame, quint64 maxBytes, QByteArray& out, ZSTD_DCtx* dctx)
{
    const unsigned long long size = ZSTD_getFrameContentSize(frame.data(), size_t(frame.size()));
    if (size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR || size > maxBytes)
        return FrameRead::Damaged;
    try {
        out.resize(qsizetype(size));
    } catch (const std::bad_alloc&) {
        return FrameRead::OutOfMemory;
    }
    const size_t n = dctx ? ZSTD_decompressDCtx(dctx, out.data(), size_t(size), frame.data(), size_t(frame.size()))
                          : ZSTD_decompress(out.data(), size_t(size), frame.data(), size_t(frame.size()));
    return !ZSTD_isError(n) && n == size ? FrameRead::Ok : FrameRead::Damaged;
}

} // namespace bi::core::store
