// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/messagelabs_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/mta/mta_dsn.h"
#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

QString MessageLabsDecoder::family() const
{
    return u"messagelabs"_s;
}

bool MessageLabsDecoder::detect(const DecodeContext& ctx) const
{
    const mail::MimePart& root = ctx.root();
    return root.hasHeader("X-Msg-Ref") && root.header("From").contains(u"MAILER-DAEMON@messagelabs.com")
        && root.header("Subject").trimmed().startsWith(u"Mail Delivery Failure");
}

std::optional<BounceReport> MessageLabsDecoder::decode(const DecodeContext& ctx) const
{
    // Replies that MessageLabs relays for mailboxes that do not exist, and its own refusal of
    // unauthenticated submission.
    static const QRegularExpression userUnknown(uR"(542 .+ Rejected|No such user)"_s);
    static constexpr QStringView kAuthRequired = u"Please turn on SMTP Authentication in your mail client";

    BounceReport report;
    report.family = family();
    QStringList dsn = MtaDsn::statusPartLines(ctx);
    if (dsn.isEmpty())
        dsn = MtaText::lines(MtaText::bounceText(ctx));
    report.recipients = MtaDsn::read(dsn, report);
    for (BounceRecipient& r : report.recipients) {
        const QString diagnostic = MtaText::sweep(r.diagnostic);
        if (userUnknown.match(diagnostic).hasMatch())
            r.reason = u"userunknown"_s;
        else if (diagnostic.contains(kAuthRequired))
            r.reason = u"securityerror"_s;
    }
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
