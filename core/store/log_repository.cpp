// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/log_repository.h"

#include <QSqlError>
#include <QTimeZone>
#include <QSqlQuery>
#include <QVariant>

#include "core/store/project_store.h"
#include "core/store/sql_helpers.h"

using namespace Qt::StringLiterals;

namespace bi::core::store {

namespace {

const QString kColumns = u"e.id, e.source_id, e.line_no, e.byte_offset, e.time_utc, e.utc_offset, e.format, e.type, "
                         u"e.outcome, e.notification, e.host, e.program, e.queue_id, e.sender, e.has_sender, "
                         u"e.recipient, e.orig_recipient, e.message_id, e.reference_message_id, e.size, e.nrcpt, "
                         u"e.client, e.relay, e.dsn, e.smtp_code, e.reply_text, e.delay, e.skipped, e.truncated, "
                         u"e.next_queue_id, e.new_queue_id, e.parent_queue_id, e.delivery_id, e.job_id, "
                         u"e.envelope_id, e.category, e.raw"_s;

StoredLogEvent readEvent(const QSqlQuery& q)
{
    StoredLogEvent s;
    s.row = q.value(0).toLongLong();
    s.sourceId = q.value(1).toLongLong();
    logs::LogEvent& e = s.event;
    e.lineNumber = q.value(2).toLongLong();
    e.byteOffset = q.value(3).toLongLong();
    if (!q.value(4).isNull())
        e.time = QDateTime::fromMSecsSinceEpoch(q.value(4).toLongLong(), Qt::UTC);
    e.utcOffsetSeconds = q.value(5).toInt();
    e.format = static_cast<logs::LogFormat>(q.value(6).toInt());
    e.type = static_cast<logs::LogEventType>(q.value(7).toInt());
    e.outcome = static_cast<logs::DeliveryOutcome>(q.value(8).toInt());
    e.notification = static_cast<logs::NotificationKind>(q.value(9).toInt());
    e.host = q.value(10).toString();
    e.program = q.value(11).toString();
    e.queueId = q.value(12).toString();
    e.sender = q.value(13).toString();
    e.hasSender = q.value(14).toBool();
    e.recipient = q.value(15).toString();
    e.originalRecipient = q.value(16).toString();
    e.messageId = q.value(17).toString();
    e.referenceMessageId = q.value(18).toString();
    e.size = q.value(19).isNull() ? -1 : q.value(19).toLongLong();
    e.recipientCount = q.value(20).isNull() ? -1 : q.value(20).toInt();
    e.client = q.value(21).toString();
    e.relay = q.value(22).toString();
    e.dsn = q.value(23).toString();
    e.smtpCode = q.value(24).toInt();
    e.replyText = q.value(25).toString();
    e.delaySeconds = q.value(26).isNull() ? -1 : q.value(26).toDouble();
    e.skipped = q.value(27).toBool();
    e.truncated = q.value(28).toBool();
    e.nextQueueId = q.value(29).toString();
    e.newQueueId = q.value(30).toString();
    e.parentQueueId = q.value(31).toString();
    e.deliveryId = q.value(32).toString();
    e.jobId = q.value(33).toString();
    e.envelopeId = q.value(34).toString();
    e.category = q.value(35).toString();
    e.rawLine = q.value(36).toByteArray();
    return s;
}

const QString kStateColumns =
    u"source_id, head_sha256, imported_bytes, imported_lines, events, format, time_zone"_s;

LogSourceState readState(const QSqlQuery& q)
{
    LogSourceState s;
    s.sourceId = q.value(0).toLongLong();
    s.headSha256 = q.value(1).toString().toLatin1();
    s.importedBytes = q.value(2).toLongLong();
    s.importedLines = q.value(3).toLongLong();
    s.events = q.value(4).toLongLong();
    s.format = q.value(5).toString();
    s.timeZone = q.value(6).toString();
    return s;
}

QVariant optionalInt(qint64 v)
{
    return v < 0 ? QVariant(QMetaType::fromType<qint64>()) : QVariant(v);
}

} // namespace

struct LogRepository::Impl {
    explicit Impl(const QString& connection) : db(QSqlDatabase::database(connection, false)), insert(db) {}
    QSqlDatabase db;
    QSqlQuery insert;
    bool insertPrepared = false;
};

LogRepository::LogRepository(const ProjectStore& store) : m_d(std::make_unique<Impl>(store.connectionName())) {}

LogRepository::~LogRepository() = default;

Result<std::optional<LogSourceState>> LogRepository::findByHead(const QByteArray& headSha256) const
{
    QSqlQuery q(m_d->db);
    q.prepare(u"SELECT "_s + kStateColumns + u" FROM log_sources WHERE head_sha256 = ? ORDER BY source_id LIMIT 1"_s);
    q.addBindValue(QString::fromLatin1(headSha256));
    if (auto ok = execPrepared(q, u"log_sources"_s); !ok)
        return ok.error();
    if (!q.next())
        return std::optional<LogSourceState>();
    return std::optional<LogSourceState>(readState(q));
}

Result<std::optional<LogSourceState>> LogRepository::state(qint64 sourceId) const
{
    QSqlQuery q(m_d->db);
    q.prepare(u"SELECT "_s + kStateColumns + u" FROM log_sources WHERE source_id = ?"_s);
    q.addBindValue(sourceId);
    if (auto ok = execPrepared(q, u"log_sources"_s); !ok)
        return ok.error();
    if (!q.next())
        return std::optional<LogSourceState>();
    return std::optional<LogSourceState>(readState(q));
}

Result<void> LogRepository::saveState(const LogSourceState& s)
{
    QSqlQuery q(m_d->db);
    q.prepare(u"INSERT INTO log_sources (source_id, head_sha256, imported_bytes, imported_lines, events, format, "
              u"time_zone) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source_id) DO UPDATE SET "
              u"head_sha256 = excluded.head_sha256, imported_bytes = excluded.imported_bytes, "
              u"imported_lines = excluded.imported_lines, events = excluded.events, format = excluded.format, "
              u"time_zone = excluded.time_zone"_s);
    q.addBindValue(s.sourceId);
    q.addBindValue(QString::fromLatin1(s.headSha256));
    q.addBindValue(s.importedBytes);
    q.addBindValue(s.importedLines);
    q.addBindValue(s.events);
    q.addBindValue(textValue(s.format));
    q.addBindValue(textValue(s.timeZone));
    return execPrepared(q, u"log_sources"_s);
}

Result<qint64> LogRepository::add(qint64 sourceId, const logs::LogEvent& e)
{
    QSqlQuery& q = m_d->insert;
    if (!m_d->insertPrepared) {
        if (!q.prepare(u"INSERT INTO log_events (source_id, line_no, byte_offset, time_utc, utc_offset, format, type, "
                       u"outcome, notification, host, program, queue_id, sender, has_sender, recipient, "
                       u"orig_recipient, message_id, reference_message_id, size, nrcpt, client, relay, dsn, "
                       u"smtp_code, reply_text, delay, skipped, truncated, next_queue_id, new_queue_id, "
                       u"parent_queue_id, delivery_id, job_id, envelope_id, category, raw) VALUES (?, ?, ?, ?, ?, "
                       u"?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s))
            return sqlError(q.lastError(), u"log_events"_s);
        m_d->insertPrepared = true;
    }
    int i = 0;
    q.bindValue(i++, sourceId);
    q.bindValue(i++, e.lineNumber);
    q.bindValue(i++, e.byteOffset);
    q.bindValue(i++, e.time.isValid() ? QVariant(e.time.toMSecsSinceEpoch()) : QVariant(QMetaType::fromType<qint64>()));
    q.bindValue(i++, e.utcOffsetSeconds);
    q.bindValue(i++, int(e.format));
    q.bindValue(i++, int(e.type));
    q.bindValue(i++, int(e.outcome));
    q.bindValue(i++, int(e.notification));
    q.bindValue(i++, textValue(e.host));
    q.bindValue(i++, textValue(e.program));
    q.bindValue(i++, textValue(e.queueId));
    q.bindValue(i++, textValue(e.sender));
    q.bindValue(i++, e.hasSender ? 1 : 0);
    q.bindValue(i++, textValue(e.recipient.toLower()));
    q.bindValue(i++, textValue(e.originalRecipient.toLower()));
    q.bindValue(i++, textValue(e.messageId));
    q.bindValue(i++, textValue(e.referenceMessageId));
    q.bindValue(i++, optionalInt(e.size));
    q.bindValue(i++, optionalInt(e.recipientCount));
    q.bindValue(i++, textValue(e.client));
    q.bindValue(i++, textValue(e.relay));
    q.bindValue(i++, textValue(e.dsn));
    q.bindValue(i++, e.smtpCode);
    q.bindValue(i++, textValue(e.replyText));
    q.bindValue(i++, e.delaySeconds < 0 ? QVariant(QMetaType::fromType<double>()) : QVariant(e.delaySeconds));
    q.bindValue(i++, e.skipped ? 1 : 0);
    q.bindValue(i++, e.truncated ? 1 : 0);
    q.bindValue(i++, textValue(e.nextQueueId));
    q.bindValue(i++, textValue(e.newQueueId));
    q.bindValue(i++, textValue(e.parentQueueId));
    q.bindValue(i++, textValue(e.deliveryId));
    q.bindValue(i++, textValue(e.jobId));
    q.bindValue(i++, textValue(e.envelopeId));
    q.bindValue(i++, textValue(e.category));
    q.bindValue(i++, blobValue(e.rawLine));
    if (auto ok = execPrepared(q, u"log_events"_s); !ok)
        return ok.error();
    return q.lastInsertId().toLongLong();
}

Result<void> LogRepository::forEachByQueue(const std::function<bool(const StoredLogEvent&)>& callback) const
{
    QSqlQuery q(m_d->db);
    q.setForwardOnly(true);
    q.prepare(u"SELECT "_s + kColumns
              + u" FROM log_events e WHERE e.queue_id <> '' ORDER BY e.host, e.queue_id, e.time_utc, e.id"_s);
    if (auto ok = execPrepared(q, u"log_events"_s); !ok)
        return ok;
    while (q.next()) {
        if (!callback(readEvent(q)))
            break;
    }
    return {};
}

Result<QList<StoredLogEvent>> LogRepository::eventsOf(const QString& host, const QString& queueId) const
{
    QSqlQuery q(m_d->db);
    q.setForwardOnly(true);
    q.prepare(u"SELECT "_s + kColumns + u" FROM log_events e WHERE e.host = ? AND e.queue_id = ? ORDER BY e.time_utc, e.id"_s);
    q.addBindValue(textValue(host));
    q.addBindValue(textValue(queueId));
    if (auto ok = execPrepared(q, u"log_events"_s); !ok)
        return ok.error();
    QList<StoredLogEvent> out;
    while (q.next())
        out << readEvent(q);
    return out;
}

Result<QList<StoredLogEvent>> LogRepository::events(const QList<qint64>& rows) const
{
    QList<StoredLogEvent> out;
    QSqlQuery q(m_d->db);
    q.prepare(u"SELECT "_s + kColumns + u" FROM log_events e WHERE e.id = ?"_s);
    for (qint64 row : rows) {
        q.bindValue(0, row);
        if (auto ok = execPrepared(q, u"log_events"_s); !ok)
            return ok.error();
        if (q.next())
            out << readEvent(q);
    }
    return out;
}

Result<qint64> LogRepository::count() const
{
    QSqlQuery q(m_d->db);
    if (!q.exec(u"SELECT count(*) FROM log_events"_s) || !q.next())
        return sqlError(q.lastError(), u"log_events"_s);
    return q.value(0).toLongLong();
}

Result<QStringList> LogRepository::hosts() const
{
    QSqlQuery q(m_d->db);
    if (!q.exec(u"SELECT DISTINCT host FROM log_events WHERE host <> '' ORDER BY host"_s))
        return sqlError(q.lastError(), u"log_events"_s);
    QStringList out;
    while (q.next())
        out << q.value(0).toString();
    return out;
}

Result<QStringList> LogRepository::senderDomains() const
{
    QSqlQuery q(m_d->db);
    if (!q.exec(u"SELECT DISTINCT lower(substr(sender, instr(sender, '@') + 1)) FROM log_events "
                u"WHERE has_sender = 1 AND instr(sender, '@') > 0"_s))
        return sqlError(q.lastError(), u"log_events"_s);
    QStringList out;
    while (q.next())
        out << q.value(0).toString();
    return out;
}

} // namespace bi::core::store
