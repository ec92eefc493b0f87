// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/bounce/bounce_decoder.h"

namespace bi::core::bounce {

/// McAfee Email and Web Security appliance bounces (X-NAI-Header, "Delivery Status": "--- The following addresses had delivery problems ---").
/// Stateless; thread: any. decode() gives nullopt when no bounced recipient can be read.
class McAfeeDecoder final : public BounceDecoder {
public:
    [[nodiscard]] QString family() const override;
    [[nodiscard]] bool detect(const DecodeContext& ctx) const override;
    [[nodiscard]] std::optional<BounceReport> decode(const DecodeContext& ctx) const override;
};

} // namespace bi::core::bounce
