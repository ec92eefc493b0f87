// SPDX-License-Identifier: GPL-3.0-or-later
// Faults during a CLI import (issue 9): a read-only project, a project locked by another
// process, a full disk, an input removed or truncated while the import runs. Each must end
// with a clear one-line error, keep what was committed before, and lose nothing else: the
// project passes PRAGMA integrity_check and importing again (fault gone) gives what an
// import without the fault gives.
#include <csignal>
#include <sys/resource.h>
#include <sys/types.h>

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include "project_snapshot.h"

using namespace Qt::StringLiterals;
using bi::test::Snapshot;
using bi::test::snapshot;

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// rlimitFsize > 0: the child may not write files larger than that (EFBIG, as on a full disk;
// SIGXFSZ ignored so the write fails instead of killing the process).
Run cli(const QStringList& args, qint64 rlimitFsize = 0,
        const std::function<void(const QProcess&)>& whileRunning = {})
{
    QProcess p;
    if (rlimitFsize > 0) {
        p.setChildProcessModifier([rlimitFsize] {
            ::signal(SIGXFSZ, SIG_IGN);
            struct rlimit limit = {rlim_t(rlimitFsize), rlim_t(rlimitFsize)};
            ::setrlimit(RLIMIT_FSIZE, &limit);
        });
    }
    p.start(QStringLiteral(BI_CLI_PATH), args);
    p.waitForStarted();
    if (whileRunning) {
        whileRunning(p);
        ::kill(pid_t(p.processId()), SIGCONT); // waitUntilReading() stopped it for the fault
    }
    p.waitForFinished(600000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

// stderr without the CLI's progress lines ("3.0 MB of 6.3 MB (47.5%), 302 kB/s, 00:11 left"),
// which a pipe gets every 5 s: a slow run (sanitizer build, busy machine) prints some.
QList<QByteArray> errorLines(const QByteArray& err)
{
    static const QRegularExpression progress(uR"(, [0-9.]+ [^,]*/s(, [0-9]+:[0-9]{2} left)?$)"_s);
    QList<QByteArray> lines;
    for (const QByteArray& line : err.split('\n')) {
        if (!line.isEmpty() && !progress.match(QString::fromUtf8(line)).hasMatch())
            lines << line;
    }
    return lines;
}

// Linux: waits until the process has read `bytes` of `path` (its offset in /proc/<pid>/fdinfo),
// so a fault lands while the import reads that file, not before the CLI has even opened it
// (a fixed delay did that under ASan). Then stops the process (SIGSTOP; cli() continues it after
// the fault): on a busy machine this test may not be scheduled again before a fast import has
// read the whole file. False if the process ended first or after two minutes.
bool waitUntilReading(const QProcess& process, const QString& path, qint64 bytes)
{
    const QString wanted = QFileInfo(path).canonicalFilePath();
    const QString proc = u"/proc/%1/"_s.arg(process.processId());
    const QDeadlineTimer deadline(120000);
    while (process.state() == QProcess::Running && !deadline.hasExpired()) {
        const QDir fds(proc + u"fd"_s);
        for (const QString& fd : fds.entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot)) {
            if (QFileInfo(fds.filePath(fd)).symLinkTarget() != wanted)
                continue;
            QFile info(proc + u"fdinfo/"_s + fd);
            if (!info.open(QIODevice::ReadOnly))
                continue;
            for (const QByteArray& line : info.readAll().split('\n')) {
                if (line.startsWith("pos:") && line.mid(4).trimmed().toLongLong() >= bytes)
                    return ::kill(pid_t(process.processId()), SIGSTOP) == 0;
            }
        }
        QTest::qWait(5);
    }
    return false;
}

bool copyFile(const QString& from, const QString& to)
{
    QFile::remove(to);
    return QFile::copy(from, to);
}

} // namespace

class TstImportFaults final : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void readOnlyProject();
    void projectLockedByAnotherProcess();
    void diskFull();
    void inputRemovedDuringImport();
    void inputTruncatedDuringImport();
    void logTruncatedDuringImport();
    void damagedCompressedInputIsWarnedOf();
    void logProblemsAreCountedBeyondThoseKept();

private:
    QString input(const QString& name) const { return m_inputs.filePath(name); }
    QStringList importArgs(const QString& db, const QStringList& paths) const
    {
        return QStringList{u"import"_s, u"--tz"_s, u"UTC"_s, u"--db"_s, db} + paths;
    }
    QString importedProject(const QString& name, const QStringList& paths)
    {
        const QString db = m_work.filePath(name);
        const Run run = cli(importArgs(db, paths));
        if (run.exitCode != 0)
            qWarning("%s", run.err.constData());
        return run.exitCode == 0 ? db : QString();
    }
    QTemporaryDir m_inputs;
    QTemporaryDir m_work;
};

