// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/text_fallback_decoder.h"

#include <algorithm>

#include <QRegularExpression>

#include "core/bounce/address.h"
#include "core/bounce/status_code.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

const QRegularExpression& fromMailerDaemon()
{
    static const QRegularExpression re(uR"(\b(postmaster|mailer-daemon|root)@)"_s, QRegularExpression::CaseInsensitiveOption);
    return re;
}

const QRegularExpression& bounceSubject()
{
    static const QRegularExpression re(
        uR"((delivery (failed|failure|report)|failure notice|mail (delivery|error)|non-delivery|returned mail|undeliverable mail|warning: |undeliverable:|delivery status notification|mail failed))"_s,
        QRegularExpression::CaseInsensitiveOption);
    return re;
}

// A notice that says in words that delivery failed for good, for one that quotes no code; and
// the words of a delay warning, which says the opposite.
const QRegularExpression& failureWords()
{
    static const QRegularExpression re(
        uR"(\b(could ?n[o']t be delivered|cannot be delivered|was not delivered|undeliverable|delivery (has )?failed|delivery failure|failed permanently|permanent (error|failure)|has been rejected|was rejected)\b)"_s,
        QRegularExpression::CaseInsensitiveOption);
    return re;
}

const QRegularExpression& delayWords()
{
    static const QRegularExpression re(
        uR"(\b(will be retried|will retry|still trying|warning only|not yet been delivered|delayed)\b)"_s,
        QRegularExpression::CaseInsensitiveOption);
    return re;
}

// Where the notice ends and the quoted original begins.
const QRegularExpression& stopLine()
{
    static const QRegularExpression re(
        uR"(^(content-type: *(message/rfc822|text/rfc822-headers|message/delivery-status)|return-path: *<.+>$|received: |received-from-mta: |reporting-mta: |[*]{3} .+ .+ [*]{3}|here is a copy of the first part of the message|the non-delivered message is attached to this message|a copy of the original message below this line:)|attachment is a copy of the message|below is a copy of the original message:|below this line is a copy of the message|message contains .+ file attachments|message text follows:|original message (as received|follows)|the attachment contains the original mail headers|the first \d+ lines |unsent message below|your message reads \(in part\):|-+ ?original message ?-+)"_s,
        QRegularExpression::CaseInsensitiveOption);
    return re;
}

const QRegularExpression& skipLine()
{
    static const QRegularExpression re(
        uR"((^-+=|^\s*--(?! +\S)|^\s+=\d+|^hi !|content-(description|disposition|transfer-encoding|type): |(name|charset)=|--$|: --------))"_s,
        QRegularExpression::CaseInsensitiveOption);
    return re;
}

// A line that names the address a failure is about.
const QRegularExpression& addressLine()
{
    static const QRegularExpression re(
        uR"((?:^\s*|^\s*-- +|^".+"\s*|^[ \t]*recipient:[ \t]*|^ *address: |addressed to |could not be delivered to: |delivered to +|delivery failed: |did not reach the following recipient: |error-for: +|failed recipient: |failed to deliver to |intended recipient: |mailbox is full: |rcpt to:|smtp server <.+> rejected recipient |the following recipients returned permanent errors: |the following message to |unknown user: |undeliverable to |undeliverable address: *|(?:message|mail) was addressed,? (?:to )?|you sent mail to |your message to )['"]?<?([^\s@=<>]+@[-.0-9a-z]+\.[0-9a-z]+)>?['"]?)"_s,
        QRegularExpression::CaseInsensitiveOption);
    return re;
}

QString bodyText(const DecodeContext& ctx)
{
    const mail::MimePart& root = ctx.root();
    if (root.type == "text")
        return root.text();
    if (const mail::MimePart* part = ctx.findPart("text/plain"))
        return part->text();
    return QString::fromUtf8(ctx.rawBody());
}

// The addresses a mailing list posts to (RFC 2369 List-Post, Mailman's X-BeenThere): when
// the quoted original went through a list, its To names the list, not the member whose
// delivery failed (simple_43.txt), so that To says nothing about the recipient.
QStringList listAddresses(const mail::MimePart& original)
{
    QStringList out;
    for (const QString& post : original.headerAll("List-Post"))
        out << Address::findAll(post);
    for (const QString& been : original.headerAll("X-BeenThere"))
        out << Address::findAll(been);
    return out;
}

