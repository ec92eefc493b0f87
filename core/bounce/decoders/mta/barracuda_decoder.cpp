// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/barracuda_decoder.h"

#include "core/bounce/decoders/mta/mta_dsn.h"
#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

QString BarracudaDecoder::family() const
{
    return u"barracuda"_s;
}

bool BarracudaDecoder::detect(const DecodeContext& ctx) const
{
    // "**Message you sent blocked by our bulk email filter**"
    return ctx.root().header("Subject").indexOf(u"our bulk email filter") > 0;
}

std::optional<BounceReport> BarracudaDecoder::decode(const DecodeContext& ctx) const
{
    BounceReport report;
    report.family = family();
    // the notice names the blocked recipient after this
    static constexpr QStringView kStart[] = {u"Your message to:"};
    if (MtaText::findLine(MtaText::lines(MtaText::bounceText(ctx)), kStart, 0, true) < 0)
        return std::nullopt;
    QStringList dsn = MtaDsn::statusPartLines(ctx);
    if (dsn.isEmpty())
        dsn = MtaText::lines(MtaText::bounceText(ctx));
    report.recipients = MtaDsn::read(dsn, report);
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
