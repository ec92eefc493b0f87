// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/bounce/bounce_decoder.h"

namespace bi::core::bounce {

/// 1&1 (IONOS) notices: "The following address failed" with "For the following reason:" or an Exim-like SMTP error line.
/// Thread: any (stateless). Never throws; a message that turns out not to be in this format
/// gives nullopt from decode().
class EinsUndEinsDecoder final : public BounceDecoder {
public:
    [[nodiscard]] QString family() const override;
    [[nodiscard]] bool detect(const DecodeContext& ctx) const override;
    [[nodiscard]] std::optional<BounceReport> decode(const DecodeContext& ctx) const override;
};

} // namespace bi::core::bounce