void TstImportFaults::initTestCase()
{
    QVERIFY(m_inputs.isValid() && m_work.isValid());
    QProcess gen;
    gen.start(QStringLiteral(BI_SCENARIO_PATH), {u"--seed"_s, u"5"_s, u"--messages"_s, u"400"_s, m_inputs.path()});
    QVERIFY(gen.waitForFinished(300000));
    QCOMPARE(gen.exitCode(), 0);
    QFile::remove(input(u"truth.jsonl"_s));
    // A mailbox big enough that an import of it is still running when the test interferes.
    QFile big(input(u"big.mbox"_s));
    QVERIFY(big.open(QIODevice::WriteOnly));
    for (const QString& name : {u"mailbox-postfix.mbox"_s, u"mailbox-exim.mbox"_s}) {
        QFile part(input(name));
        QVERIFY(part.open(QIODevice::ReadOnly));
        const QByteArray bytes = part.readAll();
        for (int i = 0; i < 6; ++i) {
            big.write(bytes);
            big.write("\n");
        }
    }
    big.close();
}

void TstImportFaults::readOnlyProject()
{
    const QString db = importedProject(u"readonly.bip"_s, {input(u"mailbox-exim.mbox"_s)});
    QVERIFY(!db.isEmpty());
    const Snapshot before = snapshot(db);
    QVERIFY(QFile::setPermissions(db, QFileDevice::ReadOwner));
    const Run run = cli(importArgs(db, {input(u"mailbox-postfix.mbox"_s)}));
    QVERIFY(QFile::setPermissions(db, QFileDevice::ReadOwner | QFileDevice::WriteOwner));
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(errorLines(run.err).size(), 1);
    QVERIFY2(run.err.contains("read-only"), run.err.constData());
    const Snapshot after = snapshot(db);
    QCOMPARE(after.integrity, u"ok"_s);
    QVERIFY(after.sameRows(before));
}

void TstImportFaults::projectLockedByAnotherProcess()
{
    const QString db = importedProject(u"locked.bip"_s, {input(u"mailbox-exim.mbox"_s)});
    QVERIFY(!db.isEmpty());
    const Snapshot before = snapshot(db);
    Run run;
    {
        // This test is the other process: it holds the write lock past the CLI's busy timeout.
        QSqlDatabase other = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"other-writer"_s);
        other.setDatabaseName(db);
        QVERIFY(other.open());
        QSqlQuery q(other);
        QVERIFY(q.exec(u"BEGIN IMMEDIATE"_s));
        run = cli(importArgs(db, {input(u"mailbox-postfix.mbox"_s)}));
        QVERIFY(q.exec(u"ROLLBACK"_s));
    }
    QSqlDatabase::removeDatabase(u"other-writer"_s);
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(errorLines(run.err).size(), 1);
    QVERIFY2(run.err.contains("locked") || run.err.contains("busy"), run.err.constData());
    const Snapshot after = snapshot(db);
    QCOMPARE(after.integrity, u"ok"_s);
    QVERIFY(after.sameRows(before));
    // With the lock gone the same import works.
    QCOMPARE(cli(importArgs(db, {input(u"mailbox-postfix.mbox"_s)})).exitCode, 0);
}

void TstImportFaults::diskFull()
{
    const QStringList all = {input(u"mailbox-exim.mbox"_s), input(u"mailbox-postfix.mbox"_s),
                             input(u"postfix.log"_s), input(u"exim.log"_s)};
    const QString reference = importedProject(u"full-reference.bip"_s, all);
    QVERIFY(!reference.isEmpty());
    const QString db = importedProject(u"full.bip"_s, {input(u"mailbox-exim.mbox"_s)});
    QVERIFY(!db.isEmpty());
    const Snapshot before = snapshot(db);
    // Room for a little more than the project holds: the import runs out of space midway.
    const qint64 limit = QFileInfo(db).size() + 512 * 1024;
    const Run run = cli(importArgs(db, all), limit);
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains("full"), run.err.constData());
    const Snapshot after = snapshot(db);
    QCOMPARE(after.integrity, u"ok"_s);
    for (auto it = before.messages.cbegin(); it != before.messages.cend(); ++it)
        QCOMPARE(after.messages.value(it.key()), it.value());
    // Space again: the import completes with exactly the rows of an import that never failed.
    const Run again = cli(importArgs(db, all));
    QVERIFY2(again.exitCode == 0, again.err.constData());
    const Snapshot done = snapshot(db);
    const Snapshot expected = snapshot(reference);
    QCOMPARE(done.integrity, u"ok"_s);
    QCOMPARE(done.messages.size(), expected.messages.size());
    QCOMPARE(done.recipients, expected.recipients);
    QCOMPARE(done.logEvents, expected.logEvents);
    QCOMPARE(done.fates, expected.fates);
}

