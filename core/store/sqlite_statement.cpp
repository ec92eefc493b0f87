// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/sqlite_statement.h"

#include <sqlite3.h>

#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QVariant>

#include "core/store/sql_helpers.h"

using namespace Qt::StringLiterals;

namespace bi::core::store {

namespace {

// A zero-length bind with a null pointer would bind NULL; our columns are NOT NULL.
const char kEmpty[] = "";

} // namespace

sqlite3* sqliteHandle(const QSqlDatabase& db)
{
    if (!db.isOpen() || !db.driver())
        return nullptr;
    // QSQLITE hands out its sqlite3* as a QVariant of that very type name.
    const QVariant handle = db.driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3* const*>(handle.constData());
}

Error sqliteError(sqlite3* db, int rc, const QString& context)
{
    const QString detail = db ? QString::fromUtf8(sqlite3_errmsg(db)) : QString::fromUtf8(sqlite3_errstr(rc));
    // Same wording as the QtSql paths: sqlError() reads the code from nativeErrorCode().
    return sqlError(QSqlError(QString(), detail, QSqlError::StatementError, QString::number(rc)), context);
}

SqliteStatement::~SqliteStatement()
{
    if (m_stmt)
        sqlite3_finalize(m_stmt);
}

Result<void> SqliteStatement::prepare(sqlite3* db, const char* sql, const QString& context)
{
    if (m_stmt) {
        sqlite3_finalize(m_stmt);
        m_stmt = nullptr;
    }
    m_db = db;
    m_context = context;
    if (!db)
        return makeError(ErrorCode::Database, u"the project's SQLite connection is not available"_s, context);
    const int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr);
    if (rc != SQLITE_OK) {
        m_stmt = nullptr;
        return sqliteError(db, rc, context);
    }
    return {};
}

void SqliteStatement::bindInt(int index, qint64 value)
{
    sqlite3_bind_int64(m_stmt, index, value);
}

void SqliteStatement::bindDouble(int index, double value)
{
    sqlite3_bind_double(m_stmt, index, value);
}

void SqliteStatement::bindNull(int index)
{
    sqlite3_bind_null(m_stmt, index);
}

void SqliteStatement::bindText(int index, QByteArrayView utf8)
{
    sqlite3_bind_text(m_stmt, index, utf8.isEmpty() ? kEmpty : utf8.data(), int(utf8.size()), SQLITE_STATIC);
}

void SqliteStatement::bindBlob(int index, QByteArrayView bytes)
{
    sqlite3_bind_blob(m_stmt, index, bytes.isEmpty() ? kEmpty : bytes.data(), int(bytes.size()), SQLITE_STATIC);
}

Result<bool> SqliteStatement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    Error error = sqliteError(m_db, rc, m_context);
    sqlite3_reset(m_stmt);
    return error;
}

Result<void> SqliteStatement::forEachRow(const std::function<Result<bool>()>& onRow)
{
    for (;;) {
        auto row = step();
        if (!row)
            return row.error(); // step() has reset the statement
        if (!*row)
            break;
        auto more = onRow();
        if (!more || !*more) {
            sqlite3_reset(m_stmt);
            return more ? Result<void>() : Result<void>(more.error());
        }
    }
    sqlite3_reset(m_stmt);
    return {};
}

Result<void> SqliteStatement::exec()
{
    auto stepped = step();
    sqlite3_reset(m_stmt);
    if (!stepped)
        return stepped.error();
    return {};
}

void SqliteStatement::reset()
{
    sqlite3_reset(m_stmt);
}

bool SqliteStatement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

qint64 SqliteStatement::columnInt(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

double SqliteStatement::columnDouble(int column) const
{
    return sqlite3_column_double(m_stmt, column);
}

QByteArrayView SqliteStatement::columnBytes(int column) const
{
    const void* data = sqlite3_column_blob(m_stmt, column);
    const int size = sqlite3_column_bytes(m_stmt, column);
    return data ? QByteArrayView(static_cast<const char*>(data), size) : QByteArrayView();
}

QString SqliteStatement::columnText(int column) const
{
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    const int size = sqlite3_column_bytes(m_stmt, column);
    return data ? QString::fromUtf8(data, size) : QString();
}

} // namespace bi::core::store
