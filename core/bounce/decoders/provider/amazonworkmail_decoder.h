// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/bounce/bounce_decoder.h"

namespace bi::core::bounce {

/// Amazon WorkMail notices: the DSN fields sit in the text part after "Technical report:".
/// Thread: any (stateless). Never throws; a message that turns out not to be in this format
/// gives nullopt from decode().
class AmazonWorkMailDecoder final : public BounceDecoder {
public:
    [[nodiscard]] QString family() const override;
    [[nodiscard]] bool detect(const DecodeContext& ctx) const override;
    [[nodiscard]] std::optional<BounceReport> decode(const DecodeContext& ctx) const override;
};

} // namespace bi::core::bounce
