// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/postfix_decoder.h"

#include <algorithm>

#include <QRegularExpression>

#include "core/bounce/address.h"
#include "core/bounce/decoders/mta/mta_dsn.h"
#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"
#include "core/bounce/status_code.h"
#include "core/common/text_case.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

// bounce(5) templates (postfix/src/bounce/bounce_template.c and site-customised copies).
constexpr QStringView kSubjectFailure = u"Undelivered Mail Returned to Sender";
// smtpd_chat.c: "Subject: %s SMTP server: errors from %s" (notify_classes = protocol, ...).
constexpr QStringView kSubjectSession = u"SMTP server: errors from ";

// The line that ends the template prose; the per-recipient paragraphs follow it.
// ("The mail system", "The Postfix program", "This is the mail system at host ...").
const QRegularExpression& startOfReport()
{
    static const QRegularExpression re(
        uR"(^\s*(?:The (?:Postfix |mail system|\S+ program|\S+ Postfix program|Postfix on .+ program)|This is the (?:Postfix|\S+ Postfix|\S+ program|mail system at host)))"_s);
    return re;
}

// "<user@example.org>: host mx.example.org[192.0.2.1] said: 550 ..." and
// "<r@example.jp> (expanded from <alias@example.org>): user unknown ..."
const QRegularExpression& paragraphStart()
{
    static const QRegularExpression re(uR"(^<([^ <>]+@[^ <>]+)>(?: \(expanded from <([^>]*)>\))?:\s*(.*)$)"_s);
    return re;
}

// startOfReport() can only match a line whose first non-blank characters are "Th": tested
// first, since the pattern is tried on every line of every Postfix bounce.
bool isStartOfReport(const QString& line)
{
    qsizetype i = 0;
    while (i < line.size() && (line.at(i) == u' ' || (line.at(i) >= u'\t' && line.at(i) <= u'\r')))
        ++i;
    return QStringView(line).sliced(i).startsWith(u"Th") && startOfReport().match(line).hasMatch();
}

struct Paragraph {
    QString recipient;
    QString alias;
    QString text;
};

// The human-readable report: one paragraph per recipient, continuation lines indented,
// a blank line after each.
QList<Paragraph> readParagraphs(const QStringList& lines, bool* unavailable)
{
    QList<Paragraph> out;
    qsizetype i = 0;
    while (i < lines.size() && !isStartOfReport(lines.at(i)))
        ++i;
    bool open = false;
    for (; i < lines.size(); ++i) {
        const QString& line = lines.at(i);
        if (containsCaseInsensitive(line, u"--- Delivery report unavailable ---"))
            *unavailable = true;
        if (const auto m = line.startsWith(u'<') ? paragraphStart().match(line) : QRegularExpressionMatch();
            m.hasMatch()) {
            out.append({m.captured(1), m.captured(2), m.captured(3)});
            open = true;
        } else if (line.trimmed().isEmpty()) {
            open = false;
        } else if (open && (line.front() == u' ' || line.front() == u'\t')) {
            out.last().text += u' ' + line.trimmed();
        }
    }
    return out;
}

// RFC 5321 §4.2: "X.0.0" and "x00" say nothing specific; Postfix's own paragraph often has the
// remote server's precise code when the DSN field only has the generic one.
bool isGeneric(const QString& code)
{
    return code.isEmpty() || code.endsWith(u".0.0") || (code.size() == 3 && code.endsWith(u"00"));
}

void mergeParagraph(BounceRecipient& r, const Paragraph& p)
{
    const QString text = MtaText::sweep(p.text);
    if (text.isEmpty())
        return;
    if (r.diagnostic.trimmed().isEmpty() || r.diagnostic.trimmed().toInt() > 0) {
        r.diagnostic = text;
        return;
    }
    bool better = false;
    if (isGeneric(StatusCode::normalize(r.status))) {
        const QString s = StatusCode::find(text);
        if (!isGeneric(s)) {
            r.status = s;
            better = true;
        }
    }
    const QString reply = StatusCode::findReplyCode(r.diagnostic);
    if (isGeneric(reply)) {
        const QString fromText = StatusCode::findReplyCode(text);
        if (!isGeneric(fromText)) {
            r.replyCode = fromText;
            better = better || text.size() > r.diagnostic.size();
        }
    }
    if (better)
        r.diagnostic = text;
}

