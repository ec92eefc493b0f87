// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

#include "core/store/fate_record.h"
#include "core/fate/own_identity.h"
#include "core/store/project_store.h"

namespace bi::core::fate {

using store::Fate;
using store::FateRecord;
using store::TimelineStep;

/// What a bounce alone tells about the failure mode, from who wrote it: our smarthost
/// reporting a 5xx it was given during the SMTP dialogue (rejected) or giving up after
/// retrying (expired), or the receiving side bouncing after it had accepted (async bounce).
struct MailboxVerdict {
    Fate fate = Fate::AsyncBounce;
    bool writtenByUs = false;
    double confidence = 0.5;
    QStringList evidence;
};

/// Thread: any; pure.
class MailboxVerdictRule final {
public:
    [[nodiscard]] static MailboxVerdict decide(const store::BounceRow& row, const OwnIdentity& own);
    /// The host that wrote the notice: Reporting-MTA, else the host part of its From address.
    [[nodiscard]] static QString writerHost(const bounce::BounceReport& report);
    /// True when the notice says the queue lifetime ran out (4.4.7, "retry timeout exceeded",
    /// "in the queue too long", a failed action with a 4.x.x status, ...).
    [[nodiscard]] static bool saysExpired(const bounce::BounceRecipient& r);
};

} // namespace bi::core::fate
