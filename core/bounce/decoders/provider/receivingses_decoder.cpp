// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/provider/receivingses_decoder.h"

#include "core/bounce/decoders/mta/mta_text.h"
#include "core/bounce/decoders/provider/provider_support.h"
#include "core/bounce/status_code.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

constexpr QStringView kNoticeStart = u"This message could not be delivered.";

// The texts of SES receipt rule "Bounce" actions (the templates offered in the console):
// they name what the rule meant, whatever status code it was given.
constexpr ReasonPhrase kMessages[] = {
    {u"filtered", u"Mailbox does not exist"},
    {u"mesgtoobig", u"Message too large"},
    {u"mailboxfull", u"Mailbox full"},
    {u"contenterror", u"Message content rejected"},
};

} // namespace

QString ReceivingSesDecoder::family() const
{
    return u"receivingses"_s;
}

bool ReceivingSesDecoder::detect(const DecodeContext& ctx) const
{
    return ctx.root().hasHeader("X-SES-Outgoing") && ctx.findPart("message/delivery-status");
}

std::optional<BounceReport> ReceivingSesDecoder::decode(const DecodeContext& ctx) const
{
    if (!ctx.noticeText().trimmed().startsWith(kNoticeStart))
        return std::nullopt;
    std::optional<BounceReport> report = ProviderSupport::standardReport(ctx, family());
    if (!report)
        return std::nullopt;
    for (BounceRecipient& r : report->recipients) {
        if (ProviderSupport::isVagueStatus(r.status) || r.status.endsWith(u".1.0")) {
            if (const QString found = StatusCode::find(r.diagnostic); !found.isEmpty())
                r.status = found;
        }
        r.reason = MtaText::reasonFor(r.diagnostic, kMessages, Qt::CaseInsensitive);
        if (r.reason.isEmpty())
            r.reason = StatusCode::reasonFor(r.status);
    }
    return report;
}

} // namespace bi::core::bounce
