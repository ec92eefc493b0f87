// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/mailfoundry_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

constexpr QStringView kReasonFollows = u"Delivery failed for the following reason:";

} // namespace

QString MailFoundryDecoder::family() const
{
    return u"mailfoundry"_s;
}

bool MailFoundryDecoder::detect(const DecodeContext& ctx) const
{
    if (ctx.root().header("Subject").trimmed() != u"Message delivery has failed")
        return false;
    for (const QString& received : ctx.root().headerAll("Received")) {
        if (received.contains(u"(MAILFOUNDRY) id"))
            return true;
    }
    return false;
}

std::optional<BounceReport> MailFoundryDecoder::decode(const DecodeContext& ctx) const
{
    static const QRegularExpression recipientLine(uR"(^Unable to deliver message to: <([^ <>]+@[^ <>]+)>$)"_s);
    const QStringList lines = MtaText::lines(MtaText::bounceText(ctx));
    BounceReport report;
    report.family = family();
    bool inReason = false;
    for (const QString& line : lines) {
        if (const auto m = recipientLine.match(line.trimmed()); m.hasMatch()) {
            BounceRecipient r;
            r.recipient = m.captured(1);
            r.action = u"failed"_s;
            report.recipients.append(r);
            inReason = false;
        } else if (report.recipients.isEmpty()) {
            continue;
        } else if (line.trimmed() == kReasonFollows) {
            inReason = true;
            report.recipients.last().diagnostic = line;
        } else if (inReason && !line.trimmed().isEmpty() && !line.startsWith(u'-')) {
            report.recipients.last().diagnostic += u' ' + line;
        }
    }
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
