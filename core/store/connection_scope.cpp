// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/connection_scope.h"

#include <atomic>

#include <QSqlError>
#include <QThread>

#include "core/store/sql_helpers.h"

using namespace Qt::StringLiterals;

namespace bi::core::store {

QString ConnectionScope::makeName(const QString& purpose)
{
    static std::atomic<quint64> serial{0};
    const auto thread = reinterpret_cast<quintptr>(QThread::currentThreadId());
    return (purpose.isEmpty() ? u"store"_s : purpose) + u"-0x"_s + QString::number(thread, 16) + u'-'
        + QString::number(++serial);
}

ConnectionScope::ConnectionScope(const QString& name)
    : m_name(name)
    , m_db(QSqlDatabase::addDatabase(u"QSQLITE"_s, name))
{
}

ConnectionScope::~ConnectionScope()
{
    if (m_db.isOpen())
        m_db.close();
    // removeDatabase warns and leaves dangling queries while any QSqlDatabase copy is
    // alive, so drop ours first.
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_name);
}

Result<void> ConnectionScope::open(const QString& databaseName, const QString& connectOptions)
{
    if (!m_db.isValid())
        return makeError(ErrorCode::Database, u"the Qt SQLite driver (QSQLITE) is not available"_s, databaseName);
    m_db.setDatabaseName(databaseName);
    m_db.setConnectOptions(connectOptions);
    if (!m_db.open())
        return sqlError(m_db.lastError(), databaseName);
    return {};
}

} // namespace bi::core::store
