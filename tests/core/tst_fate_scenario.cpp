// SPDX-License-Identifier: GPL-3.0-or-later
// Fates against the truth of a generated scenario: Postfix log + mailbox, Exim log +
// mailbox, and the mailbox alone; also import order and re-import.
#include <cstdio>
#include <map>

#include <QTemporaryDir>
#include <QTest>

#include "core/import/import_job.h"
#include "core/store/fate_repository.h"
#include "core/store/project_store.h"
#include "scenario.h"

using namespace Qt::StringLiterals;
using bi::core::store::FateRecord;

class TstFateScenario final : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void postfixLogAndMailbox();
    void eximLogAndMailbox();
    void mailboxAlone();
    void importOrderDoesNotMatter();
    void reimportAddsNothing();
    void inMemoryProjectDecidesAlike();

private:
    struct Agreement {
        int total = 0;
        int agree = 0;
        QStringList misses;
    };
    QList<FateRecord> importAndRead(const QStringList& files, const QString& name);
    Agreement compare(const QList<FateRecord>& fates, bool failedOnly);

    QTemporaryDir m_dir;
    QList<bi::scenario::TruthRecord> m_truth;
};

void TstFateScenario::initTestCase()
{
    QVERIFY(m_dir.isValid());
    bi::scenario::ScenarioOptions options;
    options.seed = 20261129;
    options.messages = 300;
    QString error;
    m_truth = bi::scenario::ScenarioGenerator(options).writeTo(m_dir.filePath(u"scenario"_s), &error);
    QVERIFY2(!m_truth.isEmpty(), qPrintable(error));
}

QList<FateRecord> TstFateScenario::importAndRead(const QStringList& files, const QString& name)
{
    QList<FateRecord> out;
    const QString path = name == u":memory:"_s ? name : m_dir.filePath(name);
    auto store = bi::core::store::ProjectStore::open(path, u"test"_s);
    if (!store) {
        qWarning("%s", qPrintable(store.error().toString()));
        return out;
    }
    bi::core::import::ImportOptions options;
    options.logTimeZone = QTimeZone(3600); // the scenario's smarthosts run on UTC+01:00
    QStringList paths;
    for (const QString& f : files)
        paths << m_dir.filePath(u"scenario/"_s + f);
    bi::core::import::ImportJob job(*store, options);
    auto summary = job.run(paths);
    if (!summary || !summary->errors.isEmpty()) {
        qWarning("import failed: %s", qPrintable(summary ? summary->errors.join(u"; "_s) : summary.error().toString()));
        return out;
    }
    bi::core::store::FateRepository repo(*store);
    (void)repo.forEach([&out](const FateRecord& f) {
        out << f;
        return true;
    });
    return out;
}

TstFateScenario::Agreement TstFateScenario::compare(const QList<FateRecord>& fates, bool failedOnly)
{
    std::map<std::pair<QString, QString>, const FateRecord*> byKey;
    for (const FateRecord& f : fates)
        byKey[{f.messageId, f.recipient}] = &f;
    Agreement a;
    for (const bi::scenario::TruthRecord& t : m_truth) {
        const bool failed = t.fate == u"rejected" || t.fate == u"expired" || t.fate == u"async_bounce";
        if (failedOnly && !failed)
            continue;
        ++a.total;
        const auto it = byKey.find({t.messageId, t.recipient});
        const QString got = it == byKey.end() ? u"(none)"_s : bi::core::store::fateName(it->second->fate);
        if (got == t.fate)
            ++a.agree;
        else if (a.misses.size() < 15)
            a.misses << u"%1 %2: expected %3 (%4), got %5"_s.arg(t.messageId, t.recipient, t.fate, t.bounceStyle, got);
    }
    return a;
}

static void report(const char* what, int agree, int total, const QStringList& misses)
{
    std::printf("%s: %d of %d agree (%.2f %%)\n", what, agree, total, total ? 100.0 * agree / total : 0.0);
    for (const QString& m : misses)
        std::printf("  %s\n", qPrintable(m));
}

void TstFateScenario::postfixLogAndMailbox()
{
    const QList<FateRecord> fates = importAndRead({u"postfix.log"_s, u"mailbox-postfix.mbox"_s}, u"postfix.bip"_s);
    const Agreement a = compare(fates, false);
    report("postfix log + mailbox", a.agree, a.total, a.misses);
    QVERIFY(a.total > 300);
    QVERIFY2(a.agree * 1000 >= a.total * 995, "at least 99.5 % of fates must match the truth");
}