void TstImportFaults::inputRemovedDuringImport()
{
    const QString log = m_work.filePath(u"removed.log"_s);
    QVERIFY(copyFile(input(u"postfix.log"_s), log));
    const QString db = m_work.filePath(u"removed.bip"_s);
    // The walker lists both files first; the log is gone when its turn comes.
    const Run run = cli(importArgs(db, {input(u"big.mbox"_s), log}), 0, [&](const QProcess& p) {
        QVERIFY(waitUntilReading(p, input(u"big.mbox"_s), 256 * 1024));
        QFile::remove(log);
    });
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(errorLines(run.err).size(), 1);
    QVERIFY2(run.err.contains("removed.log"), run.err.constData());
    const Snapshot after = snapshot(db);
    QCOMPARE(after.integrity, u"ok"_s);
    // The mailbox, read in full, is all there.
    const QString reference = importedProject(u"removed-reference.bip"_s, {input(u"big.mbox"_s)});
    QVERIFY(!reference.isEmpty());
    QCOMPARE(after.messages.size(), snapshot(reference).messages.size());
    QVERIFY(after.logEvents.isEmpty());
}

void TstImportFaults::inputTruncatedDuringImport()
{
    const QString mbox = m_work.filePath(u"truncated.mbox"_s);
    QVERIFY(copyFile(input(u"big.mbox"_s), mbox));
    const qint64 size = QFileInfo(mbox).size();
    const QString db = m_work.filePath(u"truncated.bip"_s);
    // Past the content sniffing, and after the reader noted the size it compares against.
    const Run run = cli(importArgs(db, {mbox}), 0, [&](const QProcess& p) {
        QVERIFY(waitUntilReading(p, mbox, 256 * 1024));
        QVERIFY(QFile::resize(mbox, size / 2));
    });
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(errorLines(run.err).size(), 1);
    QVERIFY2(run.err.contains("truncated.mbox") && run.err.contains("shrank"), run.err.constData());
    const Snapshot after = snapshot(db);
    QCOMPARE(after.integrity, u"ok"_s);
    // What was committed before the shrink (on a slow machine possibly nothing yet) stays, and
    // importing what is left completes it without duplicating any of it.
    const Run again = cli(importArgs(db, {mbox}));
    QCOMPARE(again.exitCode, 0);
    const Snapshot completed = snapshot(db);
    QCOMPARE(completed.integrity, u"ok"_s);
    QVERIFY(!completed.messages.isEmpty());
    for (auto it = after.messages.cbegin(); it != after.messages.cend(); ++it)
        QCOMPARE(completed.messages.value(it.key()), it.value());
    const QString reference = importedProject(u"truncated-reference.bip"_s, {mbox});
    QVERIFY(!reference.isEmpty());
    QCOMPARE(completed.messages.size(), snapshot(reference).messages.size());
}

// A log cut short while it is read (copytruncate rotation) is an error, not a shorter log: the
// events already committed stay, and importing the rest later resumes after them.
void TstImportFaults::logTruncatedDuringImport()
{
    const QString log = m_work.filePath(u"truncated.log"_s);
    QByteArray bytes;
    {
        QFile part(input(u"postfix.log"_s));
        QVERIFY(part.open(QIODevice::ReadOnly));
        bytes = part.readAll().repeated(24);
    }
    // The import reads the log twice at once: its SHA-256 and the parse. When the digest's read
    // is the one seen, the file may be cut before the parse has even opened it, and then a
    // shorter log is read whole, rightly without an error: try again (on an idle machine the
    // first try is the one).
    for (int attempt = 1;; ++attempt) {
        {
            QFile big(log);
            QVERIFY(big.open(QIODevice::WriteOnly | QIODevice::Truncate));
            QVERIFY(big.write(bytes) == bytes.size());
        }
        const qint64 size = bytes.size();
        const QString db = m_work.filePath(u"truncated-log-%1.bip"_s.arg(attempt));
        const Run run = cli(importArgs(db, {log}), 0, [&](const QProcess& p) {
            QVERIFY(waitUntilReading(p, log, 256 * 1024));
            QVERIFY(QFile::resize(log, size / 2));
        });
        if (run.exitCode == 0 && attempt < 5)
            continue;
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(errorLines(run.err).size(), 1);
        QVERIFY2(run.err.contains("truncated.log") && run.err.contains("shrank"), run.err.constData());
        const Snapshot after = snapshot(db);
        QCOMPARE(after.integrity, u"ok"_s);
        // What was stored is consistent: its progress mark never passes the half that still exists.
        for (qint64 imported : after.logProgress)
            QVERIFY(imported <= size / 2);
        break;
    }
}

