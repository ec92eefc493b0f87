// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/bounce/bounce_decoder.h"

namespace bi::core::bounce {

/// Websense SurfControl E-mail Filter bounces (X-SEF-Processed: "Your message could not be sent." with "Addressed To:" and the host's reply).
/// Stateless; thread: any. decode() gives nullopt when no bounced recipient can be read.
class SurfControlDecoder final : public BounceDecoder {
public:
    [[nodiscard]] QString family() const override;
    [[nodiscard]] bool detect(const DecodeContext& ctx) const override;
    [[nodiscard]] std::optional<BounceReport> decode(const DecodeContext& ctx) const override;
};

} // namespace bi::core::bounce
