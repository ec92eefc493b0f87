// SPDX-License-Identifier: GPL-3.0-or-later
#include <QTemporaryDir>
#include <QTest>

#include "core/store/log_repository.h"
#include "core/store/project_store.h"
#include "store_test_util.h"

using namespace Qt::StringLiterals;
using bi::core::logs::LogEvent;
using bi::core::logs::LogEventType;
using bi::core::store::LogRepository;
using bi::core::store::ProjectStore;
using bi::core::store::StoredLogEvent;
using bi::test::RawDb;

namespace {

// A delivery line of queue id qid, about 200 bytes, different for every n.
LogEvent delivery(qint64 n, const QString& qid)
{
    LogEvent e;
    e.type = LogEventType::DeliveryAttempt;
    e.host = u"mx1"_s;
    e.queueId = qid;
    e.recipient = u"user%1@example.org"_s.arg(n);
    e.time = QDateTime::fromMSecsSinceEpoch(1700000000000 + n * 1000, Qt::UTC);
    e.lineNumber = n + 1;
    e.byteOffset = n * 220;
    e.rawLine = "Nov 14 22:13:20 mx1 postfix/smtp[123]: " + qid.toUtf8() + ": to=<user" + QByteArray::number(n)
        + "@example.org>, relay=mx.example.org[192.0.2.1]:25, delay=1, dsn=2.0.0, status=sent (250 ok "
        + QByteArray::number(n * 7919) + ")";
    return e;
}

} // namespace

