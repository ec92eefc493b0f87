// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/backscatter_repository.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include "core/store/project_store.h"
#include "core/store/sql_helpers.h"

using namespace Qt::StringLiterals;

namespace bi::core::store {

namespace {

const QString kContext = u"backscatter"_s;

QVariant optionalValue(const std::optional<qint64>& v)
{
    return v ? QVariant(*v) : QVariant(QMetaType(QMetaType::LongLong));
}

std::optional<qint64> optionalFrom(const QVariant& v)
{
    if (v.isNull())
        return std::nullopt;
    return v.toLongLong();
}

QString evidenceJson(const QStringList& evidence)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(evidence)).toJson(QJsonDocument::Compact));
}

QStringList evidenceFrom(const QString& json)
{
    QStringList out;
    for (const QJsonValue& v : QJsonDocument::fromJson(json.toUtf8()).array())
        out << v.toString();
    return out;
}

const QString kVerdictColumns =
    u"v.message_id, v.verdict, v.score, v.evidence, v.matched_by, v.log_covered, v.bounce_to, v.reporting_mta, "
    u"v.at_utc_ms"_s;

BounceVerdictRecord readVerdict(const QSqlQuery& q)
{
    BounceVerdictRecord r;
    r.messageId = q.value(0).toLongLong();
    r.verdict = q.value(1).toString();
    r.score = q.value(2).toDouble();
    r.evidence = evidenceFrom(q.value(3).toString());
    r.matchedBy = q.value(4).toString();
    r.logCovered = q.value(5).toInt() != 0;
    r.bounceTo = q.value(6).toString();
    r.reportingMta = q.value(7).toString();
    r.atUtcMs = optionalFrom(q.value(8));
    return r;
}

} // namespace

struct BackscatterRepository::Impl {
    explicit Impl(const ProjectStore& s) : db(QSqlDatabase::database(s.connectionName(), false)) {}
    QSqlDatabase db;
    std::optional<QSqlQuery> insertVerdict;
    std::optional<QSqlQuery> insertOutbound;
};

BackscatterRepository::BackscatterRepository(const ProjectStore& store) : m_d(std::make_unique<Impl>(store)) {}

BackscatterRepository::~BackscatterRepository() = default;

Result<void> BackscatterRepository::clear()
{
    if (auto ok = execSql(m_d->db, u"DELETE FROM bounce_verdicts"_s, kContext); !ok)
        return ok;
    return execSql(m_d->db, u"DELETE FROM outbound_backscatter"_s, kContext);
}

Result<void> BackscatterRepository::addVerdict(const BounceVerdictRecord& r)
{
    if (!m_d->insertVerdict) {
        m_d->insertVerdict.emplace(m_d->db);
        m_d->insertVerdict->prepare(
            u"INSERT OR REPLACE INTO bounce_verdicts (message_id, verdict, score, evidence, matched_by, log_covered, "
            u"bounce_to, reporting_mta, at_utc_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
    }
    QSqlQuery& q = *m_d->insertVerdict;
    q.bindValue(0, r.messageId);
    q.bindValue(1, textValue(r.verdict));
    q.bindValue(2, r.score);
    q.bindValue(3, evidenceJson(r.evidence));
    q.bindValue(4, textValue(r.matchedBy));
    q.bindValue(5, r.logCovered ? 1 : 0);
    q.bindValue(6, textValue(r.bounceTo));
    q.bindValue(7, textValue(r.reportingMta));
    q.bindValue(8, optionalValue(r.atUtcMs));
    return execPrepared(q, kContext);
}

Result<qint64> BackscatterRepository::addOutbound(const OutboundBackscatterRecord& r)
{
    if (!m_d->insertOutbound) {
        m_d->insertOutbound.emplace(m_d->db);
        m_d->insertOutbound->prepare(
            u"INSERT INTO outbound_backscatter (host, format, kind, notice_at, notice_queue_id, notice_to, "
            u"notice_domain, notice_result, notice_relay, orig_queue_id, orig_message_id, orig_client, "
            u"orig_recipient, orig_at, status, reply_code, reason, log_event) "
            u"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
    }
    QSqlQuery& q = *m_d->insertOutbound;
    int i = 0;
    for (const QString* s : {&r.host, &r.format, &r.kind})
        q.bindValue(i++, textValue(*s));
    q.bindValue(i++, optionalValue(r.noticeAtUtcMs));
    for (const QString* s : {&r.noticeQueueId, &r.noticeTo, &r.noticeDomain, &r.noticeResult, &r.noticeRelay,
                             &r.origQueueId, &r.origMessageId, &r.origClient, &r.origRecipient})
        q.bindValue(i++, textValue(*s));
    q.bindValue(i++, optionalValue(r.origAtUtcMs));
    for (const QString* s : {&r.status, &r.replyCode, &r.reason})
        q.bindValue(i++, textValue(*s));
    q.bindValue(i++, optionalValue(r.logEvent));
    if (auto ok = execPrepared(q, kContext); !ok)
        return ok.error();
    return q.lastInsertId().toLongLong();
}

Result<void> BackscatterRepository::forEachVerdict(const std::function<bool(const BounceVerdictRow&)>& callback) const
{
    QSqlQuery q(m_d->db);
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT "_s + kVerdictColumns
                + u", m.file, m.file_index, m.message_id, m.orig_message_id, m.subject FROM bounce_verdicts v "
                  u"JOIN messages m ON m.id = v.message_id ORDER BY m.file, m.file_index, m.id"_s))
        return sqlError(q.lastError(), kContext);
    while (q.next()) {
        BounceVerdictRow row;
        row.record = readVerdict(q);
        row.file = q.value(9).toString();
        row.message = q.value(10).toInt();
        row.bounceMessageId = q.value(11).toString();
        row.originalMessageId = q.value(12).toString();
        row.subject = q.value(13).toString();
        if (!callback(row))
            break;
    }
    return {};
}