// A rotated log and a mailbox whose gzip data ends early (copies cut short): what they held
// up to there is imported, the import says each ended early instead of passing it off as
// whole, and the project lists both as partial.
void TstImportFaults::damagedCompressedInputIsWarnedOf()
{
    QStringList cut;
    for (const auto& [name, copy] : {std::pair{u"postfix.log"_s, u"damaged.log"_s},
                                     std::pair{u"mailbox-postfix.mbox"_s, u"damaged.mbox"_s}}) {
        const QString plain = m_work.filePath(copy);
        QVERIFY(QFile::copy(input(name), plain));
        QProcess gzip;
        gzip.start(u"gzip"_s, {u"-f"_s, plain}); // Debian's gzip is an Essential package
        QVERIFY(gzip.waitForFinished(60000));
        QCOMPARE(gzip.exitCode(), 0);
        const QString gz = plain + u".gz"_s;
        const qint64 size = QFileInfo(gz).size();
        QVERIFY(size > 4096);
        QVERIFY(QFile::resize(gz, size / 2));
        cut << gz;
    }
    const QString db = m_work.filePath(u"damaged.bip"_s);
    const Run run = cli(importArgs(db, cut));
    QCOMPARE(run.exitCode, 0);
    for (const char* file : {"damaged.log.gz: reading stopped early", "damaged.mbox.gz: reading stopped early"})
        QVERIFY2(run.err.contains(file), run.err.constData());
    QVERIFY2(run.out.contains("log events added: ") && !run.out.contains("log events added: 0\n"), run.out.constData());
    QVERIFY2(run.out.contains("messages added: ") && !run.out.contains("messages added: 0\n"), run.out.constData());
    const Run summary = cli({u"summary"_s, u"--db"_s, db});
    QCOMPARE(summary.exitCode, 0);
    const QList<QByteArray> lines = summary.out.split('\n');
    for (const char* file : {"damaged.log.gz", "damaged.mbox.gz"}) {
        const auto line = std::find_if(lines.cbegin(), lines.cend(), [file](const QByteArray& l) { return l.contains(file); });
        QVERIFY2(line != lines.cend(), summary.out.constData());
        QVERIFY2(line->endsWith(", partial"), line->constData());
    }
    // What went wrong stays with the mailbox, and summary --diagnostics lists it.
    const Run listed = cli({u"summary"_s, u"--db"_s, db, u"--diagnostics"_s});
    QCOMPARE(listed.exitCode, 0);
    QVERIFY2(listed.out.contains("\ndiagnostics:\n"), listed.out.constData());
    QVERIFY2(listed.out.contains("damaged.mbox.gz: error reading stopped early after"),
             listed.out.constData());
    QVERIFY2(!summary.out.contains("\ndiagnostics:\n"), summary.out.constData());
}

// A log with more problem lines than are kept: the import counts them all, and the project
// says how many more there were after the first ones it lists.
void TstImportFaults::logProblemsAreCountedBeyondThoseKept()
{
    QByteArray log;
    for (int i = 0; i < 60; ++i) {
        log += "Mar  2 11:00:" + QByteArray::number(10 + i % 40)
            + " relay postfix/smtp[2600]: 7ABCD1E2F3: to=<a" + QByteArray::number(i) + "@far.example>, relay=mx\n";
        log += "garbage line " + QByteArray::number(i) + "\n";
    }
    log += "Mar  2 11:01:00 relay postfix/qmgr[900]: 7ABCD1E2F3: removed\n";
    const QString path = m_work.filePath(u"noisy.log"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(log);
    file.close();
    const QString db = m_work.filePath(u"noisy.bip"_s);
    const Run run = cli(importArgs(db, {path}));
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains("log diagnostics: 120\n"), run.out.constData());
    const Run listed = cli({u"summary"_s, u"--db"_s, db, u"--diagnostics"_s});
    QCOMPARE(listed.exitCode, 0);
    QVERIFY2(listed.out.contains("70 more problems like these not kept (the first 50 are)"), listed.out.constData());
    QCOMPARE(listed.out.count("noisy.log: warning"), 51);
}

QTEST_GUILESS_MAIN(TstImportFaults)
#include "tst_import_faults.moc"
