// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/bounce/bounce_decoder.h"

namespace bi::core::bounce {

/// Rejections sent as a message disposition notification instead of a DSN: the Sieve
/// "reject" action (RFC 5429 §2.2) and delivery agents such as Dovecot's LDA answer with a
/// multipart/report of report-type disposition-notification whose MDN (RFC 8098 §3.2.6)
/// has an automatic action and the disposition "deleted", plus a text like "Your message to
/// <user@example.com> was automatically rejected: Quota exceeded". The message was not
/// delivered, so this is a bounce for the MDN's Final-Recipient, not an auto-reply.
/// Stateless; thread: any. decode() gives nullopt when the MDN names no recipient.
class SieveRejectDecoder final : public BounceDecoder {
public:
    [[nodiscard]] QString family() const override;
    [[nodiscard]] bool detect(const DecodeContext& ctx) const override;
    [[nodiscard]] std::optional<BounceReport> decode(const DecodeContext& ctx) const override;
};

} // namespace bi::core::bounce
