// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/provider/biglobe_decoder.h"

#include <QRegularExpression>

#include "core/bounce/address.h"
#include "core/bounce/decoders/mta/mta_text.h"
#include "core/bounce/decoders/provider/provider_support.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

constexpr QStringView kSubjectStart = u"Returned mail:";
constexpr QStringView kRecipientsStart = u"----- The following addresses had delivery problems -----";

constexpr ReasonPhrase kMessages[] = {
    {u"filtered", u"Mail Delivery Failed... User unknown"},
    {u"mailboxfull", u"The number of messages in recipient's mailbox exceeded the local limit."},
};

} // namespace

QString BiglobeDecoder::family() const
{
    return u"biglobe"_s;
}

bool BiglobeDecoder::detect(const DecodeContext& ctx) const
{
    // BIGLOBE and the cable operators whose mail it runs.
    static const QRegularExpression sender(uR"(^postmaster@(?:biglobe|inacatv|tmtv|ttv)\.ne\.jp$)"_s);
    return sender.match(ProviderSupport::fromAddress(ctx.root())).hasMatch()
        && ctx.root().header("Subject").trimmed().startsWith(kSubjectStart);
}

std::optional<BounceReport> BiglobeDecoder::decode(const DecodeContext& ctx) const
{
    QStringList addresses;
    QStringList diagnostic;
    bool started = false;
    for (const QString& raw : ProviderSupport::lines(ctx.noticeText())) {
        const QString line = raw.trimmed();
        if (!started) {
            started = line.startsWith(kRecipientsStart);
            continue;
        }
        if (line.isEmpty() || line.startsWith(u"-----"))
            continue;
        if (!line.contains(u' ') && line.contains(u'@') && Address::isPlausible(line))
            addresses << line;
        else
            diagnostic << line;
    }
    BounceReport report = ProviderSupport::newReport(family());
    for (const QString& address : addresses) {
        BounceRecipient r = ProviderSupport::makeRecipient(address, diagnostic.join(u' '));
        if (r.recipient.isEmpty())
            continue;
        r.reason = MtaText::reasonFor(r.diagnostic, kMessages, Qt::CaseInsensitive);
        report.recipients.append(std::move(r));
    }
    if (report.recipients.isEmpty())
        return std::nullopt;
    return report;
}

} // namespace bi::core::bounce
