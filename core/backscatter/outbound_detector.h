// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>

#include <QHash>
#include <QList>
#include <QSet>
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
    /// A queue id on a host (lower case); both strings are shared, not copied.
    struct QueueKey {
        QString host;
        QString queueId;
        bool operator==(const QueueKey&) const = default;
        friend size_t qHash(const QueueKey& k, size_t seed = 0) { return qHashMulti(seed, k.host, k.queueId); }
    };
    struct NoticeRef {
        QString host;
        QString queueId;
        QString parentQueueId;
        qint64 firstEventRow = 0;
        QStringList domains; ///< of its recipients
    };
    struct OriginalRef {
        QString host;
        QString queueId;
        qint64 firstEventRow = 0;
        QString senderDomain; ///< empty when the notices it announced have no one to go to
    };
    QString intern(const QString& s);
    QueueKey key(const QString& host, const QString& queueId) const;

    QList<NoticeRef> m_notices;
    QHash<QueueKey, OriginalRef> m_originals;  ///< the last message under the id that announced a notice
    QHash<QueueKey, QString> m_parentOfNotice; ///< notice queue id → parent queue id
    QSet<QString> m_strings;                   ///< hosts and domains, shared
};

} // namespace bi::core::backscatter
