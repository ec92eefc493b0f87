// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/opensmtpd_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

// smtpd/bounce.c: NOTICE_INTRO ("...to this e-mail." before 6.x, "...to this email." after).
constexpr QStringView kStart[] = {u"This is the MAILER-DAEMON, please DO NOT REPLY to this"};
constexpr QStringView kOriginal[] = {u"Below is a copy of the original message:"};

// OpenSMTPD's own error strings (smtpd/mta.c, smtpd/queue.c, smtpd/dns.c): failures with no
// remote server reply.
constexpr ReasonPhrase kMessages[] = {
    {u"expired", u"Envelope expired"},
    {u"hostunknown", u"Invalid domain name"},
    {u"hostunknown", u"Domain does not exist"},
    {u"notaccept", u"Destination seem to reject all mails"},
    // No MX and no usable address: the domain accepts no mail (RFC 5321 §5.1).
    {u"notaccept", u"No MX found for domain"},
    {u"notaccept", u"No MX found for destination"},
    {u"networkerror", u"Address family mismatch on destination MXs"},
    {u"networkerror", u"All routes to destination blocked"},
    {u"networkerror", u"bad DNS lookup error code"},
    {u"networkerror", u"Could not retrieve source address"},
    {u"networkerror", u"Loop detected"},
    {u"networkerror", u"Network error on destination MXs"},
    {u"networkerror", u"No valid route to remote MX"},
    {u"networkerror", u"No valid route to destination"},
    {u"networkerror", u"Temporary failure in MX lookup"},
    {u"securityerror", u"Could not retrieve credentials"},
};

} // namespace

QString OpenSMTPDDecoder::family() const
{
    return u"opensmtpd"_s;
}

bool OpenSMTPDDecoder::detect(const DecodeContext& ctx) const
{
    const mail::MimePart& root = ctx.root();
    if (!root.header("Subject").contains(u"Delivery status notification") || !root.header("From").contains(u"Mailer Daemon <"))
        return false;
    for (const QString& received : root.headerAll("Received")) {
        if (received.contains(u" (OpenSMTPD) with "))
            return true;
    }
    return false;
}

std::optional<BounceReport> OpenSMTPDDecoder::decode(const DecodeContext& ctx) const
{
    const QStringList all = MtaText::linesBefore(MtaText::lines(MtaText::bounceText(ctx)), kOriginal, true);
    const qsizetype start = MtaText::findLine(all, kStart, 0, true);
    if (start < 0)
        return std::nullopt;
    // bounce.c: "%s: %s" — the recipient, then the error, unindented (the prose is indented).
    static const QRegularExpression recipientLine(uR"(^([^\s:]+@[^\s:]+):?\s+(.+)$)"_s);
    const bool delayed = ctx.root().header("Subject").contains(u"delayed");

    BounceReport report;
    report.family = family();
    for (qsizetype i = start + 1; i < all.size(); ++i) {
        const auto m = recipientLine.match(all.at(i));
        if (!m.hasMatch())
            continue;
        BounceRecipient r;
        r.recipient = m.captured(1);
        r.diagnostic = m.captured(2);
        r.reason = MtaText::reasonFor(r.diagnostic, kMessages);
        // OpenSMTPD's bounce template titles its expiry notice "delayed" ("A message is
        // delayed for more than 0 seconds ... Envelope expired"): the envelope is gone, so
        // the delivery failed.
        r.action = delayed && r.reason != u"expired" ? u"delayed"_s : u"failed"_s;
        report.recipients.append(r);
    }
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
