// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/bounce/bounce_decoder.h"

namespace bi::core::bounce {

/// Trend Micro InterScan Messaging Security Suite bounces ("InterScan MSS" sender or its Japanese/English subjects, "Sent <<< RCPT TO:" / "Received >>> 550 ..." transcript).
/// Stateless; thread: any. decode() gives nullopt when no bounced recipient can be read.
class InterScanMSSDecoder final : public BounceDecoder {
public:
    [[nodiscard]] QString family() const override;
    [[nodiscard]] bool detect(const DecodeContext& ctx) const override;
    [[nodiscard]] std::optional<BounceReport> decode(const DecodeContext& ctx) const override;
};

} // namespace bi::core::bounce
