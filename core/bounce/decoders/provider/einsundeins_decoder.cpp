// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/provider/einsundeins_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/mta/mta_text.h"
#include "core/bounce/decoders/provider/provider_support.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

constexpr QStringView kSenderName = u"Mail Delivery System";
constexpr QStringView kSubject = u"Mail delivery failed: returning message to sender";
constexpr QStringView kNoticeStart = u"This message was created automatically by mail delivery software";
constexpr QStringView kReasonStart = u"For the following reason:";
// 1&1 (like GMX, both United Internet) quotes the original's header after this line; Exim,
// whose From and Subject 1&1 copies, writes "------ This is a copy of the message".
constexpr QStringView kOriginalStart = u"--- The header of the original message is following. ---";
const QStringView kOriginalStarts[] = {kOriginalStart};

constexpr ReasonPhrase kMessages[] = {
    {u"mesgtoobig", u"Mail size limit exceeded"},
};

struct Pending {
    QString address;
    QStringList reason;    // after "For the following reason:"
    QStringList smtpError; // "SMTP error from remote server for TEXT command, host: ... reason: ..."
};

void finish(const Pending& p, BounceReport& report)
{
    QString text = ProviderSupport::sweep((p.reason.isEmpty() ? p.smtpError : p.reason).join(u' '));
    QString host;
    QString command;
    // "SMTP error from remote server for TEXT command, host: smtp-in.orange.fr (193.252.22.65)
    // reason: 550 5.2.0 Mail rejete. Mail rejected. ofr_506 [506]" (lhost-einsundeins-03)
    static const QRegularExpression smtpError(uR"(host:\s+([^\s]+)\s+.*?\breason:\s*(.+)$)"_s);
    if (const QRegularExpressionMatch m = smtpError.match(text); m.hasMatch()) {
        host = m.captured(1);
        // TEXT is how 1&1 names the message body, i.e. the reply to DATA.
        if (text.contains(u"for TEXT command"))
            command = u"DATA"_s;
        text = m.captured(2);
    }
    BounceRecipient r = ProviderSupport::makeRecipient(p.address, text);
    if (r.recipient.isEmpty())
        return;
    r.remoteMta = host;
    if (!command.isEmpty())
        r.smtpCommand = command;
    r.reason = MtaText::reasonFor(r.diagnostic, kMessages, Qt::CaseInsensitive);
    report.recipients.append(std::move(r));
}

} // namespace

QString EinsUndEinsDecoder::family() const
{
    return u"einsundeins"_s;
}

bool EinsUndEinsDecoder::detect(const DecodeContext& ctx) const
{
    const mail::MimePart& root = ctx.root();
    const QString from = root.header("From").trimmed();
    return from.startsWith(u'"') && QStringView(from).mid(1).startsWith(kSenderName)
        && root.header("Subject").trimmed() == kSubject && ctx.rawBody().contains(kOriginalStart.toUtf8());
}

std::optional<BounceReport> EinsUndEinsDecoder::decode(const DecodeContext& ctx) const
{
    const QString notice = ProviderSupport::textBefore(ctx.noticeText(), kOriginalStarts);
    static const QRegularExpression recipientLine(uR"(^([^ ]+@[^ ]+?):?$)"_s);
    BounceReport report = ProviderSupport::newReport(family());
    std::optional<Pending> pending;
    bool started = false;
    bool inReason = false;
    for (const QString& raw : ProviderSupport::lines(notice)) {
        const QString line = raw.trimmed();
        if (!started) {
            started = line.startsWith(kNoticeStart);
            continue;
        }
        if (line.isEmpty())
            continue;
        if (const QRegularExpressionMatch m = recipientLine.match(line); m.hasMatch()) {
            if (pending)
                finish(*pending, report);
            pending = Pending{m.captured(1), {}, {}};
            inReason = false;
        } else if (line.startsWith(kReasonStart)) {
            inReason = true;
        } else if (pending) {
            (inReason ? pending->reason : pending->smtpError) << line;
        }
    }
    if (pending)
        finish(*pending, report);
    if (report.recipients.isEmpty())
        return std::nullopt;
    return report;
}

} // namespace bi::core::bounce
