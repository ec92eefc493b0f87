// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/bounce/bounce_decoder.h"

namespace bi::core::bounce {

/// An unidentified MTA (sisimai "X6"): "There was an error sending your mail" with "N error(s):" and one line per refused recipient.
/// Stateless; thread: any. decode() gives nullopt when no bounced recipient can be read.
class X6Decoder final : public BounceDecoder {
public:
    [[nodiscard]] QString family() const override;
    [[nodiscard]] bool detect(const DecodeContext& ctx) const override;
    [[nodiscard]] std::optional<BounceReport> decode(const DecodeContext& ctx) const override;
};

} // namespace bi::core::bounce
