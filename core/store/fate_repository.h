// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include <QByteArray>
#include <QString>

#include "core/common/result.h"
#include "core/logs/log_event.h"
#include "core/store/fate_record.h"

namespace bi::core::store {

class ProjectStore;

/// A fate as the values of its row (UTF-8 text, the JSON of its evidence and steps): made by
/// FateRepository::encode() in any thread, so that the one writing only binds them.
struct EncodedFate {
    static constexpr int kTexts = 15;
    QByteArray text[kTexts]; ///< the text columns, in FateRepository's insert order
    std::optional<qint64> times[4]; ///< queued_at, first_attempt_at, final_at, bounce_at (UTC ms)
    int attempts = 0;
    int deferrals = 0;
    double confidence = 0;
    qint64 bounceMessageRow = 0;
    QString recipient; ///< for the free-text index
};

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
    /// For writing every fate anew inside one transaction (FateCorrelator): clear(), then
    /// the recipients added are gathered for the free-text index. The fates' indexes stay and
    /// are kept up to date row by row: the correlator writes in time order, in which the
    /// time-ordered indexes grow at their ends, and in a thread that waits on the deciding one
    /// anyway; building them after the last row was work nothing else overlapped (1.3 s of a
    /// 10 s import of 80,000 fates).
    [[nodiscard]] Result<void> beginRewrite();
    /// Writes the free-text index of the new fates (RecipientGrams). Call before the commit.
    [[nodiscard]] Result<void> finishRewrite();
    /// A fate's row values. events, when given, tells what the cited log events say: steps
    /// that repeat it exactly are stored as references. Thread: any (touches no database).
    [[nodiscard]] static EncodedFate encode(const FateRecord& record, const LogEventLookup& events = {});
    /// Adds one fate (encode()d here). Call inside a transaction.
    [[nodiscard]] Result<qint64> add(const FateRecord& record, const LogEventLookup& events = {});
    /// Adds one encoded fate. Call inside a transaction.
    [[nodiscard]] Result<qint64> add(const EncodedFate& fate);

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
