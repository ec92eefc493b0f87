// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>

#include "core/common/progress_sink.h"
#include "core/common/result.h"

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

/// What BackscatterAnalyzer::learn() found: the sending profile, the learned own names and
/// the notices our hosts logged. Move-only; opaque outside the analyzer.
class BackscatterLearning final {
public:
    BackscatterLearning();
    ~BackscatterLearning();
    BackscatterLearning(BackscatterLearning&&) noexcept;
    BackscatterLearning& operator=(BackscatterLearning&&) noexcept;

private:
    friend class BackscatterAnalyzer;
    friend class BackscatterLearner;
    struct Data;
    std::unique_ptr<Data> m_d;
};

/// Recomputes every bounce verdict (table bounce_verdicts) and the outbound backscatter list
/// (outbound_backscatter) from what the project holds, and stores the learned own domains
/// and relays in the settings (OwnSettings). Runs after the fate correlation of an import.
/// Deterministic: the same project gives the same rows. Replaces both tables in one
/// transaction; a stop request leaves them as they were (ErrorCode::Cancelled).
/// run() is learn() then apply().
/// Thread: the store's thread (learn(): the thread of the store it is given).
class BackscatterAnalyzer final {
public:
    [[nodiscard]] static Result<BackscatterSummary> run(store::ProjectStore& store, ProgressSink* progress = nullptr);
    /// The reading half: settings, the mailbox's keys, one pass over the logged messages.
    /// Writes nothing. A stop request ends it with ErrorCode::Cancelled.
    [[nodiscard]] static Result<BackscatterLearning> learn(const store::ProjectStore& store,
                                                           ProgressSink* progress = nullptr);
    /// The deciding half: every verdict and outbound notice, written in one transaction.
    /// learning must come from this project's current bounces and logs.
    [[nodiscard]] static Result<BackscatterSummary> apply(store::ProjectStore& store, BackscatterLearning learning,
                                                          ProgressSink* progress = nullptr);
};

} // namespace bi::core::backscatter