// "Transcript of session follows." with " In:  COMMAND" and " Out: reply" lines
// (smtpd_chat.c), continuation lines indented further.
BounceReport decodeTranscript(const QStringList& lines)
{
    static const QRegularExpression step(uR"(^\s*(In|Out):\s*(.*)$)"_s);
    static const QRegularExpression rcpt(uR"(^RCPT\s+TO:\s*<?([^\s<>]+@[^\s<>]+))"_s,
                                         QRegularExpression::CaseInsensitiveOption);
    BounceReport report;
    QString command;
    QList<BounceRecipient> failed;
    QList<BounceRecipient> rcpts;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const auto m = step.match(lines.at(i));
        if (!m.hasMatch())
            continue;
        QString text = m.captured(2);
        // Folded arguments: the next lines indented deeper than " In:".
        while (i + 1 < lines.size() && lines.at(i + 1).startsWith(u"    ") && !step.match(lines.at(i + 1)).hasMatch())
            text += u' ' + lines.at(++i).trimmed();
        if (m.captured(1) == u"In") {
            command = text.section(u' ', 0, 0).toUpper();
            if (command == u"EHLO" || command == u"HELO")
                report.reportingMta = text.section(u' ', 1, 1);
            if (const auto r = rcpt.match(text); r.hasMatch()) {
                BounceRecipient b;
                b.recipient = r.captured(1);
                rcpts.append(b);
            }
            continue;
        }
        const QString reply = text.left(3);
        if (reply.size() < 3 || reply.toInt() < 400)
            continue;
        BounceRecipient b;
        if (command == u"RCPT" && !rcpts.isEmpty())
            b = rcpts.takeLast();
        b.diagnostic = text;
        b.replyCode = reply;
        b.smtpCommand = command;
        b.action = reply.startsWith(u'4') ? u"delayed"_s : u"failed"_s;
        failed.append(b);
    }
    // The recipients of a session that failed after RCPT (at DATA, say) all share its error.
    for (BounceRecipient& f : failed) {
        if (!f.recipient.isEmpty()) {
            report.recipients.append(f);
            continue;
        }
        for (const BounceRecipient& r : rcpts) {
            BounceRecipient copy = f;
            copy.recipient = r.recipient;
            report.recipients.append(copy);
        }
    }
    return report;
}

} // namespace

QString PostfixDecoder::family() const
{
    return u"postfix"_s;
}

bool PostfixDecoder::detect(const DecodeContext& ctx) const
{
    // X-AOL-IP: AOL's own Postfix writes its own format (the aol decoder's business).
    if (ctx.root().hasHeader("X-AOL-IP"))
        return false;
    const QString subject = ctx.root().header("Subject").trimmed();
    return subject == kSubjectFailure || subject.contains(kSubjectSession);
}

std::optional<BounceReport> PostfixDecoder::decode(const DecodeContext& ctx) const
{
    const QStringList lines = MtaText::lines(MtaText::bounceText(ctx));
    BounceReport report;
    if (ctx.root().header("Subject").contains(kSubjectSession)) {
        static constexpr QStringView kTranscript[] = {u"Transcript of session follows"};
        if (MtaText::findLine(lines, kTranscript, 0, true) < 0)
            return std::nullopt;
        report = decodeTranscript(lines);
    } else {
        // bounce(5) templates all carry one of these lines; gateways that reuse the subject
        // with their own text are left to the generic RFC 3464 decoder.
        if (std::none_of(lines.cbegin(), lines.cend(), isStartOfReport))
            return std::nullopt;
        QStringList dsn = MtaDsn::statusPartLines(ctx);
        if (dsn.isEmpty())
            dsn = lines; // DSN fields inside the text (broken MIME structure)
        report.recipients = MtaDsn::read(dsn, report);

        bool unavailable = false;
        const QList<Paragraph> paragraphs = readParagraphs(lines, &unavailable);
        for (qsizetype i = 0; i < report.recipients.size(); ++i) {
            BounceRecipient& r = report.recipients[i];
            const QString address = Address::normalize(r.recipient);
            const Paragraph* match = nullptr;
            for (const Paragraph& p : paragraphs) {
                if (Address::normalize(p.recipient) == address || Address::normalize(p.alias) == address) {
                    match = &p;
                    break;
                }
            }
            // Rewritten addresses (virtual aliases, canonical maps) differ between the two
            // halves; one paragraph per DSN recipient still pairs them in order.
            if (!match && paragraphs.size() == report.recipients.size())
                match = &paragraphs.at(i);
            if (match) {
                mergeParagraph(r, *match);
                r.smtpCommand = StatusCode::findCommand(match->text);
            }
        }
        if (report.recipients.isEmpty()) {
            // Postfix without a delivery-status part (before 2.3, or bounce_notice_recipient copies).
            for (const Paragraph& p : paragraphs) {
                BounceRecipient r;
                r.recipient = p.recipient;
                r.originalRecipient = p.alias;
                r.diagnostic = p.text;
                r.smtpCommand = StatusCode::findCommand(p.text);
                r.action = u"failed"_s;
                report.recipients.append(r);
            }
        }
        if (report.recipients.isEmpty() && unavailable) {
            // "--- Delivery report unavailable ---": the bounce log was lost; the original's
            // To: is the best remaining guess at the recipient.
            static constexpr QStringView kOriginal[] = {u"Content-Type: message/rfc822", u"Content-Type: text/rfc822-headers"};
            BounceRecipient r;
            r.recipient = MtaText::originalHeader(ctx, MtaText::linesAfter(lines, kOriginal), "To");
            report.recipients.append(r);
        }
        for (BounceRecipient& r : report.recipients) {
            if (r.smtpCommand.isEmpty())
                r.smtpCommand = StatusCode::findCommand(r.diagnostic);
            if (r.diagnosticType == u"x-postfix")
                r.diagnosticType = u"smtp"_s;
        }
    }
    report.family = family();
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
