// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/dashboard_queries.h"

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

QDate dayOf(qint64 dayNumber)
{
    return QDateTime::fromMSecsSinceEpoch(dayNumber * kMsPerDay, Qt::UTC).date();
}

} // namespace

DashboardQueries::DashboardQueries(const ProjectStore& store) : m_connection(store.connectionName()) {}

Result<QList<DashboardQueries::DayCount>> DashboardQueries::bouncesPerDay() const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    // Integer division floors toward zero; dates before 1970 do not occur in mail we read.
    q.prepare(u"SELECT date_utc_ms / ? AS day, count(*) FROM messages "
              u"WHERE kind = 'bounce' AND date_utc_ms IS NOT NULL AND date_utc_ms >= 0 "
              u"GROUP BY day ORDER BY day"_s);
    q.addBindValue(kMsPerDay);
    if (auto ok = execPrepared(q, u"messages"_s); !ok)
        return ok.error();
    QList<DayCount> out;
    while (q.next())
        out << DayCount{dayOf(q.value(0).toLongLong()), q.value(1).toLongLong()};
    return out;
}

Result<QList<DashboardQueries::DomainFateCount>> DashboardQueries::fatesPerDomain() const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT domain, fate, count(*) FROM fates GROUP BY domain, fate ORDER BY domain, fate"_s))
        return sqlError(q.lastError(), u"fates"_s);
    QList<DomainFateCount> out;
    while (q.next())
        out << DomainFateCount{q.value(0).toString(), q.value(1).toString(), q.value(2).toLongLong()};
    return out;
}

Result<QList<DashboardQueries::ReasonCount>> DashboardQueries::failureReasons() const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT reason, count(*) FROM fates WHERE fate IN ('rejected', 'expired', 'async_bounce') "
                u"GROUP BY reason ORDER BY count(*) DESC, reason"_s))
        return sqlError(q.lastError(), u"fates"_s);
    QList<ReasonCount> out;
    while (q.next())
        out << ReasonCount{q.value(0).toString(), q.value(1).toLongLong()};
    return out;
}

Result<QList<qint64>> DashboardQueries::secondsToBounce() const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT (bounce_at - final_at) / 1000 FROM fates WHERE fate = 'async_bounce' "
                u"AND bounce_at IS NOT NULL AND final_at IS NOT NULL AND bounce_at >= final_at"_s))
        return sqlError(q.lastError(), u"fates"_s);
    QList<qint64> out;
    while (q.next())
        out << q.value(0).toLongLong();
    return out;
}

} // namespace bi::core::store
