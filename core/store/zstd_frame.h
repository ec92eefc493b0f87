// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <zstd.h>

namespace bi::core::store {

/// One zstd frame of input into frame, made by cctx with the parameters set on it (level,
/// checksum); the frame states its content size. False (with zstd's reason in why, when
/// given) when zstd fails. Throws std::bad_alloc like QByteArray. Thread: cctx's.
[[nodiscard]] bool compressZstdFrame(ZSTD_CCtx* cctx, QByteArrayView input, QByteArray& frame, QString* why = nullptr);

/// How decompressZstdFrame() went.
enum class FrameRead { Ok, Damaged, OutOfMemory };

/// The content of one zstd frame into out (resized to it): Damaged when the frame states no
/// size, a size above maxBytes, or does not decompress to that size (or its checksum fails).
/// dctx, when given, is reused (one thread at a time); else a context is made for the call.
[[nodiscard]] FrameRead decompressZstdFrame(QByteArrayView frame, quint64 maxBytes, QByteArray& out,
                                            ZSTD_DCtx* dctx = nullptr);

} // namespace bi::core::store
