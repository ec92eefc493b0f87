// SPDX-License-Identifier: GPL-3.0-or-later
// The recipient list's free-text index (RecipientGrams): its candidates hold every LIKE match,
// it declines what it cannot narrow, and it never answers from fates it was not built from.
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include "core/store/fate_repository.h"
#include "core/store/project_store.h"
#include "core/store/recipient_grams.h"
#include "core/store/sqlite_statement.h"
#include "core/store/synthetic_fates.h"

using namespace Qt::StringLiterals;
using bi::core::store::FateRecord;
using bi::core::store::FateRepository;
using bi::core::store::ProjectStore;
using bi::core::store::RecipientGrams;

namespace {

const QStringList kRecipients = {
    u"alice@example.org"_s, u"bob@example.net"_s,   u"aaaa@aaaa.example"_s, u"Mixed.Case@Example.COM"_s,
    u"user1_x@corp.example"_s, u"user12@corp.example"_s, u"jürgen@müller.example"_s, u"ÄRGER@umlaut.example"_s,
    u"carol+tag@example.org"_s, u"x@y.z"_s,
};

// What SQLite's LIKE finds: ASCII letters fold, everything else compares exactly.
bool likeContains(const QString& haystack, const QString& needle)
{
    auto fold = [](QString s) {
        for (QChar& c : s) {
            if (c >= u'A' && c <= u'Z')
                c = QChar(c.unicode() + 32);
        }
        return s;
    };
    return fold(haystack).contains(fold(needle));
}

} // namespace

class TstRecipientGrams final : public QObject {
    Q_OBJECT
private slots:
    void init();
    void candidatesHoldEveryMatch_data();
    void candidatesHoldEveryMatch();
    void absentTrigramMeansNoMatch();
    void declinesWhatItCannotNarrow();
    void outOfDateIndexDeclines();
    void rebuildGivesTheWrittenIndex();
    void listsGoOnAcrossPieces();

private:
    sqlite3* handle() const { return bi::core::store::sqliteHandle(QSqlDatabase::database(m_store->connectionName(), false)); }
    void writeFates(const QStringList& recipients);
    QTemporaryDir m_dir;
    std::optional<ProjectStore> m_store;
    QHash<qint64, QString> m_ids; // fate id -> recipient
    int m_serial = 0;
};

void TstRecipientGrams::init()
{
    QVERIFY(m_dir.isValid());
    m_store.reset();
    ++m_serial;
    auto store = ProjectStore::open(m_dir.filePath(u"g%1.bip"_s.arg(m_serial)), u"test-grams-%1"_s.arg(m_serial));
    QVERIFY2(store, qPrintable(store ? QString() : store.error().toString()));
    m_store.emplace(std::move(*store));
    writeFates(kRecipients);
}

void TstRecipientGrams::writeFates(const QStringList& recipients)
{
    m_ids.clear();
    QVERIFY(m_store->begin());
    FateRepository fates(*m_store);
    QVERIFY(fates.beginRewrite());
    for (const QString& r : recipients) {
        FateRecord f;
        f.recipient = r;
        auto id = fates.add(f);
        QVERIFY(id);
        m_ids.insert(*id, r);
    }
    QVERIFY(fates.finishRewrite());
    QVERIFY(m_store->commit());
}

void TstRecipientGrams::candidatesHoldEveryMatch_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("plain") << u"example"_s;
    QTest::newRow("ascii-case") << u"MIXED.case"_s;
    QTest::newRow("repeated-trigram") << u"aaaa@"_s;
    QTest::newRow("like-wildcard-literal") << u"user1_"_s;
    QTest::newRow("non-ascii") << u"müller"_s;
    QTest::newRow("non-ascii-upper") << u"ÄRGER"_s;
    QTest::newRow("three-bytes") << u"x@y"_s;
    QTest::newRow("whole-address") << u"carol+tag@example.org"_s;
}

void TstRecipientGrams::candidatesHoldEveryMatch()
{
    QFETCH(QString, text);
    auto found = RecipientGrams::candidates(handle(), text, 1000);
    QVERIFY2(found, qPrintable(found ? QString() : found.error().toString()));
    QVERIFY2(found->has_value(), "the index declined a text it can narrow");
    const QList<qint64> ids = **found;
    QVERIFY(std::is_sorted(ids.cbegin(), ids.cend()));
    int matches = 0;
    for (auto it = m_ids.cbegin(); it != m_ids.cend(); ++it) {
        if (likeContains(it.value(), text)) {
            ++matches;
            QVERIFY2(ids.contains(it.key()), qPrintable(it.value()));
        }
    }
    QVERIFY(matches > 0);
    QVERIFY(ids.size() < m_ids.size() || text == u"example"_s);
}

