// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/qmail_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"
#include "core/bounce/status_code.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

// qmail-send.c: "Hi. This is the qmail-send program at %s."
constexpr QStringView kStart[] = {u"Hi. This is the qmail"};
// qmail-send.c: "--- Below this line is a copy of the message."; indimail: "--- Enclosed is a copy".
constexpr QStringView kOriginal[] = {u"--- Below this line is a copy of the message.", u"--- Enclosed is a copy of the message."};

// qmail-remote.c: which SMTP step failed, in its own words.
struct CommandPhrase {
    QStringView command;
    QStringView phrase;
};
constexpr CommandPhrase kCommands[] = {
    {u"CONN", u" but greeting failed."},
    {u"EHLO", u" but my name was rejected."},
    {u"MAIL", u" but sender was rejected."},
    {u"RCPT", u" does not like recipient."},
    {u"DATA", u" failed on DATA command"},
    {u"DATA", u" failed after I sent the message"},
};

// qmail's own messages (qmail-local.c, qmail-remote.c, qmail-send.c, error_str.c) and those of
// the widespread qmail-ldap patch.
constexpr ReasonPhrase kMessages[] = {
    {u"userunknown", u"no mailbox here by that name"},
    {u"userunknown", u"does not like recipient."},
    {u"mailboxfull", u"disk quota exceeded"},
    {u"mesgtoobig", u"Message size exceeds fixed maximum message size:"},
    {u"hostunknown", u"Sorry, I couldn't find any host "},
    // qmail-remote.c: no MX and no address record: the domain accepts no mail (RFC 5321 §5.1).
    {u"notaccept", u"Sorry, I couldn't find a mail exchanger or IP address"},
    {u"systemfull", u"Requested action not taken: mailbox unavailable (not enough free space)"},
    {u"systemerror", u"bad interpreter: No such file or directory"},
    {u"systemerror", u"system error"},
    {u"systemerror", u"Unable to"},
    {u"networkerror", u"Sorry, I wasn't able to establish an SMTP connection"},
    {u"networkerror", u"Sorry. Although I'm listed as a best-preference MX or A for that host"},
};
constexpr ReasonPhrase kLdapMessages[] = {
    {u"suspend", u"Mailaddress is administrativly disabled"},
    {u"suspend", u"Mailaddress is administratively disabled"},
    {u"userunknown", u"Sorry, no mailbox here by that name"},
    {u"exceedlimit", u"The message exeeded the maximum size the user accepts"},
    {u"systemerror", u"Automatic homedir creator crashed"},
    {u"systemerror", u"Illegal value in LDAP attribute"},
    {u"systemerror", u"LDAP attribute is not given but mandatory"},
    {u"systemerror", u"Timeout while performing search on LDAP server"},
    {u"systemerror", u"Too many results returned but needs to be unique"},
    {u"systemerror", u"Permanent error while executing qmail-forward"},
    {u"systemerror", u"Temporary error in automatic homedir creation"},
    {u"systemerror", u"Temporary error while executing qmail-forward"},
    {u"systemerror", u"Temporary failure in LDAP lookup"},
    {u"systemerror", u"Unable to contact LDAP server"},
    {u"systemerror", u"Unable to login into LDAP server, bad credentials"},
};
// qmail-send.c: "I'm not going to try again; this message has been in the queue too long."
constexpr QStringView kExpired = u"this message has been in the queue too long.";
// qmail-remote.c: "Remote host said: ..." quotes the remote server.
constexpr QStringView kRemoteSaid = u"Remote host said:";

} // namespace

QString QmailDecoder::family() const
{
    return u"qmail"_s;
}

bool QmailDecoder::detect(const DecodeContext& ctx) const
{
    if (ctx.root().header("Subject").trimmed() == u"failure notice")
        return true;
    // "Received: (qmail 12345 invoked for bounce); ..." on the notice itself.
    static const QRegularExpression invoked(uR"(^\(qmail \d+ invoked (?:for bounce|from network)\))"_s);
    for (const QString& received : ctx.root().headerAll("Received")) {
        if (invoked.match(received.trimmed()).hasMatch())
            return true;
    }
    return false;
}

