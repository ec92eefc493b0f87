// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/bounce/bounce_decoder.h"

namespace bi::core::bounce {

/// TransWARE Active!hunter bounces (X-AHMAILID: "----- The following addresses had permanent fatal errors -----" with ">>> address <address>").
/// Stateless; thread: any. decode() gives nullopt when no bounced recipient can be read.
class ActivehunterDecoder final : public BounceDecoder {
public:
    [[nodiscard]] QString family() const override;
    [[nodiscard]] bool detect(const DecodeContext& ctx) const override;
    [[nodiscard]] std::optional<BounceReport> decode(const DecodeContext& ctx) const override;
};

} // namespace bi::core::bounce
