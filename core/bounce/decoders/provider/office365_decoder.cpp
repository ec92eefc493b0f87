// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/provider/office365_decoder.h"

#include <QRegularExpression>

#include "core/bounce/address.h"
#include "core/bounce/decoders/provider/provider_support.h"
#include "core/bounce/status_code.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

// Headers Exchange Online adds to its NDRs. X-MS-Exchange-Message-Is-Ndr is left out on
// purpose: on-premises Exchange writes it too (lhost-exchange2007-06), always empty.
const QByteArrayView kExchangeOnlineHeaders[] = {
    "X-Microsoft-Antispam-PRVS",
    "X-Exchange-Antispam-Report-Test",
    "X-Exchange-Antispam-Report-CFA-Test",
    "X-MS-Exchange-CrossTenant-OriginalArrivalTime",
    "X-MS-Exchange-CrossTenant-FromEntityHeader",
    "X-MS-Exchange-Transport-CrossTenantHeadersStamped",
};

// Microsoft's extended status codes that name a reason on their own, after "Email
// non-delivery reports and SMTP errors in Exchange Online" (learn.microsoft.com, NDR codes),
// as collected by sisimai (Sisimai::Lhost::Office365). Prefix match on "class.subject.detail";
// `to` > 0 is an inclusive range of the last number.
struct StatusReason {
    const char16_t* prefix; // "5.7." etc.
    int from;
    int to;
    const char16_t* reason;
};
constexpr StatusReason kStatusReasons[] = {
    {u"4.4.", 7, 7, u"expired"},
    {u"4.4.", 312, 312, u"networkerror"},
    {u"4.4.", 316, 316, u"expired"},
    {u"4.7.", 26, 26, u"securityerror"},
    {u"4.7.", 500, 699, u"blocked"},
    {u"4.7.", 850, 899, u"blocked"},
    {u"5.0.", 350, 350, u"contenterror"},
    {u"5.1.", 10, 10, u"userunknown"},
    {u"5.4.", 1, 1, u"norelaying"},
    {u"5.4.", 6, 6, u"networkerror"},
    {u"5.4.", 312, 312, u"networkerror"},
    {u"5.4.", 316, 316, u"expired"},
    {u"5.6.", 11, 11, u"contenterror"},
    {u"5.7.", 1, 1, u"rejected"},
    {u"5.7.", 12, 13, u"rejected"},
    {u"5.7.", 23, 23, u"blocked"},
    {u"5.7.", 25, 25, u"networkerror"},
    {u"5.7.", 57, 57, u"securityerror"},
    {u"5.7.", 124, 124, u"rejected"},
    {u"5.7.", 133, 136, u"rejected"},
    {u"5.7.", 501, 503, u"spamdetected"},
    {u"5.7.", 504, 505, u"filtered"},
    {u"5.7.", 506, 507, u"blocked"},
    {u"5.7.", 508, 508, u"toomanyconn"},
    {u"5.7.", 509, 509, u"securityerror"},
    {u"5.7.", 510, 510, u"notaccept"},
    {u"5.7.", 511, 511, u"rejected"},
    {u"5.7.", 512, 512, u"securityerror"},
    {u"5.7.", 606, 649, u"blocked"},
    {u"5.7.", 700, 749, u"toomanyconn"},
};

// The first line of the notice, in the wordings Exchange Online has used.
const QRegularExpression& noticeStart()
{
    static const QRegularExpression re(
        uR"(^(?:Delivery has failed to these recipients or groups:|Original Message Details|.+ rejected your message to the following e-?mail addresses:))"_s);
    return re;
}
constexpr QStringView kAdminStart = u"Diagnostic information for administrators:";
constexpr QStringView kErrorDetails = u"Error Details";
const QStringView kNoticeEnds[] = {u"Original message headers", u"Original Message Headers", u"Message Hops"};

QString reasonForStatus(const QString& status)
{
    for (const StatusReason& s : kStatusReasons) {
        const QStringView prefix(s.prefix);
        if (!status.startsWith(prefix))
            continue;
        bool ok = false;
        const int detail = QStringView(status).mid(prefix.size()).toInt(&ok);
        if (ok && detail >= s.from && detail <= s.to)
            return QString::fromUtf16(s.reason);
    }
    return {};
}

const QRegularExpression& exchangeOnline()
{
    static const QRegularExpression re(uR"(.+\.(?:outbound\.protection|prod)\.outlook\.com\b)"_s,
                                       QRegularExpression::CaseInsensitiveOption);
    return re;
}

