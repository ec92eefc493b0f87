// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSqlDatabase>
#include <QString>

#include "core/common/result.h"

namespace bi::core::store {

/// Owns one named QSQLITE connection for its lifetime (STYLE §8): adds it in the
/// constructor, closes it and calls QSqlDatabase::removeDatabase in the destructor.
/// Every QSqlQuery made on the connection must be destroyed before the scope is
/// (declare the scope first, queries after it), otherwise Qt warns "still in use".
/// Thread: create, use and destroy in one thread.
class ConnectionScope final {
public:
    /// A process-unique connection name: purpose + thread id + serial, e.g.
    /// "import-0x7f3a2c000b80-3". The serial lets one thread open several projects.
    [[nodiscard]] static QString makeName(const QString& purpose);

    explicit ConnectionScope(const QString& name);
    ~ConnectionScope();
    ConnectionScope(const ConnectionScope&) = delete;
    ConnectionScope& operator=(const ConnectionScope&) = delete;
    ConnectionScope(ConnectionScope&&) = delete;
    ConnectionScope& operator=(ConnectionScope&&) = delete;

    /// Opens databaseName with the given QSQLITE connect options. Errors: the driver is
    /// missing, or SQLite cannot open the file (ErrorCode::Database).
    [[nodiscard]] Result<void> open(const QString& databaseName, const QString& connectOptions);

    [[nodiscard]] const QSqlDatabase& database() const { return m_db; }
    [[nodiscard]] QString name() const { return m_name; }

private:
    QString m_name;
    QSqlDatabase m_db;
};

} // namespace bi::core::store
