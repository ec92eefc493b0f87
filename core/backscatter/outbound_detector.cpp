// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/backscatter/outbound_detector.h"

#include <algorithm>

#include <QSet>

#include "core/bounce/address.h"

using namespace Qt::StringLiterals;

namespace bi::core::backscatter {

namespace {

QString key(const QString& host, const QString& queueId)
{
    return host.toLower() + u'\n' + queueId;
}

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

// Only what notices() reads of a recipient: the first attempt's time and the last attempt.
void slimAttempts(fate::LogMessage& m)
{
    for (fate::LoggedRecipient& r : m.recipients) {
        if (r.attempts.size() > 2)
            r.attempts = {r.attempts.constFirst(), r.attempts.constLast()};
    }
}

} // namespace

void OutboundDetector::add(const fate::LogMessage& m)
{
    keep(m, false);
}

void OutboundDetector::addOriginal(const fate::LogMessage& m)
{
    if (!m.isNotice())
        keep(m, true);
}

void OutboundDetector::keep(const fate::LogMessage& m, bool always)
{
    if (m.isNotice()) {
        m_notices << m;
        slimAttempts(m_notices.last());
        return;
    }
    Original o;
    for (const fate::LoggedNotice& n : m.notices) {
        if (!isBounceNotice(n.kind))
            continue;
        o.notices << n;
        if (!n.newQueueId.isEmpty())
            m_parentOfNotice.insert(key(m.host, n.newQueueId), m.queueId);
    }
    // Originals without notices matter only to notices naming them as their parent (Exim and
    // qmail do so on the notice's own arrival line): missingOriginals() fetches those, rather
    // than keeping every message of the log.
    if (o.notices.isEmpty() && !always)
        return;
    o.message = m;
    o.message.notices.clear();
    slimAttempts(o.message);
    m_originals.insert(key(m.host, m.queueId), o);
}

QList<std::pair<QString, QString>> OutboundDetector::missingOriginals() const
{
    QList<std::pair<QString, QString>> out;
    QSet<QString> asked;
    for (const fate::LogMessage& n : m_notices) {
        QString parent = n.parentQueueId;
        if (parent.isEmpty())
            parent = m_parentOfNotice.value(key(n.host, n.queueId));
        if (parent.isEmpty())
            continue;
        const QString k = key(n.host, parent);
        if (m_originals.contains(k) || asked.contains(k))
            continue;
        asked.insert(k);
        out.append({n.host, parent});
    }
    return out;
}

QList<store::OutboundBackscatterRecord> OutboundDetector::notices(const fate::OwnIdentity& own) const
{
    QList<store::OutboundBackscatterRecord> out;
    QSet<QString> explained; // originals' notices matched to a logged notice message
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

    for (const fate::LogMessage& n : m_notices) {
        QString parent = n.parentQueueId;
        if (parent.isEmpty())
            parent = m_parentOfNotice.value(key(n.host, n.queueId));
        if (parent.isEmpty())
            continue; // a notice someone else wrote, only relayed by us
        const auto orig = m_originals.constFind(key(n.host, parent));
        for (const fate::LoggedRecipient& rcpt : n.recipients) {
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
            if (orig != m_originals.cend()) {
                fill(r, orig->message, at);
                for (const fate::LoggedNotice& ln : orig->notices) {
                    if (ln.newQueueId == n.queueId && ln.kind == logs::NotificationKind::Unknown)
                        r.kind = u"unknown"_s;
                }
            } else {
                r.origQueueId = parent;
            }
            out << r;
        }
        explained.insert(key(n.host, parent) + u'\n' + n.queueId);
        explained.insert(key(n.host, parent) + u"\n*"_s);
    }

    // Notices the log announced but whose own delivery it does not show (qmail without the
    // bounce's "new msg" line, a notice still queued): they go to the original's sender.
    for (auto it = m_originals.cbegin(); it != m_originals.cend(); ++it) {
        const Original& o = it.value();
        for (const fate::LoggedNotice& n : o.notices) {
            if (explained.contains(it.key() + u'\n' + n.newQueueId) || explained.contains(it.key() + u"\n*"_s))
                continue;
            const QString to = o.message.sender.toLower();
            const QString domain = bounce::Address::domainOf(to);
            if (!o.message.hasSender || to.isEmpty() || domain.isEmpty() || own.isOwnDomain(domain))
                continue;
            store::OutboundBackscatterRecord r;
            r.host = o.message.host;
            r.format = logs::logFormatName(o.message.format);
            r.kind = n.kind == logs::NotificationKind::Unknown ? u"unknown"_s : u"non-delivery"_s;
            if (n.time.isValid())
                r.noticeAtUtcMs = n.time.toMSecsSinceEpoch();
            r.noticeQueueId = n.newQueueId;
            r.noticeTo = to;
            r.noticeDomain = domain;
            r.logEvent = n.eventRow;
            fill(r, o.message, n.time);
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
