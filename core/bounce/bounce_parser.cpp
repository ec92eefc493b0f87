// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/bounce_parser.h"

#include <QRegularExpression>
#include <QSet>

#include "core/bounce/address.h"
#include "core/bounce/bounce_decoder.h"
#include "core/bounce/decoder_registry.h"
#include "core/bounce/field_group.h"
#include "core/bounce/reason_classifier.h"
#include "core/common/text_case.h"
#include "core/mail/header_decoder.h"
#include "core/mail/mail_date.h"
#include "core/mail/mime_adapter.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

// The <id> tokens of a Message-ID list field (References, In-Reply-To), without brackets.
QStringList angleIds(const QString& field)
{
    static const QRegularExpression re(uR"(<([^<>\s]+)>)"_s);
    QStringList ids;
    for (auto it = re.globalMatch(field); it.hasNext();)
        ids << it.next().captured(1);
    return ids;
}

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
    original.from = simplifiedText(part.header("From"));
    original.to = simplifiedText(part.header("To"));
    original.subject = simplifiedText(part.header("Subject"));
    original.date = simplifiedText(part.header("Date"));
    original.returnPath = Address::normalize(part.header("Return-Path"));
    for (const QString& r : part.headerAll("Received"))
        original.received << simplifiedText(r);
}

// Bounces that quote the original as plain text (no message/rfc822 part) still carry
// its Message-ID line; the first one in the body that is not the bounce's own marks it.
// Returns the offset of that line, or -1.
qsizetype quotedMessageIdLine(const QByteArray& body, const QString& ownId, QString* id)
{
    // "message-id:" in any case (ASCII), found without lower-casing a copy of the body.
    static constexpr QByteArrayView kName("message-id:");
    const char* d = body.constData();
    const qsizetype last = body.size() - kName.size();
    for (qsizetype at = 0; at <= last; ++at) {
        at = indexOfLetterEitherCase(body, 'm', at);
        if (at < 0 || at > last)
            break;
        if (qstrnicmp(d + at, kName.data(), kName.size()) != 0)
            continue;
        const bool lineStart = at == 0 || d[at - 1] == '\n' || d[at - 1] == ' ' || d[at - 1] == '\t';
        const qsizetype eol = body.indexOf('\n', at);
        const QByteArray value = body.mid(at + 11, (eol < 0 ? body.size() : eol) - at - 11).trimmed();
        if (!lineStart || !value.contains('@'))
            continue;
        const QString found = stripAngles(QString::fromLatin1(value));
        if (!found.isEmpty() && found != ownId) {
            *id = found;
            return at;
        }
    }
    return -1;
}

// The offset of the first line that starts with one of `names` (lower-case, with the
// colon), or -1.
qsizetype firstHeaderLine(const QByteArray& body, std::initializer_list<QByteArrayView> names)
{
    for (qsizetype at = 0; at < body.size();) {
        for (QByteArrayView name : names) {
            if (body.size() - at >= name.size() && qstrnicmp(body.constData() + at, name.data(), name.size()) == 0)
                return at;
        }
        const qsizetype eol = body.indexOf('\n', at);
        if (eol < 0)
            break;
        at = eol + 1;
    }
    return -1;
}

// A header line ("Name: value", RFC 5322 field name) or a folded continuation of one.
bool isHeaderLine(QByteArrayView line)
{
    if (line.isEmpty())
        return false;
    if (line.front() == ' ' || line.front() == '\t')
        return true;
    qsizetype i = 0;
    while (i < line.size() && line[i] > 32 && line[i] < 127 && line[i] != ':')
        ++i;
    return i > 0 && i < line.size() && line[i] == ':';
}

