// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/bounce/bounce_decoder.h"

namespace bi::core::bounce {

/// Challenge-response systems (TMDA, Boxbe, Spam Arrest, Bluebottle, Mailblocks, UOL
/// AntiSpam, servers that demand the sending host be confirmed on a web page): they hold the
/// message until the sender proves to be a person. That is a request to act, not a failed
/// delivery, so every recipient comes out as an automatic reply (MessageKind::AutoReply),
/// even when the challenge is dressed as a DSN with "Action: failed". Recognised by the
/// service's headers and sender domains, or by the challenge wording in the notice or a
/// Diagnostic-Code (data tables in the .cpp). Tried before every vendor decoder.
/// Stateless; thread: any. decode() gives nullopt when no challenged address can be named.
class ChallengeResponseDecoder final : public BounceDecoder {
public:
    [[nodiscard]] QString family() const override;
    [[nodiscard]] bool detect(const DecodeContext& ctx) const override;
    [[nodiscard]] std::optional<BounceReport> decode(const DecodeContext& ctx) const override;
};

} // namespace bi::core::bounce
