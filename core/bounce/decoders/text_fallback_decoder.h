// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/bounce/bounce_decoder.h"

namespace bi::core::bounce {

/// Last resort for notices that no format decoder recognised: a message that says it is a
/// bounce (from MAILER-DAEMON/postmaster, or a "returned mail"-style subject) is scanned
/// line by line for the addresses it names ("<user@example.net>: ...",
/// "unknown user: ...", an address opening a line) and the text around them, up to where
/// the quoted original begins. Tried after every specific decoder.
class TextFallbackDecoder final : public BounceDecoder {
public:
    [[nodiscard]] QString family() const override;
    [[nodiscard]] bool detect(const DecodeContext& ctx) const override;
    [[nodiscard]] std::optional<BounceReport> decode(const DecodeContext& ctx) const override;
};

} // namespace bi::core::bounce
