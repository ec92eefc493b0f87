// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/bounce/bounce_decoder.h"

namespace bi::core::bounce {

/// Sendmail version 5 bounces: "Returned mail: ..." with a bare session transcript ("550 <user@...>... User unknown" lines, ">>>"/"<<<" dialogue) and the unsent message after it.
/// Stateless; thread: any. decode() gives nullopt when no bounced recipient can be read.
class V5sendmailDecoder final : public BounceDecoder {
public:
    [[nodiscard]] QString family() const override;
    [[nodiscard]] bool detect(const DecodeContext& ctx) const override;
    [[nodiscard]] std::optional<BounceReport> decode(const DecodeContext& ctx) const override;
};

} // namespace bi::core::bounce
