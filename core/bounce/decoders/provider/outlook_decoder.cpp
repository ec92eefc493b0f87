// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/provider/outlook_decoder.h"

#include "core/bounce/decoders/mta/mta_text.h"
#include "core/bounce/decoders/provider/provider_support.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

// Outlook.com's wording in Diagnostic-Code.
constexpr ReasonPhrase kMessages[] = {
    {u"hostunknown", u"The mail could not be delivered to the recipient because the domain is not reachable"},
    {u"userunknown", u"Requested action not taken: mailbox unavailable"},
};

// At least two of these signs: Hotmail's own headers, its relays, its subject.
int signs(const DecodeContext& ctx)
{
    const mail::MimePart& root = ctx.root();
    int n = 0;
    n += ProviderSupport::headerContains(root, "Subject", u"Delivery Status Notification");
    n += !root.header("X-Message-Delivery").isEmpty();
    n += !root.header("X-Message-Info").isEmpty();
    n += ProviderSupport::receivedContains(ctx, u".hotmail.com");
    return n;
}

} // namespace

QString OutlookDecoder::family() const
{
    return u"outlook"_s;
}

bool OutlookDecoder::detect(const DecodeContext& ctx) const
{
    return signs(ctx) >= 2 && ctx.findPart("message/delivery-status");
}

std::optional<BounceReport> OutlookDecoder::decode(const DecodeContext& ctx) const
{
    std::optional<BounceReport> report = ProviderSupport::standardReport(ctx, family());
    if (!report)
        return std::nullopt;
    for (BounceRecipient& r : report->recipients)
        r.reason = MtaText::reasonFor(r.diagnostic, kMessages, Qt::CaseInsensitive);
    return report;
}

} // namespace bi::core::bounce
