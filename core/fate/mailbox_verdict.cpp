// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/fate/mailbox_verdict.h"

#include <algorithm>
#include <utility>

#include <QRegularExpression>

#include "core/bounce/address.h"

using namespace Qt::StringLiterals;

namespace bi::core::fate {

namespace {

// Wording with which a sending MTA reports a reply it was given during its own SMTP
// session: Postfix "host X said: ... (in reply to RCPT TO command)", Exim "SMTP error from
// remote mail server after RCPT TO", Sendmail "... while talking to X: >>> RCPT", Exchange
// "Remote server returned", DragonFly Mail Agent "X did not like our RCPT TO".
const QRegularExpression& smtpDialogueWording()
{
    static const QRegularExpression re(
        uR"((in reply to (rcpt to|mail from|end of data|data|helo|ehlo)|smtp error from remote mail server|while talking to|refused to talk to me|host \S+ said:|remote server returned|did not like our (rcpt to|mail from|final data|data|helo|ehlo)))"_s,
        QRegularExpression::CaseInsensitiveOption);
    return re;
}

const QRegularExpression& expiryWording()
{
    static const QRegularExpression re(
        uR"((retry timeout exceeded|in the queue too long|message expired|delivery time expired|could not be delivered for (more than )?\d+ (day|hour)|cannot send message for \d+ (day|hour)|queue\.expired|maximum time in queue))"_s,
        QRegularExpression::CaseInsensitiveOption);
    return re;
}

QString hostOfAddress(const QString& from)
{
    const QString address = bounce::Address::normalize(from);
    return bounce::Address::domainOf(address);
}

const QString kMadeTheMessageId = u"message-id"_s;
const QString kLearned = u"learned"_s;

// A machine of the sender's own: inside one of the sender's domains, or named as only an
// internal network names it ("app1", "localhost", "ip-10-0-0-5.ec2.internal", "web.lan").
bool isSenderSide(const QString& host, const QStringList& senderDomains)
{
    if (!host.contains(u'.') || host.startsWith(u"localhost"))
        return true;
    for (const char16_t* internal : {u".internal", u".local", u".localdomain", u".lan", u".home.arpa"}) {
        if (host.endsWith(QStringView(internal)))
            return true;
    }
    for (const QString& d : senderDomains) {
        if (bounce::Address::isWithinDomain(host, d))
            return true;
    }
    return false;
}

// Protocols of a submission by the mailbox's owner: SMTP after authentication (RFC 3848:
// ESMTPA, ESMTPSA, the UTF8 and LMTP variants; Exim writes them in lower case), Exchange's
// MAPI ("with mapi id 15.20..."), a webmail's HTTP.
bool isSubmissionProtocol(const QString& with)
{
    static const QRegularExpression re(uR"(^((utf8)?(e|l)?smtps?a|mapi|https?)$)"_s, QRegularExpression::CaseInsensitiveOption);
    return re.match(with).hasMatch();
}

} // namespace

// Names under which one provider's hops appear (a Gmail user's notice comes from googlemail.com,
// the submission was by smtp.gmail.com; Microsoft 365 hops are all over outlook.com and
// office365.com).
QString MailboxVerdictRule::providerOf(const QString& host)
{
    const QString organisation = bounce::Address::organisation(host);
    for (const auto& [alias, provider] : {std::pair{u"googlemail.com", u"google.com"}, std::pair{u"gmail.com", u"google.com"},
                                          std::pair{u"office365.com", u"outlook.com"}}) {
        if (organisation == QStringView(alias))
            return QString::fromUtf16(provider);
    }
    return organisation;
}

namespace {

// A notice that reports what a sending MTA saw: the SMTP dialogue it had, a queue timeout, a
// domain it could not resolve, or a Remote-MTA of another organisation it tried to deliver to
// (RFC 3464 §2.3.5).
bool readsLikeSendingSide(const bounce::BounceRecipient& r, const QString& writer, bool dialogue)
{
    if (dialogue || r.reason == u"hostunknown")
        return true;
    if (!r.remoteMta.isEmpty()
        && MailboxVerdictRule::providerOf(r.remoteMta.toLower()) != MailboxVerdictRule::providerOf(writer))
        return true;
    return MailboxVerdictRule::saysExpired(r);
}

} // namespace

QString MailboxVerdictRule::writerHost(const bounce::BounceReport& report)
{
    if (!report.reportingMta.isEmpty())
        return report.reportingMta.toLower();
    return hostOfAddress(report.from);
}

bool MailboxVerdictRule::saysExpired(const bounce::BounceRecipient& r)
{
    if (r.reason == u"expired" || r.status == u"4.4.7" || r.status == u"5.4.7")
        return true;
    // RFC 3464 §2.3.3: a failed action with a transient status is how Postfix and others
    // report the queue lifetime running out.
    if (r.action == u"failed" && r.status.startsWith(u'4'))
        return true;
    return expiryWording().match(r.diagnostic).hasMatch();
}

NoticeWriter MailboxVerdictRule::noticeWriter(const bounce::BounceReport& report)
{
    static const QRegularExpression by(uR"(\bby\s+([A-Za-z0-9][A-Za-z0-9.-]*))"_s, QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression with(uR"(\bwith\s+([A-Za-z0-9]+))"_s, QRegularExpression::CaseInsensitiveOption);
    NoticeWriter w;
    w.host = writerHost(report);
    if (w.host.isEmpty())
        return w;
    QStringList senderDomains;
    for (const QString& address : {bounce::Address::normalize(report.to), bounce::Address::normalize(report.postfixSender),
                                   bounce::Address::normalize(report.original.from),
                                   bounce::Address::normalize(report.original.returnPath)}) {
        const QString d = bounce::Address::domainOf(address);
        if (!d.isEmpty() && !senderDomains.contains(d))
            senderDomains << d;
    }
    const QString writerOrganisation = providerOf(w.host);
    const QList<QString>& chain = report.original.received;
    // A stamp of the writer's provider taking the message from a Microsoft 365 tenant's
    // outbound edge (EOP, *.outbound.protection.outlook.com), or taking it at a tenant's
    // inbound edge (*.mail.protection.outlook.com) from a host that is not Microsoft's, means
    // it came into a tenant after whatever our side did: the receiving tenant wrote the
    // notice, even when our own mail is in Microsoft 365 too (all tenants' hosts and
    // Message-IDs share the provider's names). A tenant's own submissions pass
    // *.mail.protection.outlook.com hosts on their way out, from Microsoft's own hosts.
    static const QRegularExpression from(uR"(^\s*from\s+([A-Za-z0-9][A-Za-z0-9.-]*))"_s,
                                         QRegularExpression::CaseInsensitiveOption);
    for (const QString& stamp : chain) {
        const QString byHost = by.match(stamp).captured(1).toLower();
        if (providerOf(byHost) != writerOrganisation)
            continue;
        const QString fromHost = from.match(stamp).captured(1).toLower();
        const bool fromOutboundEdge = fromHost.contains(u".outbound.protection."_s);
        const bool fromOutside = byHost.contains(u".mail.protection."_s) && fromHost.contains(u'.')
            && providerOf(fromHost) != writerOrganisation;
        if (fromOutboundEdge || fromOutside) {
            w.foreignFirst = true;
            w.crossedIn = true;
            return w;
        }
    }
    // The quoted original's Message-ID was made by the writer's own system: a webmail or an
    // ESP writes it when the message is submitted ("...@mail.gmail.com" in a googlemail.com
    // notice, "...@email.amazonses.com" in one from smtp-out.amazonses.com), and that system
    // sent it on. (Gmail's web submissions carry no Received field at all.)
    // Unless the writer's provider took it over from one of the sender's own hosts by plain
    // SMTP (a message composed in Gmail's app but sent through our relay): then it received
    // the message like any receiving side, which the walk below finds.
    const bool takenFromSender = std::any_of(chain.cbegin(), chain.cend(), [&](const QString& stamp) {
        const QString fromHost = from.match(stamp).captured(1).toLower();
        return providerOf(by.match(stamp).captured(1).toLower()) == writerOrganisation && fromHost.contains(u'.')
            && isSenderSide(fromHost, senderDomains) && !isSubmissionProtocol(with.match(stamp).captured(1));
    });
    const QString idDomain = bounce::Address::domainOf(report.original.messageId);
    if (idDomain.contains(u'.') && providerOf(idDomain) == writerOrganisation && !takenFromSender) {
        w.submission = kMadeTheMessageId;
        return w;
    }
    // From the oldest stamp up: past the sender's own machines, the first other one decides.
    for (qsizetype i = chain.size() - 1; i >= 0; --i) {
        const QString& stamp = chain.at(i);
        const QString byHost = by.match(stamp).captured(1).toLower();
        if (byHost.isEmpty() || isSenderSide(byHost, senderDomains))
            continue;
        if (providerOf(byHost) != writerOrganisation) {
            w.foreignFirst = true; // another organisation had it first: the writer is further on
            return w;
        }
        if (!stamp.trimmed().startsWith(u"from", Qt::CaseInsensitive))
            w.submission = u"local"_s;
        else if (const QString protocol = with.match(stamp).captured(1); isSubmissionProtocol(protocol))
            w.submission = protocol;
        return w;
    }
    return w;
}

MailboxVerdict MailboxVerdictRule::decide(const store::BounceRow& row, const OwnIdentity& own)
{
    return decide(row.report.recipients.constFirst(), noticeWriter(row.report), own);
}

MailboxVerdict MailboxVerdictRule::decide(const bounce::BounceRecipient& r, const NoticeWriter& notice,
                                          const OwnIdentity& own)
{
    MailboxVerdict v;
    const QString& writer = notice.host;
    // A decoder that found the SMTP command the reply answered read a dialogue too.
    const bool dialogue = !r.smtpCommand.isEmpty() || smtpDialogueWording().match(r.diagnostic).hasMatch();

    if (!writer.isEmpty() && own.isOwnHost(writer) && !notice.crossedIn) {
        v.writtenByUs = true;
        v.confidence = 0.9;
        v.evidence << u"the notice was written by our own host %1"_s.arg(writer);
    } else if (!writer.isEmpty() && !notice.submission.isEmpty()
               && (notice.submission != kLearned || readsLikeSendingSide(r, writer, dialogue))) {
        // A writer learned from other notices is ours only where this notice reads like a
        // sending MTA's report: the same provider may bounce after accepting, as Google Groups does.
        v.writtenByUs = true;
        v.confidence = 0.85;
        if (notice.submission == u"local")
            v.evidence << u"the notice was written by %1, where the quoted original was submitted"_s.arg(writer);
        else if (notice.submission == kLearned)
            v.evidence << u"the notice was written by %1, which other notices show taking our submissions"_s.arg(writer);
        else if (notice.submission == kMadeTheMessageId)
            v.evidence << u"the notice was written by %1, whose system made the quoted original's Message-ID when it "
                          u"was submitted"_s.arg(writer);
        else
            v.evidence << u"the notice was written by %1, which took the quoted original from our side as a "
                          u"submission (%2)"_s.arg(writer, notice.submission);
    } else if (!writer.isEmpty()) {
        v.writtenByUs = false;
        v.confidence = 0.85;
        v.evidence << (notice.crossedIn ? u"the notice was written by %1, in the Microsoft 365 tenant the quoted original "
                                          u"came into from another tenant's outbound edge"_s.arg(writer)
                                        : u"the notice was written by %1, not one of our hosts"_s.arg(writer));
    } else {
        // Nobody named: fall back on the wording of a sending MTA's own report.
        // A recipient domain that did not resolve is a sending MTA's finding too.
        v.writtenByUs = dialogue || saysExpired(r) || r.reason == u"hostunknown";
        v.confidence = 0.6;
        v.evidence << (v.writtenByUs ? u"the notice reports an SMTP dialogue, a queue timeout or a domain that did not "
                                       u"resolve, as a sending smarthost does"_s
                                     : u"the notice names no reporting host and quotes no SMTP dialogue"_s);
    }

    if (!v.writtenByUs) {
        v.fate = Fate::AsyncBounce;
        v.evidence << u"a receiving system bounced the message after accepting it"_s;
        return v;
    }
    if (saysExpired(r)) {
        v.fate = Fate::Expired;
        v.evidence << u"our smarthost gave up after retrying (status %1)"_s.arg(r.status.isEmpty() ? u"none"_s : r.status);
    } else {
        v.fate = Fate::Rejected;
        v.evidence << (dialogue ? u"our smarthost quotes the refusal it was given during the SMTP transaction"_s
                                : u"our smarthost failed the recipient permanently"_s);
    }
    return v;
}

void WriterLearning::see(const NoticeWriter& writer)
{
    if (!writer.host.isEmpty() && !writer.submission.isEmpty() && writer.submission != kLearned
        && m_votes.size() < 100000)
        ++m_votes[writer.host];
}

NoticeWriter WriterLearning::apply(NoticeWriter writer) const
{
    if (writer.submission.isEmpty() && !writer.foreignFirst && m_votes.value(writer.host) >= kMinNotices)
        writer.submission = kLearned;
    return writer;
}

} // namespace bi::core::fate
