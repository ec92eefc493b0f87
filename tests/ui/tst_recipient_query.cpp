// SPDX-License-Identifier: GPL-3.0-or-later
// The recipient list's SQL: filters combine, counts agree with pages, sort and paging are stable.
#include <QTemporaryDir>
#include <QTest>

#include "core/store/fate_repository.h"
#include "core/store/project_store.h"
#include "core/store/recipient_query.h"
#include "core/store/synthetic_fates.h"

using namespace Qt::StringLiterals;
using bi::core::store::RecipientColumn;
using bi::core::store::RecipientFilter;
using bi::core::store::RecipientQuery;
using bi::core::store::RecipientRow;
using bi::core::store::RecipientSort;

Q_DECLARE_METATYPE(bi::core::store::RecipientFilter)

class TstRecipientQuery final : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void filtersMatchTheirPages_data();
    void filtersMatchTheirPages();
    void filtersCombine();
    void sortAndPagingAreStable_data();
    void sortAndPagingAreStable();
    void likeWildcardsAreLiteral();
    void textSearchFindsEverySubstring_data();
    void textSearchFindsEverySubstring();
    void textIndexFollowsRebuiltFates();

private:
    QList<RecipientRow> all(const RecipientFilter& filter, const RecipientSort& sort = {});
    QTemporaryDir m_dir;
    std::optional<bi::core::store::ProjectStore> m_store;
    static constexpr qint64 kRows = 3000;
};

void TstRecipientQuery::initTestCase()
{
    QVERIFY(m_dir.isValid());
    auto store = bi::core::store::ProjectStore::open(m_dir.filePath(u"q.bip"_s), u"test-query"_s);
    QVERIFY2(store, qPrintable(store ? QString() : store.error().toString()));
    m_store.emplace(std::move(*store));
    QVERIFY(bi::core::store::addSyntheticFates(*m_store, kRows));
}

QList<RecipientRow> TstRecipientQuery::all(const RecipientFilter& filter, const RecipientSort& sort)
{
    RecipientQuery query(*m_store);
    auto rows = query.page(filter, sort, 0, int(kRows) + 10);
    return rows ? *rows : QList<RecipientRow>();
}

void TstRecipientQuery::filtersMatchTheirPages_data()
{
    QTest::addColumn<RecipientFilter>("filter");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("expected");
    RecipientFilter none;
    QTest::newRow("none") << none << QString() << QString();
    RecipientFilter fate;
    fate.fates = {u"rejected"_s};
    QTest::newRow("fate") << fate << u"fate"_s << u"rejected"_s;
    RecipientFilter domain;
    domain.domains = {u"GMAIL.com"_s};
    QTest::newRow("domain-case") << domain << u"domain"_s << u"gmail.com"_s;
    RecipientFilter provider;
    provider.domains = {u"yahoo.*"_s};
    QTest::newRow("domain-pattern") << provider << u"domain"_s << u"yahoo.com"_s;
    RecipientFilter reason;
    reason.reasons = {u"mailboxfull"_s};
    QTest::newRow("reason") << reason << u"reason"_s << u"mailboxfull"_s;
    RecipientFilter status;
    status.statusClass = u"4"_s;
    QTest::newRow("status-class") << status << u"status4"_s << QString();
    RecipientFilter text;
    text.text = u"USER12@"_s;
    QTest::newRow("text") << text << u"recipient-prefix"_s << u"user12@"_s;
    RecipientFilter verdict;
    verdict.verdicts = {u"backscatter"_s};
    QTest::newRow("verdict") << verdict << u"verdict"_s << u"backscatter"_s;
    RecipientFilter bounce;
    bounce.bounceSecondsMin = 600; // synthetic row i bounces i % 172800 s after acceptance
    bounce.bounceSecondsMax = 1200;
    QTest::newRow("time-to-bounce") << bounce << u"bounce"_s << QString();
}

void TstRecipientQuery::filtersMatchTheirPages()
{
    QFETCH(RecipientFilter, filter);
    QFETCH(QString, field);
    QFETCH(QString, expected);
    RecipientQuery query(*m_store);
    if (field == u"verdict"_s && !query.hasVerdicts())
        QSKIP("schema without bounce verdicts");
    auto count = query.count(filter);
    QVERIFY(count);
    const QList<RecipientRow> rows = all(filter);
    QCOMPARE(qint64(rows.size()), *count);
    if (field.isEmpty()) {
        QCOMPARE(*count, kRows);
        return;
    }
    QVERIFY2(*count > 0 && *count < kRows, qPrintable(QString::number(*count)));
    for (const RecipientRow& row : rows) {
        if (field == u"fate"_s)
            QCOMPARE(row.fate, expected);
        else if (field == u"domain"_s)
            QCOMPARE(row.domain, expected);
        else if (field == u"reason"_s)
            QCOMPARE(row.reason, expected);
        else if (field == u"status4"_s)
            QVERIFY(row.status.startsWith(u"4."_s));
        else if (field == u"recipient-prefix"_s)
            QVERIFY(row.recipient.contains(expected));
        else if (field == u"verdict"_s)
            QCOMPARE(row.verdict, expected);
        else if (field == u"bounce"_s)
            QVERIFY(row.secondsToBounce >= 600 && row.secondsToBounce <= 1200);
    }
}

