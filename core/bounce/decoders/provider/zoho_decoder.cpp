// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/provider/zoho_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/mta/mta_text.h"
#include "core/bounce/decoders/provider/provider_support.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

constexpr QStringView kNoticeStart = u"This message was created automatically by mail delivery";
// Zoho appends the original's header section to the notice, starting with its Received field.
const QStringView kOriginalStarts[] = {u"Received:from mail.zoho.com by mx.zohomail.com",
                                       u"Received: from mail.zoho.com by mx.zohomail.com"};
constexpr QStringView kErrorCode = u"ERROR_CODE :";

constexpr ReasonPhrase kMessages[] = {
    {u"expired", u"Host not reachable"},
};

// "Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 <kijitora@example.co.jp>... User Unknown"
// → "550 5.1.1 <kijitora@example.co.jp>... User Unknown": the reply code and the reply text
// without Zoho's labels.
QString remoteReply(const QString& text)
{
    if (!text.contains(kErrorCode))
        return text;
    QStringList pieces = text.split(kErrorCode.toString());
    pieces.removeFirst(); // Zoho's own summary ("Invalid Address, ")
    for (QString& p : pieces) {
        p = p.trimmed();
        if (p.endsWith(u','))
            p.chop(1);
    }
    return pieces.join(u' ');
}

} // namespace

QString ZohoDecoder::family() const
{
    return u"zoho"_s;
}

bool ZohoDecoder::detect(const DecodeContext& ctx) const
{
    return ctx.root().hasHeader("X-ZohoMail");
}

std::optional<BounceReport> ZohoDecoder::decode(const DecodeContext& ctx) const
{
    const QString notice = ProviderSupport::textBefore(ctx.noticeText(), kOriginalStarts);
    static const QRegularExpression recipientLine(uR"(^([^ ]+@[^ ]+)[ \t]+(.+)$)"_s);
    // Expired: "[Status: Error, Address: <kijitora@example.co.jp>, ResponseCode 421, , Host not reachable.]"
    static const QRegularExpression statusLine(uR"(^\[Status: .+<([^ ]+@[^ ]+)>,)"_s);
    static const QRegularExpression responseCode(uR"(ResponseCode (\d{3}))"_s);
    BounceReport report = ProviderSupport::newReport(family());
    bool started = false;
    for (const QString& line : ProviderSupport::lines(notice)) {
        if (!started) {
            started = line.startsWith(kNoticeStart);
            continue;
        }
        QString address;
        QString diagnostic;
        if (const QRegularExpressionMatch m = recipientLine.match(line); m.hasMatch()) {
            address = m.captured(1);
            diagnostic = remoteReply(m.captured(2));
        } else if (const QRegularExpressionMatch s = statusLine.match(line); s.hasMatch()) {
            address = s.captured(1);
            diagnostic = line;
        } else {
            continue;
        }
        BounceRecipient r = ProviderSupport::makeRecipient(address, diagnostic);
        if (r.recipient.isEmpty())
            continue;
        if (const QRegularExpressionMatch c = responseCode.match(diagnostic); c.hasMatch() && r.replyCode.isEmpty())
            r.replyCode = c.captured(1);
        // The notice does not say which command was refused; a reply worded like Sendmail's RCPT
        // answer ("<addr>... User Unknown") is no statement of it (lhost-zoho-02: a 5.2.1 that
        // came without a command is a filter, not an unknown user).
        r.smtpCommand.clear();
        r.reason = MtaText::reasonFor(r.diagnostic, kMessages, Qt::CaseInsensitive);
        report.recipients.append(std::move(r));
    }
    if (report.recipients.isEmpty())
        return std::nullopt;
    return report;
}

} // namespace bi::core::bounce
