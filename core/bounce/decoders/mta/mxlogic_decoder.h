// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/bounce/bounce_decoder.h"

namespace bi::core::bounce {

/// McAfee SaaS Email Protection (MX Logic) bounces (X-MX-Bounce, an Exim-like "<address>: reply" list and "Included is a copy of the message header:").
/// Stateless; thread: any. decode() gives nullopt when no bounced recipient can be read.
class MXLogicDecoder final : public BounceDecoder {
public:
    [[nodiscard]] QString family() const override;
    [[nodiscard]] bool detect(const DecodeContext& ctx) const override;
    [[nodiscard]] std::optional<BounceReport> decode(const DecodeContext& ctx) const override;
};

} // namespace bi::core::bounce
