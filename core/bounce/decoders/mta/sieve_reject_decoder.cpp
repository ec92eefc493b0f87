// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/sieve_reject_decoder.h"

#include <QRegularExpression>

#include "core/bounce/address.h"
#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"
#include "core/bounce/field_group.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

const mail::MimePart* mdnPart(const DecodeContext& ctx)
{
    if (const mail::MimePart* part = ctx.findPart("message/disposition-notification"))
        return part;
    return ctx.findPart("message/global-disposition-notification"); // RFC 6533 §6
}

// RFC 8098 §3.2.6: disposition-mode "automatic-action/..." and disposition-type "deleted"
// (RFC 3798 also allowed "denied" / "failed" modifiers, which old agents still write).
bool isAutomaticDeletion(const QString& disposition)
{
    static const QRegularExpression re(uR"(^\s*automatic-action\s*/[^;]*;\s*(deleted|denied|failed)\b)"_s,
                                       QRegularExpression::CaseInsensitiveOption);
    return re.match(disposition).hasMatch();
}

FieldGroup mdnFields(const mail::MimePart& part)
{
    // One group of fields (RFC 8098 §3.1); merge the blocks in case of stray blank lines.
    FieldGroup merged;
    for (const FieldGroup& g : FieldGroupParser::parse(part.body))
        merged.fields += g.fields;
    return merged;
}

// The human-readable part says why: "Your message to <a@b> was automatically rejected:" and
// the reason on the following lines.
QString noticeReason(const DecodeContext& ctx)
{
    QString text = ctx.noticeText();
    text.remove(u'\r');
    return MtaText::sweep(text).left(1000);
}

} // namespace

QString SieveRejectDecoder::family() const
{
    return u"sievereject"_s;
}

bool SieveRejectDecoder::detect(const DecodeContext& ctx) const
{
    const mail::MimePart* part = mdnPart(ctx);
    return part && isAutomaticDeletion(mdnFields(*part).value("Disposition"));
}

std::optional<BounceReport> SieveRejectDecoder::decode(const DecodeContext& ctx) const
{
    const mail::MimePart* part = mdnPart(ctx);
    if (!part)
        return std::nullopt;
    const FieldGroup fields = mdnFields(*part);
    if (!isAutomaticDeletion(fields.value("Disposition")))
        return std::nullopt;

    BounceReport report;
    report.family = family();
    report.reportingMta = FieldGroupParser::stripType(fields.value("Reporting-UA"));
    BounceRecipient r;
    r.recipient = Address::normalize(fields.value("Final-Recipient"));
    r.originalRecipient = Address::normalize(fields.value("Original-Recipient"));
    if (r.recipient.isEmpty())
        r.recipient = r.originalRecipient;
    r.action = u"failed"_s;
    r.diagnostic = noticeReason(ctx);
    if (r.diagnostic.isEmpty())
        r.diagnostic = fields.value("Disposition");
    report.recipients << r;
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
