// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/notes_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

constexpr QStringView kStart[] = {u"------- Failure Reasons "};
constexpr QStringView kOriginal[] = {u"------- Returned Message --------"};

constexpr ReasonPhrase kMessages[] = {
    {u"userunknown", u"User not listed in public Name & Address Book"},
    {u"userunknown", u"ディレクトリのリストにありません"},
    {u"networkerror", u"Message has exceeded maximum hop count"},
};

} // namespace

QString NotesDecoder::family() const
{
    return u"notes"_s;
}

bool NotesDecoder::detect(const DecodeContext& ctx) const
{
    return ctx.root().header("Subject").trimmed().startsWith(u"Undeliverable message");
}

std::optional<BounceReport> NotesDecoder::decode(const DecodeContext& ctx) const
{
    const QStringList all = MtaText::lines(MtaText::bounceText(ctx));
    const qsizetype start = MtaText::findLine(all, kStart);
    if (start < 0)
        return std::nullopt;
    qsizetype end = MtaText::findLine(all, kOriginal, start);
    if (end < 0)
        end = all.size();

    static const QRegularExpression addressLine(uR"(^[^ ]+@[^ ]+)"_s);
    BounceReport report;
    report.family = family();
    QString pending; // the reason lines come before the address they concern
    for (qsizetype i = start + 1; i < end; ++i) {
        const QString& line = all.at(i);
        if (line.isEmpty() || line.startsWith(u'-'))
            continue;
        if (addressLine.match(line).hasMatch()) {
            BounceRecipient r;
            r.recipient = line.trimmed();
            r.diagnostic = pending;
            r.action = u"failed"_s;
            report.recipients.append(r);
            pending.clear();
        } else if (report.recipients.isEmpty()) {
            pending += line;
        } else {
            report.recipients.last().diagnostic += line;
        }
    }
    if (report.recipients.isEmpty()) {
        BounceRecipient r;
        r.recipient = MtaText::originalHeader(ctx, all.mid(end + 1), "To");
        r.diagnostic = pending;
        report.recipients.append(r);
    }
    for (BounceRecipient& r : report.recipients)
        r.reason = MtaText::reasonFor(r.diagnostic, kMessages);
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
