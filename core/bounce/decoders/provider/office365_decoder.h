// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/bounce/bounce_decoder.h"

namespace bi::core::bounce {

/// Microsoft 365 / Exchange Online non-delivery reports: the "Diagnostic information for administrators" text and the DSN part, with Microsoft's extended status codes (5.4.312, 5.7.509...).
/// Thread: any (stateless). Never throws; a message that turns out not to be in this format
/// gives nullopt from decode().
class Office365Decoder final : public BounceDecoder {
public:
    [[nodiscard]] QString family() const override;
    [[nodiscard]] bool detect(const DecodeContext& ctx) const override;
    [[nodiscard]] std::optional<BounceReport> decode(const DecodeContext& ctx) const override;
};

} // namespace bi::core::bounce
