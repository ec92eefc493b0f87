// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/bounce/bounce_decoder.h"

namespace bi::core::bounce {

/// Exim bounces (deliver.c: "This message was created automatically by mail delivery software.", an indented block per failed address; since 4.8x also an RFC 3464 part) and Exim delay warnings.
/// Stateless; thread: any. decode() gives nullopt when no bounced recipient can be read.
class EximDecoder final : public BounceDecoder {
public:
    [[nodiscard]] QString family() const override;
    [[nodiscard]] bool detect(const DecodeContext& ctx) const override;
    [[nodiscard]] std::optional<BounceReport> decode(const DecodeContext& ctx) const override;
};

} // namespace bi::core::bounce
