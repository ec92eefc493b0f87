// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>
#include <span>

#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

#include "core/bounce/bounce_decoder.h"
#include "core/bounce/field_group.h"

namespace bi::core::bounce {

/// Helpers shared by the provider decoders (Gmail, Yahoo, Amazon SES, ...): header tests for
/// detect(), line splitting for plain-text bounces, and the RFC 3464 reading of
/// the DSN parts several providers attach to their own text.
///
/// Thread: any; every function is pure. Nothing throws or asserts on untrusted input: text of any
/// size or content gives an empty or partial result.
class ProviderSupport final {
public:
    ProviderSupport() = delete;

    /// Lines of \a text without their line ends (LF or CRLF).
    [[nodiscard]] static QStringList lines(const QString& text);

    /// \a text up to the first line that starts (after leading blanks) with one of \a markers; the
    /// whole text when none does. Used to stop before the quoted original message, whose
    /// addresses must never be taken for bounced recipients.
    [[nodiscard]] static QString textBefore(const QString& text, std::span<const QStringView> markers);

    /// Runs of white space (line breaks included) collapsed to one space, trimmed.
    [[nodiscard]] static QString sweep(QStringView text);

    /// True when the decoded value of header \a name of \a part contains \a needle (case-insensitive).
    [[nodiscard]] static bool headerContains(const mail::MimePart& part, QByteArrayView name, QStringView needle);

    /// True when one of the message's Received fields contains \a needle (case-insensitive). The
    /// fields are lowered and joined once per message (several detectors look for their relays).
    [[nodiscard]] static bool receivedContains(const DecodeContext& ctx, QStringView needle);

    /// The address in the From header, lower case; empty when there is none.
    [[nodiscard]] static QString fromAddress(const mail::MimePart& part);

    /// A report of kind Bounce for \a family with no recipients yet.
    [[nodiscard]] static BounceReport newReport(QStringView family);

    /// The message/delivery-status part read with reportFromFields(); when there is no such part
    /// (broken MIME structure), what the generic RFC 3464 decoder finds. \a family is set.
    /// nullopt when the message has no recipient.
    [[nodiscard]] static std::optional<BounceReport> standardReport(const DecodeContext& ctx, QStringView family);

    /// DSN fields (RFC 3464 §2.2 per-message, §2.3 per-recipient) read from a delivery-status
    /// body or from text that embeds them (after "Technical report:" in Amazon WorkMail
    /// notices). Unlike RFC 3464, some providers write all fields without the blank lines
    /// between recipients (lhost-aol-03); every Final-Recipient field starts a recipient.
    /// nullopt when no recipient is found.
    [[nodiscard]] static std::optional<BounceReport> reportFromFields(const QByteArray& fields, QStringView family);

    /// Fills status, reply code and SMTP command of \a r from its diagnostic where still empty.
    static void completeFromDiagnostic(BounceRecipient& r);

    /// A recipient of kind Bounce (action "failed") for \a address with \a diagnostic, its codes and
    /// command read from the diagnostic. The address is normalised; an empty recipient address
    /// means \a address was not plausible.
    [[nodiscard]] static BounceRecipient makeRecipient(const QString& address, const QString& diagnostic);

    /// True for a status whose subject and detail are zero ("5.0.0", "4.0.0") or that is empty:
    /// such a status says nothing and a code in the diagnostic is better.
    [[nodiscard]] static bool isVagueStatus(QStringView status);
};

} // namespace bi::core::bounce
