// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/bounce/bounce_decoder.h"

namespace bi::core::bounce {

/// Microsoft Exchange 2007-2019 on-premises non-delivery reports ("Diagnostic information for administrators:" with "#550 5.1.1 RESOLVER.ADR.RecipNotFound"), in English, French and Italian.
/// Stateless; thread: any. decode() gives nullopt when no bounced recipient can be read.
class Exchange2007Decoder final : public BounceDecoder {
public:
    [[nodiscard]] QString family() const override;
    [[nodiscard]] bool detect(const DecodeContext& ctx) const override;
    [[nodiscard]] std::optional<BounceReport> decode(const DecodeContext& ctx) const override;
};

} // namespace bi::core::bounce
