// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What a project file holds, keyed so rows can be compared across runs and processes; for the
// crash and fault tests, which read projects the CLI wrote. Opens its own QSQLITE connection.
#include <QFileInfo>
#include <QMap>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QStringList>

namespace bi::test {

using namespace Qt::StringLiterals;

// What a project holds, keyed so that rows can be compared across runs.
struct Snapshot {
    QString integrity;
    QMap<qint64, QString> messages;     // messages.id -> source path, offset, sha256
    QMap<QString, qint64> recipients;   // message key -> bounce_recipients rows
    QMap<QString, qint64> logEvents;    // source path|host|queue id -> events stored
    QMap<QString, qint64> logProgress;  // log source path -> imported_bytes
    qint64 fates = 0;

    [[nodiscard]] bool sameRows(const Snapshot& o) const
    {
        return messages == o.messages && recipients == o.recipients && logEvents == o.logEvents
            && logProgress == o.logProgress && fates == o.fates;
    }
};

inline Snapshot snapshot(const QString& dbPath)
{
    Snapshot s;
    // A kill before the project file was made: nothing to check (and opening it here would
    // create it, with other permissions than the program's).
    if (!QFileInfo::exists(dbPath)) {
        s.integrity = u"ok"_s;
        return s;
    }
    const QString name = u"snapshot-%1"_s.arg(quintptr(&s));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(dbPath);
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
        if (!db.open()) {
            s.integrity = db.lastError().text();
        } else {
            QSqlQuery q(db);
            if (q.exec(u"PRAGMA integrity_check"_s)) {
                QStringList lines;
                while (q.next())
                    lines << q.value(0).toString();
                s.integrity = lines.join(u'\n');
            } else {
                s.integrity = q.lastError().text();
            }
            // A kill before the schema was created leaves an empty database: nothing to compare.
            if (q.exec(u"SELECT count(*) FROM sqlite_master WHERE name = 'messages'"_s) && q.next()
                && q.value(0).toInt() == 1) {
                q.exec(u"SELECT m.id, s.path, m.byte_offset, m.sha256, "
                       u"(SELECT count(*) FROM bounce_recipients r WHERE r.message_id = m.id) "
                       u"FROM messages m JOIN sources s ON s.id = m.source_id"_s);
                while (q.next()) {
                    const QString key = u"%1@%2:%3"_s.arg(q.value(1).toString()).arg(q.value(2).toLongLong())
                                            .arg(q.value(3).toString());
                    s.messages.insert(q.value(0).toLongLong(), key);
                    s.recipients.insert(key, q.value(4).toLongLong());
                }
                q.exec(u"SELECT s.path, c.host, c.queue_id, sum(c.events) FROM log_chunks c "
                       u"JOIN sources s ON s.id = c.source_id GROUP BY s.path, c.host, c.queue_id"_s);
                while (q.next())
                    s.logEvents.insert(u"%1|%2|%3"_s.arg(q.value(0).toString(), q.value(1).toString(),
                                                         q.value(2).toString()),
                                       q.value(3).toLongLong());
                q.exec(u"SELECT s.path, l.imported_bytes FROM log_sources l JOIN sources s ON s.id = l.source_id"_s);
                while (q.next())
                    s.logProgress.insert(q.value(0).toString(), q.value(1).toLongLong());
                q.exec(u"SELECT count(*) FROM fates"_s);
                if (q.next())
                    s.fates = q.value(0).toLongLong();
            }
        }
    }
    QSqlDatabase::removeDatabase(name);
    return s;
}

} // namespace bi::test
