// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/bounce/bounce_decoder.h"

namespace bi::core::bounce {

/// amavisd-new non-delivery reports (From "Content-filter at host", an RFC 3464 report; the status text names spam, viruses, bad headers).
/// Stateless; thread: any. decode() gives nullopt when no bounced recipient can be read.
class AmavisDecoder final : public BounceDecoder {
public:
    [[nodiscard]] QString family() const override;
    [[nodiscard]] bool detect(const DecodeContext& ctx) const override;
    [[nodiscard]] std::optional<BounceReport> decode(const DecodeContext& ctx) const override;
};

} // namespace bi::core::bounce
