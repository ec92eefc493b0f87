// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/sendmail_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/mta/mta_dsn.h"
#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"
#include "core/common/text_case.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

// savemail.c: "   ----- Transcript of session follows -----"
constexpr QStringView kTranscript[] = {u"----- Transcript of session follows -----"};
// Where the returned message starts when the MIME structure is lost (lhost-sendmail-53 style:
// the multipart headers ended up in the body).
constexpr QStringView kOriginal[] = {u"Content-Type: message/rfc822", u"Content-Type: text/rfc822-headers",
                                     u"Content-type: message/rfc822", u"Content-type: text/rfc822-headers"};
// deliver.c: "... while talking to %s.:" starts the SMTP dialogue of one host.
constexpr QStringView kTalkingTo = u"... while talking to ";

struct Transcript {
    QString command;          // the last ">>> COMMAND" sent
    QStringList replies;      // "<<< reply" lines, each once
    QString altRecipient;     // "<user@example.org>... Deferred: ..." before the dialogue
    QString altDiagnostic;
    QString altStatus;        // "550 5.1.2 <user@...>... Host unknown"
};

Transcript readTranscript(const QStringList& lines)
{
    static const QRegularExpression sent(uR"(^>>>\s+([A-Za-z]{4}))"_s);
    static const QRegularExpression received(uR"(^<<<\s+(.+)$)"_s);
    static const QRegularExpression recipientLine(uR"(^<(.+)>\.+ (.+)$)"_s);
    static const QRegularExpression statusLine(uR"(^[45]\d\d[ \t]([45]\.\d\.\d)[ \t].+)"_s);
    Transcript t;
    bool inSession = false;
    qsizetype from = MtaText::findLine(lines, kTranscript, 0, true);
    for (qsizetype i = from < 0 ? 0 : from + 1; i < lines.size(); ++i) {
        const QString& line = lines.at(i);
        if (line.isEmpty() || line.front() == u' ' || line.front() == u'\t' || MtaDsn::isFieldLine(line))
            continue;
        if (const auto m = sent.match(line); m.hasMatch()) {
            t.command = m.captured(1).toUpper();
        } else if (const auto r = received.match(line); r.hasMatch()) {
            const QString reply = r.captured(1).trimmed();
            if (!t.replies.contains(reply))
                t.replies << reply;
        } else if (!inSession) {
            // Once the SMTP dialogue starts, other lines are Sendmail's own summaries of it.
            if (line.startsWith(kTalkingTo)) {
                inSession = true;
            } else if (const auto a = recipientLine.match(line); a.hasMatch()) {
                t.altRecipient = a.captured(1);
                t.altDiagnostic = a.captured(2);
            } else if (const auto s = statusLine.match(line); s.hasMatch()) {
                t.altStatus = s.captured(1);
                t.altDiagnostic += u' ' + line;
            } else if (line.startsWith(u"Message: ") || line.startsWith(u"Warning: ")) {
                t.altDiagnostic += u' ' + line;
            }
        }
    }
    t.altDiagnostic = t.altDiagnostic.trimmed();
    return t;
}

bool isFullStatus(const QString& status)
{
    static const QRegularExpression re(uR"(^[45]\.\d\.\d{1,3}$)"_s);
    return re.match(status.trimmed()).hasMatch();
}

} // namespace

QString SendmailDecoder::family() const
{
    return u"sendmail"_s;
}

bool SendmailDecoder::detect(const DecodeContext& ctx) const
{
    const mail::MimePart& root = ctx.root();
    if (root.hasHeader("X-AOL-IP"))
        return false;
    const QString subject = root.header("Subject").trimmed();
    if (!subject.endsWith(u"see transcript for details") && !subject.startsWith(u"Warning: "))
        return false;
    // savemail.c writes From: "Mail Delivery Subsystem"; a forwarded copy keeps only the subject.
    return MtaText::isForwarded(subject) || root.header("From").contains(u"Mail Delivery Subsystem");
}

std::optional<BounceReport> SendmailDecoder::decode(const DecodeContext& ctx) const
{
    QStringList lines = MtaText::lines(MtaText::bounceText(ctx));
    if (MtaText::isForwarded(ctx.root().header("Subject")))
        lines = MtaText::unquote(lines);
    lines = MtaText::linesBefore(lines, kOriginal);
    // Without savemail.c's transcript this is another MTA's report under a Sendmail-like
    // subject; the generic RFC 3464 decoder reads it.
    if (MtaText::findLine(lines, kTranscript, 0, true) < 0)
        return std::nullopt;
    BounceReport report;
    report.family = family();
    QStringList dsn = MtaDsn::statusPartLines(ctx);
    if (dsn.isEmpty())
        dsn = lines;
    report.recipients = MtaDsn::read(dsn, report);

    const Transcript t = readTranscript(lines);
    if (report.recipients.isEmpty() && !t.altRecipient.isEmpty()) {
        BounceRecipient r;
        r.recipient = t.altRecipient;
        report.recipients << r;
    }
    for (BounceRecipient& r : report.recipients) {
        // One session can carry the replies for several recipients; the lines naming this
        // recipient are its own (lhost-sendmail-02 style), else all of them are.
        QStringList own;
        for (const QString& reply : t.replies) {
            if (!r.recipient.isEmpty() && containsCaseInsensitive(reply, u'<' + r.recipient.trimmed() + u'>'))
                own << reply;
        }
        const QString replies = (own.isEmpty() ? t.replies : own).join(u' ');
        r.smtpCommand = t.command;
        // Replies came, but no command was sent: the greeting or EHLO was refused.
        if (r.smtpCommand.isEmpty() && !t.replies.isEmpty())
            r.smtpCommand = u"EHLO"_s;
        const QString diagnostic = r.diagnostic.trimmed();
        bool onlyDigits = !diagnostic.isEmpty();
        for (const QChar c : diagnostic)
            onlyDigits = onlyDigits && c.isDigit();
        if (!t.altDiagnostic.isEmpty() && (diagnostic.isEmpty() || onlyDigits))
            r.diagnostic = t.altDiagnostic;
        // The remote server's own words are in the transcript; the DSN field is often a summary.
        if (replies.size() > r.diagnostic.size())
            r.diagnostic = replies;
        if (!t.altStatus.isEmpty() && !isFullStatus(r.status))
            r.status = t.altStatus;
        // "Final-Recipient: RFC822; @example.jp" (no local part): the address is in the text.
        if (!r.recipient.contains(u'@')) {
            static const QRegularExpression bracketed(uR"(<([^ <>]+@[^ <>]+)>)"_s);
            if (const auto m = bracketed.match(r.diagnostic); m.hasMatch())
                r.recipient = m.captured(1);
        }
    }
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
