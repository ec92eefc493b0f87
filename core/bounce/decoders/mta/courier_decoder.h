// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/bounce/bounce_decoder.h"

namespace bi::core::bounce {

/// Courier MTA bounces ("NOTICE: mail delivery status.", "WARNING: delayed mail."): an RFC 3464 report plus a text part that quotes the SMTP dialogue per recipient.
/// Stateless; thread: any. decode() gives nullopt when no bounced recipient can be read.
class CourierDecoder final : public BounceDecoder {
public:
    [[nodiscard]] QString family() const override;
    [[nodiscard]] bool detect(const DecodeContext& ctx) const override;
    [[nodiscard]] std::optional<BounceReport> decode(const DecodeContext& ctx) const override;
};

} // namespace bi::core::bounce
