// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/bounce/bounce_decoder.h"

namespace bi::core::bounce {

/// Trustwave MailMarshal SMTP bounces ("Undeliverable Mail: "subject"": "Could not be delivered because of" and "The following recipients were affected:").
/// Stateless; thread: any. decode() gives nullopt when no bounced recipient can be read.
class MailMarshalSMTPDecoder final : public BounceDecoder {
public:
    [[nodiscard]] QString family() const override;
    [[nodiscard]] bool detect(const DecodeContext& ctx) const override;
    [[nodiscard]] std::optional<BounceReport> decode(const DecodeContext& ctx) const override;
};

} // namespace bi::core::bounce
