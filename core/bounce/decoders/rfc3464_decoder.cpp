// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/rfc3464_decoder.h"

#include <algorithm>

#include <QRegularExpression>

#include "core/bounce/address.h"
#include "core/bounce/field_group.h"
#include "core/bounce/lda_notice.h"
#include "core/bounce/status_code.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

const QByteArrayView kStatusTypes[] = {"message/delivery-status", "message/global-delivery-status",
                                       "text/delivery-status"};

bool isRecipientGroup(const FieldGroup& g)
{
    return g.has("Final-Recipient") || g.has("Original-Recipient");
}

// Some senders break the MIME structure (a boundary indented by a space, a wrong
// boundary parameter), so the status fields end up inside a text part. Then we take the
// body text from the first DSN field to the next boundary-looking line.
QByteArray statusTextFromRawBody(const QByteArray& body)
{
    static const QByteArrayView starts[] = {"\nReporting-MTA:", "\nFinal-Recipient:", "\nOriginal-Recipient:",
                                            "\nOriginal-Envelope-Id:", "\nArrival-Date:"};
    const QByteArray lower = body.toLower();
    qsizetype begin = -1;
    for (QByteArrayView s : starts) {
        const qsizetype at = lower.indexOf(s.toByteArray().toLower());
        if (at >= 0 && (begin < 0 || at < begin))
            begin = at;
    }
    if (begin < 0)
        return {};
    qsizetype end = body.size();
    for (qsizetype at = body.indexOf('\n', begin + 1); at >= 0 && at + 1 < body.size(); at = body.indexOf('\n', at + 1)) {
        const QByteArrayView rest = QByteArrayView(body).sliced(at + 1);
        const QByteArrayView trimmed = rest.trimmed();
        if (trimmed.startsWith("--")) {
            end = at;
            break;
        }
        if (rest.startsWith("Content-Type:") || rest.startsWith("Content-type:") || rest.startsWith("content-type:")) {
            end = at;
            break;
        }
    }
    return body.mid(begin + 1, end - begin - 1);
}

// Sendmail-style notices put the SMTP transcript in the human-readable part and leave
// Diagnostic-Code out: "----- Transcript of session follows -----" then the reply.
QString transcriptLine(const QString& notice)
{
    const qsizetype marker = notice.indexOf(u"Transcript of session follows"_s, 0, Qt::CaseInsensitive);
    if (marker < 0)
        return {};
    const QStringList lines = notice.mid(marker).split(u'\n').mid(1);
    for (const QString& line : lines) {
        const QString t = line.trimmed();
        if (t.isEmpty())
            continue;
        if (t.startsWith(u"-----"_s) || t.startsWith(u"... while talking"_s, Qt::CaseInsensitive))
            continue;
        return t.startsWith(u">>>"_s) ? QString() : t;
    }
    return {};
}

// RFC 3464 §2.3.2: Final-Recipient is the address the reporting MTA tried, and the failure
// is about exactly that address, even when it is malformed (sendmail-host-unknown.msg:
// "rfc822; recipient@#example.net", a typo in a list). Address::normalize() refuses such
// values, so keep a single-token "local@domain" as written rather than lose the recipient.
QString recipientAsWritten(const QString& field)
{
    QString v = FieldGroupParser::stripType(field);
    if (v.startsWith(u'<') && v.endsWith(u'>'))
        v = v.mid(1, v.size() - 2).trimmed();
    static const QRegularExpression token(uR"(^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+$)"_s);
    if (v.size() > 320 || !token.match(v).hasMatch())
        return {};
    return v.toLower();
}

MessageKind kindForAction(const QString& action, const QString& status)
{
    const QString a = action.toLower();
    if (a.startsWith(u"delayed"))
        return MessageKind::Delay;
    if (a == u"delivered" || a == u"relayed" || a == u"expanded")
        return MessageKind::Delivered;
    if (a.isEmpty() && status.startsWith(u'2'))
        return MessageKind::Delivered;
    return MessageKind::Bounce;
}

} // namespace

QString Rfc3464Decoder::family() const
{
    return u"rfc3464"_s;
}

bool Rfc3464Decoder::detect(const DecodeContext& ctx) const
{
    for (QByteArrayView type : kStatusTypes) {
        if (ctx.findPart(type))
            return true;
    }
    const QByteArray lower = ctx.rawBody().toLower();
    return (lower.contains("\nfinal-recipient:") || lower.contains("\noriginal-recipient:"))
        && (lower.contains("\nstatus:") || lower.contains("\naction:"));
}

