// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/domino_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/mta/mta_dsn.h"
#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

constexpr QStringView kStart[] = {u"Your message"};
constexpr QStringView kNotDelivered = u"was not delivered to:";
constexpr QStringView kBecause = u"because:";

// Domino router messages, in the languages Domino ships.
constexpr ReasonPhrase kMessages[] = {
    {u"userunknown", u"not listed in Domino Directory"},
    {u"userunknown", u"not listed in public Name & Address Book"},
    {u"userunknown", u"non répertorié dans l'annuaire Domino"},
    {u"userunknown", u"Domino ディレクトリには見つかりません"},
    {u"filtered", u"Cannot route mail to user"},
    {u"systemerror", u"Several matches found in Domino Directory"},
};

} // namespace

QString DominoDecoder::family() const
{
    return u"domino"_s;
}

bool DominoDecoder::detect(const DecodeContext& ctx) const
{
    static const QRegularExpression subject(uR"(^DELIVERY[ _]FAILURE:)"_s);
    return subject.match(ctx.root().header("Subject").trimmed()).hasMatch();
}

std::optional<BounceReport> DominoDecoder::decode(const DecodeContext& ctx) const
{
    const QStringList all = MtaText::lines(MtaText::bounceText(ctx));
    const qsizetype start = MtaText::findLine(all, kStart);
    if (start < 0)
        return std::nullopt;

    BounceReport report;
    report.family = family();
    bool expectDiagnostic = false;
    for (qsizetype i = start; i < all.size(); ++i) {
        const QString line = all.at(i).trimmed();
        if (line.isEmpty())
            continue;
        if (line == kNotDelivered) {
            report.recipients.append(BounceRecipient{});
            report.recipients.last().action = u"failed"_s;
            continue;
        }
        if (report.recipients.isEmpty())
            continue;
        BounceRecipient& r = report.recipients.last();
        if (line == kBecause) {
            expectDiagnostic = true;
        } else if (expectDiagnostic) {
            r.diagnostic = line; // the first line after "because:" is the router's reason
            expectDiagnostic = false;
        } else if (r.recipient.isEmpty() && r.diagnostic.isEmpty() && all.at(i).startsWith(u"  ")
                   && line.contains(u'@') && !line.contains(u' ')) {
            r.recipient = line;
        }
    }
    // The RFC 3464 part of newer Domino versions: status and remote host per recipient.
    const QList<BounceRecipient> dsn = MtaDsn::read(MtaDsn::statusPartLines(ctx), report);
    if (report.recipients.isEmpty())
        report.recipients = dsn;
    for (qsizetype i = 0; i < report.recipients.size(); ++i) {
        BounceRecipient& r = report.recipients[i];
        const BounceRecipient* d = MtaDsn::pair(dsn, r.recipient, i, report.recipients.size());
        if (d) {
            r.status = d->status;
            r.remoteMta = d->remoteMta;
            if (r.diagnostic.isEmpty())
                r.diagnostic = d->diagnostic;
        }
        r.reason = MtaText::reasonFor(r.diagnostic, kMessages);
    }
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
