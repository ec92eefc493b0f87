// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/progress_sink.h"
#include "core/common/result.h"
#include "core/fate/log_observer.h"

namespace bi::core::store {
class ProjectStore;
}

namespace bi::core::fate {

/// Counts of one correlation run.
struct CorrelationSummary {
    qint64 logMessages = 0;     ///< messages assembled from the logs (notices excluded)
    qint64 mailboxRecords = 0;  ///< bounce and delay records given to the engine
    qint64 fates = 0;
    qint64 fromLogs = 0;        ///< decided by a log (alone or confirmed by the mailbox)
    qint64 fromMailbox = 0;     ///< decided by a bounce alone
    /// Bounces that name a logged message to the same recipient by an id only it has
    /// (Message-ID, queue id, envelope id) but are dated before it was sent
    /// (FateEngine::bouncesBeforeTheirSend()).
    qint64 bouncesBeforeTheirSend = 0;
};

/// Recomputes every fate of a project from what it holds: all log events and all mailbox
/// bounces, whatever the order they were imported in. Replaces the fates table in one
/// transaction. Own domains and hosts come from the project settings ("own_domains",
/// "own_hosts": comma-separated) plus what the logs and the mailbox show.
/// The logged messages are read and decided in a second thread, on a connection of its own,
/// while this one writes the fates (one thread when the project has no file of its own).
/// observer, when given, sees every logged message there and finishes in the transaction
/// before the fates' indexes are built.
/// Thread: the store's thread.
class FateCorrelator final {
public:
    [[nodiscard]] static Result<CorrelationSummary> run(store::ProjectStore& store, ProgressSink* progress = nullptr,
                                                        LogObserver* observer = nullptr);
};

} // namespace bi::core::fate
