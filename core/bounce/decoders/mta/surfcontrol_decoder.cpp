// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/surfcontrol_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/mta/mta_dsn.h"
#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

constexpr QStringView kStart[] = {u"Your message could not be sent."};

} // namespace

QString SurfControlDecoder::family() const
{
    return u"surfcontrol"_s;
}

bool SurfControlDecoder::detect(const DecodeContext& ctx) const
{
    const mail::MimePart& root = ctx.root();
    return root.hasHeader("X-SEF-Processed") && root.header("X-Mailer").trimmed() == u"SurfControl E-mail Filter";
}

std::optional<BounceReport> SurfControlDecoder::decode(const DecodeContext& ctx) const
{
    const QStringList lines = MtaText::lines(MtaText::bounceText(ctx));
    const qsizetype start = MtaText::findLine(lines, kStart);
    if (start < 0)
        return std::nullopt;
    static const QRegularExpression addressedTo(uR"(^Addressed To:\s*(\S+@\S+)$)"_s);
    // "user@example.com: [192.0.2.5], 550 user@example.com... No such user"
    static const QRegularExpression reply(uR"(^\S+@\S+:\s*\[([0-9.]+)\],\s*(.+)$)"_s);

    BounceReport report;
    report.family = family();
    for (qsizetype i = start + 1; i < lines.size(); ++i) {
        const QString line = lines.at(i).trimmed();
        if (const auto m = addressedTo.match(line); m.hasMatch()) {
            BounceRecipient r;
            r.recipient = m.captured(1);
            r.action = u"failed"_s;
            report.recipients.append(r);
        } else if (const auto m = reply.match(line); m.hasMatch() && !report.recipients.isEmpty()) {
            report.recipients.last().remoteMta = m.captured(1);
            report.recipients.last().diagnostic = m.captured(2);
        }
    }
    const QList<BounceRecipient> dsn = MtaDsn::read(MtaDsn::statusPartLines(ctx), report);
    for (qsizetype i = 0; i < report.recipients.size(); ++i) {
        BounceRecipient& r = report.recipients[i];
        if (const BounceRecipient* d = MtaDsn::pair(dsn, r.recipient, i, report.recipients.size())) {
            r.status = d->status;
            if (r.diagnostic.isEmpty())
                r.diagnostic = d->diagnostic;
        }
    }
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
