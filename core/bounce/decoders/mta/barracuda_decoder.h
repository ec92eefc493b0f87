// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/bounce/bounce_decoder.h"

namespace bi::core::bounce {

/// Barracuda Spam Firewall rejections ("Message you sent blocked by our bulk email filter", RFC 3464 report).
/// Stateless; thread: any. decode() gives nullopt when no bounced recipient can be read.
class BarracudaDecoder final : public BounceDecoder {
public:
    [[nodiscard]] QString family() const override;
    [[nodiscard]] bool detect(const DecodeContext& ctx) const override;
    [[nodiscard]] std::optional<BounceReport> decode(const DecodeContext& ctx) const override;
};

} // namespace bi::core::bounce
