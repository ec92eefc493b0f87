// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/sql_helpers.h"

#include <sqlite3.h>

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace bi::core::store {

void configureSqliteLibrary()
{
    // SQLITE_MISUSE when the library is already initialised: then it keeps its defaults,
    // which only costs speed.
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int sqliteCode(const QSqlError& error)
{
    bool ok = false;
    const int code = error.nativeErrorCode().toInt(&ok);
    // Extended result codes carry the primary code in the low byte.
    return ok ? (code & 0xff) : 0;
}

Error sqlError(const QSqlError& error, const QString& context)
{
    const QString detail = error.text().trimmed();
    QString message;
    switch (static_cast<SqliteCode>(sqliteCode(error))) {
    case SqliteCode::Busy:
    case SqliteCode::Locked:
        message = u"the project is locked by another program or connection; try again when it has finished"_s;
        break;
    case SqliteCode::ReadOnly:
        message = u"the project file is read-only (file permissions, read-only medium or folder)"_s;
        break;
    case SqliteCode::NotADb:
        message = u"not a Bounce Inspector project: the file is not an SQLite database"_s;
        break;
    case SqliteCode::Corrupt:
        message = u"the project file is damaged (SQLite reports corruption)"_s;
        break;
    case SqliteCode::Full:
        message = u"the disk is full"_s;
        break;
    case SqliteCode::CantOpen:
        message = u"the project file or its journal (-wal, -shm) cannot be opened or created"_s;
        break;
    case SqliteCode::IoErr:
        // SQLITE_IOERR_WRITE (10 | 3 << 8): a write the system refused outright, in practice a
        // file that cannot grow (EFBIG at a file size limit, EDQUOT); ENOSPC mid-write is Full.
        if (error.nativeErrorCode().toInt() == (10 | (3 << 8)))
            message = u"cannot write the project file: the disk, a quota or a file size limit is full"_s;
        else
            message = u"input/output error on the project file"_s;
        break;
    default:
        return makeError(ErrorCode::Database, detail.isEmpty() ? u"database error"_s : detail, context);
    }
    if (!detail.isEmpty())
        message += u" (SQLite: "_s + detail + u')';
    return makeError(ErrorCode::Database, message, context);
}

Result<void> execSql(const QSqlDatabase& db, const QString& sql, const QString& context)
{
    QSqlQuery query(db);
    if (!query.exec(sql))
        return sqlError(query.lastError(), context);
    query.finish();
    return {};
}

Result<void> execPrepared(QSqlQuery& query, const QString& context)
{
    if (!query.exec())
        return sqlError(query.lastError(), context);
    return {};
}

QVariant textValue(const QString& value)
{
    return value.isNull() ? QVariant(QString(u""_s)) : QVariant(value);
}

QVariant blobValue(const QByteArray& value)
{
    return value.isNull() ? QVariant(QByteArray("", 0)) : QVariant(value);
}

} // namespace bi::core::store
