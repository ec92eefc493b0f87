// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/exchange2003_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

constexpr QStringView kStart[] = {u"Your message"};

// Exchange 5.5-2003 MSEXCH diagnostic codes ("MSEXCH:IMS:ORG:SITE:SERVER 0 (000C05A6) Unknown
// Recipient") and what they stand for.
struct ErrorCode {
    QStringView code;
    QStringView reason;
};
constexpr ErrorCode kErrorCodes[] = {
    {u"000B099C", u"onhold"},        // host unknown, message too large, ...: the text decides
    {u"000B09AA", u"onhold"},        // unable to relay, message too large, ...
    {u"000B09B6", u"onhold"},        // the remote MTA's own error
    {u"000C05A6", u"userunknown"},   // Unknown Recipient
    {u"00010256", u"systemerror"},   // Too many recipients
    {u"000D06B5", u"systemerror"},   // No proxy for recipient (non-SMTP mail)
    {u"00120270", u"networkerror"},  // Too Many Hops
    {u"00050311", u"contenterror"},  // Conversion to Internet format failed
    {u"000502CC", u"contenterror"},  // Conversion to Internet format failed
    {u"000B0981", u"securityerror"}, // 502 Server does not support AUTH
    {u"000C0595", u"filtered"},      // Ambiguous Recipient
};

} // namespace

QString Exchange2003Decoder::family() const
{
    return u"exchange2003"_s;
}

bool Exchange2003Decoder::detect(const DecodeContext& ctx) const
{
    const mail::MimePart& root = ctx.root();
    if (root.hasHeader("X-MS-Embedded-Report"))
        return true;
    const QString mailer = root.header("X-Mailer").trimmed();
    if (mailer.startsWith(u"Internet Mail Service (") || mailer.startsWith(u"Microsoft Exchange Server Internet Mail Connector"))
        return true;
    if (root.header("X-MimeOLE").trimmed().startsWith(u"Produced By Microsoft Exchange"))
        return true;
    for (const QString& received : root.headerAll("Received")) {
        if (received.contains(u" with Internet Mail Service ("))
            return true;
    }
    return false;
}

std::optional<BounceReport> Exchange2003Decoder::decode(const DecodeContext& ctx) const
{
    const QStringList all = MtaText::lines(MtaText::bounceText(ctx));
    const qsizetype start = MtaText::findLine(all, kStart);
    if (start < 0)
        return std::nullopt;

    // The original's To/Subject/Sent are listed first; the recipients follow them.
    static const QRegularExpression to(uR"(^\s+To:\s+(.+)$)"_s);
    static const QRegularExpression subject(uR"(^\s+Subject:\s+(.+)$)"_s);
    static const QRegularExpression sent(uR"(^\s+Sent:\s+(?:[A-Z][a-z]{2},.+[-+]\d{4}|\d+/\d+/\d+\s+\d+:\d+:\d+\s.+)$)"_s);
    static const QRegularExpression recipientLine(uR"(^\s*(?:.+(?:SMTP|smtp)=)?([^\s=]+@[^\s]+) on\s*.*$)"_s);
    static const QRegularExpression msexch(uR"(^\s+(MSEXCH:.+)$)"_s);
    static const QRegularExpression codePattern(uR"(^MSEXCH:.+\s*\(([0-9A-F]{8})\)\s*(.*)$)"_s);

    struct Item {
        BounceRecipient r;
        QString otherLines; // text that is not the MSEXCH diagnostic
        bool msexchDone = false;
    };
    QList<Item> items{Item{}}; // lines before the first recipient belong to it
    bool hasTo = false, hasSubject = false, hasSent = false;
    for (qsizetype i = start + 1; i < all.size(); ++i) {
        const QString& line = all.at(i);
        if (!(hasTo && hasSubject && hasSent)) {
            hasTo = hasTo || to.match(line).hasMatch();
            hasSubject = hasSubject || subject.match(line).hasMatch();
            hasSent = hasSent || sent.match(line).hasMatch();
            continue;
        }
        Item* current = &items.last();
        if (const auto m = recipientLine.match(line); m.hasMatch() && !line.trimmed().startsWith(u"MSEXCH:")) {
            if (!current->r.recipient.isEmpty()) {
                items.append(Item{});
                current = &items.last();
            }
            current->r.recipient = m.captured(1);
            current->r.action = u"failed"_s;
        } else if (const auto x = msexch.match(line); x.hasMatch()) {
            current->r.diagnostic += x.captured(1);
        } else if (current->msexchDone) {
            continue;
        } else if (current->r.diagnostic.startsWith(u"MSEXCH:")) {
            // The line after the MSEXCH code is its text ("Unknown Recipient"); the
            // report proper ends with it.
            current->r.diagnostic += u' ' + line;
            current->msexchDone = true;
            break;
        } else {
            current->otherLines += u' ' + line;
        }
    }

    BounceReport report;
    report.family = family();
    for (Item& item : items) {
        BounceRecipient& r = item.r;
        if (r.recipient.isEmpty())
            continue;
        r.diagnostic = MtaText::sweep(r.diagnostic);
        if (const auto m = codePattern.match(r.diagnostic); m.hasMatch()) {
            for (const ErrorCode& c : kErrorCodes) {
                if (m.captured(1) == c.code) {
                    r.reason = c.reason.toString();
                    break;
                }
            }
            r.diagnostic = m.captured(2);
        }
        // Without a known code the surrounding text ("Recipient Not Found") says more.
        if (r.reason.isEmpty() && !item.otherLines.trimmed().isEmpty())
            r.diagnostic = item.otherLines + u' ' + r.diagnostic;
        report.recipients.append(r);
    }
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
