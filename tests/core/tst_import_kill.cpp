// SPDX-License-Identifier: GPL-3.0-or-later
// Crash safety (issue 9): the CLI import is killed with SIGKILL at random points, again and
// again. After every kill the project must pass PRAGMA integrity_check and keep everything
// committed before unchanged; importing again must complete and give exactly what a single
// uninterrupted import of the same inputs gives (nothing lost, nothing twice).
// The random delays come from a seed printed at the start; BI_KILL_SEED=N repeats a run.
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include "project_snapshot.h"

using namespace Qt::StringLiterals;
using bi::test::Snapshot;
using bi::test::snapshot;

namespace {

constexpr int kSeries = 4;          // fresh projects
constexpr int kKillsPerSeries = 6;  // kills landed per project before it is finished

} // namespace

class TstImportKill final : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void killedImportsLoseNothingAndDuplicateNothing();

private:
    QStringList importArgs(const QString& db) const
    {
        return {u"import"_s, u"--tz"_s, u"UTC"_s, u"--db"_s, db, m_inputs.path()};
    }
    QTemporaryDir m_inputs;
    QTemporaryDir m_work;
    Snapshot m_reference;
    qint64 m_fullMillis = 0;
};

void TstImportKill::initTestCase()
{
    QVERIFY(m_inputs.isValid() && m_work.isValid());
    QProcess gen;
    gen.start(QStringLiteral(BI_SCENARIO_PATH),
              {u"--seed"_s, u"9"_s, u"--messages"_s, u"400"_s, m_inputs.path()});
    QVERIFY(gen.waitForFinished(300000));
    QVERIFY2(gen.exitStatus() == QProcess::NormalExit && gen.exitCode() == 0, gen.readAllStandardError().constData());
    QFile::remove(m_inputs.filePath(u"truth.jsonl"_s));

    // The reference: one import, not interrupted.
    const QString db = m_work.filePath(u"reference.bip"_s);
    QElapsedTimer timer;
    timer.start();
    QProcess cli;
    cli.start(QStringLiteral(BI_CLI_PATH), importArgs(db));
    QVERIFY(cli.waitForFinished(600000));
    m_fullMillis = timer.elapsed();
    QVERIFY2(cli.exitStatus() == QProcess::NormalExit && cli.exitCode() == 0,
             cli.readAllStandardError().constData());
    m_reference = snapshot(db);
    QCOMPARE(m_reference.integrity, u"ok"_s);
    QVERIFY(m_reference.messages.size() > 100);
    QVERIFY(m_reference.logEvents.size() > 100);
    QVERIFY(m_reference.fates > 0);
    qInfo("reference import: %lld ms, %lld messages, %lld log keys, %lld fates", m_fullMillis,
          qint64(m_reference.messages.size()), qint64(m_reference.logEvents.size()), m_reference.fates);
}

void TstImportKill::killedImportsLoseNothingAndDuplicateNothing()
{
    const quint32 seed = qEnvironmentVariableIsSet("BI_KILL_SEED")
                             ? quint32(qEnvironmentVariableIntValue("BI_KILL_SEED"))
                             : QRandomGenerator::global()->generate();
    qInfo("kill seed %u (BI_KILL_SEED=%u repeats this run)", seed, seed);
    QRandomGenerator random(seed);
    const QList<QString> referenceKeys = m_reference.messages.values();
    const QSet<QString> reference(referenceKeys.cbegin(), referenceKeys.cend());
    int kills = 0;
    for (int series = 0; series < kSeries; ++series) {
        const QString db = m_work.filePath(u"series-%1.bip"_s.arg(series));
        Snapshot before;
        int landed = 0;
        for (int attempt = 0; landed < kKillsPerSeries && attempt < 8 * kKillsPerSeries; ++attempt) {
            // Delays over the whole span of a full import, so kills hit opening, schema
            // creation, log and mailbox batches and the correlation at the end.
            const int delay = int(random.bounded(qint64(m_fullMillis * 11 / 10) + 1));
            QProcess cli;
            cli.start(QStringLiteral(BI_CLI_PATH), importArgs(db));
            QVERIFY(cli.waitForStarted());
            if (!cli.waitForFinished(delay)) {
                cli.kill(); // SIGKILL
                QVERIFY(cli.waitForFinished(30000));
                ++landed;
                ++kills;
            } else {
                QVERIFY2(cli.exitStatus() == QProcess::NormalExit && cli.exitCode() == 0,
                         cli.readAllStandardError().constData());
            }
            const bool completed = cli.exitStatus() == QProcess::NormalExit;
            const Snapshot after = snapshot(db);
            const QByteArray where = u"series %1 attempt %2, delay %3 ms"_s.arg(series).arg(attempt).arg(delay).toUtf8();
            QVERIFY2(after.integrity == u"ok"_s,
                     (where + ": " + after.integrity.toUtf8()).constData());
            // Everything committed before is still there, unchanged.
            for (auto it = before.messages.cbegin(); it != before.messages.cend(); ++it) {
                QVERIFY2(after.messages.value(it.key()) == it.value(), where.constData());
                QVERIFY2(after.recipients.value(it.value()) == before.recipients.value(it.value()), where.constData());
            }
            for (auto it = before.logEvents.cbegin(); it != before.logEvents.cend(); ++it)
                QVERIFY2(after.logEvents.value(it.key()) >= it.value(), where.constData());
            for (auto it = before.logProgress.cbegin(); it != before.logProgress.cend(); ++it)
                QVERIFY2(after.logProgress.value(it.key()) >= it.value(), where.constData());
            // And nothing is there twice or beyond what the inputs hold.
            for (const QString& key : after.messages)
                QVERIFY2(reference.contains(key), (where + ": unexpected message " + key.toUtf8()).constData());
            for (auto it = after.logEvents.cbegin(); it != after.logEvents.cend(); ++it)
                QVERIFY2(it.value() <= m_reference.logEvents.value(it.key()),
                         (where + ": too many log events for " + it.key().toUtf8()).constData());
            before = after;
            if (completed && landed < kKillsPerSeries) {
                // The import outran the kill: re-imports of a complete project end too soon
                // to be hit, so the series goes on from a fresh project.
                for (const QString& suffix : {QString(), u"-wal"_s, u"-shm"_s})
                    QFile::remove(db + suffix);
                before = Snapshot();
            }
        }
        QCOMPARE(landed, kKillsPerSeries);

        // Importing again completes and gives what the uninterrupted import gave.
        QProcess cli;
        cli.start(QStringLiteral(BI_CLI_PATH), importArgs(db));
        QVERIFY(cli.waitForFinished(600000));
        QVERIFY2(cli.exitStatus() == QProcess::NormalExit && cli.exitCode() == 0,
                 cli.readAllStandardError().constData());
        const Snapshot done = snapshot(db);
        QCOMPARE(done.integrity, u"ok"_s);
        QList<QString> keys = done.messages.values();
        QCOMPARE(QSet<QString>(keys.cbegin(), keys.cend()), reference);
        QCOMPARE(done.messages.size(), m_reference.messages.size());
        QCOMPARE(done.recipients, m_reference.recipients);
        QCOMPARE(done.logEvents, m_reference.logEvents);
        QCOMPARE(done.logProgress, m_reference.logProgress);
        QCOMPARE(done.fates, m_reference.fates);
    }
    QVERIFY(kills >= 20);
    qInfo("%d kills landed", kills);
}

QTEST_GUILESS_MAIN(TstImportKill)
#include "tst_import_kill.moc"
