// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/backscatter/outbound_detector.h"

#include <algorithm>

#include <QSet>

#include "core/bounce/address.h"

using namespace Qt::StringLiterals;

namespace bi::core::backscatter {

namespace {

bool isBounceNotice(logs::NotificationKind kind)
{
    return kind == logs::NotificationKind::NonDelivery || kind == logs::NotificationKind::Unknown;
}

QString resultName(logs::DeliveryOutcome outcome)
{
    return outcome == logs::DeliveryOutcome::None ? QString() : logs::deliveryOutcomeName(outcome);
}

// The failure that caused the notice: the recipient whose last attempt bounced or expired
// at (or just before) the notice's time.
const fate::LoggedRecipient* failedRecipient(const fate::LogMessage& m, const QDateTime& at)
{
    const fate::LoggedRecipient* best = nullptr;
    qint64 bestGap = std::numeric_limits<qint64>::max();
    for (const fate::LoggedRecipient& r : m.recipients) {
        if (r.attempts.isEmpty())
            continue;
        const fate::LoggedAttempt& a = r.attempts.constLast();
        if (a.outcome != logs::DeliveryOutcome::Bounced && a.outcome != logs::DeliveryOutcome::Expired
            && a.outcome != logs::DeliveryOutcome::Deferred)
            continue;
        const qint64 gap = at.isValid() && a.time.isValid() ? std::abs(a.time.msecsTo(at)) : 0;
        if (!best || gap < bestGap) {
            best = &r;
            bestGap = gap;
        }
    }
    return best;
}

// The life of a queue id whose first event is row, or (row 0) the last that is not a notice.
bool pick(const QList<fate::LogMessage>& lives, qint64 row, fate::LogMessage& out)
{
    for (auto it = lives.crbegin(); it != lives.crend(); ++it) {
        if (row ? it->firstEventRow == row : !it->isNotice()) {
            out = *it;
            return true;
        }
    }
    return false;
}

} // namespace

QString OutboundDetector::intern(const QString& s)
{
    auto it = m_strings.constFind(s);
    if (it == m_strings.cend())
        it = m_strings.insert(s);
    return *it;
}

OutboundDetector::QueueKey OutboundDetector::key(const QString& host, const QString& queueId) const
{
    const QString lower = host.toLower();
    const auto it = m_strings.constFind(lower);
    return {it != m_strings.cend() ? *it : lower, queueId};
}

void OutboundDetector::add(const fate::LogMessage& m)
{
    intern(m.host.toLower());
    if (m.isNotice()) {
        NoticeRef n{intern(m.host), m.queueId, m.parentQueueId, m.firstEventRow, {}};
        for (const fate::LoggedRecipient& r : m.recipients) {
            const QString domain = bounce::Address::domainOf(r.address.toLower());
            if (!domain.isEmpty() && !n.domains.contains(domain))
                n.domains << intern(domain);
        }
        m_notices << n;
        return;
    }
    bool announced = false;
    for (const fate::LoggedNotice& n : m.notices) {
        if (!isBounceNotice(n.kind))
            continue;
        announced = true;
        if (!n.newQueueId.isEmpty())
            m_parentOfNotice.insert(key(m.host, n.newQueueId), m.queueId);
    }
    // Originals that announced no notice matter only to notices naming them as their parent
    // (Exim and qmail do so on the notice's own arrival line): notices() looks those up.
    if (!announced)
        return;
    const QString to = m.sender.toLower();
    const QString domain = m.hasSender && !to.isEmpty() ? bounce::Address::domainOf(to) : QString();
    m_originals.insert(key(m.host, m.queueId),
                       {intern(m.host), m.queueId, m.firstEventRow, domain.isEmpty() ? QString() : intern(domain)});
}

Result<QList<store::OutboundBackscatterRecord>> OutboundDetector::notices(const fate::OwnIdentity& own,
                                                                         const Lookup& lookup) const
{
    QList<store::OutboundBackscatterRecord> out;
    QSet<QueueKey> explained; // originals whose notices a logged notice message stands for
    auto fill = [](store::OutboundBackscatterRecord& r, const fate::LogMessage& orig, const QDateTime& at) {
        r.origQueueId = orig.queueId;
        r.origMessageId = orig.messageId;
        r.origClient = orig.client;
        if (orig.queuedAt.isValid())
            r.origAtUtcMs = orig.queuedAt.toMSecsSinceEpoch();
        if (const fate::LoggedRecipient* f = failedRecipient(orig, at)) {
            const fate::LoggedAttempt& a = f->attempts.constLast();
            r.origRecipient = f->address;
            r.status = a.dsn;
            r.replyCode = a.smtpCode ? QString::number(a.smtpCode) : QString();
            r.reason = a.text;
        }
    };

    for (const NoticeRef& ref : m_notices) {
        QString parent = ref.parentQueueId;
        if (parent.isEmpty())
            parent = m_parentOfNotice.value(key(ref.host, ref.queueId));
        if (parent.isEmpty())
            continue; // a notice someone else wrote, only relayed by us
        explained.insert(key(ref.host, parent));
        const bool outside = std::any_of(ref.domains.cbegin(), ref.domains.cend(),
                                         [&own](const QString& d) { return !own.isOwnDomain(d); });
        if (!outside)
            continue;
        auto lives = lookup(ref.host, ref.queueId);
        if (!lives)
            return lives.error();
        fate::LogMessage n;
        if (!pick(*lives, ref.firstEventRow, n))
            continue;
        const auto origRef = m_originals.constFind(key(ref.host, parent));
        auto parentLives = lookup(ref.host, parent);
        if (!parentLives)
            return parentLives.error();
        fate::LogMessage orig;
        const bool hasOrig = pick(*parentLives, origRef != m_originals.cend() ? origRef->firstEventRow : 0, orig);
        for (const fate::LoggedRecipient& rcpt : std::as_const(n.recipients)) {
            const QString to = rcpt.address.toLower();
            const QString domain = bounce::Address::domainOf(to);
            if (to.isEmpty() || domain.isEmpty() || own.isOwnDomain(domain))
                continue;
            store::OutboundBackscatterRecord r;
            r.host = n.host;
            r.format = logs::logFormatName(n.format);
            r.kind = u"non-delivery"_s;
            const QDateTime at = n.queuedAt.isValid() ? n.queuedAt
                : !rcpt.attempts.isEmpty() ? rcpt.attempts.constFirst().time : QDateTime();
            if (at.isValid())
                r.noticeAtUtcMs = at.toMSecsSinceEpoch();
            r.noticeQueueId = n.queueId;
            r.noticeTo = to;
            r.noticeDomain = domain;
            if (!rcpt.attempts.isEmpty()) {
                r.noticeResult = resultName(rcpt.attempts.constLast().outcome);
                r.noticeRelay = rcpt.attempts.constLast().relay;
            }
            r.logEvent = n.firstEventRow;
            if (hasOrig) {
                fill(r, orig, at);
                for (const fate::LoggedNotice& ln : std::as_const(orig.notices)) {
                    if (ln.newQueueId == n.queueId && ln.kind == logs::NotificationKind::Unknown)
                        r.kind = u"unknown"_s;
                }
            } else {
                r.origQueueId = parent;
            }
            out << r;
        }
    }

    // Notices the log announced but whose own delivery it does not show (qmail without the
    // bounce's "new msg" line, a notice still queued): they go to the original's sender.
    for (auto it = m_originals.cbegin(); it != m_originals.cend(); ++it) {
        const OriginalRef& ref = it.value();
        // A notice message naming the original explains all of its notices (the log shows
        // where they went).
        if (ref.senderDomain.isEmpty() || own.isOwnDomain(ref.senderDomain) || explained.contains(it.key()))
            continue;
        auto lives = lookup(ref.host, ref.queueId);
        if (!lives)
            return lives.error();
        fate::LogMessage o;
        if (!pick(*lives, ref.firstEventRow, o))
            continue;
        for (const fate::LoggedNotice& n : std::as_const(o.notices)) {
            if (!isBounceNotice(n.kind))
                continue;
            const QString to = o.sender.toLower();
            const QString domain = bounce::Address::domainOf(to);
            store::OutboundBackscatterRecord r;
            r.host = o.host;
            r.format = logs::logFormatName(o.format);
            r.kind = n.kind == logs::NotificationKind::Unknown ? u"unknown"_s : u"non-delivery"_s;
            if (n.time.isValid())
                r.noticeAtUtcMs = n.time.toMSecsSinceEpoch();
            r.noticeQueueId = n.newQueueId;
            r.noticeTo = to;
            r.noticeDomain = domain;
            r.logEvent = n.eventRow;
            fill(r, o, n.time);
            out << r;
        }
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        const qint64 ta = a.noticeAtUtcMs.value_or(0), tb = b.noticeAtUtcMs.value_or(0);
        if (ta != tb)
            return ta < tb;
        if (a.host != b.host)
            return a.host < b.host;
        if (a.noticeQueueId != b.noticeQueueId)
            return a.noticeQueueId < b.noticeQueueId;
        return a.noticeTo < b.noticeTo;
    });
    return out;
}

} // namespace bi::core::backscatter
