// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/provider/verizon_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/mta/mta_text.h"
#include "core/bounce/decoders/provider/provider_support.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

// Verizon's SMS gateway (vtext.com) and MMS gateway (vzwpix.com) write different notices.
enum class Gateway { None, Sms, Mms };

constexpr QStringView kSmsSender = u"post_master@vtext.com";
constexpr QStringView kSmsRelay = u".vtext.com (";

constexpr ReasonPhrase kMessages[] = {
    {u"userunknown", u"550 - Requested action not taken: no such user here"},
    {u"userunknown", u"No valid recipients for this MM"},
};

Gateway gatewayOf(const DecodeContext& ctx)
{
    const mail::MimePart& root = ctx.root();
    if (!ProviderSupport::receivedContains(ctx, kSmsRelay))
        return Gateway::None;
    const QString from = ProviderSupport::fromAddress(root);
    if (from == kSmsSender)
        return Gateway::Sms;
    static const QRegularExpression mmsSender(uR"(^sysadmin@.+\.vzwpix\.com$)"_s);
    return mmsSender.match(from).hasMatch() ? Gateway::Mms : Gateway::None;
}

} // namespace

QString VerizonDecoder::family() const
{
    return u"verizon"_s;
}

bool VerizonDecoder::detect(const DecodeContext& ctx) const
{
    return gatewayOf(ctx) != Gateway::None;
}

std::optional<BounceReport> VerizonDecoder::decode(const DecodeContext& ctx) const
{
    const Gateway gateway = gatewayOf(ctx);
    // SMS: "Error: Invalid user address", the reply "550 - Requested action ...", then
    // "Message details:" with "RCPT TO: <recipient>".
    // MMS: "Message could not be delivered to mobile.", "Error: No valid recipients for this MM",
    // then the original's "To:" (the only place the notice names the recipient).
    static const QRegularExpression smsStart(uR"(^Error:\s)"_s);
    static const QRegularExpression smsRecipient(uR"(^[ \t]+RCPT TO:\s*(.*)$)"_s);
    static const QRegularExpression smsReply(uR"(^(\d{3})[ \t]-[ \t](.*)$)"_s);
    static const QRegularExpression mmsRecipient(uR"(^To:[ \t]+(.*)$)"_s);
    static const QRegularExpression mmsError(uR"(^Error:[ \t]+(.+)$)"_s);
    constexpr QStringView mmsStart = u"Message could not be delivered to mobile";

    QStringList addresses;
    QString diagnostic;
    bool started = false;
    for (const QString& line : ProviderSupport::lines(ctx.noticeText())) {
        if (!started) {
            started = gateway == Gateway::Sms ? smsStart.match(line).hasMatch() : line.startsWith(mmsStart);
            if (!started || gateway == Gateway::Sms)
                continue;
        }
        if (gateway == Gateway::Sms) {
            if (const QRegularExpressionMatch m = smsRecipient.match(line); m.hasMatch())
                addresses << m.captured(1);
            else if (smsReply.match(line).hasMatch())
                diagnostic = line;
        } else {
            if (const QRegularExpressionMatch m = mmsRecipient.match(line); m.hasMatch())
                addresses << m.captured(1);
            else if (const QRegularExpressionMatch e = mmsError.match(line); e.hasMatch())
                diagnostic = e.captured(1);
        }
    }
    BounceReport report = ProviderSupport::newReport(family());
    for (const QString& address : addresses) {
        BounceRecipient r = ProviderSupport::makeRecipient(address, diagnostic);
        if (r.recipient.isEmpty())
            continue;
        r.reason = MtaText::reasonFor(r.diagnostic, kMessages, Qt::CaseInsensitive);
        report.recipients.append(std::move(r));
    }
    if (report.recipients.isEmpty())
        return std::nullopt;
    return report;
}

} // namespace bi::core::bounce
