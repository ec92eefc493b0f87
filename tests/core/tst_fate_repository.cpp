// SPDX-License-Identifier: GPL-3.0-or-later
#include <thread>

#include <QTemporaryDir>
#include <QTest>

#include "core/logs/log_event.h"
#include "core/store/fate_repository.h"
#include "core/store/project_store.h"
#include "store_test_util.h"

using namespace Qt::StringLiterals;
using bi::core::store::EncodedFate;
using bi::core::store::Fate;
using bi::core::store::FateRecord;
using bi::core::store::FateRepository;
using bi::core::store::ProjectStore;
using bi::core::store::TimelineStep;
using bi::test::RawDb;

namespace {

QDateTime at(qint64 seconds)
{
    return QDateTime::fromMSecsSinceEpoch(1767225600000 + seconds * 1000, Qt::UTC);
}

// A fate with every column set, text needing JSON escapes and non-ASCII.
FateRecord expiredFate(const QString& recipient)
{
    FateRecord f;
    f.messageId = u"20260101.1@app.example"_s;
    f.queueId = u"4F2A1B3C9D"_s;
    f.host = u"relay1"_s;
    f.sender = u"news@example.com"_s;
    f.recipient = recipient;
    f.fate = Fate::Expired;
    f.reason = u"expired"_s;
    f.status = u"4.4.7"_s;
    f.replyCode = u"451"_s;
    f.diagnostic = u"delivery temporarily suspended: \"connect\" to Müller's MX\ttimed out"_s;
    f.queuedAt = at(0);
    f.firstAttemptAt = at(5);
    f.finalAt = at(5 * 86400);
    f.attempts = 3;
    f.deferrals = 2;
    f.decidedBy = u"log"_s;
    f.evidence = {u"queue lifetime reached"_s, u"line \\ with \"quotes\""_s,
                  u"control \u0001\r\n and a pair \U0001F600 \u00e9t\u00e9"_s};
    f.matchConfidence = 0.95;
    f.steps << TimelineStep{TimelineStep::Kind::Queued, at(0), {}, {}, {}, u"app[192.0.2.20]"_s, 0, 0}
            << TimelineStep{TimelineStep::Kind::Deferred, at(5), u"4.4.1"_s, u"451"_s, u"try later \u00fcber \"x\"\\"_s,
                            u"mx.example.net[198.51.100.7]:25"_s, 0, 0};
    return f;
}

int fateIndexes(RawDb& db)
{
    return db.scalar(u"SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'fates' "
                     u"AND sql IS NOT NULL"_s)
        .toInt();
}

} // namespace

class TstFateRepository : public QObject {
    Q_OBJECT

private slots:
    void gapsReadAsTheTimesShown()
    {
        const QDateTime a(QDate(2026, 3, 2), QTime(10, 0, 0, 900), Qt::UTC);
        QCOMPARE(TimelineStep::shownGap(a, a.addMSecs(200)), qint64(1)); // 10:00:00 to 10:00:01
        QCOMPARE(TimelineStep::shownGap(a, a.addMSecs(50)), qint64(0));  // both 10:00:00
        QCOMPARE(TimelineStep::shownGap(a, a.addSecs(3600)), qint64(3600));
    }

