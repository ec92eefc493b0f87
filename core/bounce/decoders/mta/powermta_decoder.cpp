// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/powermta_decoder.h"

#include "core/bounce/address.h"
#include "core/bounce/decoders/mta/mta_dsn.h"
#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"
#include "core/bounce/field_group.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

// PowerMTA's bounce categories (X-PowerMTA-BounceCategory, from its bounce-category-patterns).
struct Category {
    QStringView category;
    QStringView reason;
};
constexpr Category kCategories[] = {
    {u"bad-domain", u"hostunknown"},
    {u"bad-mailbox", u"userunknown"},
    {u"inactive-mailbox", u"suspend"},
    {u"message-expired", u"expired"},
    {u"no-answer-from-host", u"networkerror"},
    {u"policy-related", u"policyviolation"},
    {u"quota-issues", u"mailboxfull"},
    {u"routing-errors", u"systemerror"},
    {u"spam-related", u"spamdetected"},
};

} // namespace

QString PowerMTADecoder::family() const
{
    return u"powermta"_s;
}

bool PowerMTADecoder::detect(const DecodeContext& ctx) const
{
    return ctx.root().header("Subject").contains(u"Delivery report");
}

std::optional<BounceReport> PowerMTADecoder::decode(const DecodeContext& ctx) const
{
    // the notice PowerMTA writes before its list
    static constexpr QStringView kStart[] = {u"Hello, this is the mail server on "};
    if (MtaText::findLine(MtaText::lines(MtaText::bounceText(ctx)), kStart, 0, true) < 0)
        return std::nullopt;
    QStringList dsn = MtaDsn::statusPartLines(ctx);
    if (dsn.isEmpty())
        dsn = MtaText::lines(MtaText::bounceText(ctx));
    BounceReport report;
    report.family = family();
    report.recipients = MtaDsn::read(dsn, report);

    // The vendor field of each recipient group.
    QHash<QString, QString> categoryOf;
    QString current;
    for (const QString& line : dsn) {
        if (line.startsWith(u"Final-Recipient:", Qt::CaseInsensitive))
            current = Address::normalize(FieldGroupParser::stripType(line.mid(16)));
        else if (line.startsWith(u"X-PowerMTA-BounceCategory:", Qt::CaseInsensitive) && !current.isEmpty())
            categoryOf.insert(current, line.mid(26).trimmed());
    }
    for (BounceRecipient& r : report.recipients) {
        const QString category = categoryOf.value(Address::normalize(r.recipient));
        for (const Category& c : kCategories) {
            if (category == c.category)
                r.reason = c.reason.toString();
        }
    }
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
