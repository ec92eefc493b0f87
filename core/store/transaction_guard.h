// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSqlDatabase>

#include "core/common/result.h"

namespace bi::core::store {

/// RAII transaction (STYLE §8): BEGIN in the constructor, ROLLBACK in the destructor
/// unless commit() succeeded. Holds a copy of the connection handle, so it must not
/// outlive the ConnectionScope that owns the connection.
/// Thread: the connection's thread. Errors: a failed BEGIN (e.g. the database is
/// locked beyond the busy timeout) is kept; begun() and commit() report it.
class TransactionGuard final {
public:
    enum class Mode {
        Deferred,  ///< BEGIN: locks on first read/write
        Immediate, ///< BEGIN IMMEDIATE: takes the write lock now (default; no lock upgrade later)
        Exclusive, ///< BEGIN EXCLUSIVE
    };

    explicit TransactionGuard(const QSqlDatabase& db, Mode mode = Mode::Immediate);
    ~TransactionGuard();
    TransactionGuard(const TransactionGuard&) = delete;
    TransactionGuard& operator=(const TransactionGuard&) = delete;
    TransactionGuard(TransactionGuard&&) = delete;
    TransactionGuard& operator=(TransactionGuard&&) = delete;

    /// Whether BEGIN succeeded, with its error when not.
    [[nodiscard]] Result<void> begun() const { return m_begin; }
    /// True between a successful BEGIN and commit()/rollback().
    [[nodiscard]] bool isActive() const { return m_active; }

    /// COMMIT. On failure the transaction is rolled back (now or by the destructor).
    [[nodiscard]] Result<void> commit();
    /// ROLLBACK now (no-op when not active). Failures are logged, not returned: there is
    /// nothing a caller can do, and SQLite rolls back on close anyway.
    void rollback();

private:
    QSqlDatabase m_db;
    Result<void> m_begin;
    bool m_active = false;
};

} // namespace bi::core::store
