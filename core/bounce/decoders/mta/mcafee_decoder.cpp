// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/mcafee_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/mta/mta_dsn.h"
#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

constexpr QStringView kStart[] = {u"--- The following addresses had delivery problems ---"};

// Replies of the mail servers behind the appliance that mean "no such mailbox".
const QRegularExpression& userUnknown()
{
    static const QRegularExpression re(
        uR"( User \(.+@.+\) unknown\.(?: |$)|550 Unknown user [^ ]+@[^ ]+|550 <.+?@.+?>\.+ User not exist|No such user)"_s);
    return re;
}

} // namespace

QString McAfeeDecoder::family() const
{
    return u"mcafee"_s;
}

bool McAfeeDecoder::detect(const DecodeContext& ctx) const
{
    const mail::MimePart& root = ctx.root();
    return root.header("X-NAI-Header").contains(u"Modified by McAfee") && root.header("Subject").trimmed() == u"Delivery Status";
}

std::optional<BounceReport> McAfeeDecoder::decode(const DecodeContext& ctx) const
{
    const QStringList lines = MtaText::lines(MtaText::bounceText(ctx));
    const qsizetype start = MtaText::findLine(lines, kStart, 0, true);
    if (start < 0)
        return std::nullopt;
    // "<user@example.jp>   (Unknown user user@example.jp)"
    static const QRegularExpression recipientLine(uR"(^<([^ <>]+@[^ <>]+)>\s+\((.+)\)$)"_s);

    BounceReport report;
    report.family = family();
    for (qsizetype i = start + 1; i < lines.size(); ++i) {
        if (const auto m = recipientLine.match(lines.at(i).trimmed()); m.hasMatch()) {
            BounceRecipient r;
            r.recipient = m.captured(1);
            r.diagnostic = m.captured(2);
            r.action = u"failed"_s;
            report.recipients.append(r);
        }
    }
    // The delivery-status part (only Original-Recipient, no Final-Recipient) has the reply.
    const QList<BounceRecipient> dsn = MtaDsn::read(MtaDsn::statusPartLines(ctx), report);
    for (qsizetype i = 0; i < report.recipients.size(); ++i) {
        BounceRecipient& r = report.recipients[i];
        if (const BounceRecipient* d = MtaDsn::pair(dsn, r.recipient, i, report.recipients.size())) {
            if (!d->diagnostic.isEmpty())
                r.diagnostic = d->diagnostic;
            r.status = d->status;
            r.remoteMta = d->remoteMta;
        }
        if (userUnknown().match(MtaText::sweep(r.diagnostic)).hasMatch())
            r.reason = u"userunknown"_s;
    }
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
