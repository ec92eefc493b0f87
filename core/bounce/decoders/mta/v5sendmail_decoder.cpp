// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/v5sendmail_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"
#include "core/bounce/status_code.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

// savemail.c (V5): "   ----- Transcript of session follows -----" and the returned copy.
constexpr QStringView kStart[] = {u"----- Transcript of session follows -----"};
constexpr QStringView kOriginal[] = {u"----- Unsent message follows -----", u"----- No message was collected -----"};

} // namespace

QString V5sendmailDecoder::family() const
{
    return u"v5sendmail"_s;
}

bool V5sendmailDecoder::detect(const DecodeContext& ctx) const
{
    return ctx.root().header("Subject").startsWith(u"Returned mail: ");
}

std::optional<BounceReport> V5sendmailDecoder::decode(const DecodeContext& ctx) const
{
    const QStringList all = MtaText::lines(MtaText::bounceText(ctx));
    const qsizetype end = MtaText::findLine(all, kOriginal, 0, true);
    const qsizetype start = MtaText::findLine(all, kStart, 0, true);
    // Without the unsent copy this is some other "Returned mail" (V8 Sendmail, AOL, ...).
    if (end < 0 || start < 0 || start > end)
        return std::nullopt;

    // "550 <user@example.org>... User unknown": one line per failed recipient.
    static const QRegularExpression recipientLine(uR"(^[45]\d\d\s+<([^<>]*@[^<>]*)>\.\.\.\s*(.*)$)"_s);
    // "421 example.org (smtp)... Deferred: Connection timed out ...": a host-level failure.
    static const QRegularExpression hostLine(uR"(^([45]\d\d)\s.*?\.\.\. (.+)$)"_s);

    BounceReport report;
    report.family = family();
    // The dialogue lines come before the recipient line they belong to.
    QString pendingCommand;
    QString pendingReply;
    QString hostDiagnostic;
    QString hostReply;
    for (qsizetype i = start + 1; i < end; ++i) {
        const QString& line = all.at(i);
        if (line.isEmpty())
            continue;
        if (const auto m = recipientLine.match(line); m.hasMatch()) {
            BounceRecipient r;
            r.recipient = m.captured(1);
            r.diagnostic = m.captured(2);
            if (!pendingReply.isEmpty())
                r.diagnostic += u": "_s + pendingReply;
            r.smtpCommand = pendingCommand;
            r.action = u"failed"_s;
            report.recipients.append(r);
            pendingCommand.clear();
            pendingReply.clear();
        } else if (line.startsWith(u">>> ")) {
            pendingCommand = StatusCode::normalizeCommand(line.mid(4));
        } else if (line.startsWith(u"<<< ")) {
            pendingReply = line.mid(4);
        } else if (const auto h = hostLine.match(line); h.hasMatch()) {
            hostReply = h.captured(1);
            hostDiagnostic = h.captured(2);
        }
    }
    if (report.recipients.isEmpty()) {
        // Only a host-level failure: the recipient is the one of the unsent message.
        BounceRecipient r;
        r.recipient = MtaText::fieldValue(all.mid(end + 1), u"To");
        r.smtpCommand = pendingCommand;
        report.recipients.append(r);
    }
    for (BounceRecipient& r : report.recipients) {
        if (r.diagnostic.trimmed().isEmpty())
            r.diagnostic = hostDiagnostic.isEmpty() ? pendingReply : hostDiagnostic;
        if (StatusCode::findReplyCode(r.diagnostic).isEmpty())
            r.replyCode = hostReply;
    }
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
