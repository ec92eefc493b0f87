// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringView>

namespace bi::core::report {

/// Who has to act on a failure: the recipient's side (address gone, mailbox full), the
/// sending or receiving infrastructure (blocklists, authentication, network, queue expiry)
/// or the message content (spam, virus, size, policy). Other: not a failure reason, or
/// one that cannot be told (sisimai "undefined").
enum class ReasonGroup { Recipient, Infrastructure, Content, Other };

/// Stable lower-case names used in filters and reports: "recipient", "infrastructure",
/// "content", "other".
[[nodiscard]] QString reasonGroupName(ReasonGroup group);
/// Inverse of reasonGroupName(); Other for anything unknown.
[[nodiscard]] ReasonGroup reasonGroupFromName(QStringView name);
/// Capitalised name for people ("Recipient", ...).
[[nodiscard]] QString reasonGroupTitle(ReasonGroup group);
/// The group of a sisimai reason (case-insensitive); Other for empty or unknown reasons.
[[nodiscard]] ReasonGroup reasonGroupOf(QStringView reason);
/// Every reason of the table in group (lower case, table order); for SQL filters.
[[nodiscard]] QList<QString> reasonsIn(ReasonGroup group);
/// All groups in display order.
[[nodiscard]] QList<ReasonGroup> allReasonGroups();

} // namespace bi::core::report
