// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/fate_repository.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QTimeZone>
#include <QSqlQuery>
#include <QVariant>

#include "core/store/project_store.h"
#include "core/store/sql_helpers.h"

using namespace Qt::StringLiterals;

namespace bi::core::store {

namespace {

const QString kColumns = u"message_id, queue_id, host, sender, recipient, fate, reason, status, reply_code, "
                         u"diagnostic, queued_at, first_attempt_at, final_at, bounce_at, attempts, deferrals, "
                         u"decided_by, evidence, confidence, bounce_message_id, steps"_s;

QVariant timeValue(const QDateTime& t)
{
    return t.isValid() ? QVariant(t.toMSecsSinceEpoch()) : QVariant(QMetaType::fromType<qint64>());
}

QDateTime timeFrom(const QVariant& v)
{
    return v.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(v.toLongLong(), Qt::UTC);
}

QString stepsJson(const QList<TimelineStep>& steps)
{
    QJsonArray a;
    for (const TimelineStep& s : steps) {
        QJsonObject o{{u"kind"_s, TimelineStep::kindName(s.kind)}};
        if (s.time.isValid())
            o[u"t"_s] = s.time.toMSecsSinceEpoch();
        if (!s.status.isEmpty())
            o[u"status"_s] = s.status;
        if (!s.replyCode.isEmpty())
            o[u"reply"_s] = s.replyCode;
        if (!s.text.isEmpty())
            o[u"text"_s] = s.text;
        if (!s.relay.isEmpty())
            o[u"relay"_s] = s.relay;
        if (s.logEventRow)
            o[u"log"_s] = s.logEventRow;
        if (s.messageRow)
            o[u"msg"_s] = s.messageRow;
        a.append(o);
    }
    return QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact));
}

QList<TimelineStep> stepsFrom(const QString& json)
{
    QList<TimelineStep> out;
    const QJsonArray a = QJsonDocument::fromJson(json.toUtf8()).array();
    for (const QJsonValue& v : a) {
        const QJsonObject o = v.toObject();
        TimelineStep s;
        s.kind = TimelineStep::kindFromName(o[u"kind"_s].toString());
        if (o.contains(u"t"_s))
            s.time = QDateTime::fromMSecsSinceEpoch(qint64(o[u"t"_s].toDouble()), Qt::UTC);
        s.status = o[u"status"_s].toString();
        s.replyCode = o[u"reply"_s].toString();
        s.text = o[u"text"_s].toString();
        s.relay = o[u"relay"_s].toString();
        s.logEventRow = qint64(o[u"log"_s].toDouble());
        s.messageRow = qint64(o[u"msg"_s].toDouble());
        out << s;
    }
    return out;
}

FateRecord readFate(const QSqlQuery& q)
{
    FateRecord f;
    int i = 0;
    f.messageId = q.value(i++).toString();
    f.queueId = q.value(i++).toString();
    f.host = q.value(i++).toString();
    f.sender = q.value(i++).toString();
    f.recipient = q.value(i++).toString();
    f.fate = fateFromName(q.value(i++).toString());
    f.reason = q.value(i++).toString();
    f.status = q.value(i++).toString();
    f.replyCode = q.value(i++).toString();
    f.diagnostic = q.value(i++).toString();
    f.queuedAt = timeFrom(q.value(i++));
    f.firstAttemptAt = timeFrom(q.value(i++));
    f.finalAt = timeFrom(q.value(i++));
    f.bounceAt = timeFrom(q.value(i++));
    f.attempts = q.value(i++).toInt();
    f.deferrals = q.value(i++).toInt();
    f.decidedBy = q.value(i++).toString();
    for (const QJsonValue& v : QJsonDocument::fromJson(q.value(i++).toString().toUtf8()).array())
        f.evidence << v.toString();
    f.matchConfidence = q.value(i++).toDouble();
    f.bounceMessageRow = q.value(i++).toLongLong();
    f.steps = stepsFrom(q.value(i++).toString());
    return f;
}

} // namespace

