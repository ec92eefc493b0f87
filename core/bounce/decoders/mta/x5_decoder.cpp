// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/x5_decoder.h"

#include "core/bounce/decoders/mta/mta_dsn.h"
#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

// The first message/delivery-status part inside \a part, embedded messages included.
const mail::MimePart* findStatusPart(const mail::MimePart& part, int depth)
{
    if (depth > 16)
        return nullptr;
    if (part.type == "message" && part.subtype.endsWith("delivery-status"))
        return &part;
    for (const mail::MimePart& child : part.children) {
        if (const mail::MimePart* found = findStatusPart(child, depth + 1))
            return found;
    }
    return nullptr;
}

} // namespace

QString X5Decoder::family() const
{
    return u"x5"_s;
}

bool X5Decoder::detect(const DecodeContext& ctx) const
{
    const mail::MimePart& root = ctx.root();
    int score = 0;
    score += root.header("To").contains(u"NotificationRecipients") ? 1 : 0;
    // The gateway encodes its display name ("=?iso-2022-jp?B?TWFpbCBEZWxpdmVyeSBTdWJzeXN0ZW0=?=").
    score += root.rawHeaderValue("From").contains("=?") && root.header("From").contains(u"Mail Delivery Subsystem") ? 1 : 0;
    score += root.rawHeaderValue("Subject").contains("=?") && root.header("Subject").contains(u"Mail Delivery Subsystem") ? 1 : 0;
    return score >= 2;
}

std::optional<BounceReport> X5Decoder::decode(const DecodeContext& ctx) const
{
    // The Sendmail report travels as the attached message; its delivery-status part has the
    // recipients. The notice's own text says nothing more.
    const mail::MimePart* status = findStatusPart(ctx.root(), 0);
    if (!status)
        return std::nullopt;
    QString text = QString::fromUtf8(status->body);
    text.remove(u'\r');
    BounceReport report;
    report.family = family();
    report.recipients = MtaDsn::read(MtaText::lines(text), report);
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
