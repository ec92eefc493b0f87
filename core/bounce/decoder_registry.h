// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>
#include <vector>

#include "core/bounce/bounce_decoder.h"

namespace bi::core::bounce {

/// The one place where decoders are registered, in the order they are tried:
/// vendor formats first, generic RFC 3464 next, auto-replies last.
/// Thread: the instance is immutable after construction; any thread may use it.
class DecoderRegistry final {
public:
    [[nodiscard]] static const DecoderRegistry& instance();

    /// The first decoder whose detect() and decode() both succeed; nullopt for other mail.
    [[nodiscard]] std::optional<BounceReport> decode(const DecodeContext& ctx) const;
    [[nodiscard]] QStringList families() const;

private:
    DecoderRegistry();
    std::vector<std::unique_ptr<BounceDecoder>> m_decoders;
};

} // namespace bi::core::bounce
