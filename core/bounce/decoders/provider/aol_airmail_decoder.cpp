// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/provider/aol_airmail_decoder.h"

#include <QRegularExpression>

#include "core/bounce/address.h"
#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"
#include "core/common/text_case.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

// The sentence that introduces the list of screen names; what follows "because" is the
// reason ("they are not accepting mail from <sender>", "... with attachments or embedded
// images"). Read by Mail::DeliveryStatus::BounceParser (p_aol_senderblock) and flufl.bounce (AOL).
constexpr QStringView kIntro = u"mail to the following recipients could not be delivered";

// AOL's own domains; screen names in the list belong to the first.
constexpr QStringView kAolDomains[] = {u"aol.com", u"aim.com"};

// What follows "because" names the reason; the classifier's phrase tables word these
// differently ("because the recipient is not accepting mail with ..."), so decide here.
constexpr ReasonPhrase kReasons[] = {
    {u"policyviolation", u"not accepting mail with attachments or embedded images"},
    {u"rejected", u"not accepting mail from"},
};

// The notices come from the daemon of an AOL domain, never from a member.
bool isAolSender(const QString& from)
{
    const QString address = Address::normalize(from);
    if (!address.startsWith(u"mailer-daemon@"_s) && !address.startsWith(u"postmaster@"_s))
        return false;
    const QString domain = Address::domainOf(address);
    for (QStringView d : kAolDomains) {
        if (Address::isWithinDomain(domain, d))
            return true;
    }
    return false;
}

// An AOL screen name as it appears in an address: letters, digits, dots, underscores, dashes.
const QRegularExpression& screenName()
{
    static const QRegularExpression re(uR"(^[A-Za-z0-9][A-Za-z0-9._\-]{0,63}$)"_s);
    return re;
}

} // namespace

QString AolAirmailDecoder::family() const
{
    return u"aolairmail"_s;
}

bool AolAirmailDecoder::detect(const DecodeContext& ctx) const
{
    if (!isAolSender(ctx.root().header("From")))
        return false;
    return containsCaseInsensitive(MtaText::bounceText(ctx), kIntro);
}

std::optional<BounceReport> AolAirmailDecoder::decode(const DecodeContext& ctx) const
{
    const QStringList lines = MtaText::lines(MtaText::bounceText(ctx));
    qsizetype at = -1;
    for (qsizetype i = 0; i < lines.size() && at < 0; ++i) {
        if (containsCaseInsensitive(lines.at(i), kIntro))
            at = i;
    }
    if (at < 0)
        return std::nullopt;

    // The sentence may be folded over several lines; it ends with the colon that opens the list.
    QString sentence = lines.at(at).trimmed();
    qsizetype i = at + 1;
    while (!sentence.endsWith(u':') && i < lines.size() && !lines.at(i).trimmed().isEmpty()
           && i - at < 4)
        sentence += u' ' + lines.at(i++).trimmed();
    if (const qsizetype sorry = sentence.indexOf(u"Your mail"_s, 0, Qt::CaseInsensitive); sorry > 0)
        sentence = sentence.mid(sorry);

    BounceReport report;
    report.family = family();
    for (; i < lines.size(); ++i) {
        const QString entry = lines.at(i).trimmed();
        if (entry.isEmpty()) {
            if (!report.recipients.isEmpty())
                break;
            continue;
        }
        // One name per line; a line with blanks is prose again (signature, quoted text).
        if (entry.contains(u' ') || entry.contains(u'\t'))
            break;
        QString address;
        if (entry.contains(u'@'))
            address = Address::normalize(entry);
        else if (screenName().match(entry).hasMatch())
            address = entry.toLower() + u'@' + kAolDomains[0].toString();
        if (address.isEmpty())
            break;
        BounceRecipient r;
        r.recipient = address;
        r.action = u"failed"_s;
        r.diagnostic = sentence;
        r.reason = MtaText::reasonFor(sentence, kReasons, Qt::CaseInsensitive);
        report.recipients << r;
    }
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
