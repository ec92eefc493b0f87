// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/provider/mailru_decoder.h"

#include <QRegularExpression>

#include "core/bounce/address.h"
#include "core/bounce/decoders/mta/exim_phrases.h"
#include "core/bounce/decoders/mta/mta_text.h"
#include "core/bounce/decoders/provider/provider_support.h"
#include "core/bounce/status_code.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

// Mail.Ru runs Exim: the Russian notice comes first, then Exim's English one, which is read.
constexpr QStringView kNoticeStart = u"This message was created automatically by mail delivery software.";
const QStringView kOriginalStarts[] = {u"------ This is a copy of the message, including all the headers. ------"};

bool isMailRuSubject(const QString& subject)
{
    static const QRegularExpression re(
        uR"(Mail delivery failed(: returning message to sender)?|Warning: message .+ delayed +|Delivery Status Notification|Mail failure|Message frozen|error\(s\) in forwarding or filtering)"_s);
    return re.match(subject).hasMatch();
}

struct Pending {
    QString address;
    QStringList text;
};

void finish(const Pending& p, BounceReport& report)
{
    const QString text = ProviderSupport::sweep(p.text.join(u' '));
    // "SMTP error from remote mail server after RCPT TO:<...>: host mx.example.jp [192.0.2.222]:
    // 550 5.1.1 ..." : Exim's words, then the remote host, then its reply.
    static const QRegularExpression hostReply(uR"(host\s+([^\s]+)\s+\[[^\]]+\]:\s*(.*)$)"_s);
    static const QRegularExpression afterCommand(
        uR"(SMTP error from remote (?:mail server|mailer) after (?:end of )?([A-Za-z]{4}))"_s);
    QString diagnostic = text;
    QString remoteHost;
    if (const QRegularExpressionMatch m = hostReply.match(text); m.hasMatch()) {
        remoteHost = m.captured(1);
        diagnostic = m.captured(2);
    }
    BounceRecipient r = ProviderSupport::makeRecipient(p.address, diagnostic);
    if (r.recipient.isEmpty())
        return;
    r.remoteMta = remoteHost;
    if (const QRegularExpressionMatch c = afterCommand.match(text); c.hasMatch())
        r.smtpCommand = StatusCode::normalizeCommand(c.captured(1));
    if (r.smtpCommand == u"MAIL")
        r.reason = u"rejected"_s; // the sender was refused
    else if (r.smtpCommand == u"HELO" || r.smtpCommand == u"EHLO")
        r.reason = u"blocked"_s;  // our host name was refused
    else
        r.reason = MtaText::reasonFor(text, kEximPhrases, Qt::CaseInsensitive);
    report.recipients.append(std::move(r));
}

} // namespace

QString MailRuDecoder::family() const
{
    return u"mailru"_s;
}

bool MailRuDecoder::detect(const DecodeContext& ctx) const
{
    const mail::MimePart& root = ctx.root();
    static const QRegularExpression sender(uR"(mailer-daemon@(?:.+\.)?mail\.ru$)"_s);
    static const QRegularExpression messageId(uR"(\.(?:mail\.ru|smailru\.net)>\s*$)"_s);
    return sender.match(ProviderSupport::fromAddress(root)).hasMatch()
        && messageId.match(root.header("Message-ID")).hasMatch() && isMailRuSubject(root.header("Subject"));
}

std::optional<BounceReport> MailRuDecoder::decode(const DecodeContext& ctx) const
{
    const QString notice = ProviderSupport::textBefore(ctx.noticeText(), kOriginalStarts);
    // An indented address on its own line opens a recipient; its indented lines follow.
    static const QRegularExpression recipientLine(uR"(^[ \t]+([^ \t]+@[^ \t]+\.[a-zA-Z]+)$)"_s);
    BounceReport report = ProviderSupport::newReport(family());
    std::optional<Pending> pending;
    bool started = false;
    for (const QString& line : ProviderSupport::lines(notice)) {
        if (!started) {
            started = line.startsWith(kNoticeStart);
            continue;
        }
        if (line.trimmed().isEmpty()) {
            if (pending) {
                finish(*pending, report);
                pending.reset();
            }
            continue;
        }
        if (const QRegularExpressionMatch m = recipientLine.match(line); m.hasMatch()) {
            if (pending)
                finish(*pending, report);
            pending = Pending{m.captured(1), {}};
        } else if (pending) {
            pending->text << line;
        }
    }
    if (pending)
        finish(*pending, report);
    // Exim names the failed addresses in X-Failed-Recipients when the notice does not.
    if (report.recipients.isEmpty()) {
        for (const QString& a : ctx.root().header("X-Failed-Recipients").split(u',', Qt::SkipEmptyParts)) {
            BounceRecipient r = ProviderSupport::makeRecipient(a, {});
            if (!r.recipient.isEmpty())
                report.recipients.append(std::move(r));
        }
    }
    if (report.recipients.isEmpty())
        return std::nullopt;
    return report;
}

} // namespace bi::core::bounce