void TstFateScenario::eximLogAndMailbox()
{
    const QList<FateRecord> fates = importAndRead({u"exim.log"_s, u"mailbox-exim.mbox"_s}, u"exim.bip"_s);
    const Agreement a = compare(fates, false);
    report("exim log + mailbox", a.agree, a.total, a.misses);
    QVERIFY(a.total > 300);
    QVERIFY2(a.agree * 1000 >= a.total * 995, "at least 99.5 % of fates must match the truth");
}

void TstFateScenario::mailboxAlone()
{
    for (const QString& box : {u"mailbox-postfix.mbox"_s, u"mailbox-exim.mbox"_s}) {
        const QList<FateRecord> fates = importAndRead({box}, box + u".bip"_s);
        const Agreement a = compare(fates, true);
        report(qPrintable(box + u" alone (failed recipients)"_s), a.agree, a.total, a.misses);
        QVERIFY(a.total > 100);
        QVERIFY2(a.agree * 100 >= a.total * 98, "at least 98 % of failed recipients must get the right fate");
    }
}

void TstFateScenario::importOrderDoesNotMatter()
{
    auto key = [](const QList<FateRecord>& fates) {
        QStringList out;
        for (const FateRecord& f : fates)
            out << f.messageId + u' ' + f.recipient + u' ' + bi::core::store::fateName(f.fate) + u' ' + f.reason;
        out.sort();
        return out;
    };
    const QStringList logFirst = key(importAndRead({u"postfix.log"_s, u"mailbox-postfix.mbox"_s}, u"a.bip"_s));
    const QStringList mailFirst = key(importAndRead({u"mailbox-postfix.mbox"_s, u"postfix.log"_s}, u"b.bip"_s));
    QVERIFY(!logFirst.isEmpty());
    QCOMPARE(mailFirst, logFirst);
}

// A project file is correlated in two threads (deciding on a second connection, writing on
// the first); ":memory:" has no second connection and does both in one. Same fates.
void TstFateScenario::inMemoryProjectDecidesAlike()
{
    const QStringList files{u"postfix.log"_s, u"mailbox-postfix.mbox"_s};
    const QList<FateRecord> threaded = importAndRead(files, u"threaded.bip"_s);
    const QList<FateRecord> inline_ = importAndRead(files, u":memory:"_s);
    QVERIFY(threaded.size() > 300);
    QCOMPARE(inline_.size(), threaded.size());
    for (qsizetype i = 0; i < threaded.size(); ++i) {
        const FateRecord& a = threaded.at(i);
        const FateRecord& b = inline_.at(i);
        QCOMPARE(b.messageId, a.messageId);
        QCOMPARE(b.recipient, a.recipient);
        QCOMPARE(b.fate, a.fate);
        QCOMPARE(b.reason, a.reason);
        QCOMPARE(b.status, a.status);
        QCOMPARE(b.finalAt, a.finalAt);
        QCOMPARE(b.bounceAt, a.bounceAt);
        QCOMPARE(b.deferrals, a.deferrals);
        QCOMPARE(b.evidence, a.evidence);
        QCOMPARE(b.steps.size(), a.steps.size());
    }
}

void TstFateScenario::reimportAddsNothing()
{
    const QString name = u"again.bip"_s;
    const QList<FateRecord> first = importAndRead({u"postfix.log"_s, u"mailbox-postfix.mbox"_s}, name);
    auto store = bi::core::store::ProjectStore::open(m_dir.filePath(name), u"test2"_s);
    QVERIFY(store);
    bi::core::import::ImportOptions options;
    options.logTimeZone = QTimeZone(3600);
    bi::core::import::ImportJob job(*store, options);
    auto summary = job.run({m_dir.filePath(u"scenario/postfix.log"_s), m_dir.filePath(u"scenario/mailbox-postfix.mbox"_s)});
    QVERIFY(summary);
    QCOMPARE(summary->added, 0);
    QCOMPARE(summary->logEvents, 0);
    QVERIFY(summary->logEventsSkipped > 0);
    bi::core::store::FateRepository repo(*store);
    QCOMPARE(*repo.count(), qint64(first.size()));
}

QTEST_GUILESS_MAIN(TstFateScenario)
#include "tst_fate_scenario.moc"
