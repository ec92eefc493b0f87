// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/bounce/bounce_decoder.h"

namespace bi::core::bounce {

/// Apache James bounces ("[BOUNCE]", JavaMail message ids: "Error message below:" and "Message details:" with "RCPT TO:").
/// Stateless; thread: any. decode() gives nullopt when no bounced recipient can be read.
class ApacheJamesDecoder final : public BounceDecoder {
public:
    [[nodiscard]] QString family() const override;
    [[nodiscard]] bool detect(const DecodeContext& ctx) const override;
    [[nodiscard]] std::optional<BounceReport> decode(const DecodeContext& ctx) const override;
};

} // namespace bi::core::bounce
