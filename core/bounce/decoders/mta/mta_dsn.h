// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QStringList>

#include "core/bounce/bounce_decoder.h"
#include "core/bounce/bounce_report.h"

namespace bi::core::bounce {

/// RFC 3464 fields the way MTA bounces really carry them: in a message/delivery-status part or
/// as lines inside the notice, recipients not always separated by blank lines, continuation
/// lines of Diagnostic-Code wrapped anywhere. Thread: any; pure functions, never throw.
class MtaDsn final {
public:
    MtaDsn() = delete;

    /// The lines of the first message/delivery-status (or global-delivery-status) part, empty
    /// when the message has none.
    [[nodiscard]] static QStringList statusPartLines(const DecodeContext& ctx);

    /// Recipients from the DSN field lines of \a lines (RFC 3464 §2.3): a Final-Recipient starts
    /// a new recipient (so does the first field after a blank line), per-recipient fields fill
    /// the current one. Per-message fields (§2.2: Reporting-MTA, Arrival-Date, ...; Postfix's
    /// X-Postfix-Queue-ID and X-Postfix-Sender) fill \a report where still empty. Lines that are
    /// not fields are ignored. Recipients are raw: address as written, status as written; call
    /// MtaResult::finish() on the report afterwards.
    [[nodiscard]] static QList<BounceRecipient> read(const QStringList& lines, BounceReport& report);

    /// The group of \a groups for the recipient \a address (Final- or Original-Recipient), or,
    /// when the notice's \a count recipients and the groups are as many, the one at \a index:
    /// forwarding and rewriting often change the address between the two halves of a bounce.
    /// nullptr when none fits.
    [[nodiscard]] static const BounceRecipient* pair(const QList<BounceRecipient>& groups, const QString& address,
                                                    qsizetype index, qsizetype count);

    /// True when \a line starts with a field name of RFC 3464 (or a vendor X- field we read).
    [[nodiscard]] static bool isFieldLine(QStringView line);
};

} // namespace bi::core::bounce
