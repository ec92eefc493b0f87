// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <memory>

#include "core/common/result.h"
#include "core/logs/log_event.h"
#include "core/store/fate_record.h"

namespace bi::core::store {

class ProjectStore;

/// The fates table (schema v2): one row per (message, recipient), recomputed by the
/// correlator after every import. A timeline step that only repeats what its log event says
/// is stored as a reference to that event and filled in again when read, so the table does
/// not hold every deferral's text a second time. Uses the ProjectStore's connection (the bulk
/// insert through the sqlite3 C API, see sqlite_statement.h); same thread, and destroy it
/// before the store.
class FateRepository final {
public:
    /// The log event a step cites (StoredLogEvent::row), or nullptr when unknown.
    using LogEventLookup = std::function<const logs::LogEvent*(qint64 row)>;

    explicit FateRepository(const ProjectStore& store);
    ~FateRepository();
    FateRepository(const FateRepository&) = delete;
    FateRepository& operator=(const FateRepository&) = delete;

    /// Removes every fate and the free-text index; call inside the transaction that writes the
    /// new ones.
    [[nodiscard]] Result<void> clear();
    /// For writing every fate anew inside one transaction (FateCorrelator): clear(), and the
    /// fates' indexes set aside, so that finishRewrite() builds them once from the new rows —
    /// cheaper than keeping fifteen indexes up to date row by row. A rollback restores them
    /// with the old rows. The recipients added are gathered for the free-text index.
    [[nodiscard]] Result<void> beginRewrite();
    /// Recreates what beginRewrite() set aside (exactly as the schema wrote it) and writes the
    /// free-text index of the new fates (RecipientGrams). Call before the commit.
    [[nodiscard]] Result<void> finishRewrite();
    /// Adds one fate. events, when given, tells what the cited log events say: steps that
    /// repeat it exactly are stored as references. Call inside a transaction.
    [[nodiscard]] Result<qint64> add(const FateRecord& record, const LogEventLookup& events = {});

    /// Every fate ordered by queued time (then recipient). Streams; return false to stop.
    [[nodiscard]] Result<void> forEach(const std::function<bool(const FateRecord&)>& callback) const;
    /// The fates of one recipient address (case-insensitive), in time order.
    [[nodiscard]] Result<QList<FateRecord>> forRecipient(const QString& address) const;
    /// One fate by its id (fates.id), steps filled in. Errors: no such fate
    /// (ErrorCode::InvalidArgument), SQLite refused.
    [[nodiscard]] Result<FateRecord> byId(qint64 id) const;
    [[nodiscard]] Result<qint64> count() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_d;
};

} // namespace bi::core::store
