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

namespace {

// Microsoft's junk-mail reporting (JMRP, Outlook.com/Hotmail) predates RFC 5965: a
// multipart/mixed "complaint about message from <ip>" carrying the reported message,
// whose X-HmXmrOriginalRecipient names the complaining recipient.
bool isMicrosoftComplaint(const DecodeContext& ctx)
{
    return ctx.root().header("Subject").trimmed().startsWith(u"complaint about message from"_s, Qt::CaseInsensitive)
        && ctx.originalPart() != nullptr;
}

} // namespace

bool ArfDecoder::detect(const DecodeContext& ctx) const
{
    // RFC 5965 §2: multipart/report; report-type=feedback-report with a
    // message/feedback-report part. Some providers omit the report-type parameter.
    return ctx.findPart("message/feedback-report") != nullptr || isMicrosoftComplaint(ctx);
}

std::optional<BounceReport> ArfDecoder::decode(const DecodeContext& ctx) const
{
    const mail::MimePart* reportPart = ctx.findPart("message/feedback-report");
    if (!reportPart && !isMicrosoftComplaint(ctx))
        return std::nullopt;
    const FieldGroup fields = reportPart ? mergedGroups(reportPart->body) : FieldGroup{};

    BounceReport report;
    report.family = family();
    report.kind = MessageKind::Feedback;
    report.reportingMta = FieldGroupParser::mtaName(fields.value("Reporting-MTA"));
    report.arrivalDate = fields.value("Arrival-Date");
    if (report.arrivalDate.isEmpty())
        report.arrivalDate = fields.value("Received-Date");
    report.postfixSender = Address::normalize(fields.value("Original-Mail-From"));

    QString feedbackType = fields.value("Feedback-Type").trimmed().toLower();
    if (feedbackType.isEmpty())
        feedbackType = u"abuse"_s; // a complaint without a report part is an abuse report
    const QString sourceIp = fields.value("Source-IP").trimmed();
    QString diagnostic = reportPart ? collapseWhitespace(ctx.noticeText()) : QString();
    if (diagnostic.isEmpty())
        diagnostic = ctx.root().header("Subject").simplified();

    // RFC 5965 §3.2: Original-Rcpt-To may repeat, one per recipient of the original.
    QStringList recipients;
    for (const QString& v : fields.values("Original-Rcpt-To") + fields.values("Removal-Recipient")) {
        const QString a = Address::normalize(v);
        if (!a.isEmpty() && !recipients.contains(a))
            recipients << a;
    }
    if (const mail::MimePart* original = ctx.originalPart(); recipients.isEmpty() && original) {
        const QString hotmail = Address::normalize(original->header("X-HmXmrOriginalRecipient"));
        if (!hotmail.isEmpty())
            recipients << hotmail;
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
