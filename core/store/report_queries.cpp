// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/report_queries.h"

#include <limits>

#include <QDateTime>
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

constexpr qint64 kMsPerDay = 86'400'000;
// An open end of a period as a bound value: every stored time lies between these.
constexpr qint64 kOpenFrom = std::numeric_limits<qint64>::min();
constexpr qint64 kOpenTo = std::numeric_limits<qint64>::max();

qint64 fromOf(const ReportQueries::Period& p) { return p.fromMs ? p.fromMs : kOpenFrom; }
qint64 toOf(const ReportQueries::Period& p) { return p.toMs ? p.toMs : kOpenTo; }

QDate dayOf(qint64 dayNumber)
{
    return QDateTime::fromMSecsSinceEpoch(dayNumber * kMsPerDay, Qt::UTC).date();
}

Result<qint64> single(QSqlQuery& q, const QString& context)
{
    if (auto ok = execPrepared(q, context); !ok)
        return ok.error();
    return q.next() ? q.value(0).toLongLong() : 0;
}

QList<std::pair<QString, qint64>> pairs(QSqlQuery& q)
{
    QList<std::pair<QString, qint64>> out;
    while (q.next())
        out.append({q.value(0).toString(), q.value(1).toLongLong()});
    return out;
}

} // namespace

ReportQueries::ReportQueries(const ProjectStore& store) : m_connection(store.connectionName()) {}

Result<QList<ReportQueries::LogSourceLines>> ReportQueries::logSources() const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT source_id, format, imported_lines, events FROM log_sources ORDER BY source_id"_s))
        return sqlError(q.lastError(), u"log_sources"_s);
    QList<LogSourceLines> out;
    while (q.next())
        out << LogSourceLines{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toLongLong(),
                              q.value(3).toLongLong()};
    return out;
}

Result<QList<ReportQueries::MailboxSource>> ReportQueries::mailboxSources() const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT source_id, count(*), sum(kind <> 'other') FROM messages GROUP BY source_id"_s))
        return sqlError(q.lastError(), u"messages"_s);
    QList<MailboxSource> out;
    while (q.next())
        out << MailboxSource{q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toLongLong()};
    return out;
}

Result<ReportQueries::MailboxCounts> ReportQueries::mailboxCounts(const Period& period) const
{
    const QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    MailboxCounts c;
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT kind, count(*) FROM messages GROUP BY kind"_s))
        return sqlError(q.lastError(), u"messages"_s);
    while (q.next()) {
        const qint64 n = q.value(1).toLongLong();
        c.messages += n;
        if (q.value(0).toString() == u"other")
            c.other += n;
        else
            c.reports += n;
    }
    QSqlQuery empty(db);
    empty.setForwardOnly(true);
    empty.prepare(u"SELECT count(*) FROM messages m WHERE m.kind = 'bounce' "
                  u"AND NOT EXISTS (SELECT 1 FROM bounce_recipients r WHERE r.message_id = m.id)"_s);
    auto bare = single(empty, u"messages"_s);
    if (!bare)
        return bare.error();
    c.bouncesWithoutRecipients = *bare;
    QSqlQuery fb(db);
    fb.setForwardOnly(true);
    fb.prepare(u"SELECT count(*) FROM messages WHERE kind = 'feedback' "
               u"AND coalesce(date_utc_ms, 0) >= ? AND coalesce(date_utc_ms, 0) < ?"_s);
    fb.addBindValue(fromOf(period));
    fb.addBindValue(toOf(period));
    auto complaints = single(fb, u"messages"_s);
    if (!complaints)
        return complaints.error();
    c.complaints = *complaints;
    return c;
}

Result<bool> ReportQueries::hasVerdictTables() const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    q.prepare(u"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN (?, ?)"_s);
    q.addBindValue(u"bounce_verdicts"_s);
    q.addBindValue(u"outbound_backscatter"_s);
    auto n = single(q, u"sqlite_master"_s);
    if (!n)
        return n.error();
    return *n == 2;
}

Result<qint64> ReportQueries::verdictCount() const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    q.prepare(u"SELECT count(*) FROM bounce_verdicts"_s);
    return single(q, u"bounce_verdicts"_s);
}

