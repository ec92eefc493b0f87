// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/text_fallback_decoder.h"

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

// Where the notice ends and the quoted original begins.
const QRegularExpression& stopLine()
{
    static const QRegularExpression re(
        uR"(^(content-type: *(message/rfc822|text/rfc822-headers|message/delivery-status)|return-path: *<.+>$|received: |received-from-mta: |reporting-mta: |[*]{3} .+ .+ [*]{3}|here is a copy of the first part of the message|the non-delivered message is attached to this message|a copy of the original message below this line:)|attachment is a copy of the message|below is a copy of the original message:|below this line is a copy of the message|message contains .+ file attachments|message text follows:|original message follows|the attachment contains the original mail headers|the first \d+ lines |unsent message below|your message reads \(in part\):|-+ ?original message ?-+)"_s,
        QRegularExpression::CaseInsensitiveOption);
    return re;
}

const QRegularExpression& skipLine()
{
    static const QRegularExpression re(
        uR"((^-+=|^\s*--|^\s+=\d+|^hi !|content-(description|disposition|transfer-encoding|type): |(name|charset)=|--$|: --------))"_s,
        QRegularExpression::CaseInsensitiveOption);
    return re;
}

// A line that names the address a failure is about.
const QRegularExpression& addressLine()
{
    static const QRegularExpression re(
        uR"((?:^\s*|^".+"\s*|^[ \t]*recipient:[ \t]*|^ *address: |addressed to |could not be delivered to: |delivered to +|delivery failed: |did not reach the following recipient: |error-for: +|failed recipient: |failed to deliver to |intended recipient: |mailbox is full: |rcpt to:|smtp server <.+> rejected recipient |the following recipients returned permanent errors: |the following message to |unknown user: |undeliverable to |undeliverable address: *|you sent mail to |your message to )['"]?<?([^\s@=<>]+@[-.0-9a-z]+\.[0-9a-z]+)>?['"]?)"_s,
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
    // A null Return-Path alone is not enough: auto-replies and challenge mails use it too.
    return bounceSubject().match(root.header("Subject")).hasMatch();
}

std::optional<BounceReport> TextFallbackDecoder::decode(const DecodeContext& ctx) const
{
    BounceReport report;
    report.family = family();
    QList<BounceRecipient> found;
    BounceRecipient* current = nullptr;
    const QString text = bodyText(ctx);
    for (const QString& rawLine : text.split(u'\n')) {
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
        // Sisimai's last resort: the To of the quoted original names the recipient.
        if (const mail::MimePart* original = ctx.originalPart()) {
            const QStringList addresses = Address::findAll(original->header("To"));
            if (!addresses.isEmpty()) {
                BounceRecipient r;
                r.recipient = addresses.constFirst();
                r.diagnostic = text.simplified().left(1000);
                found << r;
            }
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
