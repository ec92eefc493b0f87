// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/backscatter/bounce_evidence.h"

#include <algorithm>
#include <cmath>

#include <QRegularExpression>

#include "core/backscatter/signed_address.h"
#include "core/bounce/address.h"
#include "core/fate/mailbox_verdict.h"
#include "core/fate/relay_names.h"
#include "core/mail/mail_date.h"
#include "core/store/project_store.h"

using namespace Qt::StringLiterals;

namespace bi::core::backscatter {

namespace {

constexpr qint64 kCoverSlackMs = 10 * 60 * 1000;
// A send to the failed recipient counts as "the" send when the bounce came within this time.
constexpr qint64 kRecipientWindowMs = 40LL * 86400 * 1000;

QString hostOf(const QString& mta)
{
    QString h = mta.trimmed().toLower();
    if (const qsizetype semi = h.indexOf(u';'); semi >= 0)
        h = h.mid(semi + 1).trimmed(); // "dns; mx.example.net"
    if (const qsizetype space = h.indexOf(u' '); space > 0)
        h = h.left(space);
    while (h.endsWith(u'.'))
        h.chop(1);
    return h;
}

QString tokenClass(QStringView token)
{
    bool hex = true;
    for (QChar c : token) {
        if (!(c.isDigit() || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F'))) {
            hex = false;
            break;
        }
    }
    // Long random tokens vary in length by a character or two: bucket them.
    const qsizetype n = token.size();
    const QString len = n <= 12 ? QString::number(n) : u"%1+"_s.arg((n / 8) * 8);
    return (hex ? u"h"_s : u"a"_s) + len;
}

// What a bounce's text says about the original.
const QRegularExpression kSpamReply(
    u"unsolicited|\\bspam|\\bjunk\\b|bulk mail|content filter|message content rejected|blacklisted|"
    u"blocklisted|phish|malware|virus"_s,
    QRegularExpression::CaseInsensitiveOption);
const QRegularExpression kForgedReply(
    u"\\bspf\\b|dmarc|not (?:designate|authoriz)|not permitted sender|forged|spoof|sender authentication|"
    u"sender verify failed|policy reject"_s,
    QRegularExpression::CaseInsensitiveOption);
// Subjects of the mass spam that gets forged senders; conservative: words legitimate
// newsletters rarely put in a subject.
const QRegularExpression kSpamSubject(
    u"viagra|cialis|pharmac|pills?\\b|casino|lottery|jackpot|you (?:have )?won|winner|bitcoin|crypto|"
    u"invest(?:ment)? opportunit|loan|credit score|dating|singles|hot girls|replica|rolex|weight loss|"
    u"enlarge|inheritance|beneficiary|million (?:dollars|usd|euro)|\\$\\$|100% free|act now|urgent (?:reply|response)|"
    u"claim your|password (?:expir|reset required)|account (?:suspend|verif)|invoice overdue|wire transfer"_s,
    QRegularExpression::CaseInsensitiveOption);

struct Item {
    double weight;
    QString text;
};

QString day(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(u"yyyy-MM-dd HH:mm 'UTC'"_s);
}

} // namespace

QString messageIdShape(const QString& messageId)
{
    const QString mid = messageId.trimmed();
    const qsizetype at = mid.lastIndexOf(u'@');
    if (at <= 0)
        return {};
    const QStringView local = QStringView(mid).left(at);
    QString shape;
    qsizetype start = -1;
    for (qsizetype i = 0; i <= local.size(); ++i) {
        const bool word = i < local.size() && local.at(i).isLetterOrNumber();
        if (word && start < 0)
            start = i;
        if (!word) {
            if (start >= 0) {
                shape += tokenClass(local.sliced(start, i - start));
                start = -1;
            }
            if (i < local.size())
                shape += local.at(i);
        }
    }
    return shape + u'@' + mid.mid(at + 1).toLower();
}

// The host a Received field says the message came from, as the receiver looked it up:
// Postfix and Sendmail "from helo (name [ip])"; Exim "from name ([ip]:port helo=...)"; qmail
// "from name (HELO helo) (ip)"; Exchange "from name (ip)". Empty when the receiver found no
// name ("unknown", Exim's "from [ip] (helo=...)"): a name the client claimed is not taken.
QString sendingHost(const QString& received)
{
    static const QRegularExpression rdns(u"^\\s*from\\s+\\S+\\s+\\(([A-Za-z0-9][A-Za-z0-9.-]*)\\s*\\["_s,
                                         QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression named(
        u"^\\s*from\\s+([A-Za-z0-9][A-Za-z0-9.-]*\\.[A-Za-z]{2,})\\s+\\((?:\\[|HELO\\s|[0-9])"_s,
        QRegularExpression::CaseInsensitiveOption);
    if (const auto m = rdns.match(received); m.hasMatch()) {
        const QString name = m.captured(1).toLower();
        return name.contains(u'.') && name != u"localhost.localdomain" ? name : QString();
    }
    return named.match(received).captured(1).toLower();
}

QStringList receivedHosts(const QString& received)
{
    static const QRegularExpression by(u"\\bby\\s+([A-Za-z0-9][A-Za-z0-9.-]*)"_s, QRegularExpression::CaseInsensitiveOption);
    QStringList out;
    if (const auto m = by.match(received); m.hasMatch())
        out << m.captured(1).toLower();
    if (const QString from = sendingHost(received); !from.isEmpty())
        out << from;
    return out;
}

QString ownRelayInChain(const QStringList& received, const fate::OwnIdentity& own, const QSet<QString>& relayProviders)
{
    static const QRegularExpression by(u"\\bby\\s+([A-Za-z0-9][A-Za-z0-9.-]*)"_s, QRegularExpression::CaseInsensitiveOption);
    for (const QString& r : received) {
        const QString byHost = by.match(r).captured(1).toLower();
        if (byHost.isEmpty())
            continue;
        if (own.isOwnHost(byHost))
            return byHost; // the receiver itself is ours: it got the message from our side
        const QString sender = sendingHost(r);
        if (sender.isEmpty() && r.contains(u"127.0.0.1"))
            continue; // local hand-over inside the receiver
        if (!sender.isEmpty() && bounce::Address::organisation(sender) == bounce::Address::organisation(byHost))
            continue; // a hop inside the receiving organisation
        if (sender.isEmpty())
            return {};
        return own.isOwnHost(sender) || relayProviders.contains(fate::MailboxVerdictRule::providerOf(sender)) ? sender
                                                                                                          : QString();
    }
    return {};
}

QStringList receivedIds(const QString& received)
{
    static const QRegularExpression id(u"\\bid\\s+<?([A-Za-z0-9][A-Za-z0-9._-]{4,})"_s,
                                       QRegularExpression::CaseInsensitiveOption);
    QStringList out;
    for (auto it = id.globalMatch(received); it.hasNext();)
        out << it.next().captured(1);
    return out;
}

BounceFacts BounceFacts::from(const QList<store::BounceRow>& rows)
{
    BounceFacts f;
    if (rows.isEmpty())
        return f;
    const store::BounceRow& first = rows.constFirst();
    const bounce::BounceReport& r = first.report;
    f.messageId = first.messageId;
    if (r.date.isValid())
        f.date = r.date.toUTC();
    f.reportingMta = hostOf(r.reportingMta);
    if (f.reportingMta.isEmpty())
        f.reportingMta = bounce::Address::domainOf(bounce::Address::normalize(r.from));
    for (const QString& a : {r.to, r.original.returnPath, r.postfixSender}) {
        const QString n = bounce::Address::normalize(a);
        if (!n.isEmpty() && !f.bounceAddresses.contains(n))
            f.bounceAddresses << n;
    }
    f.originalMessageId = r.original.messageId.trimmed();
    f.originalFrom = bounce::Address::normalize(r.original.from);
    f.originalSubject = r.original.subject;
    if (!r.original.date.isEmpty()) {
        if (auto d = mail::MailDate::parse(r.original.date.toUtf8()))
            f.originalDate = d->toUTC();
    }
    f.originalReceived = r.original.received;
    if (const fate::NoticeWriter writer = fate::MailboxVerdictRule::noticeWriter(r); !writer.submission.isEmpty())
        f.submittedTo = writer.host;
    f.queueId = r.queueId;
    f.envelopeId = r.envelopeId;
    for (const store::BounceRow& row : rows) {
        for (const bounce::BounceRecipient& rc : row.report.recipients) {
            // The address the original was sent to as well, when the receiving side rewrote
            // it (Original-Recipient): that is the one our log names.
            for (const QString& address : {rc.recipient, rc.originalRecipient}) {
                if (!address.isEmpty() && !f.failedRecipients.contains(address.toLower()))
                    f.failedRecipients << address.toLower();
            }
            if (!rc.diagnostic.isEmpty())
                f.diagnostics << rc.diagnostic;
            if (!rc.reason.isEmpty())
                f.reasons << rc.reason;
        }
    }
    return f;
}

bool SendingProfile::covers(qint64 fromMs, qint64 toMs) const
{
    for (const auto& [from, to] : logSpans) {
        if (fromMs >= from - kCoverSlackMs && toMs <= to + kCoverSlackMs)
            return true;
    }
    return false;
}

void SendingProfile::addLogSpan(qint64 fromMs, qint64 toMs)
{
    logSpans.append({fromMs, toMs});
    std::sort(logSpans.begin(), logSpans.end());
    QList<std::pair<qint64, qint64>> merged;
    for (const auto& span : std::as_const(logSpans)) {
        if (!merged.isEmpty() && span.first <= merged.last().second + kCoverSlackMs)
            merged.last().second = std::max(merged.last().second, span.second);
        else
            merged.append(span);
    }
    logSpans = merged;
}

Verdict BackscatterClassifier::classify(const BounceFacts& f, const SendingProfile& p)
{
    QList<Item> items;
    Verdict v;

    // --- The bounce address and its signatures.
    SignedAddress signedAddr;
    for (const QString& a : f.bounceAddresses) {
        const SignedAddress s = SignedAddress::parse(a);
        if (s.scheme != SignedAddress::Scheme::None) {
            signedAddr = s;
            break;
        }
    }
    const QString rawTo = f.bounceAddresses.value(0);
    v.bounceTo = signedAddr.scheme != SignedAddress::Scheme::None && !signedAddr.inner.isEmpty()
        ? signedAddr.inner : rawTo;
    switch (signedAddr.check(f.date, p.prvsSecret, p.srsSecret)) {
    case SignedAddress::Check::Valid:
        items.append({-5.0, u"the bounce address %1 carries a %2 signature that checks with the project's secret"_s.arg(
                                signedAddr.address, schemeName(signedAddr.scheme).toUpper())});
        break;
    case SignedAddress::Check::Unverified:
        if (signedAddr.scheme == SignedAddress::Scheme::Verp) {
            bool same = false;
            for (const QString& rc : f.failedRecipients) {
                const QString local = rc.section(u'@', 0, 0);
                same |= signedAddr.verpRecipient == rc
                    || (bounce::Address::domainOf(signedAddr.verpRecipient) == bounce::Address::domainOf(rc)
                        && QRegularExpression(u"[-+.]"_s + QRegularExpression::escape(local) + u"@"_s)
                               .match(signedAddr.verpRecipient).hasMatch());
            }
            if (same)
                items.append({-3.0, u"the VERP bounce address %1 encodes the recipient that failed"_s.arg(signedAddr.address)});
            else if (!f.failedRecipients.isEmpty())
                items.append({2.5, u"the VERP bounce address %1 encodes %2, not the recipient that failed (%3)"_s.arg(
                                       signedAddr.address, signedAddr.verpRecipient, f.failedRecipients.join(u", "_s))});
        } else {
            items.append({-2.5, u"the bounce address %1 carries a well-formed, current %2 signature (not checked: "
                                u"no secret in the settings)"_s.arg(signedAddr.address, schemeName(signedAddr.scheme).toUpper())});
        }
        break;
    case SignedAddress::Check::Expired:
        items.append({4.0, u"the %1 signature of %2 had expired when the bounce was written"_s.arg(
                               schemeName(signedAddr.scheme).toUpper(), signedAddr.address)});
        break;
    case SignedAddress::Check::BadHash:
        items.append({6.0, u"the %1 signature of %2 does not check with the project's secret: forged"_s.arg(
                               schemeName(signedAddr.scheme).toUpper(), signedAddr.address)});
        break;
    case SignedAddress::Check::Malformed:
        items.append({3.0, u"the bounce address %1 looks like %2 but is malformed"_s.arg(
                               signedAddr.address, schemeName(signedAddr.scheme).toUpper())});
        break;
    case SignedAddress::Check::Absent:
        if (p.signsPrvs && !rawTo.isEmpty())
            items.append({2.5, u"the bounce address %1 has no BATV tag although our mail is sent with one"_s.arg(rawTo)});
        else if (p.usesVerp && !rawTo.isEmpty())
            items.append({2.0, u"the bounce address %1 is not a VERP address although our mail uses VERP"_s.arg(rawTo)});
        break;
    }

    // --- The imported logs.
    // Plain values and flags, not std::optional: GCC 12 -O3 reports maybe-uninitialized on them.
    const bool hasOrig = f.originalDate.isValid();
    const bool hasBounce = f.date.isValid();
    const qint64 orig = hasOrig ? f.originalDate.toMSecsSinceEpoch() : 0;
    const qint64 bounced = hasBounce ? f.date.toMSecsSinceEpoch() : 0;
    // The relay of ours the original left by: the hosted one it was submitted to, or the first
    // of ours its Received chain passes. When that is not one whose log is here (a second
    // smarthost, a hosted relay), the logs cannot say it was not sent, nor which senders and
    // Message-IDs that relay's mail has.
    const QString leftBy = !f.submittedTo.isEmpty()  ? f.submittedTo
        : f.originalReceived.isEmpty()                ? QString()
                                                      : ownRelayInChain(f.originalReceived, p.own, p.relayProviders);
    QString unloggedRelay;
    if (p.hasLogs) {
        QString match;
        if (!f.originalMessageId.isEmpty() && p.messageIds.contains(f.originalMessageId.toLower())) {
            v.matchedBy = u"message-id"_s;
            match = u"the original's Message-ID <%1> is a logged send"_s.arg(f.originalMessageId);
        }
        if (match.isEmpty() && !f.envelopeId.isEmpty() && p.envelopeIds.contains(f.envelopeId.toLower())) {
            v.matchedBy = u"envelope-id"_s;
            match = u"the bounce's envelope id %1 is a logged send"_s.arg(f.envelopeId);
        }
        if (match.isEmpty()) {
            QStringList ids;
            if (!f.queueId.isEmpty())
                ids << f.queueId;
            for (const QString& rcv : f.originalReceived) {
                const QStringList hosts = receivedHosts(rcv);
                bool ownHop = false;
                for (const QString& h : hosts)
                    ownHop |= p.own.isOwnHost(h);
                if (ownHop)
                    ids << receivedIds(rcv);
            }
            for (const QString& id : std::as_const(ids)) {
                if (p.queueIds.contains(id.toLower())) {
                    v.matchedBy = u"queue-id"_s;
                    match = u"queue id %1 quoted in the bounce is a logged send"_s.arg(id);
                    break;
                }
            }
        }
        if (match.isEmpty() && signedAddr.scheme == SignedAddress::Scheme::Verp
            && p.recipientSends.contains(signedAddr.verpRecipient)) {
            v.matchedBy = u"verp"_s;
            match = u"the VERP address names %1, a logged recipient"_s.arg(signedAddr.verpRecipient);
        }
        if (match.isEmpty() && hasBounce) {
            for (const QString& rc : f.failedRecipients) {
                for (qint64 sent : p.recipientSends.value(rc)) {
                    if (sent <= bounced + kCoverSlackMs && bounced - sent <= kRecipientWindowMs) {
                        v.matchedBy = u"recipient"_s;
                        match = u"we logged a send to the failed recipient %1 on %2"_s.arg(rc, day(sent));
                        break;
                    }
                }
                if (!match.isEmpty())
                    break;
            }
        }
        if (match.isEmpty() && !leftBy.isEmpty() && !p.loggedHosts.isEmpty()
            && !p.loggedHosts.contains(fate::hostLabel(leftBy)))
            unloggedRelay = leftBy;
        if (!match.isEmpty()) {
            items.append({v.matchedBy == u"recipient" ? -5.0 : -8.0, u"matched a send in the imported logs: "_s + match});
        } else if (!unloggedRelay.isEmpty()) {
            items.append({0.0, u"not matched in the imported logs, which are not those of %1, the relay it left by"_s.arg(
                                   unloggedRelay)});
        } else {
            const qint64 when = hasOrig ? orig : bounced;
            // Without the original's date the send may lie days before the bounce: three days
            // of logs before it are strong evidence, one day (most backscatter comes within
            // hours of the spam) a little weaker.
            constexpr qint64 kDayMs = 86400LL * 1000;
            const bool threeDays = !hasOrig && hasBounce && p.covers(bounced - 3 * kDayMs, bounced);
            const bool oneDay = !hasOrig && hasBounce && p.covers(bounced - kDayMs, bounced);
            v.logCovered = (hasOrig && p.covers(orig)) || oneDay;
            if (v.logCovered)
                items.append({hasOrig ? 7.0 : threeDays ? 5.0 : 4.0,
                              u"no send in the imported logs matches it, and the logs cover %1 (%2)"_s.arg(
                                  hasOrig ? u"the original's date"_s
                                          : threeDays ? u"the three days before the bounce"_s : u"the day before the bounce"_s,
                                  day(when))});
            else
                items.append({0.0, hasBounce || hasOrig
                                       ? u"not matched in the imported logs, which do not cover %1"_s.arg(day(when))
                                       : u"not matched in the imported logs; the bounce has no usable date"_s});
        }
    }

    // --- The quoted original's Received chain.
    if (!f.submittedTo.isEmpty()) {
        items.append({-2.5, u"the quoted original was submitted from our side to %1, which wrote the notice"_s.arg(
                                f.submittedTo)});
    } else if (!f.originalReceived.isEmpty()) {
        if (!leftBy.isEmpty())
            items.append({-2.5, u"the quoted original passed through our relay %1"_s.arg(leftBy)});
        else
            items.append({2.0, u"the quoted original's Received chain (%1 hops) does not pass through any of our relays"_s.arg(
                                   f.originalReceived.size())});
    }

    // --- The original's Message-ID.
    if (!f.originalMessageId.isEmpty() && !p.shapes.isEmpty()) {
        const QString shape = messageIdShape(f.originalMessageId);
        if (p.shapes.contains(shape))
            items.append({-2.0, u"the original's Message-ID <%1> has the shape our systems write"_s.arg(f.originalMessageId)});
        else if (unloggedRelay.isEmpty())
            items.append({1.5, u"the original's Message-ID <%1> does not have the shape of ours"_s.arg(f.originalMessageId)});
    } else if (f.originalMessageId.isEmpty() && !f.originalReceived.isEmpty()) {
        items.append({0.5, u"the quoted original has no Message-ID"_s});
    }

    // --- The original's sender.
    const QString sender = v.bounceTo;
    const qsizetype senders = std::max(p.sendersLogged, p.senders.size());
    if (senders > 0 && !sender.isEmpty()) {
        if (p.senders.contains(sender))
            items.append({-1.0, u"%1 is one of the addresses we send from"_s.arg(sender)});
        else if (unloggedRelay.isEmpty())
            items.append({1.5, u"%1 is not one of the %2 addresses we send from"_s.arg(sender).arg(senders)});
    }
    if (!f.originalFrom.isEmpty() && !p.own.domains().isEmpty()) {
        if (!p.own.isOwnDomain(bounce::Address::domainOf(f.originalFrom)))
            items.append({1.5, u"the original's From %1 is not in our domains"_s.arg(f.originalFrom)});
    }

    // --- What the bounce says, and what the original looks like.
    for (const QString& d : f.diagnostics) {
        if (const auto m = kForgedReply.match(d); m.hasMatch()) {
            items.append({2.5, u"the receiving system found the sender forged or unauthorised: \"%1\""_s.arg(d.left(160))});
            break;
        }
        if (const auto m = kSpamReply.match(d); m.hasMatch()) {
            items.append({1.0, u"the receiving system rejected the original as unsolicited: \"%1\""_s.arg(d.left(160))});
            break;
        }
    }
    if (const auto m = kSpamSubject.match(f.originalSubject); m.hasMatch())
        items.append({2.0, u"the original looks like spam: subject \"%1\""_s.arg(f.originalSubject.left(120))});

    double sum = 0;
    for (const Item& i : std::as_const(items))
        sum += i.weight;
    v.score = 1.0 / (1.0 + std::exp(-sum));
    v.score = std::round(v.score * 1000.0) / 1000.0;
    v.verdict = v.score >= kBackscatterFrom ? u"backscatter"_s : v.score < kOursBelow ? u"ours"_s : u"uncertain"_s;
    std::stable_sort(items.begin(), items.end(),
                     [](const Item& a, const Item& b) { return std::abs(a.weight) > std::abs(b.weight); });
    for (const Item& i : std::as_const(items))
        v.evidence << i.text + (i.weight > 0 ? u" [backscatter +%1]"_s.arg(i.weight) : i.weight < 0 ? u" [ours %1]"_s.arg(i.weight) : QString());
    if (items.isEmpty())
        v.evidence << u"nothing tells this bounce apart: no quoted original, no signature, no logs"_s;
    return v;
}

} // namespace bi::core::backscatter