// "To: user@example.com" quoted inline: the first To line of the text, as long as it is
// followed (within a few lines) or preceded by other header-looking lines (Subject, From, Date),
// so a sentence starting with "To:" does not count.
QString inlineTo(const QStringList& lines)
{
    static const QRegularExpression toLine(uR"(^\s*to:\s*(.+)$)"_s, QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression headerLine(uR"(^\s*(subject|from|date|message-id|cc):\s)"_s,
                                               QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression listLine(uR"(^\s*(list-post|x-beenthere):(.+)$)"_s,
                                             QRegularExpression::CaseInsensitiveOption);
    QStringList lists;
    for (const QString& line : lines) {
        if (const QRegularExpressionMatch m = listLine.match(line); m.hasMatch())
            lists << Address::findAll(m.captured(2));
    }
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QRegularExpressionMatch m = toLine.match(lines.at(i));
        if (!m.hasMatch())
            continue;
        bool besideHeaders = false;
        for (qsizetype j = std::max<qsizetype>(0, i - 3); j < std::min(lines.size(), i + 4); ++j)
            besideHeaders = besideHeaders || (j != i && headerLine.match(lines.at(j)).hasMatch());
        const QStringList addresses = Address::findAll(m.captured(1));
        if (besideHeaders && addresses.size() == 1 && !lists.contains(addresses.constFirst()))
            return addresses.constFirst();
    }
    return {};
}

QString originalTo(const DecodeContext& ctx, const QStringList& lines)
{
    if (const mail::MimePart* original = ctx.originalPart()) {
        const QStringList addresses = Address::findAll(original->header("To"));
        if (addresses.isEmpty() || listAddresses(*original).contains(addresses.constFirst()))
            return {};
        return addresses.constFirst();
    }
    return inlineTo(lines);
}

} // namespace

QString TextFallbackDecoder::family() const
{
    return u"text"_s;
}

bool TextFallbackDecoder::detect(const DecodeContext& ctx) const
{
    const mail::MimePart& root = ctx.root();
    if (fromMailerDaemon().match(root.header("From")).hasMatch())
        return true;
    // A Return-Path naming MAILER-DAEMON is as telling as the From (simple_13.txt has no From
    // at all). A null Return-Path alone is not enough: auto-replies and challenge mails use it too.
    if (fromMailerDaemon().match(root.header("Return-Path")).hasMatch())
        return true;
    // RFC 6522 §3: a multipart/report of report-type delivery-status is a DSN by declaration,
    // even when its status part names no recipient and only the text does.
    if (root.mimeType() == "multipart/report"
        && root.params.value("report-type"_ba).compare(u"delivery-status"_s, Qt::CaseInsensitive) == 0)
        return true;
    return bounceSubject().match(root.header("Subject")).hasMatch();
}

std::optional<BounceReport> TextFallbackDecoder::decode(const DecodeContext& ctx) const
{
    BounceReport report;
    report.family = family();
    QList<BounceRecipient> found;
    BounceRecipient* current = nullptr;
    const QString text = bodyText(ctx);
    const QStringList lines = text.split(u'\n');
    for (const QString& rawLine : lines) {
        const QString line = rawLine.trimmed().isEmpty() ? QString() : QString(rawLine).remove(u'\r');
        if (stopLine().match(line).hasMatch())
            break;
        if (line.isEmpty() || skipLine().match(line).hasMatch() || line.startsWith(u'*'))
            continue;
        if (const QRegularExpressionMatch m = addressLine().match(line); m.hasMatch()) {
            const QString address = Address::normalize(m.captured(1));
            if (!address.isEmpty()) {
                if (!current || current->recipient != address) {
                    found.append(BounceRecipient{});
                    current = &found.last();
                    current->recipient = address;
                }
            }
        }
        if (current)
            current->diagnostic += (current->diagnostic.isEmpty() ? QString() : u" "_s) + line.simplified();
    }
    if (found.isEmpty()) {
        // Sisimai's last resort: the To of the quoted original names the recipient - from the
        // embedded message, or from the header lines the notice quotes inline (yahoo_12.txt:
        // "To: user@yahoo.com" above "---Below this line is a copy of the message.").
        const QString to = originalTo(ctx, lines);
        if (!to.isEmpty()) {
            BounceRecipient r;
            r.recipient = to;
            r.diagnostic = text.simplified().left(1000);
            found << r;
        }
    }
    if (found.isEmpty()) {
        // The bounce was sent to a VERP return path, and that is all it says about the
        // recipient (a notice that quotes nothing, "Your message could not be delivered"):
        // the address decoded from the return path, when the text states a failure, by a code
        // or in words ("Reason: the recipient's mailbox is over its storage quota").
        const QString verp = Address::verpRecipient(ctx.root().header("To"));
        const QString notice = text.simplified().left(1000);
        const bool failed = StatusCode::classDigit(StatusCode::find(notice)) >= 4
            || StatusCode::classDigit(StatusCode::findReplyCode(notice)) >= 4
            || (failureWords().match(notice).hasMatch() && !delayWords().match(notice).hasMatch());
        if (!verp.isEmpty() && failed) {
            BounceRecipient r;
            r.recipient = verp;
            r.diagnostic = notice;
            found << r;
        }
    }
    if (found.isEmpty())
        return std::nullopt;
    for (BounceRecipient& r : found) {
        r.kind = MessageKind::Bounce;
        r.action = u"failed"_s;
        r.status = StatusCode::find(r.diagnostic);
        r.replyCode = StatusCode::findReplyCode(r.diagnostic);
        r.smtpCommand = StatusCode::findCommand(r.diagnostic);
        report.recipients << r;
    }
    return report;
}

} // namespace bi::core::bounce
