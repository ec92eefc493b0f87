// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/mxlogic_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/mta/exim_phrases.h"
#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"
#include "core/bounce/status_code.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

// MX Logic runs a modified Exim: the same sentences, its own end marker.
constexpr QStringView kStart[] = {u"This message was created automatically by mail delivery software."};
constexpr QStringView kOriginal[] = {u"Included is a copy of the message header:"};

} // namespace

QString MXLogicDecoder::family() const
{
    return u"mxlogic"_s;
}

bool MXLogicDecoder::detect(const DecodeContext& ctx) const
{
    const mail::MimePart& root = ctx.root();
    if (root.hasHeader("X-MX-Bounce") || root.hasHeader("X-MXL-Hash") || root.hasHeader("X-MXL-NoteHash"))
        return true;
    if (root.header("From").trimmed().startsWith(u"Mail Delivery System"))
        return true;
    static const QRegularExpression subject(
        uR"(Mail delivery failed(?:: returning message to sender)?|Warning: message \S+ delayed |Delivery Status Notification)"_s);
    return subject.match(root.header("Subject")).hasMatch();
}

std::optional<BounceReport> MXLogicDecoder::decode(const DecodeContext& ctx) const
{
    const QStringList lines = MtaText::linesBefore(MtaText::lines(MtaText::bounceText(ctx)), kOriginal);
    const qsizetype start = MtaText::findLine(lines, kStart);
    if (start < 0)
        return std::nullopt;
    static const QRegularExpression recipientLine(uR"(^\s*<([^ <>]+@[^ <>]+)>:(.+)$)"_s);
    static const QRegularExpression command(
        uR"(SMTP error from remote (?:mail server|mailer) after (end of data|initial connection|[A-Za-z]{4}))"_s);
    static const QRegularExpression remoteHost(uR"(host\s+(\S+)\s\[.+\]:\s)"_s);

    BounceReport report;
    report.family = family();
    for (qsizetype i = start + 1; i < lines.size(); ++i) {
        const QString& line = lines.at(i);
        if (line.isEmpty())
            continue;
        if (const auto m = recipientLine.match(line); m.hasMatch()) {
            BounceRecipient r;
            r.recipient = m.captured(1);
            r.diagnostic = m.captured(2);
            r.action = u"failed"_s;
            report.recipients.append(r);
        } else if (!report.recipients.isEmpty()) {
            report.recipients.last().diagnostic += u' ' + line;
        }
    }
    for (BounceRecipient& r : report.recipients) {
        r.diagnostic = MtaText::sweep(r.diagnostic);
        if (const auto m = remoteHost.match(r.diagnostic); m.hasMatch())
            r.remoteMta = m.captured(1);
        if (const auto m = command.match(r.diagnostic); m.hasMatch())
            r.smtpCommand = StatusCode::normalizeCommand(m.captured(1));
        // As in Exim: refused at EHLO/HELO means the sending host is refused; after MAIL FROM
        // the remote server's words decide; otherwise the MTA's own wording may tell.
        if (r.smtpCommand == u"EHLO" || r.smtpCommand == u"HELO")
            r.reason = u"blocked"_s;
        else if (r.smtpCommand != u"MAIL")
            r.reason = MtaText::reasonFor(r.diagnostic, kEximPhrases);
    }
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
