// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include "core/common/result.h"
#include "core/fate/log_message.h"
#include "core/fate/own_identity.h"
#include "core/store/backscatter_repository.h"

namespace bi::core::backscatter {

/// Finds the notices our smarthosts generated about mail they had accepted (Postfix "sender
/// non-delivery notification", Exim "<= <> R=", qmail "bounce msg", Sendmail "DSN:") and
/// which went to addresses outside our domains: the backscatter we send. Fed every logged
/// message; joins a notice to the message that caused it through the notice's queue id or
/// its parent queue id. Memory: while fed, a few hundred bytes per notice and per message
/// that announced one (ids, recipient domains), whatever the log's size; notices() then
/// looks up the full messages of only the notices that left our domains.
/// Thread: value type.
class OutboundDetector final {
public:
    /// The messages logged under one (host, queue id), assembled, in time order.
    using Lookup = std::function<Result<QList<fate::LogMessage>>(const QString& host, const QString& queueId)>;

    void add(const fate::LogMessage& message);
    /// The notices sent outside `own`'s domains, in (time, host, queue id) order. Errors: the
    /// lookup's.
    [[nodiscard]] Result<QList<store::OutboundBackscatterRecord>> notices(const fate::OwnIdentity& own,
                                                                         const Lookup& lookup) const;

private:
    /// UTF-8 text in m_text (queue ids).
    struct Text {
        quint32 offset = 0;
        quint32 size = 0;
    };
    /// A queue id on a host, the host lower-cased (an index in m_names).
    struct QueueKey {
        quint32 host = 0;
        Text queueId;
    };
    struct NoticeRef {
        qint64 firstEventRow = 0;
        quint32 host = 0; ///< as logged (m_names)
        quint32 keyHost = 0;
        Text queueId;
        Text parentQueueId;
        quint32 firstDomain = 0; ///< its recipients' domains: m_domains[firstDomain, firstDomain + domainCount)
        quint32 domainCount = 0;
    };
    struct OriginalRef {
        qint64 firstEventRow = 0;
        QueueKey key;
        quint32 host = 0;         ///< as logged
        qint32 senderDomain = -1; ///< -1 when the notices it announced have no one to go to
        qint32 next = -1;         ///< the next original whose key has the same hash
    };
    struct ParentRef {
        QueueKey key; ///< the notice's
        Text parentQueueId;
        qint32 next = -1;
    };
    quint32 name(const QString& s);
    Text text(QStringView s);
    [[nodiscard]] QString string(Text t) const;
    [[nodiscard]] bool sameKey(const QueueKey& a, quint32 host, QByteArrayView queueId) const;
    [[nodiscard]] static quint64 hashKey(quint32 host, QByteArrayView queueId);
    /// Index in entries (m_originals or m_parents) of the one under (host, queueId), or -1.
    template <typename Entry>
    [[nodiscard]] qint32 find(const QList<Entry>& entries, const QHash<quint64, qint32>& heads, quint32 host,
                              QByteArrayView queueId) const;
    /// Adds an entry that find() did not find, chained under its key's hash.
    template <typename Entry>
    void append(QList<Entry>& entries, QHash<quint64, qint32>& heads, Entry entry);

    // Memory: a few tens of bytes per notice and per original, not a few hundred: a 13M-line
    // log has some 200,000 of each, learned during the fate correlator's pass.
    QStringList m_names;               ///< hosts (as logged and lower-cased) and domains
    QHash<QString, quint32> m_nameIds;
    QByteArray m_text;
    QList<NoticeRef> m_notices;
    QList<quint32> m_domains;
    QList<OriginalRef> m_originals;     ///< the last message under the id that announced a notice
    QHash<quint64, qint32> m_originalHeads;
    QList<ParentRef> m_parents;          ///< notice queue id → parent queue id
    QHash<quint64, qint32> m_parentHeads;
};

} // namespace bi::core::backscatter
