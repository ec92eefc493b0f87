// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/dragonfly_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"
#include "core/bounce/status_code.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

// mail.c: "This is the DragonFly Mail Agent %s at %s."
constexpr QStringView kStart[] = {u"This is the DragonFly Mail Agent "};
// mail.c: the returned copy, with or without its body.
constexpr QStringView kOriginal[] = {u"Original message follows.", u"Message headers follow"};
constexpr QStringView kRecipient = u"There was an error delivering your mail to <";

// dma's own failures (dma.c, net.c); everything else is the remote server's reply.
constexpr ReasonPhrase kMessages[] = {
    {u"expired", u"Could not deliver for the last "},
    {u"hostunknown", u"DNS lookup failure: host "},
};

} // namespace

QString DragonFlyDecoder::family() const
{
    return u"dragonfly"_s;
}

bool DragonFlyDecoder::detect(const DecodeContext& ctx) const
{
    if (!ctx.root().header("Subject").contains(u"Mail delivery failed"))
        return false;
    for (const QString& received : ctx.root().headerAll("Received")) {
        if (received.contains(u" (DragonFly Mail Agent"))
            return true;
    }
    return false;
}

std::optional<BounceReport> DragonFlyDecoder::decode(const DecodeContext& ctx) const
{
    const QStringList all = MtaText::linesBefore(MtaText::lines(MtaText::bounceText(ctx)), kOriginal);
    const qsizetype start = MtaText::findLine(all, kStart);
    if (start < 0)
        return std::nullopt;
    // net.c: "%s [%s] did not like our %s:\n%s" (host, address, command, the reply).
    static const QRegularExpression didNotLike(uR"(^(\S+) \[([^\]]*)\] did not like our (?:final )?([^:]+):)"_s);

    BounceReport report;
    report.family = family();
    for (qsizetype i = start + 1; i < all.size(); ++i) {
        const QString& line = all.at(i);
        if (line.isEmpty())
            continue;
        if (line.startsWith(kRecipient)) {
            BounceRecipient r;
            r.recipient = line.mid(kRecipient.size() - 1);
            r.action = u"failed"_s;
            report.recipients.append(r);
            continue;
        }
        if (report.recipients.isEmpty())
            continue;
        BounceRecipient& r = report.recipients.last();
        if (const auto m = didNotLike.match(line); m.hasMatch() && r.remoteMta.isEmpty()) {
            r.remoteMta = m.captured(1);
            r.smtpCommand = StatusCode::normalizeCommand(m.captured(3));
        }
        r.diagnostic += u' ' + line;
    }
    for (BounceRecipient& r : report.recipients)
        r.reason = MtaText::reasonFor(r.diagnostic, kMessages);
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
