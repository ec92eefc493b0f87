// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/activehunter_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

constexpr QStringView kStart[] = {u"----- The following addresses had permanent fatal errors -----"};

} // namespace

QString ActivehunterDecoder::family() const
{
    return u"activehunter"_s;
}

bool ActivehunterDecoder::detect(const DecodeContext& ctx) const
{
    return ctx.root().hasHeader("X-AHMAILID");
}

std::optional<BounceReport> ActivehunterDecoder::decode(const DecodeContext& ctx) const
{
    const QStringList lines = MtaText::lines(MtaText::bounceText(ctx));
    const qsizetype start = MtaText::findLine(lines, kStart, 0, true);
    if (start < 0)
        return std::nullopt;
    // ">>> user@example.org <user@example.org>", then the first line of the transcript that
    // starts with a word is the remote server's reply.
    static const QRegularExpression recipientLine(uR"(^>>>\s+.+<([^ <>]+@[^ <>]+)>$)"_s);
    static const QRegularExpression replyLine(uR"(^[0-9A-Za-z]+)"_s);

    BounceReport report;
    report.family = family();
    for (qsizetype i = start + 1; i < lines.size(); ++i) {
        const QString& line = lines.at(i);
        if (const auto m = recipientLine.match(line); m.hasMatch()) {
            BounceRecipient r;
            r.recipient = m.captured(1);
            r.action = u"failed"_s;
            report.recipients.append(r);
        } else if (!report.recipients.isEmpty() && report.recipients.constLast().diagnostic.isEmpty()
                   && replyLine.match(line).hasMatch()) {
            report.recipients.last().diagnostic = line;
        }
    }
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
