// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <utility>

#include <QHash>
#include <QList>
#include <QString>

#include "core/fate/log_message.h"
#include "core/fate/own_identity.h"
#include "core/store/backscatter_repository.h"

namespace bi::core::backscatter {

/// Finds the notices our smarthosts generated about mail they had accepted (Postfix "sender
/// non-delivery notification", Exim "<= <> R=", qmail "bounce msg", Sendmail "DSN:") and
/// which went to addresses outside our domains: the backscatter we send. Fed every logged
/// message; joins a notice to the message that caused it through the notice's queue id or
/// its parent queue id. Memory: only notices and the messages that announced one are kept
/// (slimmed), so it follows the notices, not the log; a parent that only the notice names
/// (Exim, qmail) is looked up afterwards: missingOriginals(), then addOriginal().
/// Thread: value type.
class OutboundDetector final {
public:
    void add(const fate::LogMessage& message);
    /// (host, queue id) of the parents that notices name and add() did not keep.
    [[nodiscard]] QList<std::pair<QString, QString>> missingOriginals() const;
    /// Keeps a message that missingOriginals() asked for (the last one logged under that id).
    void addOriginal(const fate::LogMessage& message);
    /// The notices sent outside `own`'s domains, in (time, host, queue id) order.
    [[nodiscard]] QList<store::OutboundBackscatterRecord> notices(const fate::OwnIdentity& own) const;

private:
    void keep(const fate::LogMessage& message, bool always);

    struct Original {
        fate::LogMessage message;
        QList<fate::LoggedNotice> notices; ///< non-delivery and kind-unknown ones
    };
    QHash<QString, Original> m_originals;        ///< host + '\n' + queue id
    QHash<QString, QString> m_parentOfNotice;    ///< host + '\n' + notice queue id → parent queue id
    QList<fate::LogMessage> m_notices;
};

} // namespace bi::core::backscatter