QList<BounceRecipient> QmailDecoder::readNotice(const QStringList& lines)
{
    // "<user@example.org>:" (qmail-send.c), once per recipient; some clones write "To: <...>:".
    static const QRegularExpression recipientLine(uR"(^(?:To\s*:)?<([^<>]+@[^<>]+)>:\s*$)"_s);
    static const QRegularExpression remoteHost(
        uR"(Giving up on (\S+[0-9a-zA-Z])\.?$|Connected to ([-0-9a-zA-Z.]+[0-9a-zA-Z]) |remote host ([-0-9a-zA-Z.]+[0-9a-zA-Z]) said:)"_s);
    static const QRegularExpression mostProgress(uR"(Sorry, no SMTP connection got far enough; most progress was ([A-Z]{4}) )"_s);

    QList<BounceRecipient> out;
    QStringList remoteSaid; // per recipient: qmail-remote's "Remote host said:" line
    for (const QString& line : lines) {
        if (line.isEmpty())
            continue;
        if (const auto m = recipientLine.match(line); m.hasMatch()) {
            BounceRecipient r;
            r.recipient = m.captured(1);
            r.action = u"failed"_s;
            out.append(r);
            remoteSaid.append(QString());
            continue;
        }
        if (out.isEmpty())
            continue;
        BounceRecipient& r = out.last();
        r.diagnostic += line + u' ';
        if (line.startsWith(kRemoteSaid))
            remoteSaid.last() = line;
        if (r.remoteMta.isEmpty()) {
            if (const auto h = remoteHost.match(line); h.hasMatch())
                r.remoteMta = h.captured(1).isEmpty() ? (h.captured(2).isEmpty() ? h.captured(3) : h.captured(2))
                                                      : h.captured(1);
        }
    }

    for (qsizetype i = 0; i < out.size(); ++i) {
        BounceRecipient& r = out[i];
        const QString diagnostic = MtaText::sweep(r.diagnostic);
        for (const CommandPhrase& c : kCommands) {
            if (diagnostic.indexOf(c.phrase) > 0) {
                r.smtpCommand = c.command.toString();
                break;
            }
        }
        if (r.smtpCommand.isEmpty()) {
            if (const auto m = mostProgress.match(diagnostic); m.hasMatch())
                r.smtpCommand = StatusCode::normalizeCommand(m.captured(1));
        }
        if (r.smtpCommand == u"MAIL") {
            // Refused at MAIL FROM: the remote server's words decide (a refused sender, or the
            // sending host's reputation, "421 4.7.0 [TSS04]").
        } else if (r.smtpCommand == u"EHLO" || r.smtpCommand == u"HELO") {
            r.reason = u"blocked"_s; // it refused our host name: the sending host is refused
        } else if (diagnostic.contains(kCommands[3].phrase) && diagnostic.contains(kExpired)) {
            r.reason = u"onhold"_s; // qmail-remote-fallback: retried until expiry, cause unclear
        } else {
            // When the remote server said something, its words decide; qmail's own
            // sentences only when it did not.
            const QString& said = remoteSaid.at(i);
            r.reason = MtaText::reasonFor(said.isEmpty() ? diagnostic : said, kMessages);
            if (r.reason.isEmpty())
                r.reason = MtaText::reasonFor(diagnostic, kLdapMessages);
            if (r.reason.isEmpty() && diagnostic.contains(kExpired))
                r.reason = u"expired"_s;
        }
        if (r.smtpCommand.isEmpty())
            r.smtpCommand = StatusCode::findCommand(diagnostic);
        r.status = StatusCode::find(diagnostic);
    }
    return out;
}

std::optional<BounceReport> QmailDecoder::decode(const DecodeContext& ctx) const
{
    const QStringList all = MtaText::linesBefore(MtaText::lines(MtaText::bounceText(ctx)), kOriginal);
    const qsizetype start = MtaText::findLine(all, kStart);
    if (start < 0)
        return std::nullopt;
    BounceReport report;
    report.family = family();
    report.recipients = readNotice(all.mid(start + 1));
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