int signs(const DecodeContext& ctx)
{
    const mail::MimePart& root = ctx.root();
    int n = ProviderSupport::headerContains(root, "Subject", u"Undeliverable:");
    for (QByteArrayView name : kExchangeOnlineHeaders)
        n += !root.header(name).trimmed().isEmpty();
    // The pattern needs ".outlook.com": a plain search rules out most values first.
    const auto isExchangeOnline = [](const QString& value) {
        return exchangeOnline().match(value).hasMatch();
    };
    if (ProviderSupport::receivedContains(ctx, u".outlook.com")) {
        for (const QString& received : root.headerAll("Received")) {
            if (isExchangeOnline(received)) {
                ++n;
                break;
            }
        }
    }
    n += ProviderSupport::headerContains(root, "Message-ID", u".outlook.com") && isExchangeOnline(root.header("Message-ID"));
    return n;
}

struct TextRecipient {
    QString address;
    QString diagnostic;
};

// The reply Exchange quotes in "Remote Server returned '550 5.1.1 ...'" or "... - Server at
// host returned '550 5.4.312 ...'"; the first one is the final attempt.
QString returnedReply(const QString& text)
{
    static const QRegularExpression returned(uR"(returned '([^']+)')"_s, QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch m = returned.match(text);
    return m.hasMatch() ? m.captured(1).trimmed() : QString();
}

// Recipients and the administrators' block from the text part (the only source when the
// NDR has no message/delivery-status part, lhost-office365-02).
QList<TextRecipient> readText(const QString& text, QString* generatingServer)
{
    static const QRegularExpression mailto(uR"(^.+@.+<mailto:(.+@.+)>$)"_s);
    static const QRegularExpression recipientAddress(uR"(^Recipient Address:\s+(.+)$)"_s);
    static const QRegularExpression generating(uR"(^Generating server:\s*(.+)$)"_s);
    QList<TextRecipient> out;
    QStringList admin;
    bool started = false;
    bool inAdmin = false;
    for (const QString& raw : ProviderSupport::lines(ProviderSupport::textBefore(text, kNoticeEnds))) {
        const QString line = raw.trimmed();
        if (!started) {
            started = noticeStart().match(line).hasMatch();
            continue;
        }
        if (line.isEmpty())
            continue;
        QRegularExpressionMatch m = mailto.match(line);
        if (!m.hasMatch())
            m = recipientAddress.match(line);
        if (m.hasMatch()) {
            out.append({m.captured(1).trimmed(), {}});
            continue;
        }
        if (const QRegularExpressionMatch g = generating.match(line); g.hasMatch()) {
            *generatingServer = g.captured(1).toLower();
            continue;
        }
        if (line.startsWith(kAdminStart) || line.startsWith(kErrorDetails)) {
            inAdmin = true;
            continue;
        }
        if (inAdmin)
            admin << line;
    }
    const QString adminText = ProviderSupport::sweep(admin.join(u' '));
    const QString reply = returnedReply(adminText);
    for (TextRecipient& r : out)
        r.diagnostic = reply.isEmpty() ? adminText : reply;
    return out;
}

} // namespace

QString Office365Decoder::family() const
{
    return u"office365"_s;
}

bool Office365Decoder::detect(const DecodeContext& ctx) const
{
    return signs(ctx) >= 2;
}

std::optional<BounceReport> Office365Decoder::decode(const DecodeContext& ctx) const
{
    QString generatingServer;
    const QList<TextRecipient> fromText = readText(ctx.noticeText(), &generatingServer);
    std::optional<BounceReport> report = ProviderSupport::standardReport(ctx, family());
    if (!report) {
        report = ProviderSupport::newReport(family());
        for (const TextRecipient& t : fromText) {
            BounceRecipient r = ProviderSupport::makeRecipient(t.address, t.diagnostic);
            if (!r.recipient.isEmpty())
                report->recipients.append(std::move(r));
        }
    }
    if (report->recipients.isEmpty())
        return std::nullopt;
    if (report->reportingMta.isEmpty())
        report->reportingMta = generatingServer;

    // "Remote server returned unknown recipient or mailbox unavailable -> 550 ..." is
    // Exchange's report of a RCPT TO rejection by the next hop.
    static const QRegularExpression rcptRejection(
        uR"(unknown recipient or mailbox unavailable ->.+<?.+@.+\.[a-zA-Z]+>?)"_s);
    for (BounceRecipient& r : report->recipients) {
        if (r.diagnostic.isEmpty()) {
            for (const TextRecipient& t : fromText) {
                if (Address::normalize(t.address) == r.recipient)
                    r.diagnostic = t.diagnostic;
            }
            ProviderSupport::completeFromDiagnostic(r);
        }
        if (ProviderSupport::isVagueStatus(r.status)) {
            if (const QString found = StatusCode::find(r.diagnostic); !found.isEmpty())
                r.status = found;
        }
        if (rcptRejection.match(r.diagnostic).hasMatch())
            r.smtpCommand = u"RCPT"_s;
        r.reason = reasonForStatus(r.status);
    }
    return report;
}

} // namespace bi::core::bounce
