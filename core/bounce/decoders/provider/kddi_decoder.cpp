// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/provider/kddi_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/mta/mta_text.h"
#include "core/bounce/decoders/provider/provider_support.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

constexpr QStringView kReplyTo = u"no-reply@app.auone-net.jp";

constexpr ReasonPhrase kMessages[] = {
    {u"mailboxfull", u"As their mailbox is full"},
    {u"norelaying", u"Due to the following SMTP relay error"},
    {u"hostunknown", u"As the remote domain doesnt exist"},
};

} // namespace

QString KddiDecoder::family() const
{
    return u"kddi"_s;
}

bool KddiDecoder::detect(const DecodeContext& ctx) const
{
    const mail::MimePart& root = ctx.root();
    static const QRegularExpression sender(uR"(^no-reply@.+\.dion\.ne\.jp$)"_s);
    return sender.match(ProviderSupport::fromAddress(root)).hasMatch()
        || ProviderSupport::headerContains(root, "Reply-To", kReplyTo)
        || ProviderSupport::receivedContains(ctx, u"ezweb.ne.jp (")
        || ProviderSupport::receivedContains(ctx, u".au.com (");
}

std::optional<BounceReport> KddiDecoder::decode(const DecodeContext& ctx) const
{
    // "Your mail sent on: Thu, 29 Apr 2010 11:04:47 +0900" then, indented,
    // "Could not be delivered to: <...>" and the reason.
    static const QRegularExpression start(
        uR"(^Your mail (?:sent on:? [A-Z][a-z]{2},|attempted to be delivered on:? [A-Z][a-z]{2},))"_s);
    static const QRegularExpression recipientLine(uR"(^[ \t]+Could not be delivered to: <([^ ]+@[^ ]+)>)"_s);
    static const QRegularExpression indented(uR"(^[ \t]+)"_s);
    QStringList addresses;
    QStringList diagnostic;
    bool started = false;
    for (const QString& line : ProviderSupport::lines(ctx.noticeText())) {
        if (!started) {
            started = start.match(line).hasMatch();
            continue;
        }
        if (const QRegularExpressionMatch m = recipientLine.match(line); m.hasMatch())
            addresses << m.captured(1);
        else if (indented.match(line).hasMatch())
            diagnostic << line;
    }
    // au filters ("spamghetti") mark what they refused with X-SPASIGN: NG.
    const bool filtered = ctx.root().header("X-SPASIGN").trimmed() == u"NG";
    BounceReport report = ProviderSupport::newReport(family());
    for (const QString& address : addresses) {
        BounceRecipient r = ProviderSupport::makeRecipient(address, diagnostic.join(u' '));
        if (r.recipient.isEmpty())
            continue;
        r.reason = filtered ? u"filtered"_s : MtaText::reasonFor(r.diagnostic, kMessages, Qt::CaseInsensitive);
        report.recipients.append(std::move(r));
    }
    if (report.recipients.isEmpty())
        return std::nullopt;
    return report;
}

} // namespace bi::core::bounce
