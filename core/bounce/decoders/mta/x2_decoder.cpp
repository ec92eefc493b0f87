// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/x2_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

constexpr QStringView kStart[] = {u"Unable to deliver message to the following address"};
constexpr QStringView kOriginal[] = {u"--- Original message follows."};

} // namespace

QString X2Decoder::family() const
{
    return u"x2"_s;
}

bool X2Decoder::detect(const DecodeContext& ctx) const
{
    static const QRegularExpression subject(uR"(^(?:Delivery failure|fail(?:ure|ed) delivery))"_s);
    return ctx.root().header("From").contains(u"MAILER-DAEMON@")
        && subject.match(ctx.root().header("Subject").trimmed()).hasMatch();
}

std::optional<BounceReport> X2Decoder::decode(const DecodeContext& ctx) const
{
    const QStringList lines = MtaText::linesBefore(MtaText::lines(MtaText::bounceText(ctx)), kOriginal);
    const qsizetype start = MtaText::findLine(lines, kStart);
    if (start < 0)
        return std::nullopt;
    static const QRegularExpression recipientLine(uR"(^<([^ <>]+@[^ <>]+)>:$)"_s);
    BounceReport report;
    report.family = family();
    for (qsizetype i = start + 1; i < lines.size(); ++i) {
        const QString& line = lines.at(i);
        if (line.isEmpty())
            continue;
        if (const auto m = recipientLine.match(line.trimmed()); m.hasMatch()) {
            BounceRecipient r;
            r.recipient = m.captured(1);
            r.action = u"failed"_s;
            report.recipients.append(r);
        } else if (!report.recipients.isEmpty()) {
            report.recipients.last().diagnostic += u' ' + line;
        }
    }
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
