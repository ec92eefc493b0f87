// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/imailserver_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

constexpr QStringView kOriginal[] = {u"Original message follows."};
constexpr QStringView kBodyResponse = u"Body of message generated response:";

// Which SMTP step the IMail delivery agent reports failing.
struct CommandPattern {
    QStringView command;
    QStringView phrase;
};
constexpr CommandPattern kCommands[] = {
    {u"CONN", u"SMTP connection failed,"},
    {u"CONN", u"Unexpected connection response from server:"},
    {u"EHLO", u"Unexpected response to EHLO/HELO:"},
    {u"MAIL", u"Server response to MAIL FROM:"},
    {u"RCPT", u"Additional RCPT TO generated following response:"},
    {u"DATA", u"DATA command generated response:"},
};

// IMail's own wording at the start of a failure line.
constexpr ReasonPhrase kMessages[] = {
    {u"hostunknown", u"Unknown host"},
    {u"userunknown", u"Unknown user"},
    {u"userunknown", u"Invalid final delivery userid"},
    {u"mailboxfull", u"User mailbox exceeds allowed size"},
    {u"virusdetected", u"Requested action not taken: virus detected"},
    {u"expired", u"Delivery failed "},
};

} // namespace

QString IMailServerDecoder::family() const
{
    return u"imailserver"_s;
}

bool IMailServerDecoder::detect(const DecodeContext& ctx) const
{
    static const QRegularExpression subject(uR"(^Undeliverable Mail\s*$)"_s);
    return subject.match(ctx.root().header("Subject")).hasMatch()
        || ctx.root().header("X-Mailer").trimmed().startsWith(u"<SMTP32 v");
}

std::optional<BounceReport> IMailServerDecoder::decode(const DecodeContext& ctx) const
{
    const QStringList lines = MtaText::linesBefore(MtaText::lines(MtaText::bounceText(ctx)), kOriginal);
    // "Unknown user: kijitora@example.com", "Delivery failed 20 attempts: user@example.com"
    static const QRegularExpression failure(uR"(^(\S+) (.+):\s*([^\s]+@[^\s]+))"_s);
    static const QRegularExpression undeliverable(uR"(^undeliverable\s+to\s+(.+)$)"_s);

    BounceReport report;
    report.family = family();
    QString other; // text around the failure lines (the remote server's response)
    for (const QString& line : lines) {
        if (const auto m = failure.match(line); m.hasMatch()) {
            BounceRecipient r;
            r.diagnostic = m.captured(1) + u' ' + m.captured(2);
            r.recipient = m.captured(3);
            r.action = u"failed"_s;
            report.recipients.append(r);
        } else if (const auto u = undeliverable.match(line); u.hasMatch()) {
            BounceRecipient r;
            r.recipient = u.captured(1);
            r.action = u"failed"_s;
            report.recipients.append(r);
        } else if (line.contains(kBodyResponse) || !other.isEmpty()) {
            other += u' ' + line;
        }
    }
    for (BounceRecipient& r : report.recipients) {
        const QString own = MtaText::sweep(r.diagnostic);
        if (!other.trimmed().isEmpty())
            r.diagnostic = other + u' ' + r.diagnostic;
        const QString diagnostic = MtaText::sweep(r.diagnostic);
        for (const CommandPattern& c : kCommands) {
            if (diagnostic.contains(c.phrase)) {
                r.smtpCommand = c.command.toString();
                break;
            }
        }
        for (const ReasonPhrase& p : kMessages) {
            if (own.startsWith(p.phrase)) {
                r.reason = p.reason.toString();
                break;
            }
        }
    }
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