void TstRecipientQuery::filtersCombine()
{
    RecipientFilter a;
    a.fates = {u"async_bounce"_s};
    RecipientFilter b = a;
    b.text = u"user1"_s;
    RecipientQuery query(*m_store);
    const qint64 onlyFate = *query.count(a);
    const qint64 both = *query.count(b);
    QVERIFY(both > 0 && both < onlyFate);
    const auto rows = all(b);
    QCOMPARE(qint64(rows.size()), both);
    QVERIFY(std::all_of(rows.begin(), rows.end(),
                        [](const RecipientRow& r) { return r.fate == u"async_bounce"_s && r.recipient.startsWith(u"user1"_s); }));
    // A date range on the row time: the synthetic rows are queued 30 s apart from 2024-01-01.
    RecipientFilter range;
    const qint64 start = QDateTime(QDate(2024, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    range.fromMs = start + 30000 * 101;
    range.toMs = start + 30000 * 201;
    QCOMPARE(*query.count(range), qint64(100));
}

void TstRecipientQuery::sortAndPagingAreStable_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<bool>("descending");
    for (int c = 0; c < int(RecipientColumn::Count); ++c) {
        QTest::addRow("col%d-asc", c) << c << false;
        QTest::addRow("col%d-desc", c) << c << true;
    }
}

void TstRecipientQuery::sortAndPagingAreStable()
{
    QFETCH(int, column);
    QFETCH(bool, descending);
    const RecipientSort sort{RecipientColumn(column), descending};
    RecipientQuery query(*m_store);
    const auto whole = query.page({}, sort, 0, 600);
    QVERIFY(whole);
    QList<qint64> ids;
    for (int offset = 0; offset < 600; offset += 150) {
        const auto part = query.page({}, sort, offset, 150);
        QVERIFY(part);
        for (const RecipientRow& r : *part)
            ids << r.fateId;
    }
    QCOMPARE(ids.size(), 600);
    for (int i = 0; i < 600; ++i)
        QCOMPARE(ids.at(i), whole->at(i).fateId);
    if (RecipientColumn(column) == RecipientColumn::Time) {
        for (int i = 1; i < whole->size(); ++i)
            QVERIFY(descending ? whole->at(i - 1).timeMs >= whole->at(i).timeMs
                               : whole->at(i - 1).timeMs <= whole->at(i).timeMs);
    }
    if (RecipientColumn(column) == RecipientColumn::Recipient) {
        for (int i = 1; i < whole->size(); ++i)
            QVERIFY(descending ? whole->at(i - 1).recipient >= whole->at(i).recipient
                               : whole->at(i - 1).recipient <= whole->at(i).recipient);
    }
}

void TstRecipientQuery::likeWildcardsAreLiteral()
{
    RecipientFilter filter;
    filter.text = u"user1_"_s; // '_' is a LIKE wildcard: must match only a literal underscore
    RecipientQuery query(*m_store);
    QCOMPARE(*query.count(filter), qint64(0));
    filter.text = u"%"_s;
    QCOMPARE(*query.count(filter), qint64(0));
}

void TstRecipientQuery::textSearchFindsEverySubstring_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("trigram-index") << u"user12"_s;
    QTest::newRow("case-folded") << u"USER3"_s;
    QTest::newRow("matches-all") << u"example"_s;
    QTest::newRow("across-at") << u"7@"_s; // two characters: read, not indexed
    QTest::newRow("no-match") << u"nobody-here"_s;
}

// The trigram index and the plain scan give the same rows as a substring test in C++.
void TstRecipientQuery::textSearchFindsEverySubstring()
{
    QFETCH(QString, text);
    qint64 expected = 0;
    for (const RecipientRow& row : all({}))
        expected += row.recipient.contains(text, Qt::CaseInsensitive) ? 1 : 0;
    RecipientFilter filter;
    filter.text = text;
    RecipientQuery query(*m_store);
    auto count = query.count(filter);
    QVERIFY(count);
    QCOMPARE(*count, expected);
    const QList<RecipientRow> rows = all(filter);
    QCOMPARE(qint64(rows.size()), expected);
    for (const RecipientRow& row : rows)
        QVERIFY(row.recipient.contains(text, Qt::CaseInsensitive));
}

// Fates are rebuilt after every import: the text index must not keep the old rows.
void TstRecipientQuery::textIndexFollowsRebuiltFates()
{
    auto store = bi::core::store::ProjectStore::open(m_dir.filePath(u"rebuilt.bip"_s), u"test-rebuild"_s);
    QVERIFY(store);
    QVERIFY(bi::core::store::addSyntheticFates(*store, 200));
    RecipientFilter filter;
    filter.text = u"user15"_s; // user15, user150..user159
    QCOMPARE(*RecipientQuery(*store).count(filter), qint64(11));
    QVERIFY(bi::core::store::FateRepository(*store).clear());
    QCOMPARE(*RecipientQuery(*store).count(filter), qint64(0));
    QVERIFY(bi::core::store::addSyntheticFates(*store, 100));
    QCOMPARE(*RecipientQuery(*store).count(filter), qint64(1));
    QCOMPARE(RecipientQuery(*store).page(filter, {}, 0, 10)->size(), 1);
}

QTEST_GUILESS_MAIN(TstRecipientQuery)
#include "tst_recipient_query.moc"
