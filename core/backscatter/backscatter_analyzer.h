// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>

#include "core/common/progress_sink.h"
#include "core/common/result.h"
#include "core/fate/log_observer.h"

namespace bi::core::store {
class ProjectStore;
}

namespace bi::core::backscatter {

/// Counts of one backscatter run.
struct BackscatterSummary {
    qint64 bounces = 0;
    qint64 ours = 0;
    qint64 backscatter = 0;
    qint64 uncertain = 0;
    qint64 outbound = 0;   ///< notices our smarthosts sent outside our domains
};

/// Recomputes every bounce verdict (table bounce_verdicts) and the outbound backscatter list
/// (outbound_backscatter) from what the project holds, and stores the learned own domains
/// and relays in the settings (OwnSettings). Runs after the fate correlation of an import.
/// Deterministic: the same project gives the same rows. Replaces both tables in one
/// transaction; a stop request leaves them as they were (ErrorCode::Cancelled).
/// Thread: the store's thread.
class BackscatterAnalyzer final {
public:
    [[nodiscard]] static Result<BackscatterSummary> run(store::ProjectStore& store, ProgressSink* progress = nullptr);
    /// The same analysis, fed by the fate correlator's pass over the logs instead of a pass of
    /// its own (FateCorrelator::run's observer): reads the settings and the mailbox now, and
    /// writes in the correlator's transaction. Errors: SQLite.
    [[nodiscard]] static Result<std::unique_ptr<fate::LogObserver>> observer(const store::ProjectStore& store,
                                                                          ProgressSink* progress = nullptr);
};

} // namespace bi::core::backscatter
