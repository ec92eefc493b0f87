// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QStringList>

#include "core/bounce/bounce_decoder.h"

namespace bi::core::bounce {

/// qmail (and netqmail, notqmail, indimail) bounces: "failure notice" from qmail-send, "<address>:"
/// followed by qmail-remote's or qmail-local's error text per recipient.
/// Stateless; thread: any. decode() gives nullopt when no bounced recipient can be read.
class QmailDecoder final : public BounceDecoder {
public:
    [[nodiscard]] QString family() const override;
    [[nodiscard]] bool detect(const DecodeContext& ctx) const override;
    [[nodiscard]] std::optional<BounceReport> decode(const DecodeContext& ctx) const override;

    /// The recipients of a qmail-send style notice, read from \a lines (the lines after the
    /// notice's first sentence, before the returned message): address, error text, remote host,
    /// SMTP command and the reason qmail's own wording states. Shared with decoders of qmail
    /// clones that change only the sentences around it.
    [[nodiscard]] static QList<BounceRecipient> readNotice(const QStringList& lines);
};

} // namespace bi::core::bounce
