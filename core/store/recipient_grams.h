// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>
#include <unordered_map>

#include <QByteArray>
#include <QList>
#include <QStringView>

#include "core/common/result.h"

struct sqlite3;

namespace bi::core::store {

/// The recipient list's free-text index (schema v5, table fates_grams): for every three
/// consecutive bytes of a fate's recipient (UTF-8, ASCII letters lower-cased, as LIKE compares
/// them) one row with the ids of the fates that hold them, ascending, as varint deltas. The
/// trigrams of a search text narrow the fates to a few candidates; LIKE on those decides.
/// Built in one pass over the recipients when the fates are rewritten: the fts5 trigram table
/// it replaces took 33 µs per fate to build on Debian's SQLite 3.40, more than the whole rest
/// of the rewrite.
/// The row with gram -1 holds max(fates.id) when the index was built: fates added since by
/// other means make the index out of date, and candidates() then declines (callers scan).
/// Thread: the connection's thread.
class RecipientGrams final {
public:
    /// Adds one fate; ids must come in ascending order (as the fates are inserted).
    void add(qint64 fateId, QStringView recipient);
    /// Replaces the stored index with the fates added here. Call inside the transaction that
    /// wrote them.
    [[nodiscard]] Result<void> write(sqlite3* db) const;

    /// Builds the index anew from every fate in the table.
    [[nodiscard]] static Result<void> rebuild(sqlite3* db);
    /// Empties the index (it is then out of date until written again).
    [[nodiscard]] static Result<void> clear(sqlite3* db);
    /// Ids of the fates whose recipient may contain text, ascending: a superset of the LIKE
    /// matches. Nothing when the index cannot narrow the search: text under three bytes, the
    /// index out of date, or limit candidates or more.
    [[nodiscard]] static Result<std::optional<QList<qint64>>> candidates(sqlite3* db, QStringView text,
                                                                         qsizetype limit);

private:
    struct Postings {
        QByteArray ids;
        qint64 last = 0;
    };
    std::unordered_map<quint32, Postings> m_grams;
    qint64 m_maxId = 0;
};

} // namespace bi::core::store
