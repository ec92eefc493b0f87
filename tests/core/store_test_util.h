// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Helpers shared by tst_project_store and tst_schema: a second, independent SQLite
// connection to look at (or lock) a project file behind the store's back.

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace bi::test {

/// A raw QSQLITE connection owned by a test; removed in the destructor.
class RawDb final {
public:
    explicit RawDb(const QString& path, int busyTimeoutMs = 0)
        : m_name(QStringLiteral("test-raw-%1").arg(++serial()))
    {
        auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(busyTimeoutMs));
        m_open = db.open();
    }
    ~RawDb()
    {
        {
            auto db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
    RawDb(const RawDb&) = delete;
    RawDb& operator=(const RawDb&) = delete;

    [[nodiscard]] bool isOpen() const { return m_open; }
    [[nodiscard]] QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }

    /// Runs one statement; returns false (and keeps the error) when SQLite refuses.
    bool exec(const QString& sql)
    {
        QSqlQuery q(db());
        const bool ok = q.exec(sql);
        m_lastError = ok ? QString() : q.lastError().text();
        return ok;
    }
    /// First column of the first row, or an invalid QVariant.
    QVariant scalar(const QString& sql)
    {
        QSqlQuery q(db());
        if (!q.exec(sql) || !q.next()) {
            m_lastError = q.lastError().text();
            return {};
        }
        return q.value(0);
    }
    /// Every row's first column.
    QStringList column(const QString& sql)
    {
        QStringList values;
        QSqlQuery q(db());
        if (q.exec(sql)) {
            while (q.next())
                values.append(q.value(0).toString());
        }
        return values;
    }
    [[nodiscard]] QString lastError() const { return m_lastError; }

private:
    static int& serial()
    {
        static int n = 0;
        return n;
    }
    QString m_name;
    QString m_lastError;
    bool m_open = false;
};

} // namespace bi::test
