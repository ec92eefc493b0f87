// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/transaction_guard.h"

#include <QLoggingCategory>
#include <QSqlQuery>

#include "core/store/sql_helpers.h"

using namespace Qt::StringLiterals;

namespace bi::core::store {

namespace {
Q_LOGGING_CATEGORY(lcTransaction, "bi.store.transaction")

QString beginStatement(TransactionGuard::Mode mode)
{
    switch (mode) {
    case TransactionGuard::Mode::Deferred: return u"BEGIN"_s;
    case TransactionGuard::Mode::Immediate: return u"BEGIN IMMEDIATE"_s;
    case TransactionGuard::Mode::Exclusive: return u"BEGIN EXCLUSIVE"_s;
    }
    return u"BEGIN IMMEDIATE"_s;
}
} // namespace

TransactionGuard::TransactionGuard(const QSqlDatabase& db, Mode mode)
    : m_db(db)
{
    m_begin = execSql(m_db, beginStatement(mode), u"begin transaction"_s);
    m_active = m_begin.hasValue();
}

TransactionGuard::~TransactionGuard()
{
    rollback();
}

Result<void> TransactionGuard::commit()
{
    if (!m_begin)
        return m_begin.error();
    if (!m_active)
        return makeError(ErrorCode::InvalidArgument, u"no transaction is active"_s, u"commit"_s);
    auto done = execSql(m_db, u"COMMIT"_s, u"commit transaction"_s);
    if (!done) {
        // SQLite keeps the transaction open after a failed COMMIT (e.g. SQLITE_BUSY);
        // roll it back so the connection is usable and nothing half-done survives.
        rollback();
        return done;
    }
    m_active = false;
    return {};
}

void TransactionGuard::rollback()
{
    if (!m_active)
        return;
    m_active = false;
    if (auto done = execSql(m_db, u"ROLLBACK"_s, u"rollback transaction"_s); !done) {
        // SQLite may already have rolled back by itself (SQLITE_FULL, SQLITE_IOERR, ...).
        qCDebug(lcTransaction) << done.error().toString();
    }
}

} // namespace bi::core::store
