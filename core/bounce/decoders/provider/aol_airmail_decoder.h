// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/bounce/bounce_decoder.h"

namespace bi::core::bounce {

/// AOL's AIRmail notices (2006-2009): a plain-text mail from MAILER-DAEMON@aol.com saying
/// "Your mail to the following recipients could not be delivered because ..." followed by
/// one indented AOL screen name per line, without a domain. Screen names become
/// name@aol.com; full addresses are kept. No DSN part, so the generic decoders miss them.
/// Stateless; thread: any. decode() gives nullopt when no recipient line follows the sentence.
class AolAirmailDecoder final : public BounceDecoder {
public:
    [[nodiscard]] QString family() const override;
    [[nodiscard]] bool detect(const DecodeContext& ctx) const override;
    [[nodiscard]] std::optional<BounceReport> decode(const DecodeContext& ctx) const override;
};

} // namespace bi::core::bounce