void readPerMessageFields(const QList<FieldGroup>& groups, BounceReport& report)
{
    // RFC 3464 §2.2: the per-message fields come first; some MTAs merge them into the
    // first recipient's group, so look at every group for them.
    for (const FieldGroup& g : groups) {
        auto take = [&g](QString& into, QByteArrayView name) {
            if (into.isEmpty())
                into = g.value(name);
        };
        take(report.reportingMta, "Reporting-MTA");
        take(report.receivedFromMta, "Received-From-MTA");
        take(report.arrivalDate, "Arrival-Date");
        take(report.envelopeId, "Original-Envelope-Id");
        take(report.queueId, "X-Postfix-Queue-ID");
        take(report.postfixSender, "X-Postfix-Sender");
    }
    report.reportingMta = FieldGroupParser::mtaName(report.reportingMta);
    report.receivedFromMta = FieldGroupParser::mtaName(report.receivedFromMta);
    report.postfixSender = Address::normalize(report.postfixSender);
}

std::optional<BounceReport> Rfc3464Decoder::decode(const DecodeContext& ctx) const
{
    QList<FieldGroup> groups;
    for (QByteArrayView type : kStatusTypes) {
        if (const mail::MimePart* part = ctx.findPart(type)) {
            groups = FieldGroupParser::parse(part->body);
            break;
        }
    }
    if (!std::any_of(groups.cbegin(), groups.cend(), isRecipientGroup))
        groups = FieldGroupParser::parse(statusTextFromRawBody(ctx.rawBody()));
    if (!std::any_of(groups.cbegin(), groups.cend(), isRecipientGroup))
        return std::nullopt;

    BounceReport report;
    report.family = family();
    readPerMessageFields(groups, report);

    for (const FieldGroup& g : groups) {
        if (!isRecipientGroup(g))
            continue;
        BounceRecipient r;
        r.recipient = Address::normalize(g.value("Final-Recipient"));
        r.originalRecipient = Address::normalize(g.value("Original-Recipient"));
        if (r.recipient.isEmpty())
            r.recipient = Address::normalize(g.value("X-Actual-Recipient"));
        if (r.recipient.isEmpty())
            r.recipient = r.originalRecipient;
        if (r.recipient.isEmpty()) {
            r.recipient = recipientAsWritten(g.value("Final-Recipient"));
            if (r.recipient.isEmpty())
                continue;
            report.diagnostics.append({Diagnostic::Severity::Warning, u"dsn"_s,
                                       u"malformed Final-Recipient kept as written: "_s + r.recipient});
        }
        r.action = g.value("Action").section(u' ', 0, 0).toLower();
        const QString diagnosticField = g.value("Diagnostic-Code");
        r.diagnosticType = FieldGroupParser::typeOf(diagnosticField);
        r.diagnostic = r.diagnosticType.isEmpty() ? diagnosticField.trimmed()
                                                  : FieldGroupParser::stripType(diagnosticField);
        if (r.diagnostic.isEmpty()) {
            r.diagnostic = transcriptLine(ctx.noticeText());
            if (r.diagnostic.isEmpty()) // broken MIME: the notice is only in the raw body
                r.diagnostic = transcriptLine(QString::fromUtf8(ctx.rawBody()));
            r.diagnosticType.clear();
        }
        r.status = StatusCode::normalize(g.value("Status"));
        if (r.status.isEmpty())
            r.status = StatusCode::find(r.diagnostic);
        r.replyCode = StatusCode::findReplyCode(r.diagnostic);
        r.smtpCommand = StatusCode::findCommand(r.diagnostic);
        r.remoteMta = FieldGroupParser::mtaName(g.value("Remote-MTA"));
        r.lastAttempt = g.value("Last-Attempt-Date");
        r.willRetryUntil = g.value("Will-Retry-Until");
        r.kind = kindForAction(r.action, r.status);
        report.recipients.append(std::move(r));
    }
    if (report.recipients.isEmpty())
        return std::nullopt;
    // A local delivery agent's own error in the human-readable part (Dovecot's "was automatically
    // rejected:", "mail.local: ...") says what failed better than the Diagnostic-Code, which may
    // repeat an earlier SMTP reply; as Sisimai::MDA, it replaces the diagnostic of the failures.
    if (const LdaNotice lda = findLdaNotice(ctx.noticeText()); !lda.agent.isEmpty()) {
        for (BounceRecipient& r : report.recipients) {
            if (r.kind != MessageKind::Bounce)
                continue;
            r.diagnostic = lda.message;
            r.diagnosticType.clear();
            r.replyCode = StatusCode::findReplyCode(lda.message);
            r.smtpCommand.clear();
            r.reason = lda.reason;
        }
    }
    return report;
}

} // namespace bi::core::bounce