    void encodedFateReadsBackAsTheRecord()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        auto store = ProjectStore::open(dir.filePath(u"p.bip"_s), u"test"_s);
        QVERIFY(store);
        FateRepository fates(*store);
        const FateRecord f = expiredFate(u"Someone@Example.NET"_s);
        QVERIFY(store->begin());
        // encode() may run in another thread than add(): the bound values are the record's.
        EncodedFate encoded;
        std::thread other([&] { encoded = FateRepository::encode(f); });
        other.join();
        auto id = fates.add(encoded);
        QVERIFY(id);
        QVERIFY(store->commit());
        auto back = fates.byId(*id);
        QVERIFY2(back, qPrintable(back ? QString() : back.error().toString()));
        QCOMPARE(back->messageId, f.messageId);
        QCOMPARE(back->queueId, f.queueId);
        QCOMPARE(back->host, f.host);
        QCOMPARE(back->sender, f.sender);
        QCOMPARE(back->recipient, f.recipient);
        QCOMPARE(back->fate, f.fate);
        QCOMPARE(back->reason, f.reason);
        QCOMPARE(back->status, f.status);
        QCOMPARE(back->replyCode, f.replyCode);
        QCOMPARE(back->diagnostic, f.diagnostic);
        QCOMPARE(back->queuedAt, f.queuedAt);
        QCOMPARE(back->firstAttemptAt, f.firstAttemptAt);
        QCOMPARE(back->finalAt, f.finalAt);
        QVERIFY(!back->bounceAt.isValid());
        QCOMPARE(back->attempts, f.attempts);
        QCOMPARE(back->deferrals, f.deferrals);
        QCOMPARE(back->decidedBy, f.decidedBy);
        QCOMPARE(back->evidence, f.evidence);
        QCOMPARE(back->matchConfidence, f.matchConfidence);
        QCOMPARE(back->steps.size(), f.steps.size());
        QCOMPARE(back->steps.at(1).text, f.steps.at(1).text);
        QCOMPARE(back->steps.at(1).relay, f.steps.at(1).relay);
        RawDb db(dir.filePath(u"p.bip"_s));
        QCOMPARE(db.scalar(u"SELECT domain FROM fates WHERE id = %1"_s.arg(*id)).toString(), u"example.net"_s);
    }

    void fatesKnownOnlyByTheirBounceKeepTimeOrder()
    {
        // Fates from the mailbox alone have no queued or final time: they are placed by the
        // day their notice arrived, among the logged ones, whatever order they were stored in.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        auto store = ProjectStore::open(dir.filePath(u"p.bip"_s), u"test"_s);
        QVERIFY(store);
        FateRepository fates(*store);
        const auto mailboxOnly = [](const QString& messageId, qint64 bounceSecond) {
            FateRecord f;
            f.messageId = messageId;
            f.recipient = u"kim@example.net"_s;
            f.fate = Fate::AsyncBounce;
            f.bounceAt = at(bounceSecond);
            f.decidedBy = u"mailbox"_s;
            return f;
        };
        FateRecord logged = expiredFate(u"kim@example.net"_s); // queued at(0), final 5 days on
        logged.messageId = u"logged@app.example"_s;
        logged.queuedAt = at(3 * 86400);
        QVERIFY(store->begin());
        QVERIFY(fates.add(mailboxOnly(u"late@app.example"_s, 9 * 86400)));
        QVERIFY(fates.add(logged));
        QVERIFY(fates.add(mailboxOnly(u"early@app.example"_s, 86400)));
        QVERIFY(store->commit());

        auto found = fates.forRecipient(u"kim@example.net"_s);
        QVERIFY(found);
        QStringList order;
        for (const FateRecord& f : *found)
            order << f.messageId;
        QCOMPARE(order, (QStringList{u"early@app.example"_s, u"logged@app.example"_s, u"late@app.example"_s}));
        order.clear();
        QVERIFY(fates.forEach([&order](const FateRecord& f) {
            order << f.messageId;
            return true;
        }));
        QCOMPARE(order, (QStringList{u"early@app.example"_s, u"logged@app.example"_s, u"late@app.example"_s}));
    }

    void indexesServeThroughARewrite()
    {
        // The list's indexes stay while the fates are rewritten (kept up to date row by row),
        // and a rolled-back rewrite leaves the old fates found through them.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(u"p.bip"_s);
        auto store = ProjectStore::open(path, u"test"_s);
        QVERIFY(store);
        RawDb db(path);
        const int indexes = fateIndexes(db);
        QVERIFY(indexes >= 10);
        {
            FateRepository fates(*store);
            QVERIFY(store->begin());
            QVERIFY(fates.beginRewrite());
            QVERIFY(fates.add(expiredFate(u"old@example.net"_s)));
            QVERIFY(fates.finishRewrite());
            QVERIFY(store->commit());
        }
        {
            FateRepository fates(*store);
            QVERIFY(store->begin());
            QVERIFY(fates.beginRewrite());
            QCOMPARE(*fates.count(), 0);
            QVERIFY(fates.add(expiredFate(u"new@example.net"_s)));
            auto found = fates.forRecipient(u"new@example.net"_s);
            QVERIFY(found);
            QCOMPARE(found->size(), 1);
            store->rollback();
        }
        QCOMPARE(fateIndexes(db), indexes);
        QCOMPARE(db.scalar(u"SELECT recipient FROM fates INDEXED BY fates_by_recipient "
                           u"WHERE recipient = 'old@example.net'"_s)
                     .toString(),
                 u"old@example.net"_s);
        QCOMPARE(db.scalar(u"SELECT count(*) FROM fates"_s).toInt(), 1);
    }

    void stepsRepeatingTheirEventsAreStoredAsRuns()
    {
        // A recipient retried for days has dozens of deferrals that only cite their log events:
        // stored as runs of one kind with evenly spaced events, read back one step each.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(u"p.bip"_s);
        auto store = ProjectStore::open(path, u"test"_s);
        QVERIFY(store);
        QHash<qint64, bi::core::logs::LogEvent> events;
        FateRecord f = expiredFate(u"retried@example.net"_s);
        f.steps.clear();
        f.steps << TimelineStep{TimelineStep::Kind::Queued, at(0), {}, {}, {}, u"app[192.0.2.20]"_s, 0, 0};
        const auto cite = [&](TimelineStep::Kind kind, qint64 row, qint64 second) {
            bi::core::logs::LogEvent e;
            e.time = at(second);
            e.dsn = u"4.4.1"_s;
            e.replyText = u"connect to mx.example.net[198.51.100.7]:25: Connection timed out"_s;
            e.relay = u"none"_s;
            events.insert(row, e);
            f.steps << TimelineStep{kind, e.time, e.dsn, {}, e.replyText, e.relay, row, 0};
        };
        for (qint64 i = 0; i < 40; ++i) // one event after another
            cite(TimelineStep::Kind::Deferred, 4096 + i, 60 + i * 3600);
        for (qint64 i = 0; i < 5; ++i) // every third event (other recipients' in between)
            cite(TimelineStep::Kind::Deferred, 5000 + 3 * i, 200000 + i * 3600);
        cite(TimelineStep::Kind::Deferred, 6000, 300000); // alone
        f.steps << TimelineStep{TimelineStep::Kind::Expired, at(432000), u"4.4.1"_s, {}, {}, {}, 0, 0};
        cite(TimelineStep::Kind::Deferred, 6001, 432001); // a run is one kind, in order
        FateRepository fates(*store);
        QVERIFY(store->begin());
        auto id = fates.add(f, [&events](qint64 row) -> const bi::core::logs::LogEvent* {
            const auto it = events.constFind(row);
            return it == events.cend() ? nullptr : &*it;
        });
        QVERIFY(id);
        QVERIFY(store->commit());

        RawDb db(path);
        const QString json = db.scalar(u"SELECT steps FROM fates WHERE id = %1"_s.arg(*id)).toString();
        QVERIFY2(json.contains(u"\"log\":4096,\"ref\":1,\"n\":40}"_s), qPrintable(json));
        QVERIFY2(json.contains(u"\"log\":5000,\"ref\":1,\"n\":5,\"d\":3}"_s), qPrintable(json));
        QVERIFY2(json.contains(u"\"log\":6000,\"ref\":1}"_s), qPrintable(json));

        // The log events are not in this project: the steps come back bare, in place.
        auto back = fates.byId(*id);
        QVERIFY(back);
        QCOMPARE(back->steps.size(), f.steps.size());
        for (qsizetype i = 0; i < f.steps.size(); ++i) {
            QCOMPARE(back->steps.at(i).kind, f.steps.at(i).kind);
            QCOMPARE(back->steps.at(i).logEventRow, f.steps.at(i).logEventRow);
        }

        // A damaged run cannot make a reader build an unbounded list.
        QVERIFY(db.exec(u"UPDATE fates SET steps = '[{\"kind\":\"deferred\",\"log\":7,\"ref\":1,\"n\":1e12}]' "
                        u"WHERE id = %1"_s.arg(*id)));
        auto damaged = fates.byId(*id);
        QVERIFY(damaged);
        QCOMPARE(damaged->steps.size(), 100000);
        QCOMPARE(damaged->steps.last().logEventRow, 7 + 99999);
    }
};

QTEST_GUILESS_MAIN(TstFateRepository)
#include "tst_fate_repository.moc"
