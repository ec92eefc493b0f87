// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/bounce/bounce_decoder.h"

namespace bi::core::bounce {

/// Postfix bounces: bounce(5) notices ("Undelivered Mail Returned to Sender") and the postmaster copies of SMTP session errors ("Postfix SMTP server: errors from ...").
/// Stateless; thread: any. decode() gives nullopt when no bounced recipient can be read.
class PostfixDecoder final : public BounceDecoder {
public:
    [[nodiscard]] QString family() const override;
    [[nodiscard]] bool detect(const DecodeContext& ctx) const override;
    [[nodiscard]] std::optional<BounceReport> decode(const DecodeContext& ctx) const override;
};

} // namespace bi::core::bounce
