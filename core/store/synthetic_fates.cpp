// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/synthetic_fates.h"

#include <QDateTime>
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

Result<void> run(const QSqlDatabase& db, const QString& sql, const QVariantList& values)
{
    QSqlQuery query(db);
    if (!query.prepare(sql))
        return sqlError(query.lastError(), u"synthetic fates"_s);
    for (const QVariant& value : values)
        query.addBindValue(value);
    return execPrepared(query, u"synthetic fates"_s);
}

// Multiplicative hashes of the row number spread the mix evenly without a random generator,
// so every run builds the same project.
const QString kFates = uR"sql(
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?),
h(i, p, r, d) AS (SELECT i, (i * 2654435761) % 100, (i * 40503) % 8, (i * 7919) % 40 FROM n)
INSERT INTO fates (message_id, queue_id, host, sender, recipient, domain, fate, reason, status, reply_code,
                   queued_at, first_attempt_at, final_at, bounce_at, attempts, deferrals, decided_by,
                   bounce_message_id)
SELECT printf('m%d@sender.example', i), printf('Q%08X', i), 'mx1.sender.example', 'news@sender.example',
       printf('user%d@%s', i, dom), dom, fate,
       CASE WHEN fate IN ('delivered', 'deferred') THEN '' ELSE
         CASE r WHEN 0 THEN 'userunknown' WHEN 1 THEN 'mailboxfull' WHEN 2 THEN 'spamdetected'
                WHEN 3 THEN 'blocked' WHEN 4 THEN 'hostunknown' WHEN 5 THEN 'rejected'
                WHEN 6 THEN 'expired' ELSE 'policyviolation' END END,
       CASE fate WHEN 'delivered' THEN '2.0.0' WHEN 'deferred' THEN '4.2.0' WHEN 'expired' THEN '4.4.7'
                 ELSE '5.' || (r % 8) || '.1' END,
       CASE fate WHEN 'delivered' THEN '250' WHEN 'deferred' THEN '451' WHEN 'expired' THEN '' ELSE '550' END,
       t, t + 2000, CASE WHEN fate = 'deferred' THEN NULL ELSE t + 5000 END,
       CASE WHEN fate = 'async_bounce' THEN t + 5000 + (i % 172800) * 1000 END,
       1 + (i % 5), i % 5,
       CASE WHEN fate = 'async_bounce' THEN 'log+mailbox' ELSE 'log' END,
       CASE WHEN fate = 'async_bounce' THEN ? + (i % ?) END
FROM (SELECT i, r, ? + i * 30000 AS t,
             CASE d WHEN 0 THEN 'gmail.com' WHEN 1 THEN 'yahoo.com' WHEN 2 THEN 'outlook.com'
                    WHEN 3 THEN 'hotmail.com' WHEN 4 THEN 'gmx.de' WHEN 5 THEN 'web.de' WHEN 6 THEN 'aol.com'
                    ELSE printf('company%d.example', d) END AS dom,
             CASE WHEN p < 70 THEN 'delivered' WHEN p < 80 THEN 'rejected' WHEN p < 85 THEN 'expired'
                  WHEN p < 95 THEN 'async_bounce' ELSE 'deferred' END AS fate
      FROM h))sql"_s;

} // namespace

Result<void> addSyntheticFates(ProjectStore& store, qint64 rows)
{
    const QSqlDatabase db = QSqlDatabase::database(store.connectionName(), false);
    const qint64 bounces = qMax<qint64>(1, rows / 10);
    const qint64 start = QDateTime(QDate(2024, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (auto ok = store.begin(); !ok)
        return ok;
    auto fail = [&store](Result<void> error) {
        store.rollback();
        return error;
    };
    auto source = store.addSource(u"synthetic-%1.mbox"_s.arg(now), u"mbox"_s, 0);
    if (!source)
        return fail(source.error());
    if (auto ok = run(db, uR"sql(
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
INSERT INTO messages (source_id, file, file_index, byte_offset, byte_length, sha256, kind, family, date_utc_ms)
SELECT ?, 'synthetic.mbox', i, i, 0, printf('%064x', i), 'bounce', 'rfc3464', ? + i * 300000
FROM n)sql"_s,
                      {bounces, source->id, start});
        !ok)
        return fail(ok);
    QSqlQuery first(db);
    if (!first.exec(u"SELECT max(id) FROM messages"_s) || !first.next())
        return fail(sqlError(first.lastError(), u"synthetic fates"_s));
    const qint64 firstBounce = first.value(0).toLongLong() - bounces + 1;
    if (auto ok = run(db, kFates, {rows, firstBounce, bounces, start}); !ok)
        return fail(ok);
    QSqlQuery hasVerdicts(db);
    if (hasVerdicts.exec(u"SELECT 1 FROM sqlite_schema WHERE name = 'bounce_verdicts'"_s) && hasVerdicts.next()) {
        if (auto ok = run(db, uR"sql(
INSERT INTO bounce_verdicts (message_id, verdict, score, at_utc_ms)
SELECT id, CASE WHEN id % 10 < 7 THEN 'ours' WHEN id % 10 < 9 THEN 'backscatter' ELSE 'uncertain' END,
       CASE WHEN id % 10 < 7 THEN 0.1 WHEN id % 10 < 9 THEN 0.9 ELSE 0.5 END, date_utc_ms
FROM messages WHERE id >= ?)sql"_s,
                          {firstBounce});
            !ok)
            return fail(ok);
    }
    // The free-text index, as the correlator writes it with its fates.
    if (auto ok = RecipientGrams::rebuild(sqliteHandle(db)); !ok)
        return fail(ok);
    if (auto ok = store.commit(); !ok)
        return ok;
    return store.updateStatistics(); // as an import does
}

} // namespace bi::core::store
