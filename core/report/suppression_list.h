// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <map>

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include "core/store/fate_record.h"

namespace bi::core::report {

/// One address to stop mailing, with the failures that justify it.
struct SuppressionEntry {
    QString address;       ///< lower case
    QString reason;        ///< the deciding reason (a hard one when there is one, else the latest)
    bool hard = false;
    QDateTime firstSeen;   ///< UTC
    QDateTime lastSeen;
    qint64 count = 0;      ///< failures (and complaints) of this address
    QStringList evidence;  ///< "msg:<messages.id>" of bounces/complaints, "log:<event id>" of log lines
};

/// Collects the addresses whose own failure justifies suppression: the address does not
/// exist or moved (hard), its domain takes no mail (hard), the mailbox is disabled or full
/// (soft), or its owner complained (a feedback report; listed as hard: never mail it again).
/// Failures caused by the sender — blocklists, reputation, authentication, policy, content,
/// network — never put an address on the list: the address is fine, the sending is not. An
/// expiry does only by the reply it was retried on, and softly ("450 4.1.1 User unknown").
class SuppressionList final {
public:
    /// Whether a failure with this sisimai reason is the address's own (see class comment).
    [[nodiscard]] static bool justifiesSuppression(QStringView reason);
    /// Hard as sisimai 5 has it: userunknown, hostunknown, hasmoved, and notaccept unless the
    /// status is temporary (4.x.x); complaints too.
    [[nodiscard]] static bool isHard(QStringView reason, QStringView status);

    /// Adds a failed fate (rejected, expired, async_bounce); others are ignored.
    void addFate(const store::FateRecord& fate);
    /// Adds a complaint (ARF feedback report) about address.
    void addComplaint(const QString& address, const QDateTime& at, qint64 messageRow);

    /// The list, by address.
    [[nodiscard]] QList<SuppressionEntry> entries() const;

private:
    void add(const QString& address, const QString& reason, bool hard, const QDateTime& at, const QStringList& ids);
    std::map<QString, SuppressionEntry> m_entries;
};

} // namespace bi::core::report
