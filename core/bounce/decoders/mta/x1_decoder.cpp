// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/x1_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

QString X1Decoder::family() const
{
    return u"x1"_s;
}

bool X1Decoder::detect(const DecodeContext& ctx) const
{
    const mail::MimePart& root = ctx.root();
    return root.header("Subject").trimmed().startsWith(u"Returned Mail: ")
        && root.header("From").trimmed().startsWith(u"\"Mail Deliver System\" ");
}

std::optional<BounceReport> X1Decoder::decode(const DecodeContext& ctx) const
{
    const QStringList lines = MtaText::lines(MtaText::bounceText(ctx));
    static const QRegularExpression start(uR"(^The original message was received at (.+)$)"_s);
    // "kijitora@example.co.jp [User unknown]"
    static const QRegularExpression recipientLine(uR"(^([^ ]+?@[^ ]+?)\s+\[(.+)\]$)"_s);
    // The returned message follows the notice, starting with its Received lines.
    static const QRegularExpression original(uR"(^Received: from \d+\.\d+\.\d+\.\d)"_s);

    BounceReport report;
    report.family = family();
    bool started = false;
    for (const QString& line : lines) {
        if (original.match(line).hasMatch())
            break;
        if (!started) {
            started = start.match(line).hasMatch();
            continue;
        }
        if (const auto m = recipientLine.match(line.trimmed()); m.hasMatch()) {
            BounceRecipient r;
            r.recipient = m.captured(1);
            r.diagnostic = m.captured(2);
            r.action = u"failed"_s;
            report.recipients.append(r);
        }
    }
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