// The header block around offset `at` of a text-quoted original: the contiguous header lines
// before and after it, up to a blank or non-header line. Quoted text may be indented
// ("> Received: ..." is not taken: it is a reply, not a copy).
QByteArray quotedHeaderBlock(const QByteArray& body, qsizetype at)
{
    auto lineAt = [&body](qsizetype start) {
        qsizetype end = body.indexOf('\n', start);
        if (end < 0)
            end = body.size();
        QByteArrayView line(body.constData() + start, end - start);
        if (line.endsWith('\r'))
            line.chop(1);
        return std::pair{line, end};
    };
    qsizetype lineStart = at;
    while (lineStart > 0 && body.at(lineStart - 1) != '\n')
        --lineStart;
    qsizetype first = lineStart;
    while (first > 0) {
        qsizetype prev = first - 1; // the '\n' ending the previous line
        while (prev > 0 && body.at(prev - 1) != '\n')
            --prev;
        if (!isHeaderLine(lineAt(prev).first))
            break;
        first = prev;
    }
    // A block that starts with a continuation line lost its first field: drop the fragment.
    while (first < lineStart) {
        const auto [line, end] = lineAt(first);
        if (line.front() != ' ' && line.front() != '\t')
            break;
        first = end + 1;
    }
    qsizetype stop = lineStart;
    while (stop < body.size()) {
        const auto [line, end] = lineAt(stop);
        if (!isHeaderLine(line))
            break;
        stop = end + 1;
    }
    return body.mid(first, std::min(stop, body.size()) - first);
}

// RFC 5321 §4.2.2/§4.2.3 and the extensions' codes (RFC 3207, 4954, 7504, 3030): a three-digit
// number outside this list in a diagnostic ("426 connection timed out", "542 ...") is not an
// SMTP reply code, whatever it looks like.
bool isSmtpReplyCode(const QString& code)
{
    static const QSet<QString> known = {
        u"211"_s, u"214"_s, u"220"_s, u"221"_s, u"235"_s, u"250"_s, u"251"_s, u"252"_s, u"253"_s, u"334"_s,
        u"354"_s, u"421"_s, u"422"_s, u"430"_s, u"432"_s, u"450"_s, u"451"_s, u"452"_s, u"453"_s, u"454"_s,
        u"455"_s, u"458"_s, u"459"_s, u"500"_s, u"501"_s, u"502"_s, u"503"_s, u"504"_s, u"521"_s, u"523"_s,
        u"524"_s, u"525"_s, u"530"_s, u"533"_s, u"534"_s, u"535"_s, u"538"_s, u"550"_s, u"551"_s, u"552"_s,
        u"553"_s, u"554"_s, u"555"_s, u"556"_s, u"557"_s,
    };
    return known.contains(code);
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
    if (report.original.messageId.isEmpty() && !report.recipients.isEmpty()) {
        // The original quoted as text: its header block, read as headers of their own. Found
        // by its Message-ID line, or (an original without one) its first Received/Return-Path.
        QString id;
        const QByteArray& body = ctx.rawBody();
        qsizetype at = quotedMessageIdLine(body, report.bounceMessageId, &id);
        if (at < 0)
            at = firstHeaderLine(body, {"received:", "return-path:"});
        // An indented line sits in an indented block: only the id is taken.
        if (at >= 0 && !ctx.originalPart() && (at == 0 || body.at(at - 1) == '\n'))
            fillOriginal(report.original, mail::MimeAdapter::parse(quotedHeaderBlock(body, at) + "\n\n"));
        report.original.messageId = id;
    }
    if (report.original.messageId.isEmpty() && !report.recipients.isEmpty()) {
        // A notice that quotes nothing may still name the original in its own header: Gmail's
        // X-Original-Message-ID, or the In-Reply-To/References a notice writer sets (Exim's
        // delay warnings, Exchange). Only one id: a thread's References name other mail too.
        const QStringList original = angleIds(root.header("X-Original-Message-ID"));
        const QStringList inReplyTo = angleIds(root.header("In-Reply-To"));
        const QStringList refs = angleIds(root.header("References"));
        for (const QStringList& ids : {original, inReplyTo, refs}) {
            const QString candidate = ids.size() == 1 ? ids.constFirst() : QString();
            if (!candidate.isEmpty() && candidate.contains(u'@') && candidate != report.bounceMessageId) {
                report.original.messageId = candidate;
                break;
            }
        }
    }
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
        if (!r.replyCode.isEmpty() && !isSmtpReplyCode(r.replyCode))
            r.replyCode.clear();
        if (r.smtpCommand.isEmpty())
            r.smtpCommand = decided.smtpCommand;
    }
    report.kind = overallKind(report.recipients, report.kind);
    return report;
}

} // namespace bi::core::bounce