Result<QSet<qint64>> BackscatterRepository::backscatterTheLogsConfirm() const
{
    QSqlQuery q(m_d->db);
    q.setForwardOnly(true);
    q.prepare(u"SELECT message_id FROM bounce_verdicts WHERE verdict = ? AND log_covered = 1 AND matched_by = ''"_s);
    q.addBindValue(u"backscatter"_s);
    if (auto ok = execPrepared(q, kContext); !ok)
        return ok.error();
    QSet<qint64> ids;
    while (q.next())
        ids.insert(q.value(0).toLongLong());
    return ids;
}

Result<std::optional<BounceVerdictRecord>> BackscatterRepository::verdict(qint64 messageId) const
{
    QSqlQuery q(m_d->db);
    q.prepare(u"SELECT "_s + kVerdictColumns + u" FROM bounce_verdicts v WHERE v.message_id = ?"_s);
    q.addBindValue(messageId);
    if (auto ok = execPrepared(q, kContext); !ok)
        return ok.error();
    if (!q.next())
        return std::optional<BounceVerdictRecord>();
    return std::optional<BounceVerdictRecord>(readVerdict(q));
}

Result<QList<OutboundBackscatterRecord>> BackscatterRepository::outbound() const
{
    QSqlQuery q(m_d->db);
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT id, host, format, kind, notice_at, notice_queue_id, notice_to, notice_domain, notice_result, "
                u"notice_relay, orig_queue_id, orig_message_id, orig_client, orig_recipient, orig_at, status, "
                u"reply_code, reason, log_event FROM outbound_backscatter ORDER BY notice_at, id"_s))
        return sqlError(q.lastError(), kContext);
    QList<OutboundBackscatterRecord> out;
    while (q.next()) {
        OutboundBackscatterRecord r;
        int i = 0;
        r.id = q.value(i++).toLongLong();
        for (QString* s : {&r.host, &r.format, &r.kind})
            *s = q.value(i++).toString();
        r.noticeAtUtcMs = optionalFrom(q.value(i++));
        for (QString* s : {&r.noticeQueueId, &r.noticeTo, &r.noticeDomain, &r.noticeResult, &r.noticeRelay,
                           &r.origQueueId, &r.origMessageId, &r.origClient, &r.origRecipient})
            *s = q.value(i++).toString();
        r.origAtUtcMs = optionalFrom(q.value(i++));
        for (QString* s : {&r.status, &r.replyCode, &r.reason})
            *s = q.value(i++).toString();
        r.logEvent = optionalFrom(q.value(i++));
        out << r;
    }
    return out;
}

namespace {

// The start (UTC ms) of the bucket a time column falls in, buckets of bucketMs aligned to
// offsetMs (a zone's offset for calendar days); bind its four values with bindBucket(). Integer
// division truncates toward zero; times before 1970 do not occur in mail we read.
QString bucketStart(QStringView column)
{
    return u"((%1 + ?) / ?) * ? - ?"_s.arg(column);
}

void bindBucket(QSqlQuery& q, qint64 bucketMs, qint64 offsetMs)
{
    q.addBindValue(offsetMs);
    q.addBindValue(bucketMs);
    q.addBindValue(bucketMs);
    q.addBindValue(offsetMs);
}

} // namespace

Result<QList<VerdictBucketCount>> BackscatterRepository::verdictCounts(qint64 bucketMs, qint64 offsetMs) const
{
    if (bucketMs <= 0)
        return makeError(ErrorCode::InvalidArgument, u"bucket size must be positive"_s, kContext);
    QSqlQuery q(m_d->db);
    q.setForwardOnly(true);
    q.prepare(u"SELECT "_s + bucketStart(u"at_utc_ms") + u", verdict, reporting_mta, bounce_to, count(*) "
              u"FROM bounce_verdicts WHERE at_utc_ms IS NOT NULL GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"_s);
    bindBucket(q, bucketMs, offsetMs);
    if (auto ok = execPrepared(q, kContext); !ok)
        return ok.error();
    QList<VerdictBucketCount> out;
    while (q.next())
        out << VerdictBucketCount{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
                                  q.value(3).toString(), q.value(4).toLongLong()};
    return out;
}

Result<QList<OutboundBucketCount>> BackscatterRepository::outboundCounts(qint64 bucketMs, qint64 offsetMs) const
{
    if (bucketMs <= 0)
        return makeError(ErrorCode::InvalidArgument, u"bucket size must be positive"_s, kContext);
    QSqlQuery q(m_d->db);
    q.setForwardOnly(true);
    q.prepare(u"SELECT "_s + bucketStart(u"notice_at") + u", notice_domain, count(*) FROM outbound_backscatter "
              u"WHERE notice_at IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2"_s);
    bindBucket(q, bucketMs, offsetMs);
    if (auto ok = execPrepared(q, kContext); !ok)
        return ok.error();
    QList<OutboundBucketCount> out;
    while (q.next())
        out << OutboundBucketCount{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toLongLong()};
    return out;
}

Result<QList<std::pair<qint64, qint64>>> BackscatterRepository::logSpans() const
{
    QSqlQuery q(m_d->db);
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT min(first_time), max(last_time) FROM log_chunks WHERE first_time IS NOT NULL "
                u"GROUP BY source_id ORDER BY 1"_s))
        return sqlError(q.lastError(), kContext);
    QList<std::pair<qint64, qint64>> out;
    while (q.next()) {
        if (!q.value(0).isNull() && !q.value(1).isNull())
            out.append({q.value(0).toLongLong(), q.value(1).toLongLong()});
    }
    return out;
}

} // namespace bi::core::store
