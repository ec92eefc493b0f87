// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/challenge_response_decoder.h"

#include <algorithm>
#include <iterator>

#include <QRegularExpression>

#include "core/bounce/address.h"
#include "core/bounce/decoders/mta/mta_dsn.h"
#include "core/bounce/decoders/mta/mta_text.h"
#include "core/common/text_case.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

// Headers the C/R software writes on its challenges (Mail::DeliveryStatus::BounceParser
// checks X-Delivery-Agent for TMDA; any X-Boxbe-Notice will do).
bool hasHeaderMarker(const mail::MimePart& root)
{
    for (const QString& value : root.headerAll("X-Delivery-Agent")) {
        if (value.trimmed().startsWith(u"TMDA", Qt::CaseInsensitive))
            return true;
    }
    for (const QString& value : root.headerAll("X-Boxbe-Notice")) {
        if (!value.trimmed().isEmpty())
            return true;
    }
    return false;
}

// Domains of hosted C/R services; their challenges come From (or Return-Path) these.
constexpr QStringView kServiceDomains[] = {
    u"boxbe.com", u"bluebottle.com", u"spamarrest.com", u"mailblocks.com", u"antispam.uol.com.br",
};

// What a challenge says, in the notice or in the remote server's reply (boxbe-cr.msg:
// "X-Boxbe-Notice; Sender not pre-approved"; whitelist.msg: "550 Your server requires
// confirmation. Visit http://.../Whitelist.aspx?IP=... to confirm this mail server.").
// Phrases only a challenge uses; lower case.
constexpr QStringView kChallengePhrases[] = {
    u"sender not pre-approved",
    u"your server requires confirmation",
    u"add yourself to my guest list",
    u"only accept email from senders i have approved",
    u"to have your message delivered, please confirm",
};

bool fromServiceDomain(const mail::MimePart& root)
{
    for (QByteArrayView header : {QByteArrayView("From"), QByteArrayView("Return-Path"), QByteArrayView("Sender")}) {
        const QString domain = Address::domainOf(Address::normalize(root.header(header)));
        if (domain.isEmpty())
            continue;
        for (QStringView d : kServiceDomains) {
            if (Address::isWithinDomain(domain, d))
                return true;
        }
    }
    return false;
}

// The bounce's own text (notice and delivery-status part, not the quoted original), folded
// to one line so phrases wrapped by the MTA still match.
QString ownText(const DecodeContext& ctx)
{
    return MtaText::sweptLowerBounceText(ctx);
}

// Only machine-written mail is a challenge: a person may well quote these phrases or write
// from one of these domains. RFC 3834 §5 Auto-Submitted, a null or daemon Return-Path, a
// no-reply or daemon sender, or an RFC 6522 report.
bool looksAutomated(const DecodeContext& ctx)
{
    const mail::MimePart& root = ctx.root();
    const QString autoSubmitted = root.header("Auto-Submitted").trimmed();
    if (!autoSubmitted.isEmpty() && !autoSubmitted.startsWith(u"no"_s, Qt::CaseInsensitive))
        return true;
    if (root.mimeType() == "multipart/report" || ctx.findPart("message/delivery-status"))
        return true;
    static const QRegularExpression daemon(uR"(^(mailer-daemon|postmaster|no-?reply|do-?not-?reply)@)"_s,
                                           QRegularExpression::CaseInsensitiveOption);
    for (QByteArrayView header : {QByteArrayView("From"), QByteArrayView("Return-Path")}) {
        const QString value = root.header(header).trimmed();
        if (header == "Return-Path" && value == u"<>"_s)
            return true;
        if (daemon.match(Address::normalize(value)).hasMatch())
            return true;
    }
    return false;
}

bool saysChallenge(const DecodeContext& ctx)
{
    // Every phrase holds one of these words, which folding the text cannot split: most
    // messages are ruled out without folding their text.
    static constexpr QStringView kKeyWords[] = {u"approved", u"confirm", u"guest"};
    const QString& text = MtaText::bounceText(ctx);
    if (std::none_of(std::begin(kKeyWords), std::end(kKeyWords),
                     [&text](QStringView w) { return containsCaseInsensitive(text, w); }))
        return false;
    return MtaText::containsAny(ownText(ctx), kChallengePhrases);
}

} // namespace

QString ChallengeResponseDecoder::family() const
{
    return u"challenge"_s;
}

bool ChallengeResponseDecoder::detect(const DecodeContext& ctx) const
{
    const mail::MimePart& root = ctx.root();
    if (hasHeaderMarker(root))
        return true;
    return looksAutomated(ctx) && (fromServiceDomain(root) || saysChallenge(ctx));
}

std::optional<BounceReport> ChallengeResponseDecoder::decode(const DecodeContext& ctx) const
{
    BounceReport report;
    report.family = family();
    report.kind = MessageKind::AutoReply;

    // A challenge dressed as a DSN names the challenged address as Final-Recipient.
    const QStringList statusLines = MtaDsn::statusPartLines(ctx);
    for (BounceRecipient r : MtaDsn::read(statusLines, report)) {
        r.recipient = Address::normalize(r.recipient);
        if (r.recipient.isEmpty())
            continue;
        r.kind = MessageKind::AutoReply;
        // Status and Action stay as written ("failed", 4.7.0): the kind says what they mean.
        r.diagnostic = MtaText::sweep(r.diagnostic);
        report.recipients << r;
    }
    if (report.recipients.isEmpty()) {
        // Otherwise the person behind the filter: the Reply-To the challenge offers, else its From
        // (TMDA sends from the protected address itself).
        QString who = Address::normalize(ctx.root().header("Reply-To"));
        if (who.isEmpty())
            who = Address::normalize(ctx.root().header("From"));
        if (who.isEmpty())
            return std::nullopt;
        BounceRecipient r;
        r.kind = MessageKind::AutoReply;
        r.recipient = who;
        r.diagnostic = ownText(ctx).left(300);
        report.recipients << r;
    }
    return report;
}

} // namespace bi::core::bounce
