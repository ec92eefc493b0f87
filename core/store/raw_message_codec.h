// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include "core/common/result.h"

namespace bi::core::store {

/// How message_raw.raw holds a message's bytes (column encoding, schema 8).
enum class RawEncoding : int {
    Plain = 0, ///< the bytes themselves (every row written before schema 8)
    Zstd = 1,  ///< one zstd frame of them, which states their size
};

/// A message's bytes as message_raw stores them.
struct EncodedRaw {
    QByteArray bytes;
    RawEncoding encoding = RawEncoding::Plain;
};

/// Mail compresses three to fourfold: raw messages are stored as zstd frames, which also
/// cuts what an import writes (and writes again at the WAL checkpoint) as much. Thread: any.
class RawMessageCodec final {
public:
    RawMessageCodec() = delete;

    /// The frame when it is smaller than the bytes, else (or when zstd fails) the bytes.
    [[nodiscard]] static EncodedRaw encode(QByteArrayView bytes);
    /// The message's bytes back. A frame that is damaged, states no size or a size beyond
    /// kMaxBytes, or an unknown encoding, is an error: never a partial message.
    [[nodiscard]] static Result<QByteArray> decode(const QByteArray& stored, int encoding);

    /// Larger than any message a reader hands out (MboxReader's limit is far below).
    static constexpr quint64 kMaxBytes = 1ULL << 30;
};

} // namespace bi::core::store
