// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/arf_decoder.h"

#include "core/bounce/address.h"
#include "core/bounce/field_group.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

// When neither the report nor the original names a recipient (e.g. "To: <Undisclosed
// Recipients>"), the record still needs an address; this reserved-TLD placeholder
// (RFC 2606 .invalid) is the one the reference labels use.
const QString kUndisclosedRecipient = u"undisclosed-recipient-in-headers@libsisimai.org.invalid"_s;

FieldGroup mergedGroups(const QByteArray& body)
{
    FieldGroup all;
    for (const FieldGroup& g : FieldGroupParser::parse(body))
        all.fields += g.fields;
    return all;
}

QString collapseWhitespace(const QString& text)
{
    return text.simplified();
}

} // namespace

QString ArfDecoder::family() const
{
    return u"arf"_s;
}

bool ArfDecoder::detect(const DecodeContext& ctx) const
{
    // RFC 5965 §2: multipart/report; report-type=feedback-report with a
    // message/feedback-report part. Some providers omit the report-type parameter.
    return ctx.findPart("message/feedback-report") != nullptr;
}

std::optional<BounceReport> ArfDecoder::decode(const DecodeContext& ctx) const
{
    const mail::MimePart* reportPart = ctx.findPart("message/feedback-report");
    if (!reportPart)
        return std::nullopt;
    const FieldGroup fields = mergedGroups(reportPart->body);

    BounceReport report;
    report.family = family();
    report.kind = MessageKind::Feedback;
    report.reportingMta = FieldGroupParser::stripType(fields.value("Reporting-MTA"));
    report.arrivalDate = fields.value("Arrival-Date");
    if (report.arrivalDate.isEmpty())
        report.arrivalDate = fields.value("Received-Date");
    report.postfixSender = Address::normalize(fields.value("Original-Mail-From"));

    QString feedbackType = fields.value("Feedback-Type").trimmed().toLower();
    const QString sourceIp = fields.value("Source-IP").trimmed();
    const QString diagnostic = collapseWhitespace(ctx.noticeText());

    // RFC 5965 §3.2: Original-Rcpt-To may repeat, one per recipient of the original.
    QStringList recipients;
    for (const QString& v : fields.values("Original-Rcpt-To") + fields.values("Removal-Recipient")) {
        const QString a = Address::normalize(v);
        if (!a.isEmpty() && !recipients.contains(a))
            recipients << a;
    }
    if (recipients.isEmpty()) {
        if (const mail::MimePart* original = ctx.originalPart()) {
            for (const QString& to : original->headerAll("To")) {
                for (const QString& a : Address::findAll(to)) {
                    if (!recipients.contains(a))
                        recipients << a;
                }
            }
        }
    }
    if (recipients.isEmpty())
        recipients << kUndisclosedRecipient;

    for (const QString& address : recipients) {
        BounceRecipient r;
        r.kind = MessageKind::Feedback;
        r.recipient = address;
        r.feedbackType = feedbackType;
        r.diagnostic = diagnostic;
        r.remoteMta = sourceIp;
        report.recipients.append(std::move(r));
    }
    return report;
}

} // namespace bi::core::bounce
