// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/bounce/bounce_decoder.h"

namespace bi::core::bounce {

/// Microsoft Exchange 5.5/2000/2003 non-delivery reports ("Your message ... did not reach the following recipient(s):", MSEXCH codes such as "(000C05A6)").
/// Stateless; thread: any. decode() gives nullopt when no bounced recipient can be read.
class Exchange2003Decoder final : public BounceDecoder {
public:
    [[nodiscard]] QString family() const override;
    [[nodiscard]] bool detect(const DecodeContext& ctx) const override;
    [[nodiscard]] std::optional<BounceReport> decode(const DecodeContext& ctx) const override;
};

} // namespace bi::core::bounce
