// SPDX-License-Identifier: GPL-3.0-or-later
// FateEngine's side of the mailbox: the bounces it keeps (addMailboxRecord), how a logged
// send finds the bounces about it (findMatches), and the sends that only a recipient and a
// time window tie to a bounce (releaseHeld).
#include "core/fate/fate_engine.h"

#include <algorithm>
#include <cstdlib>

#include <QRegularExpression>

#include "core/bounce/address.h"
#include "core/fate/relay_names.h"
#include "core/mail/mail_date.h"

using namespace Qt::StringLiterals;

namespace bi::core::fate {

namespace {

// A bounce for mail we sent arrives after the attempt it reports on; leave slack for clocks
// of different hosts, and give up on joins by recipient alone after this long.
constexpr qint64 kClockSlackSeconds = 15 * 60;
constexpr qint64 kRecipientJoinWindowSeconds = 60LL * 24 * 3600;
// A bounce's Arrival-Date or quoted Date names a send this near it (clocks, a message
// written some minutes before it was sent, a receiving relay before the reporting server).
constexpr qint64 kNamedTimeSlackSeconds = 30 * 60;

// The queue ids a quoted original's Received fields give, with the first label of the host
// that gave each: "by relay1.shop.example (Postfix) with ESMTPSA id 4QyVtS1kM3z9rxB" (Postfix,
// Exim, Sendmail and OpenSMTPD write "id"); qmail's "(qmail 16552 invoked from network)" names
// the queuing process, given as "qmail qp 16552" with no host. Exchange's "id 15.20.7386.17"
// is its version.
QList<std::pair<QString, QString>> stampIds(const QStringList& received)
{
    static const QRegularExpression byId(uR"(\bby\s+([A-Za-z0-9][A-Za-z0-9.-]*).*?\bid\s+([A-Za-z0-9][A-Za-z0-9._-]{3,}))"_s,
                                         QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression qmail(uR"(^\s*\(qmail\s+(\d+)\s+invoked\b)"_s);
    static const QRegularExpression version(uR"(^[0-9.]+$)"_s);
    QList<std::pair<QString, QString>> out;
    for (const QString& stamp : received) {
        if (const auto m = qmail.match(stamp); m.hasMatch()) {
            out.append({u"qmail qp "_s + m.captured(1), QString()});
            continue;
        }
        const auto m = byId.match(stamp);
        if (m.hasMatch() && !version.match(m.captured(2)).hasMatch())
            out.append({m.captured(2), hostLabel(m.captured(1))});
    }
    return out;
}

// The hosts that handed the quoted original on, as the server taking it named them after
// looking them up: "from relay.shop.example (relay.shop.example [198.51.100.10]) by mx...".
// Not the name after "from" (what the client said: a spam bot says ours) nor "by" (a bot's
// forged lower stamps say "by shop.example"); lower case, a few at most.
QStringList stampHosts(const QStringList& received)
{
    static const QRegularExpression host(uR"(\(\s*([A-Za-z0-9][A-Za-z0-9-]*\.[A-Za-z0-9.-]*[A-Za-z])\.?\s*\[)"_s);
    constexpr qsizetype kMaxHosts = 8;
    QStringList out;
    for (const QString& stamp : received) {
        for (auto it = host.globalMatch(stamp); it.hasNext() && out.size() < kMaxHosts;) {
            const QString h = it.next().captured(1).toLower();
            if (!out.contains(h))
                out << h;
        }
    }
    return out;
}

} // namespace

store::BounceRow FateEngine::MailboxEntry::row() const
{
    store::BounceRow r;
    r.messageId = messageRow;
    r.report.date = date;
    r.report.original.messageId = originalMessageId;
    r.report.queueId = queueId;
    r.report.envelopeId = envelopeId;
    r.report.to = to;
    r.report.postfixSender = postfixSender;
    r.report.reportingMta = writer.host; // writerHost() gives it back as it is
    r.report.recipients = {recipient};
    return r;
}

void FateEngine::addMailboxRecord(const store::BounceRow& row)
{
    if (row.report.recipients.isEmpty())
        return;
    const bounce::BounceRecipient& r = row.report.recipients.constFirst();
    if (r.kind != bounce::MessageKind::Bounce && r.kind != bounce::MessageKind::Delay)
        return;
    const int index = int(m_entries.size());
    MailboxEntry& e = m_entries.emplace_back();
    e.messageRow = row.messageId;
    e.date = row.report.date;
    e.originalMessageId = row.report.original.messageId;
    e.queueId = row.report.queueId;
    e.envelopeId = row.report.envelopeId;
    e.to = row.report.to;
    e.postfixSender = row.report.postfixSender;
    if (const auto d = mail::MailDate::parse(row.report.arrivalDate.toUtf8()))
        e.arrival = *d;
    if (const auto d = mail::MailDate::parse(row.report.original.date.toUtf8()))
        e.originalDate = *d;
    e.writer = MailboxVerdictRule::noticeWriter(row.report);
    if (r.kind == bounce::MessageKind::Bounce)
        m_writers.see(e.writer);
    e.recipient.kind = r.kind;
    e.recipient.recipient = r.recipient;
    e.recipient.originalRecipient = r.originalRecipient.isEmpty() ? forwardedFrom(row.report) : r.originalRecipient;
    e.recipient.action = r.action;
    e.recipient.status = r.status;
    e.recipient.replyCode = r.replyCode;
    e.recipient.reason = r.reason;
    e.recipient.hardBounce = r.hardBounce;
    e.recipient.diagnostic = r.diagnostic;
    e.recipient.remoteMta = r.remoteMta;
    if (!row.report.original.messageId.isEmpty())
        m_byMessageId.insert(row.report.original.messageId, index);
    if (!row.report.queueId.isEmpty())
        m_byQueueId.insert(row.report.queueId, index);
    if (!row.report.envelopeId.isEmpty())
        m_byEnvelopeId.insert(row.report.envelopeId, index);
    for (auto& [id, host] : stampIds(row.report.original.received))
        m_byStampId.insert(id, {index, std::move(host)});
    e.stampHosts = stampHosts(row.report.original.received);
    const bounce::OriginalMessage& original = row.report.original;
    e.quotesOriginal = !original.received.isEmpty() || !original.messageId.isEmpty() || !original.from.isEmpty()
        || !original.date.isEmpty();
    m_byRecipient.insert(r.recipient.toLower(), index);
    if (!r.originalRecipient.isEmpty() && r.originalRecipient.toLower() != r.recipient.toLower())
        m_byRecipient.insert(r.originalRecipient.toLower(), index);
    const QString verp = bounce::Address::verpRecipient(row.report.to);
    if (!verp.isEmpty() && verp != r.recipient.toLower())
        m_byRecipient.insert(verp, index);
}

void FateEngine::noteSharedMessageId(const QString& messageId)
{
    if (m_byMessageId.contains(messageId))
        m_sharedMessageIds.insert(messageId);
}

bool FateEngine::waitsForTheWholeLog(const QList<Match>& matches)
{
    // Matches by recipient and time window come only when there is no better one, and then
    // all are such.
    return !matches.isEmpty()
        && std::none_of(matches.cbegin(), matches.cend(), [](const Match& m) { return m.sendUnique; });
}

QList<FateEngine::Match> FateEngine::findMatches(const LogMessage& m, const LoggedRecipient& rcpt,
                                                 const QDateTime& after)
{
    QList<Match> out;
    // A notice about another recipient of this same message is that one's, whatever it
    // gives (or we guessed) as the address originally mailed: a forward is told from the
    // recipient list, and a list cut short in the quoted To made a co-recipient look like one.
    auto mailedHere = [&m](const QString& address) {
        return std::any_of(m.recipients.cbegin(), m.recipients.cend(),
                           [&address](const LoggedRecipient& r) { return r.address == address; });
    };
    auto sameRecipient = [&rcpt, &mailedHere](const MailboxEntry& e) {
        const bounce::BounceRecipient& r = e.recipient;
        const QString a = r.recipient.toLower();
        const QString o = r.originalRecipient.toLower();
        return a == rcpt.address || (!rcpt.originalAddress.isEmpty() && a == rcpt.originalAddress)
            || (!o.isEmpty() && o == rcpt.address && !mailedHere(a));
    };
    auto notBefore = [&after](const MailboxEntry& e) {
        const QDateTime d = e.date;
        return !d.isValid() || !after.isValid() || d.secsTo(after) <= kClockSlackSeconds;
    };
    // exact: the bounce names this send by an id only it has; one dated before the send
    // then says the log's dates are off (bouncesBeforeTheirSend()).
    auto consider = [&](int index, double confidence, const auto& how, bool exact, bool unique = true) {
        const MailboxEntry& e = m_entries.at(index);
        if (!sameRecipient(e))
            return;
        if (!notBefore(e)) {
            if (exact && m_beforeTheirSend.size() < kMaxHeld)
                m_beforeTheirSend.insert(index);
            return;
        }
        if (e.consumed)
            return;
        for (Match& existing : out) {
            if (existing.index == index) {
                existing.sendUnique = existing.sendUnique || unique;
                return;
            }
        }
        out.append({index, confidence, how(), unique});
    };
    if (!m.messageId.isEmpty()) {
        const bool shared = m_sharedMessageIds.contains(m.messageId);
        for (auto it = m_byMessageId.constFind(m.messageId); it != m_byMessageId.cend() && it.key() == m.messageId; ++it)
            consider(it.value(), 1.0, [&] { return u"original Message-ID <%1>"_s.arg(m.messageId); }, true, !shared);
    }
    if (!m.queueId.isEmpty()) {
        for (auto it = m_byQueueId.constFind(m.queueId); it != m_byQueueId.cend() && it.key() == m.queueId; ++it) {
            const QString& writer = m_entries.at(it.value()).writer.host;
            if (writer.isEmpty() || m.host.isEmpty() || hostLabel(writer) == hostLabel(m.host))
                consider(it.value(), 0.95, [&] { return u"queue id %1 quoted by the notice"_s.arg(m.queueId); }, true);
        }
    }
    // Our smarthost's own stamp in the quoted original: its queue id, given by its host (a
    // log without host names, Exim's, takes the id alone: Exim's ids are unique enough).
    if (!m.queueId.isEmpty()) {
        for (auto it = m_byStampId.constFind(m.queueId); it != m_byStampId.cend() && it.key() == m.queueId; ++it) {
            if (m.host.isEmpty() || it->second == hostLabel(m.host)) {
                consider(it->first, 0.95,
                         [&] { return u"queue id %1 in the quoted original's Received field"_s.arg(m.queueId); }, true);
            }
        }
    }
    // The receiving server's own queue id, which it named when it took the message ("250
    // 2.0.0 Ok: queued as 4T19e9f4") and which its later bounce carries (X-Postfix-Queue-ID,
    // its stamp in the quoted original): a bounce written after accepting, by that server.
    for (const LoggedAttempt& a : rcpt.attempts) {
        if (a.outcome != logs::DeliveryOutcome::Sent || a.nextQueueId.isEmpty() || isLoopbackRelay(a.relay)
            || (!m_byQueueId.contains(a.nextQueueId) && !m_byStampId.contains(a.nextQueueId)))
            continue;
        const QString label = hostLabel(relayHostName(a.relay));
        const auto how = [&a] {
            return u"the receiving server's queue id %1, given when it accepted the message"_s.arg(a.nextQueueId);
        };
        for (auto it = m_byQueueId.constFind(a.nextQueueId); it != m_byQueueId.cend() && it.key() == a.nextQueueId; ++it) {
            const QString& writer = m_entries.at(it.value()).writer.host;
            if (label.isEmpty() || writer.isEmpty() || hostLabel(writer) == label)
                consider(it.value(), 0.95, how, true);
        }
        for (auto it = m_byStampId.constFind(a.nextQueueId); it != m_byStampId.cend() && it.key() == a.nextQueueId; ++it) {
            if (label.isEmpty() || it->second.isEmpty() || it->second == label)
                consider(it->first, 0.95, how, true);
        }
    }
    if (!m.queuingProcess.isEmpty()) {
        const QString key = u"qmail qp "_s + m.queuingProcess;
        for (auto it = m_byStampId.constFind(key); it != m_byStampId.cend() && it.key() == key; ++it) {
            consider(it->first, 0.9, [&] {
                return u"qmail process %1 that queued it, in the quoted original's Received field"_s.arg(m.queuingProcess);
            }, false);
        }
    }
    if (!m.envelopeId.isEmpty()) {
        for (auto it = m_byEnvelopeId.constFind(m.envelopeId); it != m_byEnvelopeId.cend() && it.key() == m.envelopeId; ++it)
            consider(it.value(), 0.95, [&] { return u"envelope id %1"_s.arg(m.envelopeId); }, true);
    }
    if (out.isEmpty()) {
        // Last resort: the same recipient, a bounce that names no original we could check,
        // soon enough after the attempt.
        for (auto it = m_byRecipient.constFind(rcpt.address); it != m_byRecipient.cend() && it.key() == rcpt.address; ++it) {
            const MailboxEntry& e = m_entries.at(it.value());
            if (!e.originalMessageId.isEmpty() && !m.messageId.isEmpty())
                continue; // it names another message
            const QDateTime d = e.date;
            if (d.isValid() && after.isValid() && after.secsTo(d) > kRecipientJoinWindowSeconds)
                continue;
            consider(it.value(), kWindowConfidence, [] { return u"recipient and time window"_s; }, false, false);
        }
    }
    std::stable_sort(out.begin(), out.end(), [this](const Match& a, const Match& b) {
        if (a.confidence != b.confidence)
            return a.confidence > b.confidence;
        return m_entries.at(a.index).date < m_entries.at(b.index).date;
    });
    return out;
}

QList<FateRecord> FateEngine::releaseHeld()
{
    // Handed off, and the message that went on with them is not in the log: delivered to
    // the filter or host is all the log tells, and the mailbox may hold their bounces. In a
    // fixed order (the hash's changes from run to run).
    QList<HandedOff> leftovers;
    leftovers.reserve(m_handedOff.size());
    for (HandedOff& h : m_handedOff)
        leftovers << std::move(h);
    m_handedOff.clear();
    std::sort(leftovers.begin(), leftovers.end(), [](const HandedOff& x, const HandedOff& y) {
        const FateRecord& a = x.record;
        const FateRecord& b = y.record;
        return std::tie(a.queuedAt, a.host, a.queueId, a.recipient) < std::tie(b.queuedAt, b.host, b.queueId, b.recipient);
    });
    QList<FateRecord> handedOff;
    for (auto& [record, client] : m_refusedHeld) {
        if (m_submitters.contains(client))
            handedOff << std::move(record);
    }
    m_refusedHeld.clear();
    for (HandedOff& h : leftovers) {
        h.record.evidence << u"the log does not show the message after the hand-off"_s;
        const QList<Match> matches = findMatches(h.message, h.recipient, h.after);
        if (waitsForTheWholeLog(matches) && m_held.size() < kMaxHeld) {
            m_held.append({std::move(h.record), h.after, matches});
            continue;
        }
        for (const Match& match : matches) {
            MailboxEntry& entry = m_entries[match.index];
            entry.consumed = true;
            applyMailbox(h.record, entry, match);
        }
        sortSteps(h.record);
        handedOff << std::move(h.record);
    }

    // Each bounce to the send that claimed it whose times it names: the reporting server's
    // Arrival-Date near the send's acceptance, else the quoted original's Date near its
    // queueing (a recipient mailed daily gets sends a day apart); without either, or when no
    // claimer is that near, a send before the bounce (findMatches allowed the clocks' slack)
    // that no later bounce took, the latest such; the first in log order on a tie. The bounces
    // are given out from the latest back: of two bounces after two sends of a message, the
    // later goes to the later send and the earlier to the one before. A better match made
    // later in the log took it already (consumed).
    // Two sends of one message (the same Message-ID) have one Date field, which tells
    // nothing about which of them a bounce is about.
    const auto distance = [](const MailboxEntry& e, const Held& held, bool byDate) -> qint64 {
        const FateRecord& f = held.record;
        if (e.arrival.isValid() && f.finalAt.isValid())
            return std::abs(e.arrival.secsTo(f.finalAt));
        if (byDate && e.originalDate.isValid() && f.queuedAt.isValid())
            return std::abs(e.originalDate.secsTo(f.queuedAt));
        return -1;
    };
    // A notice the receiving side wrote after accepting is about a send that was accepted,
    // not one our smarthost refused or gave up on (and one of ours the other way round).
    QHash<const MailboxEntry*, bool> writtenByUs; // each notice judged once
    const auto fits = [&](const MailboxEntry& e, const Held& held) {
        if (e.recipient.kind != bounce::MessageKind::Bounce)
            return true;
        auto ours = writtenByUs.find(&e);
        if (ours == writtenByUs.end())
            ours = writtenByUs.insert(&e, MailboxVerdictRule::decide(e.recipient, m_writers.apply(e.writer), m_own).writtenByUs);
        return *ours ? held.record.fate != Fate::Delivered
                     : held.record.fate == Fate::Delivered || held.record.fate == Fate::Deferred;
    };
    QList<bool> bounced(m_held.size(), false); // a bounce went to it already
    const auto nearer = [&](const MailboxEntry& e, qsizetype ai, qsizetype bi) {
        const Held& a = m_held.at(ai);
        const Held& b = m_held.at(bi);
        const bool aFits = fits(e, a), bFits = fits(e, b);
        if (aFits != bFits)
            return aFits;
        const bool byDate = a.record.messageId.isEmpty() || a.record.messageId != b.record.messageId;
        const qint64 da = distance(e, a, byDate), db = distance(e, b, byDate);
        const bool aNear = da >= 0 && da <= kNamedTimeSlackSeconds;
        const bool bNear = db >= 0 && db <= kNamedTimeSlackSeconds;
        if (aNear != bNear)
            return aNear;
        if (aNear && da != db)
            return da < db;
        // A send after the bounce claimed it only by the clocks' slack.
        const bool aBefore = !e.date.isValid() || !a.after.isValid() || a.after <= e.date;
        const bool bBefore = !e.date.isValid() || !b.after.isValid() || b.after <= e.date;
        if (aBefore != bBefore)
            return aBefore;
        if (bounced.at(ai) != bounced.at(bi))
            return !bounced.at(ai);
        return b.after < a.after;
    };
    QHash<int, QList<qsizetype>> claims; // per notice, the held fates claiming it, in log order
    QList<int> notices;
    for (qsizetype h = 0; h < m_held.size(); ++h) {
        for (const Match& match : std::as_const(m_held.at(h).matches)) {
            if (m_entries.at(match.index).consumed)
                continue;
            QList<qsizetype>& claimers = claims[match.index];
            if (claimers.isEmpty())
                notices << match.index;
            if (claimers.isEmpty() || claimers.constLast() != h)
                claimers << h;
        }
    }
    std::stable_sort(notices.begin(), notices.end(), [this](int a, int b) {
        const QDateTime& da = m_entries.at(a).date;
        const QDateTime& db = m_entries.at(b).date;
        if (da.isValid() != db.isValid())
            return da.isValid();
        return db < da;
    });
    QHash<int, qsizetype> winner;
    for (int notice : std::as_const(notices)) {
        const MailboxEntry& entry = m_entries.at(notice);
        qsizetype best = -1;
        for (qsizetype h : std::as_const(claims[notice])) {
            if (best < 0 || nearer(entry, h, best))
                best = h;
        }
        winner.insert(notice, best);
        if (entry.recipient.kind == bounce::MessageKind::Bounce)
            bounced[best] = true;
    }
    QList<FateRecord> out;
    out.reserve(m_held.size());
    for (qsizetype h = 0; h < m_held.size(); ++h) {
        Held& held = m_held[h];
        for (const Match& match : std::as_const(held.matches)) {
            if (winner.value(match.index, -1) != h)
                continue;
            MailboxEntry& entry = m_entries[match.index];
            entry.consumed = true;
            applyMailbox(held.record, entry, match);
        }
        sortSteps(held.record);
        out << std::move(held.record);
    }
    m_held.clear();
    out << std::move(handedOff);
    return out;
}

} // namespace bi::core::fate