void TstRecipientGrams::absentTrigramMeansNoMatch()
{
    auto found = RecipientGrams::candidates(handle(), u"nobody"_s, 1000);
    QVERIFY(found);
    QVERIFY(found->has_value());
    QVERIFY((*found)->isEmpty());
    // "ärger" lower-cased is not what LIKE compares: Ä stays Ä.
    found = RecipientGrams::candidates(handle(), u"ärger"_s, 1000);
    QVERIFY(found && found->has_value());
    QVERIFY((*found)->isEmpty());
}

void TstRecipientGrams::declinesWhatItCannotNarrow()
{
    auto shortText = RecipientGrams::candidates(handle(), u"ab"_s, 1000);
    QVERIFY(shortText);
    QVERIFY(!shortText->has_value());
    // Two ASCII characters are two bytes: no trigram to look up.
    auto twoChars = RecipientGrams::candidates(handle(), u"n@"_s, 1000);
    QVERIFY(twoChars && !twoChars->has_value());
    auto limited = RecipientGrams::candidates(handle(), u"example"_s, 3);
    QVERIFY(limited);
    QVERIFY(!limited->has_value());
}

void TstRecipientGrams::outOfDateIndexDeclines()
{
    // A fate written outside a rewrite is not in the index: it must not answer.
    QVERIFY(m_store->begin());
    FateRecord f;
    f.recipient = u"late@example.org"_s;
    QVERIFY(FateRepository(*m_store).add(f));
    QVERIFY(m_store->commit());
    auto found = RecipientGrams::candidates(handle(), u"late@"_s, 1000);
    QVERIFY(found);
    QVERIFY(!found->has_value());
    // Emptied: out of date as well.
    QVERIFY(m_store->begin());
    QVERIFY(FateRepository(*m_store).clear());
    QVERIFY(m_store->commit());
    found = RecipientGrams::candidates(handle(), u"example"_s, 1000);
    QVERIFY(found && !found->has_value());
}

void TstRecipientGrams::rebuildGivesTheWrittenIndex()
{
    QList<QList<qint64>> before;
    const QStringList texts = {u"example"_s, u"corp.ex"_s, u"müller"_s, u"aaaa"_s};
    for (const QString& t : texts)
        before << **RecipientGrams::candidates(handle(), t, 1000);
    QVERIFY(m_store->begin());
    QVERIFY(RecipientGrams::clear(handle()));
    QVERIFY(RecipientGrams::rebuild(handle()));
    QVERIFY(m_store->commit());
    for (qsizetype i = 0; i < texts.size(); ++i) {
        auto found = RecipientGrams::candidates(handle(), texts.at(i), 1000);
        QVERIFY(found && found->has_value());
        QCOMPARE(**found, before.at(i));
    }
}

// More fates than one piece holds: a trigram's list is stored in several rows and read back
// whole, and the candidates still hold every match.
void TstRecipientGrams::listsGoOnAcrossPieces()
{
    const qint64 rows = RecipientGrams::kPieceFates + 5000;
    QVERIFY(bi::core::store::addSyntheticFates(*m_store, rows)); // rebuilds the index
    QSqlQuery pieces(QSqlDatabase::database(m_store->connectionName(), false));
    pieces.prepare(u"SELECT count(*) FROM fates_grams WHERE gram = ?"_s);
    pieces.addBindValue((int('u') << 16) | (int('s') << 8) | int('e'));
    QVERIFY(pieces.exec());
    QVERIFY(pieces.next());
    QCOMPARE(pieces.value(0).toInt(), 2); // "use" is in every synthetic recipient
    for (const QString& text : {u"user6553"_s, u"user7"_s, u"er70000@"_s}) {
        QSqlQuery like(QSqlDatabase::database(m_store->connectionName(), false));
        like.prepare(u"SELECT id FROM fates WHERE recipient LIKE ? ORDER BY id"_s);
        like.addBindValue(u"%"_s + text + u"%"_s);
        QVERIFY(like.exec());
        QList<qint64> expected;
        while (like.next())
            expected << like.value(0).toLongLong();
        QVERIFY(!expected.isEmpty());
        auto found = RecipientGrams::candidates(handle(), text, 1000000);
        QVERIFY(found && found->has_value());
        for (const qint64 id : expected)
            QVERIFY2((*found)->contains(id), qPrintable(text + u' ' + QString::number(id)));
    }
}

QTEST_GUILESS_MAIN(TstRecipientGrams)
#include "tst_recipient_grams.moc"