class TstLogRepository : public QObject {
    Q_OBJECT

private slots:
    void rawLinesComeBackVerbatim()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        auto store = ProjectStore::open(dir.filePath(u"p.bip"_s), u"test"_s);
        QVERIFY(store);
        auto source = store->addSource(u"/var/log/mail.log"_s, u"log"_s, 0);
        QVERIFY(source);
        // Enough lines for several raw blocks; one line with two events (Exchange-style), an
        // empty line, and bytes that are not UTF-8.
        constexpr qint64 kLines = 4000;
        QList<LogEvent> added;
        {
            LogRepository repo(*store);
            QVERIFY(store->begin());
            for (qint64 n = 0; n < kLines; ++n) {
                LogEvent e = delivery(n, u"Q%1"_s.arg(n / 3));
                if (n == 10)
                    e.rawLine = QByteArray();
                if (n == 11)
                    e.rawLine = QByteArray("\xff\xfe raw \x00 bytes", 14);
                QVERIFY(repo.add(source->id, e));
                added << e;
                if (n == 20) {
                    LogEvent twin = e;
                    twin.recipient = u"twin@example.org"_s;
                    QVERIFY(repo.add(source->id, twin));
                    added << twin;
                }
            }
            QVERIFY(repo.flush());
            QVERIFY(store->commit());

            for (const qint64 n : {qint64(0), qint64(10), qint64(11), qint64(20), qint64(2500), kLines - 1}) {
                const QString qid = u"Q%1"_s.arg(n / 3);
                auto events = repo.eventsOf(u"mx1"_s, qid);
                QVERIFY(events);
                bool found = false;
                for (const StoredLogEvent& s : *events) {
                    if (s.event.lineNumber != n + 1)
                        continue;
                    found = true;
                    QCOMPARE(s.event.rawLine, n == 10 ? QByteArray() : added.at(n > 20 ? n + 1 : n).rawLine);
                }
                QVERIFY2(found, qPrintable(qid));
            }
            // The two events of line 21 share one stored line.
            auto twins = repo.eventsOf(u"mx1"_s, u"Q6"_s);
            QVERIFY(twins);
            QList<qint64> rows;
            for (const StoredLogEvent& s : *twins)
                rows << s.row;
            auto byRow = repo.events(rows);
            QVERIFY(byRow);
            QCOMPARE(byRow->size(), twins->size());
            int onLine21 = 0;
            for (const StoredLogEvent& s : *byRow) {
                QCOMPARE(s.event.rawLine, delivery(s.event.lineNumber - 1, u"Q6"_s).rawLine);
                onLine21 += s.event.lineNumber == 21 ? 1 : 0;
            }
            QCOMPARE(onLine21, 2);
        }
        RawDb db(dir.filePath(u"p.bip"_s));
        QCOMPARE(db.scalar(u"SELECT sum(lines) FROM log_raw"_s).toLongLong(), kLines);
        QVERIFY(db.scalar(u"SELECT count(*) FROM log_raw"_s).toInt() > 1);
        // Compressed: well below the 800 KB of lines.
        QVERIFY(db.scalar(u"SELECT sum(length(data)) FROM log_raw"_s).toLongLong() < 200 * 1024);
    }

    void rolledBackLinesAreNotCounted()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        auto store = ProjectStore::open(dir.filePath(u"p.bip"_s), u"test"_s);
        QVERIFY(store);
        auto source = store->addSource(u"/var/log/mail.log"_s, u"log"_s, 0);
        QVERIFY(source);
        LogRepository repo(*store);
        QVERIFY(store->begin());
        QVERIFY(repo.add(source->id, delivery(0, u"A1"_s)));
        QVERIFY(repo.flush());
        QVERIFY(store->commit());
        QVERIFY(store->begin());
        QVERIFY(repo.add(source->id, delivery(1, u"B1"_s)));
        QVERIFY(repo.flush());
        store->rollback();
        repo.discard();
        QVERIFY(store->begin());
        QVERIFY(repo.add(source->id, delivery(2, u"C1"_s)));
        QVERIFY(repo.flush());
        QVERIFY(store->commit());
        auto c = repo.eventsOf(u"mx1"_s, u"C1"_s);
        QVERIFY(c);
        QCOMPARE(c->size(), 1);
        QCOMPARE(c->first().event.rawLine, delivery(2, u"C1"_s).rawLine);
        auto a = repo.eventsOf(u"mx1"_s, u"A1"_s);
        QVERIFY(a);
        QCOMPARE(a->first().event.rawLine, delivery(0, u"A1"_s).rawLine);
    }

    void queueGroupsComeInTimeOrder()
    {
        // The correlator reads the groups in time order of their first event (then host and
        // queue id), whatever the queue ids; a message written in two chunks (a commit while
        // it was queued) is one group; unstamped groups come first.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        auto store = ProjectStore::open(dir.filePath(u"p.bip"_s), u"test"_s);
        QVERIFY(store);
        auto source = store->addSource(u"/var/log/mail.log"_s, u"log"_s, 0);
        QVERIFY(source);
        LogRepository repo(*store);
        QVERIFY(store->begin());
        for (const auto& [n, qid] : {std::pair{0, u"ZZZ"_s}, {1, u"ZZZ"_s}, {5, u"MMM"_s}, {10, u"AAA"_s},
                                     {11, u"AAA"_s}, {12, u"BBB"_s}})
            QVERIFY(repo.add(source->id, delivery(n, qid)));
        QVERIFY(repo.flush());
        QVERIFY(store->commit());
        QVERIFY(store->begin());
        QVERIFY(repo.add(source->id, delivery(20, u"MMM"_s)));
        LogEvent unstamped = delivery(30, u"YYY"_s);
        unstamped.time = QDateTime();
        QVERIFY(repo.add(source->id, unstamped));
        QVERIFY(repo.flush());
        QVERIFY(store->commit());
        RawDb db(dir.filePath(u"p.bip"_s));
        QCOMPARE(db.scalar(u"SELECT count(*) FROM log_chunks WHERE queue_id = 'MMM'"_s).toInt(), 2);

        QStringList order;
        QList<qint64> mmmLines;
        QVERIFY(repo.forEachQueueGroup([&](QList<StoredLogEvent>& group) {
            order << group.first().event.queueId;
            for (const StoredLogEvent& e : std::as_const(group)) {
                if (e.event.queueId != group.first().event.queueId)
                    return false;
                if (e.event.queueId == u"MMM")
                    mmmLines << e.event.lineNumber;
            }
            return true;
        }));
        QCOMPARE(order, (QStringList{u"YYY"_s, u"ZZZ"_s, u"MMM"_s, u"AAA"_s, u"BBB"_s}));
        QCOMPARE(mmmLines, (QList<qint64>{6, 21}));

        // Stopping after the first group stops.
        int groups = 0;
        QVERIFY(repo.forEachQueueGroup([&](QList<StoredLogEvent>&) { return ++groups < 1; }));
        QCOMPARE(groups, 1);
    }

    void damagedBlockIsAnError()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(u"p.bip"_s);
        {
            auto store = ProjectStore::open(path, u"test"_s);
            QVERIFY(store);
            auto source = store->addSource(u"/var/log/mail.log"_s, u"log"_s, 0);
            QVERIFY(source);
            LogRepository repo(*store);
            QVERIFY(store->begin());
            QVERIFY(repo.add(source->id, delivery(0, u"A1"_s)));
            QVERIFY(repo.flush());
            QVERIFY(store->commit());
        }
        {
            RawDb db(path);
            QVERIFY(db.exec(u"UPDATE log_raw SET data = x'28b52ffd00ffffff'"_s));
        }
        auto store = ProjectStore::open(path, u"test"_s);
        QVERIFY(store);
        LogRepository repo(*store);
        auto events = repo.eventsOf(u"mx1"_s, u"A1"_s);
        QVERIFY(!events);
        QVERIFY(events.error().message.contains(u"damaged"_s));
    }
};

QTEST_GUILESS_MAIN(TstLogRepository)
#include "tst_log_repository.moc"
