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
    auto consider = [&](int index, double confidence, const auto& how, bool exact) {
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
        for (const Match& existing : out) {
            if (existing.index == index)
                return;
        }
        out.append({index, confidence, how()});
    };
    if (!m.messageId.isEmpty()) {
        for (auto it = m_byMessageId.constFind(m.messageId); it != m_byMessageId.cend() && it.key() == m.messageId; ++it)
            consider(it.value(), 1.0, [&] { return u"original Message-ID <%1>"_s.arg(m.messageId); }, true);
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
            consider(it.value(), kWindowConfidence, [] { return u"recipient and time window"_s; }, false);
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
        if (!matches.isEmpty() && matches.constFirst().confidence <= kWindowConfidence && m_held.size() < kMaxHeld) {
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
    // claimer is that near, the latest send (every claim is before the bounce: findMatches
    // checked); the first in log order on a tie. A better match made later in the log took
    // it already (consumed).
    const auto distance = [](const MailboxEntry& e, const Held& held) -> qint64 {
        const FateRecord& f = held.record;
        if (e.arrival.isValid() && f.finalAt.isValid())
            return std::abs(e.arrival.secsTo(f.finalAt));
        if (e.originalDate.isValid() && f.queuedAt.isValid())
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
    const auto nearer = [&](const MailboxEntry& e, const Held& a, const Held& b) {
        const bool aFits = fits(e, a), bFits = fits(e, b);
        if (aFits != bFits)
            return aFits;
        const qint64 da = distance(e, a), db = distance(e, b);
        const bool aNear = da >= 0 && da <= kNamedTimeSlackSeconds;
        const bool bNear = db >= 0 && db <= kNamedTimeSlackSeconds;
        if (aNear != bNear)
            return aNear;
        if (aNear && da != db)
            return da < db;
        return b.after < a.after;
    };
    QHash<int, qsizetype> winner;
    for (qsizetype h = 0; h < m_held.size(); ++h) {
        for (const Match& match : std::as_const(m_held.at(h).matches)) {
            const MailboxEntry& entry = m_entries.at(match.index);
            if (entry.consumed)
                continue;
            const auto it = winner.find(match.index);
            if (it == winner.end())
                winner.insert(match.index, h);
            else if (nearer(entry, m_held.at(h), m_held.at(*it)))
                *it = h;
        }
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
