// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/provider/provider_support.h"

#include <cstring>

#include "core/bounce/address.h"
#include "core/bounce/decoders/rfc3464_decoder.h"
#include "core/bounce/status_code.h"
#include "core/common/text_case.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

QStringList ProviderSupport::lines(const QString& text)
{
    QStringList out = text.split(u'\n');
    for (QString& line : out) {
        if (line.endsWith(u'\r'))
            line.chop(1);
    }
    return out;
}

QString ProviderSupport::textBefore(const QString& text, std::span<const QStringView> markers)
{
    qsizetype lineStart = 0;
    while (lineStart < text.size()) {
        qsizetype eol = text.indexOf(u'\n', lineStart);
        if (eol < 0)
            eol = text.size();
        const QStringView line = QStringView(text).mid(lineStart, eol - lineStart).trimmed();
        for (QStringView marker : markers) {
            if (line.startsWith(marker, Qt::CaseInsensitive))
                return text.left(lineStart);
        }
        lineStart = eol + 1;
    }
    return text;
}

QString ProviderSupport::sweep(QStringView text)
{
    return text.toString().simplified();
}

bool ProviderSupport::headerContains(const mail::MimePart& part, QByteArrayView name, QStringView needle)
{
    return containsCaseInsensitive(part.header(name), needle);
}

bool ProviderSupport::receivedContains(const DecodeContext& ctx, QStringView needle)
{
    // Needles are ASCII relay names; memmem over the bytes beats a UTF-16 search severalfold.
    const QByteArray& hay = ctx.receivedLower();
    const QByteArray want = lowerCase(needle).toLatin1();
    return !hay.isEmpty() && memmem(hay.constData(), size_t(hay.size()), want.constData(), size_t(want.size()));
}

QString ProviderSupport::fromAddress(const mail::MimePart& part)
{
    return Address::normalize(part.header("From"));
}

BounceReport ProviderSupport::newReport(QStringView family)
{
    BounceReport report;
    report.kind = MessageKind::Bounce;
    report.family = family.toString();
    return report;
}

std::optional<BounceReport> ProviderSupport::standardReport(const DecodeContext& ctx, QStringView family)
{
    for (QByteArrayView type : {QByteArrayView("message/delivery-status"), QByteArrayView("message/global-delivery-status")}) {
        if (const mail::MimePart* part = ctx.findPart(type)) {
            if (std::optional<BounceReport> report = reportFromFields(part->body, family))
                return report;
        }
    }
    static const Rfc3464Decoder rfc3464;
    std::optional<BounceReport> report = rfc3464.decode(ctx);
    if (report)
        report->family = family.toString();
    return report;
}

std::optional<BounceReport> ProviderSupport::reportFromFields(const QByteArray& fields, QStringView family)
{
    const QList<FieldGroup> groups = FieldGroupParser::parse(fields);
    BounceReport report = newReport(family);
    readPerMessageFields(groups, report);
    for (const FieldGroup& g : groups) {
        // One group may hold several recipients when the vendor leaves out the blank lines
        // between them (RFC 3464 §2.3 wants one group per recipient); split at each
        // Final-Recipient field.
        QList<FieldGroup> perRecipient;
        for (const FieldGroup::Field& f : g.fields) {
            if (f.name.compare("Final-Recipient", Qt::CaseInsensitive) == 0 || perRecipient.isEmpty())
                perRecipient.append(FieldGroup{});
            perRecipient.last().fields.append(f);
        }
        // Fields written before the first Final-Recipient belong to it (Amazon WorkMail puts
        // Action first).
        if (perRecipient.size() > 1 && !perRecipient.first().has("Final-Recipient")) {
            FieldGroup head = perRecipient.takeFirst();
            head.fields += perRecipient.first().fields;
            perRecipient.first() = head;
        }
        for (const FieldGroup& rg : perRecipient) {
            BounceRecipient r;
            r.recipient = Address::normalize(rg.value("Final-Recipient"));
            r.originalRecipient = Address::normalize(rg.value("Original-Recipient"));
            if (r.recipient.isEmpty())
                r.recipient = Address::normalize(rg.value("X-Actual-Recipient"));
            if (r.recipient.isEmpty())
                r.recipient = r.originalRecipient;
            if (r.recipient.isEmpty())
                continue;
            r.action = rg.value("Action").section(u' ', 0, 0).toLower();
            const QString diagnosticField = rg.value("Diagnostic-Code");
            r.diagnosticType = FieldGroupParser::typeOf(diagnosticField);
            r.diagnostic = sweep(r.diagnosticType.isEmpty() ? diagnosticField
                                                            : FieldGroupParser::stripType(diagnosticField));
            r.status = StatusCode::normalize(rg.value("Status"));
            r.remoteMta = FieldGroupParser::mtaName(rg.value("Remote-MTA"));
            r.lastAttempt = rg.value("Last-Attempt-Date");
            r.willRetryUntil = rg.value("Will-Retry-Until");
            if (r.action.startsWith(u"delayed"))
                r.kind = MessageKind::Delay;
            else if (r.action == u"delivered" || r.action == u"relayed" || r.action == u"expanded"
                     || (r.action.isEmpty() && r.status.startsWith(u'2')))
                r.kind = MessageKind::Delivered;
            completeFromDiagnostic(r);
            report.recipients.append(std::move(r));
        }
    }
    if (report.recipients.isEmpty())
        return std::nullopt;
    return report;
}

void ProviderSupport::completeFromDiagnostic(BounceRecipient& r)
{
    if (r.status.isEmpty())
        r.status = StatusCode::find(r.diagnostic);
    if (r.replyCode.isEmpty())
        r.replyCode = StatusCode::findReplyCode(r.diagnostic);
    if (r.smtpCommand.isEmpty())
        r.smtpCommand = StatusCode::findCommand(r.diagnostic);
}

BounceRecipient ProviderSupport::makeRecipient(const QString& address, const QString& diagnostic)
{
    BounceRecipient r;
    r.recipient = Address::normalize(address);
    r.action = u"failed"_s;
    r.diagnostic = sweep(diagnostic);
    completeFromDiagnostic(r);
    return r;
}

bool ProviderSupport::isVagueStatus(QStringView status)
{
    return status.isEmpty() || status.endsWith(u".0.0");
}

} // namespace bi::core::bounce
