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

/// The reading half of the analysis as an observer of the correlator's pass over the logs
/// (FateCorrelator::run): prepare() reads the settings and the mailbox's keys, add() takes
/// each logged message, finish() gives what BackscatterAnalyzer::apply() needs.
/// Thread: that of the pass, then finish() after it has ended.
class BackscatterLearner final : public fate::LogObserver {
public:
    BackscatterLearner();
    ~BackscatterLearner() override;
    BackscatterLearner(const BackscatterLearner&) = delete;
    BackscatterLearner& operator=(const BackscatterLearner&) = delete;

    [[nodiscard]] Result<void> prepare(const store::ProjectStore& store) override;
    void add(const fate::LogMessage& message) override;
    /// What was learned; the error of prepare(), or one when prepare() never ran.
    [[nodiscard]] Result<BackscatterLearning> finish();

private:
    struct State;
    std::unique_ptr<State> m_s;
};

/// Recomputes every bounce verdict (table bounce_verdicts) and the outbound backscatter list
/// (outbound_backscatter) from what the project holds, and stores the learned own domains
/// and relays in the settings (OwnSettings). Runs after the fate correlation of an import.
/// Deterministic: the same project gives the same rows. Replaces both tables in one
/// transaction; a stop request leaves them as they were (ErrorCode::Cancelled).
/// run() is learn() then apply(); an import learns during the correlator's pass over the logs
/// instead (BackscatterLearner), which reads settings, bounces and logs, none of which the
/// correlator changes.
/// Thread: the store's thread (learn(): the thread of the store it is given).
class BackscatterAnalyzer final {
public:
    [[nodiscard]] static Result<BackscatterSummary> run(store::ProjectStore& store, ProgressSink* progress = nullptr);
    /// The reading half on its own: BackscatterLearner with a pass over the logs of its own.
    /// Writes nothing. A stop request ends it with ErrorCode::Cancelled.
    [[nodiscard]] static Result<BackscatterLearning> learn(const store::ProjectStore& store,
                                                           ProgressSink* progress = nullptr);
    /// The deciding half: every verdict and outbound notice, written in one transaction.
    /// learning must come from this project's current bounces and logs.
    [[nodiscard]] static Result<BackscatterSummary> apply(store::ProjectStore& store, BackscatterLearning learning,
                                                          ProgressSink* progress = nullptr);
};

} // namespace bi::core::backscatter