Result<ReportQueries::Verdicts> ReportQueries::verdicts(const Period& period) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    // Undated bounces belong to every period: they cannot be placed outside one.
    q.prepare(u"SELECT verdict, evidence FROM bounce_verdicts "
              u"WHERE at_utc_ms IS NULL OR (at_utc_ms >= ? AND at_utc_ms < ?)"_s);
    q.addBindValue(fromOf(period));
    q.addBindValue(toOf(period));
    if (auto ok = execPrepared(q, u"bounce_verdicts"_s); !ok)
        return ok.error();
    Verdicts v;
    while (q.next()) {
        const QString verdict = q.value(0).toString();
        if (verdict == u"ours") {
            ++v.ours;
        } else if (verdict == u"backscatter") {
            ++v.backscatter;
            const QJsonArray evidence = QJsonDocument::fromJson(q.value(1).toString().toUtf8()).array();
            if (!evidence.isEmpty())
                v.backscatterEvidence << evidence.first().toString();
        } else {
            ++v.uncertain;
        }
    }
    return v;
}

Result<QList<ReportQueries::DayCount>> ReportQueries::backscatterPerDay(const Period& period) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    q.prepare(u"SELECT at_utc_ms / ? AS day, count(*) FROM bounce_verdicts WHERE verdict = 'backscatter' "
              u"AND at_utc_ms IS NOT NULL AND at_utc_ms >= 0 AND at_utc_ms >= ? AND at_utc_ms < ? "
              u"GROUP BY day ORDER BY day"_s);
    q.addBindValue(kMsPerDay);
    q.addBindValue(fromOf(period));
    q.addBindValue(toOf(period));
    if (auto ok = execPrepared(q, u"bounce_verdicts"_s); !ok)
        return ok.error();
    QList<DayCount> out;
    while (q.next())
        out << DayCount{dayOf(q.value(0).toLongLong()), q.value(1).toLongLong()};
    return out;
}

Result<ReportQueries::Outbound> ReportQueries::outbound(const Period& period) const
{
    const QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    const QString inPeriod = u"(notice_at IS NULL OR (notice_at >= ? AND notice_at < ?))"_s;
    Outbound o;
    QSqlQuery kinds(db);
    kinds.setForwardOnly(true);
    kinds.prepare(u"SELECT kind, count(*) FROM outbound_backscatter WHERE "_s + inPeriod
                  + u" GROUP BY kind ORDER BY count(*) DESC, kind"_s);
    kinds.addBindValue(fromOf(period));
    kinds.addBindValue(toOf(period));
    if (auto ok = execPrepared(kinds, u"outbound_backscatter"_s); !ok)
        return ok.error();
    o.byKind = pairs(kinds);
    for (const auto& [kind, n] : o.byKind)
        o.notices += n;
    QSqlQuery domains(db);
    domains.setForwardOnly(true);
    domains.prepare(u"SELECT notice_domain, count(*) FROM outbound_backscatter WHERE "_s + inPeriod
                    + u" GROUP BY notice_domain ORDER BY count(*) DESC, notice_domain LIMIT 10"_s);
    domains.addBindValue(fromOf(period));
    domains.addBindValue(toOf(period));
    if (auto ok = execPrepared(domains, u"outbound_backscatter"_s); !ok)
        return ok.error();
    o.byDomain = pairs(domains);
    QSqlQuery days(db);
    days.setForwardOnly(true);
    days.prepare(u"SELECT notice_at / ? AS day, count(*) FROM outbound_backscatter WHERE notice_at IS NOT NULL "
                 u"AND notice_at >= 0 AND notice_at >= ? AND notice_at < ? GROUP BY day ORDER BY day"_s);
    days.addBindValue(kMsPerDay);
    days.addBindValue(fromOf(period));
    days.addBindValue(toOf(period));
    if (auto ok = execPrepared(days, u"outbound_backscatter"_s); !ok)
        return ok.error();
    while (days.next())
        o.perDay << DayCount{dayOf(days.value(0).toLongLong()), days.value(1).toLongLong()};
    return o;
}

} // namespace bi::core::store
