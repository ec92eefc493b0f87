// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/recipient_grams.h"

#include <algorithm>
#include <vector>

#include "core/store/sqlite_statement.h"
#include "core/store/varint.h"

using namespace Qt::StringLiterals;

namespace bi::core::store {

namespace {

constexpr qint64 kMetaGram = -1;
// A further posting list is intersected while it is at most this many bytes per candidate
// left, plus a few KB (about a byte and a half per id).
constexpr qsizetype kReadFactor = 64;
constexpr qsizetype kReadAlways = 4096;

QString context()
{
    return u"fates_grams"_s;
}

// UTF-8 with ASCII letters lower-cased: SQLite's LIKE folds ASCII only, so a text that LIKE
// finds in a recipient is a byte substring of it in this form.
QByteArray folded(QStringView text)
{
    QByteArray utf8 = text.toUtf8();
    for (char& c : utf8) {
        if (c >= 'A' && c <= 'Z')
            c = char(c + ('a' - 'A'));
    }
    return utf8;
}

quint32 gramAt(const QByteArray& bytes, qsizetype i)
{
    return (quint32(quint8(bytes[i])) << 16) | (quint32(quint8(bytes[i + 1])) << 8) | quint32(quint8(bytes[i + 2]));
}

Result<void> exec(sqlite3* db, const char* sql)
{
    SqliteStatement q;
    if (auto ok = q.prepare(db, sql, context()); !ok)
        return ok;
    return q.exec();
}

// max(fates.id), 0 for an empty table.
Result<qint64> maxFateId(sqlite3* db)
{
    SqliteStatement q;
    if (auto ok = q.prepare(db, "SELECT coalesce(max(id), 0) FROM fates", context()); !ok)
        return ok.error();
    auto row = q.step();
    if (!row)
        return row.error();
    return *row ? q.columnInt(0) : 0;
}

// Decodes one stored posting list; false when it is damaged.
bool decode(QByteArrayView blob, std::vector<qint64>& out)
{
    out.clear();
    ByteReader in(blob);
    qint64 id = 0;
    while (!in.atEnd()) {
        id += qint64(in.varint());
        if (!in.ok())
            return false;
        out.push_back(id);
    }
    return true;
}

} // namespace

Result<void> RecipientGrams::add(qint64 fateId, QStringView recipient)
{
    m_maxId = std::max(m_maxId, fateId);
    const QByteArray bytes = folded(recipient);
    for (qsizetype i = 0; i + 3 <= bytes.size(); ++i) {
        Postings& p = m_grams[gramAt(bytes, i)];
        if (p.last == fateId)
            continue; // the same trigram twice in one address
        if (p.ids.isEmpty())
            p.first = fateId; // a new piece; its deltas go on from the piece before
        putVarint(p.ids, quint64(fateId - p.last));
        p.last = fateId;
    }
    if (++m_pieceFates >= kPieceFates)
        return writePiece();
    return {};
}

Result<void> RecipientGrams::writePiece()
{
    SqliteStatement insert;
    if (auto ok = insert.prepare(m_db, "INSERT INTO fates_grams (gram, first_id, ids) VALUES (?, ?, ?)", context());
        !ok)
        return ok;
    // In key order, so the rows append to the table's b-tree pages in order.
    std::vector<quint32> keys;
    keys.reserve(m_grams.size());
    for (const auto& [gram, postings] : m_grams) {
        if (!postings.ids.isEmpty())
            keys.push_back(gram);
    }
    std::sort(keys.begin(), keys.end());
    for (const quint32 gram : keys) {
        Postings& p = m_grams.at(gram);
        insert.bindInt(1, qint64(gram));
        insert.bindInt(2, p.first);
        insert.bindBlob(3, p.ids);
        if (auto ok = insert.exec(); !ok)
            return ok;
        p.ids.clear(); // keeps the capacity for the next piece
    }
    m_pieceFates = 0;
    return {};
}

Result<void> RecipientGrams::finish()
{
    if (auto ok = writePiece(); !ok)
        return ok;
    m_grams.clear();
    SqliteStatement insert;
    if (auto ok = insert.prepare(m_db, "INSERT INTO fates_grams (gram, first_id, ids) VALUES (?, 0, ?)", context()); !ok)
        return ok;
    QByteArray meta;
    putVarint(meta, quint64(m_maxId));
    insert.bindInt(1, kMetaGram);
    insert.bindBlob(2, meta);
    return insert.exec();
}

Result<void> RecipientGrams::rebuild(sqlite3* db)
{
    if (auto ok = clear(db); !ok)
        return ok;
    RecipientGrams grams(db);
    SqliteStatement q;
    if (auto ok = q.prepare(db, "SELECT id, recipient FROM fates ORDER BY id", context()); !ok)
        return ok;
    auto read = q.forEachRow([&]() -> Result<bool> {
        if (auto ok = grams.add(q.columnInt(0), QString::fromUtf8(q.columnBytes(1))); !ok)
            return ok.error();
        return true;
    });
    if (!read)
        return read;
    return grams.finish();
}

Result<void> RecipientGrams::clear(sqlite3* db)
{
    return exec(db, "DELETE FROM fates_grams");
}

Result<std::optional<QList<qint64>>> RecipientGrams::candidates(sqlite3* db, QStringView text, qsizetype limit)
{
    const QByteArray bytes = folded(text);
    if (bytes.size() < 3)
        return std::optional<QList<qint64>>();
    SqliteStatement q;
    if (auto ok = q.prepare(db, "SELECT ids FROM fates_grams WHERE gram = ? ORDER BY first_id", context()); !ok)
        return ok.error();
    // The pieces of one trigram's list, in order: their deltas go on from piece to piece.
    auto lookup = [&q](qint64 gram) -> Result<std::optional<QByteArray>> {
        q.bindInt(1, gram);
        std::optional<QByteArray> ids;
        auto read = q.forEachRow([&]() -> Result<bool> {
            if (!ids)
                ids.emplace();
            ids->append(q.columnBytes(0));
            return true;
        });
        if (!read)
            return read.error();
        return ids;
    };

    // Out of date (or never built): decline, the caller scans.
    auto meta = lookup(kMetaGram);
    if (!meta)
        return meta.error();
    auto maxId = maxFateId(db);
    if (!maxId)
        return maxId.error();
    if (!meta->has_value())
        return std::optional<QList<qint64>>();
    ByteReader metaReader(**meta);
    if (qint64(metaReader.varint()) != *maxId || !metaReader.ok())
        return std::optional<QList<qint64>>();

    std::vector<quint32> grams;
    for (qsizetype i = 0; i + 3 <= bytes.size(); ++i)
        grams.push_back(gramAt(bytes, i));
    std::sort(grams.begin(), grams.end());
    grams.erase(std::unique(grams.begin(), grams.end()), grams.end());
    QList<QByteArray> lists;
    for (const quint32 gram : grams) {
        auto ids = lookup(qint64(gram));
        if (!ids)
            return ids.error();
        if (!ids->has_value()) // no recipient holds this trigram: nothing matches
            return std::optional<QList<qint64>>(QList<qint64>());
        lists << **ids;
    }
    // The shortest list first: the intersection never grows. Candidates need only hold every
    // match (LIKE decides), so lists far longer than the candidates left are not read: in
    // "user4242" the trigrams "use" and "ser" are in every row and would only cost decoding.
    std::sort(lists.begin(), lists.end(), [](const QByteArray& a, const QByteArray& b) { return a.size() < b.size(); });
    std::vector<qint64> result, next, merged;
    for (qsizetype i = 0; i < lists.size(); ++i) {
        if (i > 0 && lists.at(i).size() > kReadFactor * qsizetype(result.size()) + kReadAlways)
            break;
        if (!decode(lists.at(i), i == 0 ? result : next))
            return std::optional<QList<qint64>>(); // damaged: the scan still answers
        if (i > 0) {
            merged.clear();
            std::set_intersection(result.cbegin(), result.cend(), next.cbegin(), next.cend(),
                                  std::back_inserter(merged));
            result.swap(merged);
        }
        if (result.empty())
            break;
    }
    if (qsizetype(result.size()) >= limit)
        return std::optional<QList<qint64>>();
    return std::optional<QList<qint64>>(QList<qint64>(result.cbegin(), result.cend()));
}

} // namespace bi::core::store
