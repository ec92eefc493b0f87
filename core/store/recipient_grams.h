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
/// them) the ids of the fates that hold them, ascending, as varint deltas that go on from one
/// row to the next, in rows (pieces) of at most kPieceFates consecutive fates each (so that building it holds a few MB, whatever the
/// number of fates). The trigrams of a search text narrow the fates to a few candidates; LIKE
/// on those decides. Built in one pass over the recipients when the fates are rewritten: the
/// fts5 trigram table it replaces took 33 µs per fate to build on Debian's SQLite 3.40, more
/// than the whole rest of the rewrite.
/// The row with gram -1 holds max(fates.id) when the index was built: fates added since by
/// other means make the index out of date, and candidates() then declines (callers scan).
/// Thread: the connection's thread.
class RecipientGrams final {
public:
    /// Fates per stored piece of a posting list.
    static constexpr qsizetype kPieceFates = 65536;

    /// Starts a new index on db (call clear() first when one is there).
    explicit RecipientGrams(sqlite3* db) : m_db(db) {}
    /// Adds one fate; ids must come in ascending order (as the fates are inserted). Writes a
    /// piece every kPieceFates fates. Errors: SQLite refused.
    [[nodiscard]] Result<void> add(qint64 fateId, QStringView recipient);
    /// Writes the last piece and the mark that the index is complete. Call inside the
    /// transaction that wrote the fates.
    [[nodiscard]] Result<void> finish();

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
        QByteArray ids;   ///< this piece's deltas
        qint64 first = 0; ///< this piece's first id
        qint64 last = 0;  ///< the last id added, in any piece
    };
    [[nodiscard]] Result<void> writePiece();

    sqlite3* m_db;
    std::unordered_map<quint32, Postings> m_grams;
    qsizetype m_pieceFates = 0;
    qint64 m_maxId = 0;
};

} // namespace bi::core::store
