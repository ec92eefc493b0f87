// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/provider/aol_decoder.h"

#include "core/bounce/decoders/mta/mta_text.h"
#include "core/bounce/decoders/provider/provider_support.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

// AOL's relays (Postfix based) word DNS failures this way in the Diagnostic-Code.
constexpr ReasonPhrase kMessages[] = {
    {u"hostunknown", u"Host or domain name not found"},
    {u"notaccept", u"type=MX: Malformed or unexpected name server reply"},
};

} // namespace

QString AolDecoder::family() const
{
    return u"aol"_s;
}

bool AolDecoder::detect(const DecodeContext& ctx) const
{
    return ctx.root().hasHeader("X-AOL-IP");
}

std::optional<BounceReport> AolDecoder::decode(const DecodeContext& ctx) const
{
    std::optional<BounceReport> report = ProviderSupport::standardReport(ctx, family());
    if (!report)
        return std::nullopt;
    for (BounceRecipient& r : report->recipients)
        r.reason = MtaText::reasonFor(r.diagnostic, kMessages, Qt::CaseInsensitive);
    return report;
}

} // namespace bi::core::bounce
