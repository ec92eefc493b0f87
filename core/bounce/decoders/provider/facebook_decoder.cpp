// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/provider/facebook_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/provider/provider_support.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

constexpr QStringView kSender = u"mailer-daemon@mx.facebook.com";
constexpr QStringView kSubject = u"Sorry, your message could not be delivered";

// Facebook's response codes (formerly http://postmaster.facebook.com/response_codes, as
// kept by sisimai, Sisimai::Lhost::Facebook). "-P" codes are permanent, "-T" temporary.
struct ResponseCode {
    const char16_t* code;
    const char16_t* reason;
};
constexpr ResponseCode kResponseCodes[] = {
    {u"RCP-P1", u"userunknown"},     // the recipient address does not exist
    {u"INT-P1", u"userunknown"},     // the recipient address does not exist
    {u"INT-P3", u"userunknown"},     // the recipient group address does not exist
    {u"INT-P4", u"userunknown"},     // the recipient address does not exist
    {u"RCP-P2", u"filtered"},        // the recipient's preferences prevent delivery
    {u"RCP-P3", u"filtered"},        // the recipient's privacy settings blocked delivery
    {u"POL-P1", u"blocked"},         // your IP address is on the Spamhaus PBL
    {u"POL-P2", u"blocked"},         // mail from your IP address is no longer accepted
    {u"MSG-P1", u"mesgtoobig"},      // the message exceeds the maximum size
    {u"INT-P2", u"mesgtoobig"},      // the message exceeds the maximum size
    {u"MSG-P2", u"contenterror"},    // attachment type not accepted
    {u"MSG-P3", u"contenterror"},    // a header field that may appear once appears more often
    {u"POL-P6", u"contenterror"},    // a URL blocked by Facebook
    {u"POL-P7", u"contenterror"},    // the message does not comply with the abuse policies
    {u"POL-P3", u"notaccept"},       // not accepting messages from your server (4-8 hours)
    {u"POL-P4", u"notaccept"},       // not accepting messages from your server (24-48 hours)
    {u"POL-T1", u"notaccept"},       // not accepting for now, retry later (1-2 hours)
    {u"POL-T2", u"notaccept"},       // not accepting for now, retry later (4-8 hours)
    {u"POL-T3", u"notaccept"},       // not accepting for now, retry later (24-48 hours)
    {u"DNS-P1", u"rejected"},        // your MAIL FROM domain does not exist
    {u"DNS-P2", u"rejected"},        // your MAIL FROM domain has no MX record
    {u"DNS-T1", u"rejected"},        // your MAIL FROM domain does not resolve at the moment
    {u"DNS-P3", u"rejected"},        // your server has no reverse DNS record
    {u"DNS-T2", u"rejected"},        // your server's reverse DNS record does not resolve
    {u"CON-T1", u"systemerror"},     // Facebook's server has too many connections open
    {u"RCP-T1", u"systemerror"},     // the recipient is not available (internal issue)
    {u"CON-T2", u"toomanyconn"},     // your server has too many connections open to Facebook
    {u"CON-T3", u"toomanyconn"},     // your server opened too many connections too quickly
    {u"POL-P5", u"virusdetected"},   // the message contains a virus
    {u"RCP-T4", u"suspend"},         // the recipient address is deactivated
    {u"MSG-T1", u"undefined"},       // too many recipients on the message
    {u"CON-T4", u"undefined"},       // too many recipients on this connection
};

QString reasonForCode(const QString& code)
{
    for (const ResponseCode& rc : kResponseCodes) {
        if (code == QStringView(rc.code))
            return QString::fromUtf16(rc.reason);
    }
    // INT-Tn: a temporary problem inside Facebook.
    if (code.startsWith(u"INT-T"))
        return u"systemerror"_s;
    return {};
}

} // namespace

QString FacebookDecoder::family() const
{
    return u"facebook"_s;
}

bool FacebookDecoder::detect(const DecodeContext& ctx) const
{
    return ProviderSupport::fromAddress(ctx.root()) == kSender
        && ProviderSupport::headerContains(ctx.root(), "Subject", kSubject);
}

std::optional<BounceReport> FacebookDecoder::decode(const DecodeContext& ctx) const
{
    std::optional<BounceReport> report = ProviderSupport::standardReport(ctx, family());
    if (!report)
        return std::nullopt;
    static const QRegularExpression responseCode(uR"(\b([A-Z]{3})-([A-Z])(\d)\b)"_s);
    for (BounceRecipient& r : report->recipients) {
        if (const QRegularExpressionMatch m = responseCode.match(r.diagnostic); m.hasMatch())
            r.reason = reasonForCode(m.captured(0));
    }
    return report;
}

} // namespace bi::core::bounce
