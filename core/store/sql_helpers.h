// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QVariant>

#include "core/common/result.h"

class QSqlDatabase;
class QSqlError;
class QSqlQuery;

namespace bi::core::store {

/// Sets up the SQLite library for this program, before anything opens a database: call it
/// first thing in main(), while there is one thread. It turns off SQLite's memory statistics,
/// whose global mutex every allocation takes: the import's two connections (deciding and
/// writing fates) waited on it, a futex call per allocation. Nothing here reads them.
void configureSqliteLibrary();

/// SQLite primary result codes we tell apart (https://sqlite.org/rescode.html).
enum class SqliteCode : int {
    Ok = 0,
    Busy = 5,
    Locked = 6,
    ReadOnly = 8,
    IoErr = 10,
    Corrupt = 11,
    Full = 13,
    CantOpen = 14,
    Constraint = 19,
    NotADb = 26,
};

/// The primary SQLite result code behind a QtSql error (0 when unknown).
[[nodiscard]] int sqliteCode(const QSqlError& error);

/// Turns a QtSql error into our Error with a message people understand
/// ("locked by another program", "read-only", "not an SQLite database").
/// context names the file or the operation. Thread: any.
[[nodiscard]] Error sqlError(const QSqlError& error, const QString& context);

/// Runs one statement without parameters (DDL, PRAGMA, BEGIN). Only for SQL written in
/// core/store; never pass text built from data. Thread: the connection's thread.
[[nodiscard]] Result<void> execSql(const QSqlDatabase& db, const QString& sql, const QString& context);

/// Runs a prepared query whose values are bound. Thread: the connection's thread.
[[nodiscard]] Result<void> execPrepared(QSqlQuery& query, const QString& context);

/// A text value for binding: QtSql binds a null QString as SQL NULL, our text
/// columns are NOT NULL DEFAULT '', so null strings are bound as ''.
[[nodiscard]] QVariant textValue(const QString& value);

/// A blob value for binding; a null QByteArray is bound as an empty blob, not NULL.
[[nodiscard]] QVariant blobValue(const QByteArray& value);

} // namespace bi::core::store
