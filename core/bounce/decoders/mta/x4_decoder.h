// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/bounce/bounce_decoder.h"

namespace bi::core::bounce {

/// qmail clones (sisimai "X4"): qmail-send style notices whose first sentence was changed ("Your mail message to the following address(es) could not be delivered", ...).
/// Stateless; thread: any. decode() gives nullopt when no bounced recipient can be read.
class X4Decoder final : public BounceDecoder {
public:
    [[nodiscard]] QString family() const override;
    [[nodiscard]] bool detect(const DecodeContext& ctx) const override;
    [[nodiscard]] std::optional<BounceReport> decode(const DecodeContext& ctx) const override;
};

} // namespace bi::core::bounce
