// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/provider/gmail_decoder.h"

#include <QRegularExpression>

#include "core/bounce/address.h"
#include "core/bounce/decoders/mta/mta_text.h"
#include "core/bounce/decoders/provider/provider_support.h"
#include "core/bounce/status_code.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

constexpr QStringView kSender = u"mailer-daemon@googlemail.com";
constexpr QStringView kSubject = u"Delivery Status Notification";
constexpr QStringView kNoticeStart = u"Delivery to the following recipient";
constexpr QStringView kDelayed = u"has been delayed";
constexpr QStringView kRemoteReply = u"The error that the other server returned was:";

// Where the quoted original starts.
const QStringView kOriginalStarts[] = {u"----- Original message -----", u"----- Message header follows -----"};

// Gmail ends the remote reply with "(state N)", the state of its SMTP client when the reply
// came; the state tells the command and what Gmail made of it. Collected by sisimai
// (Sisimai::Lhost::Gmail) from Gmail help-forum threads.
struct GmailState {
    int state;
    const char16_t* command;
    const char16_t* reason;
};
constexpr GmailState kStates[] = {
    {6, u"MAIL", u"systemerror"},    // 500 Remote server does not support TLS
    {8, u"AUTH", u"systemerror"},    // 535 SMTP AUTH failed with the remote server
    {9, u"AUTH", u"systemerror"},    // 454 TLS missing certificate
    {12, u"AUTH", u"norelaying"},    // 500 Remote server does not support SMTP Authenticated Relay
    {13, u"EHLO", u"blocked"},       // 550 5.7.1 <...>... Access denied
    {14, u"RCPT", u"userunknown"},   // 550 5.1.1 User Unknown / 550 5.2.2 Mailbox Full
    {15, u"DATA", u"filtered"},      // 550 5.7.1 SPF unauthorized mail is prohibited
    {17, u"DATA", u"filtered"},      // 550 <...> No such user here
    {18, u"DATA", u"filtered"},      // 550 Unknown user / 554 5.7.0 Header error
};

// Gmail's own wording when there is no remote reply.
constexpr ReasonPhrase kMessages[] = {
    {u"expired", u"DNS Error: Could not contact DNS servers"},
    {u"expired", u"Delivery to the following recipient has been delayed"},
    {u"expired", u"The recipient server did not accept our requests to connect"},
    {u"hostunknown", u"DNS Error: Domain name not found"},
    {u"hostunknown", u"DNS Error: DNS server returned answer with no data"},
};

struct Pending {
    QString address;
    QStringList text;
};

void finish(const Pending& p, bool delayed, const QString& header, BounceReport& report)
{
    const QString text = ProviderSupport::sweep(p.text.join(u' '));
    QString diagnostic = text;
    if (const qsizetype at = text.indexOf(kRemoteReply, 0, Qt::CaseInsensitive); at >= 0)
        diagnostic = text.mid(at + kRemoteReply.size()).trimmed();
    BounceRecipient r = ProviderSupport::makeRecipient(p.address, diagnostic);
    if (r.recipient.isEmpty())
        return;
    if (delayed)
        r.kind = MessageKind::Delay;
    r.action.clear(); // the notice has no DSN action; "delayed" is kept in kind

    // "... rejected by the server for the recipient domain example.jp by mx.example.jp. [192.0.2.153]."
    static const QRegularExpression remoteHost(uR"(\bby ([\w.-]+?)\.? \[([0-9A-Fa-f.:]+)\]\.)"_s);
    if (const QRegularExpressionMatch m = remoteHost.match(text); m.hasMatch())
        r.remoteMta = m.captured(1).contains(u'.') ? m.captured(1) : m.captured(2);

    static const QRegularExpression stateCode(uR"(\(state (\d+)\)\.?)"_s);
    const QRegularExpressionMatch state = stateCode.match(diagnostic);
    if (state.hasMatch()) {
        const int code = state.captured(1).toInt();
        for (const GmailState& s : kStates) {
            if (s.state == code) {
                r.reason = QString::fromUtf16(s.reason);
                r.smtpCommand = QString::fromUtf16(s.command);
            }
        }
    } else {
        r.reason = MtaText::reasonFor(header + u' ' + text, kMessages, Qt::CaseInsensitive);
    }
    // A specific status in the remote reply ("450 4.2.2 ... Mailbox Full (state 14)") says more
    // than the state does: state 14 covers every RCPT rejection.
    if (!r.reason.isEmpty() && !r.status.isEmpty() && !r.status.contains(u".0"))
        r.reason = StatusCode::reasonFor(r.status);
    report.recipients.append(std::move(r));
}

} // namespace

QString GmailDecoder::family() const
{
    return u"gmail"_s;
}

bool GmailDecoder::detect(const DecodeContext& ctx) const
{
    const mail::MimePart& root = ctx.root();
    return ProviderSupport::headerContains(root, "From", kSender)
        && ProviderSupport::headerContains(root, "Subject", kSubject) && root.type == "text";
}

std::optional<BounceReport> GmailDecoder::decode(const DecodeContext& ctx) const
{
    const QString notice = ProviderSupport::textBefore(ctx.noticeText(), kOriginalStarts);
    BounceReport report = ProviderSupport::newReport(family());
    std::optional<Pending> pending;
    QString header;
    bool started = false;
    bool delayed = false;
    for (const QString& line : ProviderSupport::lines(notice)) {
        if (!started) {
            if (!line.startsWith(kNoticeStart))
                continue;
            started = true;
            header = line;
            delayed = line.contains(kDelayed);
            continue;
        }
        if (line.trimmed().isEmpty())
            continue;
        // The recipient is indented on a line of its own: "     kijitora@example.jp".
        const QString trimmed = line.trimmed();
        if (line.front().isSpace() && !trimmed.contains(u' ') && trimmed.contains(u'@')
            && Address::isPlausible(trimmed)) {
            if (pending)
                finish(*pending, delayed, header, report);
            pending = Pending{trimmed, {}};
            continue;
        }
        if (pending)
            pending->text << line;
    }
    if (pending)
        finish(*pending, delayed, header, report);
    if (report.recipients.isEmpty())
        return std::nullopt;
    if (delayed)
        report.kind = MessageKind::Delay;
    return report;
}

} // namespace bi::core::bounce
