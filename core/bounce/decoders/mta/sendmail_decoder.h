// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/bounce/bounce_decoder.h"

namespace bi::core::bounce {

/// Sendmail (V8) bounces: "Returned mail: see transcript for details" from the Mail Delivery Subsystem, an RFC 3464 report plus the SMTP transcript (">>> DATA", "<<< 550 ...").
/// Stateless; thread: any. decode() gives nullopt when no bounced recipient can be read.
class SendmailDecoder final : public BounceDecoder {
public:
    [[nodiscard]] QString family() const override;
    [[nodiscard]] bool detect(const DecodeContext& ctx) const override;
    [[nodiscard]] std::optional<BounceReport> decode(const DecodeContext& ctx) const override;
};

} // namespace bi::core::bounce
