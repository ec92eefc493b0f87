// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/bounce/bounce_decoder.h"

namespace bi::core::bounce {

/// Oracle (Sun ONE, iPlanet) Messaging Server reports ("This report relates to a message you sent with the following header fields:", "Recipient address:", "Reason:", "Diagnostic code:" per recipient).
/// Stateless; thread: any. decode() gives nullopt when no bounced recipient can be read.
class MessagingServerDecoder final : public BounceDecoder {
public:
    [[nodiscard]] QString family() const override;
    [[nodiscard]] bool detect(const DecodeContext& ctx) const override;
    [[nodiscard]] std::optional<BounceReport> decode(const DecodeContext& ctx) const override;
};

} // namespace bi::core::bounce
