// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/bounce/bounce_decoder.h"

namespace bi::core::bounce {

/// Symantec/Broadcom MessageLabs (Email Security.cloud) bounces (X-Msg-Ref, "Mail Delivery Failure" from MAILER-DAEMON@messagelabs.com, RFC 3464 report).
/// Stateless; thread: any. decode() gives nullopt when no bounced recipient can be read.
class MessageLabsDecoder final : public BounceDecoder {
public:
    [[nodiscard]] QString family() const override;
    [[nodiscard]] bool detect(const DecodeContext& ctx) const override;
    [[nodiscard]] std::optional<BounceReport> decode(const DecodeContext& ctx) const override;
};

} // namespace bi::core::bounce
