// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/recipient_query.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include "core/store/project_store.h"
#include "core/store/recipient_grams.h"
#include "core/store/sql_helpers.h"
#include "core/store/sqlite_statement.h"

using namespace Qt::StringLiterals;

namespace bi::core::store {

namespace {

// The row time and the time to bounce are expressions; migration 4 indexes both, so sorting and
// range filters on them walk an index instead of sorting a million rows.
const QString kTimeExpr = u"COALESCE(f.queued_at, f.final_at, f.bounce_at)"_s;
// Written exactly like the expression index fates_by_status_class (migration 4).
const QString kClassExpr =
    u"(CASE WHEN f.status <> '' THEN substr(f.status, 1, 1) ELSE substr(f.reply_code, 1, 1) END)"_s;
// Above this many matches the trigram index costs more than reading every recipient.
constexpr int kTextIndexLimit = 5000;
const QString kBounceExpr =
    u"(CASE WHEN f.fate = 'async_bounce' AND f.final_at IS NOT NULL AND f.bounce_at IS NOT NULL "
    u"THEN (f.bounce_at - f.final_at) / 1000 END)"_s;

struct Where {
    QString sql;
    QVariantList values;
    bool needsVerdicts = false;

    void add(const QString& clause, const QVariantList& bound = {})
    {
        sql += sql.isEmpty() ? u" WHERE "_s : u" AND "_s;
        sql += clause;
        values += bound;
    }
    // "column IN (?, ?, ...)": the placeholders are counted, the values bound.
    void addIn(const QString& column, const QStringList& list)
    {
        QStringList marks;
        QVariantList bound;
        for (const QString& value : list) {
            marks << u"?"_s;
            bound << textValue(value);
        }
        add(column + u" IN ("_s + marks.join(u", "_s) + u")"_s, bound);
    }
};

QString likeEscaped(const QString& text)
{
    QString escaped;
    escaped.reserve(text.size() + 2);
    for (const QChar c : text) {
        if (c == u'%' || c == u'_' || c == u'\\')
            escaped += u'\\';
        escaped += c;
    }
    return u"%"_s + escaped + u"%"_s;
}

// candidates: the fates the free-text index left (RecipientGrams), when it could narrow the search.
Where buildWhere(const RecipientFilter& filter, bool hasVerdicts, const std::optional<QList<qint64>>& candidates)
{
    Where where;
    if (candidates) {
        QString ids;
        ids.reserve(candidates->size() * 8 + 2);
        ids += u'[';
        for (qsizetype i = 0; i < candidates->size(); ++i) {
            if (i > 0)
                ids += u',';
            ids += QString::number(candidates->at(i));
        }
        ids += u']';
        where.add(u"f.id IN (SELECT value FROM json_each(?))"_s, {ids});
    }
    if (const QString text = filter.text.trimmed(); !text.isEmpty())
        where.add(u"f.recipient LIKE ? ESCAPE '\\'"_s, {likeEscaped(text)});
    if (!filter.domains.isEmpty()) {
        // Provider tables list "yahoo.*" for every country domain of a label.
        QStringList parts;
        QVariantList bound;
        QStringList exact;
        for (const QString& domain : filter.domains) {
            if (domain.endsWith(u".*"_s)) {
                parts << u"f.domain LIKE ? ESCAPE '\\'"_s;
                bound << QString(likeEscaped(domain.chopped(2)).chopped(1) + u".%"_s).mid(1);
            } else {
                exact << domain.toLower();
            }
        }
        if (!exact.isEmpty()) {
            QStringList marks(exact.size(), u"?"_s);
            parts.prepend(u"f.domain IN ("_s + marks.join(u", "_s) + u")"_s);
            QVariantList exactBound;
            for (const QString& domain : exact)
                exactBound << domain;
            bound = exactBound + bound;
        }
        where.add(u"("_s + parts.join(u" OR "_s) + u")"_s, bound);
    }
    if (!filter.fates.isEmpty())
        where.addIn(u"f.fate"_s, filter.fates);
    if (!filter.reasons.isEmpty())
        where.addIn(u"f.reason"_s, filter.reasons);
    if (!filter.statusClass.isEmpty()) {
        // A fate without an RFC 3463 status still has a reply code (550 → class 5).
        where.add(kClassExpr + u" = ?"_s, {filter.statusClass});
    }
    if (filter.fromMs)
        where.add(kTimeExpr + u" >= ?"_s, {*filter.fromMs});
    if (filter.toMs)
        where.add(kTimeExpr + u" < ?"_s, {*filter.toMs});
    if (!filter.decidedBy.isEmpty())
        where.addIn(u"f.decided_by"_s, filter.decidedBy);
    if (filter.bounceSecondsMin)
        where.add(kBounceExpr + u" >= ?"_s, {*filter.bounceSecondsMin});
    if (filter.bounceSecondsMax)
        where.add(kBounceExpr + u" <= ?"_s, {*filter.bounceSecondsMax});
    if (!filter.verdicts.isEmpty()) {
        if (!hasVerdicts) {
            // No verdicts in this project: only "none" can match.
            where.add(filter.verdicts.contains(u"none"_s) ? u"1"_s : u"0"_s);
        } else {
            QStringList named = filter.verdicts;
            const bool none = named.removeAll(u"none"_s) > 0;
            QStringList parts;
            QVariantList bound;
            if (!named.isEmpty()) {
                QStringList marks;
                for (const QString& v : named) {
                    marks << u"?"_s;
                    bound << textValue(v);
                }
                parts << u"v.verdict IN ("_s + marks.join(u", "_s) + u")"_s;
            }
            if (none)
                parts << u"v.verdict IS NULL"_s;
            where.add(u"("_s + parts.join(u" OR "_s) + u")"_s, bound);
            where.needsVerdicts = true;
        }
    }
    return where;
}

// The ORDER BY terms of a column. Equal values list in time order: (column, time, id) is how
// migration 4 indexes them, so a sorted page reads one index in order.
QStringList sortTerms(RecipientColumn column, bool hasVerdicts)
{
    switch (column) {
    case RecipientColumn::Time: return {kTimeExpr};
    case RecipientColumn::Recipient: return {u"f.recipient"_s};
    case RecipientColumn::Domain: return {u"f.domain"_s, kTimeExpr};
    case RecipientColumn::Fate: return {u"f.fate"_s, kTimeExpr};
    case RecipientColumn::Reason: return {u"f.reason"_s, kTimeExpr};
    case RecipientColumn::Status: return {u"f.status"_s, kTimeExpr};
    case RecipientColumn::Attempts: return {u"f.attempts"_s, kTimeExpr};
    case RecipientColumn::TimeToBounce: return {kBounceExpr};
    case RecipientColumn::Verdict: return hasVerdicts ? QStringList{u"v.verdict"_s, kTimeExpr} : QStringList{};
    case RecipientColumn::Count: break;
    }
    return {kTimeExpr};
}

QString orderBy(const RecipientSort& sort, bool hasVerdicts)
{
    const QString direction = sort.descending ? u" DESC"_s : u" ASC"_s;
    QStringList terms = sortTerms(sort.column, hasVerdicts);
    terms << u"f.id"_s;
    return u" ORDER BY "_s + terms.join(direction + u", "_s) + direction;
}

const QString kVerdictJoin = u" LEFT JOIN bounce_verdicts v ON v.message_id = f.bounce_message_id"_s;

} // namespace

bool RecipientFilter::isEmpty() const
{
    return *this == RecipientFilter{};
}

RecipientQuery::RecipientQuery(const ProjectStore& store) : m_connection(store.connectionName())
{
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    m_hasVerdicts = query.exec(u"SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'bounce_verdicts'"_s)
                    && query.next();
    m_hasTextIndex = query.exec(u"SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'fates_grams'"_s)
                     && query.next();
}

std::optional<QList<qint64>> RecipientQuery::textCandidates(const QString& rawText) const
{
    const QString text = rawText.trimmed();
    if (!m_hasTextIndex || text.isEmpty())
        return std::nullopt;
    auto found = RecipientGrams::candidates(sqliteHandle(QSqlDatabase::database(m_connection, false)), text,
                                            kTextIndexLimit);
    // On an error the plain LIKE scan still gives the right rows.
    return found ? *found : std::nullopt;
}

Result<qint64> RecipientQuery::count(const RecipientFilter& filter) const
{
    const Where where = buildWhere(filter, m_hasVerdicts, textCandidates(filter.text));
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    query.setForwardOnly(true);
    const QString sql = u"SELECT count(*) FROM fates f"_s + (where.needsVerdicts ? kVerdictJoin : QString()) + where.sql;
    if (!query.prepare(sql))
        return sqlError(query.lastError(), u"recipient count"_s);
    for (const QVariant& value : where.values)
        query.addBindValue(value);
    if (auto ok = execPrepared(query, u"recipient count"_s); !ok)
        return ok.error();
    if (!query.next())
        return makeError(ErrorCode::Database, u"recipient count returned nothing"_s);
    return query.value(0).toLongLong();
}

Result<QList<RecipientRow>> RecipientQuery::page(const RecipientFilter& filter, const RecipientSort& sort,
                                                 qint64 offset, int limit) const
{
    const Where where = buildWhere(filter, m_hasVerdicts, textCandidates(filter.text));
    const QString verdictColumns = m_hasVerdicts ? u"v.verdict, v.score"_s : u"NULL, NULL"_s;
    const QString select = u"SELECT f.id, "_s + kTimeExpr + u", f.recipient, f.domain, f.fate, f.reason, f.status, "
                           u"f.reply_code, f.attempts, "_s + kBounceExpr + u", "_s + verdictColumns +
                           u", f.decided_by, f.bounce_message_id FROM fates f"_s +
                           (m_hasVerdicts ? kVerdictJoin : QString());
    const QString order = orderBy(sort, m_hasVerdicts);
    // A deep page (OFFSET 500000) skips rows cheaply only in an index: the page's ids are picked
    // from the fates alone, then joined and read. Not when the filter or sort needs the verdicts.
    const bool deferredJoin = !where.needsVerdicts && sort.column != RecipientColumn::Verdict;
    const QString sql = deferredJoin ? select + u" WHERE f.id IN (SELECT f.id FROM fates f"_s + where.sql + order +
                                           u" LIMIT ? OFFSET ?)"_s + order
                                     : select + where.sql + order + u" LIMIT ? OFFSET ?"_s;
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    query.setForwardOnly(true);
    if (!query.prepare(sql))
        return sqlError(query.lastError(), u"recipient page"_s);
    for (const QVariant& value : where.values)
        query.addBindValue(value);
    query.addBindValue(limit);
    query.addBindValue(offset);
    if (auto ok = execPrepared(query, u"recipient page"_s); !ok)
        return ok.error();
    QList<RecipientRow> rows;
    rows.reserve(limit);
    while (query.next()) {
        RecipientRow row;
        row.fateId = query.value(0).toLongLong();
        if (!query.isNull(1))
            row.timeMs = query.value(1).toLongLong();
        row.recipient = query.value(2).toString();
        row.domain = query.value(3).toString();
        row.fate = query.value(4).toString();
        row.reason = query.value(5).toString();
        row.status = query.value(6).toString();
        if (row.status.isEmpty())
            row.status = query.value(7).toString();
        row.attempts = query.value(8).toInt();
        row.secondsToBounce = query.isNull(9) ? -1 : query.value(9).toLongLong();
        row.verdict = query.value(10).toString();
        row.verdictScore = query.isNull(11) ? -1 : query.value(11).toDouble();
        row.decidedBy = query.value(12).toString();
        row.bounceMessageId = query.value(13).toLongLong();
        rows.append(row);
    }
    if (query.lastError().isValid())
        return sqlError(query.lastError(), u"recipient page"_s);
    return rows;
}

} // namespace bi::core::store
