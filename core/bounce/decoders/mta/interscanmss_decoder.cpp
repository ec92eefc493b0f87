// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/interscanmss_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"
#include "core/bounce/status_code.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

// The subjects InterScan MSS gives its notices (English and the two Japanese ones).
constexpr QStringView kSubjects[] = {u"Mail could not be delivered", u"メッセージを配信できません。",
                                     u"メール配信に失敗しました"};

} // namespace

QString InterScanMSSDecoder::family() const
{
    return u"interscanmss"_s;
}

bool InterScanMSSDecoder::detect(const DecodeContext& ctx) const
{
    const mail::MimePart& root = ctx.root();
    const QString from = root.header("From").trimmed();
    if (from.startsWith(u"\"InterScan MSS\"") || from.startsWith(u"\"InterScan Notification\""))
        return true;
    const QString subject = root.header("Subject").trimmed();
    for (QStringView s : kSubjects) {
        if (subject == s)
            return true;
    }
    return false;
}

std::optional<BounceReport> InterScanMSSDecoder::decode(const DecodeContext& ctx) const
{
    const QStringList lines = MtaText::lines(MtaText::bounceText(ctx));
    // "Sent <<< RCPT TO:<user@example.co.jp>" / "Received >>> 550 5.1.1 <...>... user unknown"
    static const QRegularExpression transcriptRecipient(uR"(^.+[<>]{3}\s+.+<([^ <>]+@[^ <>]+)>)"_s);
    static const QRegularExpression unableToDeliver(uR"(^(?:Reason:\s+)?Unable to deliver message to <([^<>]+)>)"_s);
    static const QRegularExpression sentCommand(uR"(^Sent\s+<<<\s+([A-Z]{4})\s)"_s);
    static const QRegularExpression receivedReply(uR"(^Received\s+>>>\s+(\d{3}\s+.+)$)"_s);

    BounceReport report;
    report.family = family();
    for (const QString& raw : lines) {
        const QString line = raw.trimmed();
        if (line.isEmpty())
            continue;
        QString address;
        bool unable = false;
        if (const auto m = unableToDeliver.match(line); m.hasMatch()) {
            address = m.captured(1);
            unable = true;
        } else if (const auto t = transcriptRecipient.match(line); t.hasMatch()) {
            address = t.captured(1);
        }
        if (!address.isEmpty() && (report.recipients.isEmpty() || report.recipients.constLast().recipient != address)) {
            BounceRecipient r;
            r.recipient = address;
            r.action = u"failed"_s;
            report.recipients.append(r);
        }
        if (report.recipients.isEmpty())
            continue;
        BounceRecipient& r = report.recipients.last();
        if (unable) {
            r.diagnostic = line;
            // The gateway itself found no such recipient in the destination domain.
            r.reason = u"userunknown"_s;
        }
        if (const auto c = sentCommand.match(line); c.hasMatch())
            r.smtpCommand = StatusCode::normalizeCommand(c.captured(1));
        else if (const auto d = receivedReply.match(line); d.hasMatch())
            r.diagnostic = d.captured(1);
    }
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
