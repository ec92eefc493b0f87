// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/bounce_parser.h"

#include "core/bounce/address.h"
#include "core/bounce/bounce_decoder.h"
#include "core/bounce/decoder_registry.h"
#include "core/bounce/field_group.h"
#include "core/bounce/reason_classifier.h"
#include "core/mail/header_decoder.h"
#include "core/mail/mail_date.h"
#include "core/mail/mime_adapter.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

QString stripAngles(const QString& id)
{
    QString v = id.trimmed();
    if (const qsizetype lt = v.indexOf(u'<'); lt >= 0) {
        const qsizetype gt = v.indexOf(u'>', lt);
        v = gt > lt ? v.mid(lt + 1, gt - lt - 1) : v.mid(lt + 1);
    }
    return v.trimmed();
}

void fillOriginal(OriginalMessage& original, const mail::MimePart& part)
{
    original.messageId = stripAngles(part.header("Message-ID"));
    original.from = part.header("From").simplified();
    original.to = part.header("To").simplified();
    original.subject = part.header("Subject").simplified();
    original.date = part.header("Date").simplified();
    original.returnPath = Address::normalize(part.header("Return-Path"));
    for (const QString& r : part.headerAll("Received"))
        original.received << r.simplified();
}

// Bounces that quote the original as plain text (no message/rfc822 part) still carry
// its Message-ID line; take the first one in the body that is not the bounce's own.
QString messageIdFromText(const QByteArray& body, const QString& ownId)
{
    qsizetype at = 0;
    const QByteArray lower = body.toLower();
    while ((at = lower.indexOf("message-id:", at)) >= 0) {
        const bool lineStart = at == 0 || lower.at(at - 1) == '\n' || lower.at(at - 1) == ' ' || lower.at(at - 1) == '\t';
        const qsizetype eol = body.indexOf('\n', at);
        const QByteArray value = body.mid(at + 11, (eol < 0 ? body.size() : eol) - at - 11).trimmed();
        at += 11;
        if (!lineStart || !value.contains('@'))
            continue;
        const QString id = stripAngles(QString::fromLatin1(value));
        if (!id.isEmpty() && id != ownId)
            return id;
    }
    return {};
}

MessageKind overallKind(const QList<BounceRecipient>& recipients, MessageKind fallback)
{
    bool any[6] = {};
    for (const BounceRecipient& r : recipients)
        any[static_cast<int>(r.kind)] = true;
    for (MessageKind k : {MessageKind::Bounce, MessageKind::Feedback, MessageKind::AutoReply, MessageKind::Delay,
                          MessageKind::Delivered}) {
        if (any[static_cast<int>(k)])
            return k;
    }
    return fallback;
}

} // namespace

BounceReport BounceParser::parse(const QByteArray& raw)
{
    const mail::MimePart root = mail::MimeAdapter::parse(raw);
    const DecodeContext ctx(raw, root);

    BounceReport report = DecoderRegistry::instance().decode(ctx).value_or(BounceReport{});
    report.diagnostics += root.diagnostics;

    report.bounceMessageId = stripAngles(root.header("Message-ID"));
    report.from = root.header("From").simplified();
    report.to = root.header("To").simplified();
    report.subject = root.header("Subject").simplified();
    report.dateRaw = QString::fromLatin1(root.rawHeaderValue("Date")).simplified();
    if (const auto date = mail::MailDate::parse(root.rawHeaderValue("Date")))
        report.date = *date;
    else if (!report.dateRaw.isEmpty())
        report.diagnostics.append({Diagnostic::Severity::Info, u"date"_s, u"unparsable Date header kept as text"_s});

    if (const mail::MimePart* original = ctx.originalPart())
        fillOriginal(report.original, *original);
    if (report.original.messageId.isEmpty() && !report.recipients.isEmpty())
        report.original.messageId = messageIdFromText(ctx.rawBody(), report.bounceMessageId);

    for (BounceRecipient& r : report.recipients) {
        ReasonInput in;
        in.status = r.status;
        in.replyCode = r.replyCode;
        in.diagnostic = r.diagnostic;
        in.action = r.action;
        in.smtpCommand = r.smtpCommand;
        in.remoteHost = r.remoteMta;
        in.reportingHost = report.reportingMta;
        in.family = report.family;
        in.hintReason = r.reason;
        in.kind = r.kind;
        in.recipient = r.recipient;
        in.diagnosticType = r.diagnosticType;
        const ReasonResult decided = ReasonClassifier::classify(in);
        r.reason = decided.reason;
        r.status = decided.status;
        r.hardBounce = decided.hardBounce;
        if (r.replyCode.isEmpty())
            r.replyCode = decided.replyCode;
        if (r.smtpCommand.isEmpty())
            r.smtpCommand = decided.smtpCommand;
    }
    report.kind = overallKind(report.recipients, report.kind);
    return report;
}

} // namespace bi::core::bounce