struct FateRepository::Impl {
    explicit Impl(const QString& connection) : db(QSqlDatabase::database(connection, false)), insert(db) {}
    QSqlDatabase db;
    QSqlQuery insert;
    bool prepared = false;
};

FateRepository::FateRepository(const ProjectStore& store) : m_d(std::make_unique<Impl>(store.connectionName())) {}

FateRepository::~FateRepository() = default;

Result<void> FateRepository::clear()
{
    QSqlQuery q(m_d->db);
    if (!q.exec(u"DELETE FROM fates"_s))
        return sqlError(q.lastError(), u"fates"_s);
    return {};
}

Result<qint64> FateRepository::add(const FateRecord& f)
{
    QSqlQuery& q = m_d->insert;
    if (!m_d->prepared) {
        if (!q.prepare(u"INSERT INTO fates ("_s + kColumns
                       + u", domain) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s))
            return sqlError(q.lastError(), u"fates"_s);
        m_d->prepared = true;
    }
    QJsonArray evidence;
    for (const QString& e : f.evidence)
        evidence.append(e);
    int i = 0;
    q.bindValue(i++, textValue(f.messageId));
    q.bindValue(i++, textValue(f.queueId));
    q.bindValue(i++, textValue(f.host));
    q.bindValue(i++, textValue(f.sender));
    q.bindValue(i++, textValue(f.recipient));
    q.bindValue(i++, fateName(f.fate));
    q.bindValue(i++, textValue(f.reason));
    q.bindValue(i++, textValue(f.status));
    q.bindValue(i++, textValue(f.replyCode));
    q.bindValue(i++, textValue(f.diagnostic));
    q.bindValue(i++, timeValue(f.queuedAt));
    q.bindValue(i++, timeValue(f.firstAttemptAt));
    q.bindValue(i++, timeValue(f.finalAt));
    q.bindValue(i++, timeValue(f.bounceAt));
    q.bindValue(i++, f.attempts);
    q.bindValue(i++, f.deferrals);
    q.bindValue(i++, textValue(f.decidedBy));
    q.bindValue(i++, QString::fromUtf8(QJsonDocument(evidence).toJson(QJsonDocument::Compact)));
    q.bindValue(i++, f.matchConfidence);
    q.bindValue(i++, f.bounceMessageRow > 0 ? QVariant(f.bounceMessageRow) : QVariant(QMetaType::fromType<qint64>()));
    q.bindValue(i++, stepsJson(f.steps));
    q.bindValue(i++, f.recipient.section(u'@', -1).toLower());
    if (auto ok = execPrepared(q, u"fates"_s); !ok)
        return ok.error();
    return q.lastInsertId().toLongLong();
}

Result<void> FateRepository::forEach(const std::function<bool(const FateRecord&)>& callback) const
{
    QSqlQuery q(m_d->db);
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT "_s + kColumns + u" FROM fates ORDER BY coalesce(queued_at, final_at), recipient, id"_s))
        return sqlError(q.lastError(), u"fates"_s);
    while (q.next()) {
        if (!callback(readFate(q)))
            break;
    }
    return {};
}

Result<QList<FateRecord>> FateRepository::forRecipient(const QString& address) const
{
    QSqlQuery q(m_d->db);
    q.setForwardOnly(true);
    q.prepare(u"SELECT "_s + kColumns + u" FROM fates WHERE recipient = ? ORDER BY coalesce(queued_at, final_at), id"_s);
    q.addBindValue(address.trimmed().toLower());
    if (auto ok = execPrepared(q, u"fates"_s); !ok)
        return ok.error();
    QList<FateRecord> out;
    while (q.next())
        out << readFate(q);
    return out;
}

Result<qint64> FateRepository::count() const
{
    QSqlQuery q(m_d->db);
    if (!q.exec(u"SELECT count(*) FROM fates"_s) || !q.next())
        return sqlError(q.lastError(), u"fates"_s);
    return q.value(0).toLongLong();
}

} // namespace bi::core::store
