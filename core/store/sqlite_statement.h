// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include "core/common/result.h"

class QSqlDatabase;
struct sqlite3;
struct sqlite3_stmt;

namespace bi::core::store {

/// The sqlite3 connection behind an open QSQLITE connection, for the few bulk paths (log
/// import, fate writes) where QtSql's per-value QVariant binding costs more than the work
/// itself. Only valid where Qt's driver uses the same SQLite library we link, i.e. the system
/// SQLite (Debian; STYLE §7) — not with a Qt build that bundles its own copy.
/// Thread: the connection's thread. nullptr when the connection is not an open SQLite one.
[[nodiscard]] sqlite3* sqliteHandle(const QSqlDatabase& db);

/// The connection's last error as our Error, worded like sqlError() (locked, read-only,
/// disk full, ...). rc: the failed call's result code.
[[nodiscard]] Error sqliteError(sqlite3* db, int rc, const QString& context);

/// One prepared statement of the C API (RAII: finalized in the destructor). Text and blobs
/// are bound without copying: the bytes must stay unchanged until the next step()/reset().
/// Thread: the connection's thread. Errors: prepare() and step() return SQLite's error.
class SqliteStatement final {
public:
    SqliteStatement() = default;
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    /// Prepares sql (UTF-8, written in core/store; never built from data) on db.
    [[nodiscard]] Result<void> prepare(sqlite3* db, const char* sql, const QString& context);
    [[nodiscard]] bool isPrepared() const { return m_stmt != nullptr; }

    // Parameters are 1-based, as in SQLite.
    void bindInt(int index, qint64 value);
    void bindDouble(int index, double value);
    void bindNull(int index);
    /// Binds UTF-8 text (an empty view binds '', never NULL: text columns are NOT NULL).
    void bindText(int index, QByteArrayView utf8);
    /// Binds a blob (an empty view binds an empty blob, never NULL).
    void bindBlob(int index, QByteArrayView bytes);

    /// Runs one step: true when a row is ready, false when the statement is done.
    [[nodiscard]] Result<bool> step();
    /// Steps through the rows, calling onRow with each one current (read its columns there):
    /// true goes on, false stops, an error stops and is returned. Resets the statement after.
    [[nodiscard]] Result<void> forEachRow(const std::function<Result<bool>()>& onRow);
    /// Runs a statement that returns no rows, then resets it for the next use.
    [[nodiscard]] Result<void> exec();
    /// Makes the statement reusable (keeps the bindings until rebound).
    void reset();

    // Columns of the current row are 0-based, as in SQLite.
    [[nodiscard]] bool isNull(int column) const;
    [[nodiscard]] qint64 columnInt(int column) const;
    [[nodiscard]] double columnDouble(int column) const;
    /// Bytes of a text or blob column; valid until the next step(), reset() or column call
    /// that converts this column.
    [[nodiscard]] QByteArrayView columnBytes(int column) const;
    [[nodiscard]] QString columnText(int column) const;

private:
    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_stmt = nullptr;
    QString m_context;
};

} // namespace bi::core::store
