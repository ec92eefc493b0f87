// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/amavis_decoder.h"

#include "core/bounce/decoders/mta/mta_dsn.h"
#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

// amavisd-new's status texts (the "smtp_resp" it reports: "554 5.7.0 Reject, id=... - spam").
constexpr ReasonPhrase kMessages[] = {
    {u"spamdetected", u" - spam"},
    {u"virusdetected", u" - infected"},
    {u"contenterror", u" - bad header:"},
    {u"exceedlimit", u" - message size exceeds recipient"},
    {u"systemerror", u" - temporary mta failure on relaying"},
    {u"systemerror", u" - rejected by next-hop mta on relaying"},
    {u"systemerror", u" - unable to relay message back to mta"},
};

} // namespace

QString AmavisDecoder::family() const
{
    return u"amavis"_s;
}

bool AmavisDecoder::detect(const DecodeContext& ctx) const
{
    return ctx.root().header("From").trimmed().startsWith(u"\"Content-filter at ");
}

std::optional<BounceReport> AmavisDecoder::decode(const DecodeContext& ctx) const
{
    BounceReport report;
    report.family = family();
    // amavisd-new: "The message WAS NOT relayed to:", "The message could not be delivered"
    static constexpr QStringView kStart[] = {u"The message "};
    if (MtaText::findLine(MtaText::lines(MtaText::bounceText(ctx)), kStart, 0, true) < 0)
        return std::nullopt;
    QStringList dsn = MtaDsn::statusPartLines(ctx);
    if (dsn.isEmpty())
        dsn = MtaText::lines(MtaText::bounceText(ctx));
    report.recipients = MtaDsn::read(dsn, report);
    for (BounceRecipient& r : report.recipients)
        r.reason = MtaText::reasonFor(MtaText::sweep(r.diagnostic), kMessages, Qt::CaseInsensitive);
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
