// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/backscatter/outbound_detector.h"

#include <algorithm>

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

quint32 OutboundDetector::name(const QString& s)
{
    if (const auto it = m_nameIds.constFind(s); it != m_nameIds.cend())
        return *it;
    const quint32 id = quint32(m_names.size());
    m_names << s;
    m_nameIds.insert(s, id);
    return id;
}

OutboundDetector::Text OutboundDetector::text(QStringView s)
{
    const QByteArray utf8 = s.toUtf8();
    const Text t{quint32(m_text.size()), quint32(utf8.size())};
    m_text.append(utf8);
    return t;
}

QString OutboundDetector::string(Text t) const
{
    return QString::fromUtf8(QByteArrayView(m_text).sliced(t.offset, t.size));
}

bool OutboundDetector::sameKey(const QueueKey& a, quint32 host, QByteArrayView queueId) const
{
    return a.host == host && QByteArrayView(m_text).sliced(a.queueId.offset, a.queueId.size) == queueId;
}

quint64 OutboundDetector::hashKey(quint32 host, QByteArrayView queueId)
{
    return quint64(qHash(queueId, host));
}

template <typename Entry>
qint32 OutboundDetector::find(const QList<Entry>& entries, const QHash<quint64, qint32>& heads, quint32 host,
                              QByteArrayView queueId) const
{
    for (qint32 i = heads.value(hashKey(host, queueId), -1); i >= 0; i = entries.at(i).next) {
        if (sameKey(entries.at(i).key, host, queueId))
            return i;
    }
    return -1;
}

template <typename Entry>
void OutboundDetector::append(QList<Entry>& entries, QHash<quint64, qint32>& heads, Entry entry)
{
    const quint64 h = hashKey(entry.key.host, QByteArrayView(m_text).sliced(entry.key.queueId.offset,
                                                                            entry.key.queueId.size));
    entry.next = heads.value(h, -1);
    entries << entry;
    heads.insert(h, qint32(entries.size() - 1));
}

void OutboundDetector::add(const fate::LogMessage& m)
{
    const quint32 keyHost = name(m.host.toLower());
    if (m.isNotice()) {
        NoticeRef n;
        n.firstEventRow = m.firstEventRow;
        n.host = name(m.host);
        n.keyHost = keyHost;
        n.queueId = text(m.queueId);
        n.parentQueueId = text(m.parentQueueId);
        n.firstDomain = quint32(m_domains.size());
        for (const fate::LoggedRecipient& r : m.recipients) {
            const QString domain = bounce::Address::domainOf(r.address.toLower());
            if (domain.isEmpty())
                continue;
            const quint32 id = name(domain);
            if (std::find(m_domains.cbegin() + n.firstDomain, m_domains.cend(), id) == m_domains.cend())
                m_domains << id;
        }
        n.domainCount = quint32(m_domains.size()) - n.firstDomain;
        m_notices << n;
        return;
    }
    bool announced = false;
    for (const fate::LoggedNotice& n : m.notices) {
        if (!isBounceNotice(n.kind))
            continue;
        announced = true;
        if (n.newQueueId.isEmpty())
            continue;
        const Text parent = text(m.queueId);
        if (const qint32 i = find(m_parents, m_parentHeads, keyHost, n.newQueueId.toUtf8()); i >= 0)
            m_parents[i].parentQueueId = parent;
        else
            append(m_parents, m_parentHeads, ParentRef{{keyHost, text(n.newQueueId)}, parent});
    }
    // Originals that announced no notice matter only to notices naming them as their parent
    // (Exim and qmail do so on the notice's own arrival line): notices() looks those up.
    if (!announced)
        return;
    const QString to = m.sender.toLower();
    const QString domain = m.hasSender && !to.isEmpty() ? bounce::Address::domainOf(to) : QString();
    const qint32 senderDomain = domain.isEmpty() ? -1 : qint32(name(domain));
    if (const qint32 i = find(m_originals, m_originalHeads, keyHost, m.queueId.toUtf8()); i >= 0) {
        OriginalRef& o = m_originals[i];
        o.firstEventRow = m.firstEventRow;
        o.host = name(m.host);
        o.senderDomain = senderDomain;
    } else {
        append(m_originals, m_originalHeads,
               OriginalRef{m.firstEventRow, {keyHost, text(m.queueId)}, name(m.host), senderDomain});
    }
}

Result<QList<store::OutboundBackscatterRecord>> OutboundDetector::notices(const fate::OwnIdentity& own,
                                                                         const Lookup& lookup) const
{
    QList<store::OutboundBackscatterRecord> out;
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

    const QByteArrayView pool(m_text);
    auto bytes = [&pool](Text t) { return pool.sliced(t.offset, t.size); };
    // Originals whose notices a logged notice message stands for.
    QList<bool> explained(m_originals.size(), false);
    for (const NoticeRef& ref : m_notices) {
        QByteArrayView parent = bytes(ref.parentQueueId);
        if (parent.isEmpty()) {
            if (const qint32 i = find(m_parents, m_parentHeads, ref.keyHost, bytes(ref.queueId)); i >= 0)
                parent = bytes(m_parents.at(i).parentQueueId);
        }
        if (parent.isEmpty())
            continue; // a notice someone else wrote, only relayed by us
        const qint32 original = find(m_originals, m_originalHeads, ref.keyHost, parent);
        if (original >= 0)
            explained[original] = true;
        const auto first = m_domains.cbegin() + ref.firstDomain;
        const bool outside = std::any_of(first, first + ref.domainCount,
                                         [&](quint32 d) { return !own.isOwnDomain(m_names.at(d)); });
        if (!outside)
            continue;
        const QString host = m_names.at(ref.host);
        const QString parentId = QString::fromUtf8(parent);
        auto lives = lookup(host, string(ref.queueId));
        if (!lives)
            return lives.error();
        fate::LogMessage n;
        if (!pick(*lives, ref.firstEventRow, n))
            continue;
        auto parentLives = lookup(host, parentId);
        if (!parentLives)
            return parentLives.error();
        fate::LogMessage orig;
        const bool hasOrig = pick(*parentLives, original >= 0 ? m_originals.at(original).firstEventRow : 0, orig);
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
                r.origQueueId = parentId;
            }
            out << r;
        }
    }

    // Notices the log announced but whose own delivery it does not show (qmail without the
    // bounce's "new msg" line, a notice still queued): they go to the original's sender.
    for (qsizetype i = 0; i < m_originals.size(); ++i) {
        const OriginalRef& ref = m_originals.at(i);
        // A notice message naming the original explains all of its notices (the log shows
        // where they went).
        if (ref.senderDomain < 0 || own.isOwnDomain(m_names.at(ref.senderDomain)) || explained.at(i))
            continue;
        auto lives = lookup(m_names.at(ref.host), string(ref.key.queueId));
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
