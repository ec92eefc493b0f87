// SPDX-License-Identifier: GPL-3.0-or-later
// The command-line contract: exit codes, one-line errors, parse/import/bounces agreement.
#include <sys/stat.h>

#include <QDir>
#include <QFileInfo>
#include <QFile>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "core/import/import_job.h"
#include "core/store/project_store.h"
#include "corpus_records.h"

using namespace Qt::StringLiterals;

class TstCli final : public QObject {
    Q_OBJECT
private slots:
    void versionAndHelp();
    void parsePrintsOneRecordPerRecipient();
    void parseErrors_data();
    void parseErrors();
    void importTwiceAddsNothing();
    void folderImportListsWhatItSkips();
    void shortLogThatGrewIsReadOn();
    void logsUntilDatesYearlessStamps();
    void rewrittenRecipientIsFoundUnderTheMailedAddress();
    void summaryNamesEachFilesFormatAndZone();
    void fileReadAgainKeepsEachDiagnosticOnce();
    void staleFatesAreSaidSo();
    void readOnlyProjectCanBeRead();
    void pipeIsRefusedNotWaitedOn();
    void bouncesFromProjectEqualParse();
    void importCreatesOwnerOnlyFile();

private:
    static QString fixture(const QString& name) { return QStringLiteral(BI_TEST_DATA_DIR) + u"/cli/"_s + name; }
    struct Run {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };
    /// Writes bytes to path, replacing it; false when it could not.
    static bool writeFile(const QString& path, const QByteArray& bytes)
    {
        QFile f(path);
        return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
    }
    static Run cli(const QStringList& args)
    {
        QProcess p;
        p.start(QStringLiteral(BI_CLI_PATH), args);
        p.waitForFinished(120000);
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
                p.readAllStandardError()};
    }
};

void TstCli::versionAndHelp()
{
    const Run version = cli({u"--version"_s});
    QCOMPARE(version.exitCode, 0);
    QVERIFY(version.out.startsWith("bounce-inspector-cli "));
    const Run help = cli({u"--help"_s});
    QCOMPARE(help.exitCode, 0);
    for (const char* command : {"parse", "import", "bounces"})
        QVERIFY2(help.out.contains(command), command);
    const Run parseHelp = cli({u"parse"_s, u"--help"_s});
    QCOMPARE(parseHelp.exitCode, 0);
    QVERIFY(parseHelp.out.contains("--jsonl"));
    const Run unknown = cli({u"frobnicate"_s});
    QCOMPARE(unknown.exitCode, 2);
    QCOMPARE(unknown.err.count('\n'), 1);
}

void TstCli::parsePrintsOneRecordPerRecipient()
{
    int exitCode = -1;
    const QList<QJsonObject> records =
        corpus::runCliJsonl({u"parse"_s, u"--jsonl"_s, fixture(u"two_bounces.mbox"_s)}, &exitCode);
    QCOMPARE(exitCode, 0);
    QCOMPARE(records.size(), 3);
    QCOMPARE(records[0][u"recipient"_s].toString(), u"nobody@example.com"_s);
    QCOMPARE(records[0][u"message"_s].toInt(), 1);
    QCOMPARE(records[0][u"kind"_s].toString(), u"bounce"_s);
    QCOMPARE(records[0][u"status"_s].toString(), u"5.1.1"_s);
    QCOMPARE(records[0][u"replycode"_s].toString(), u"550"_s);
    QCOMPARE(records[0][u"reason"_s].toString(), u"userunknown"_s);
    QCOMPARE(records[0][u"hardbounce"_s].toBool(), true);
    QCOMPARE(records[0][u"rhost"_s].toString(), u"mx.example.com"_s);
    QCOMPARE(records[0][u"lhost"_s].toString(), u"relay.example.org"_s);
    QCOMPARE(records[0][u"family"_s].toString(), u"rfc3464"_s);
    QCOMPARE(records[0][u"original_message_id"_s].toString(), u"orig-1@example.org"_s);
    QCOMPARE(records[0][u"bounce_message_id"_s].toString(), u"dsn-one@relay.example.org"_s);
    QCOMPARE(records[0][u"date"_s].toString(), u"2026-03-03T10:00:05+00:00"_s);
    QVERIFY(records[0][u"diagnostic"_s].toString().contains(u"User unknown in local recipient table"_s));
    QCOMPARE(records[1][u"recipient"_s].toString(), u"full.box@example.net"_s);
    QCOMPARE(records[1][u"reason"_s].toString(), u"mailboxfull"_s);
    QCOMPARE(records[1][u"hardbounce"_s].toBool(), false);
    QCOMPARE(records[2][u"message"_s].toInt(), 2);
    QCOMPARE(records[2][u"kind"_s].toString(), u"delay"_s);
    QCOMPARE(records[2][u"action"_s].toString(), u"delayed"_s);
    QCOMPARE(records[2][u"original_message_id"_s].toString(), u"orig-2@example.org"_s);
}

void TstCli::parseErrors_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("missing-path") << u"/nonexistent/mailbox.mbox"_s << u"mailbox.mbox"_s;
    QTest::newRow("binary-file-is-not-mail") << fixture(u"not_mail.bin"_s) << u"not_mail.bin"_s;
}

void TstCli::parseErrors()
{
    QFETCH(QString, path);
    QFETCH(QString, mentions);
    const Run run = cli({u"parse"_s, u"--jsonl"_s, path});
    QCOMPARE(run.exitCode, 1);
    QVERIFY(run.out.isEmpty());
    QCOMPARE(run.err.count('\n'), 1);
    QVERIFY2(run.err.contains(mentions.toUtf8()), run.err.constData());

    QTemporaryDir empty;
    const Run folder = cli({u"parse"_s, u"--jsonl"_s, empty.path()});
    QCOMPARE(folder.exitCode, 1);
    QCOMPARE(folder.err.count('\n'), 1);

    // A command without arguments of its own refuses one instead of ignoring it.
    const Run extra = cli({u"summary"_s, u"--db"_s, empty.filePath(u"p.bip"_s), u"extra"_s});
    QCOMPARE(extra.exitCode, 2);
    QCOMPARE(extra.err.count('\n'), 1);
    QVERIFY2(extra.err.contains("unexpected argument 'extra'"), extra.err.constData());

    // Options that cannot mean what they say are refused, not ignored: an empty zone, a day
    // with a time after it, --series with the list options.
    const QString db = empty.filePath(u"p.bip"_s);
    const QString box = fixture(u"two_bounces.mbox"_s);
    for (const QStringList& args : {QStringList{u"import"_s, u"--db"_s, db, u"--tz"_s, QString(), box},
                                    QStringList{u"import"_s, u"--db"_s, db, u"--logs-until"_s, u"2026-01-13T10:00"_s, box},
                                    QStringList{u"export"_s, u"--db"_s, db, u"--csv"_s, empty.path(), u"--from"_s,
                                                u"2026-01-13 10:00"_s},
                                    QStringList{u"backscatter"_s, u"--db"_s, db, u"--series"_s, u"day"_s, u"--outbound"_s},
                                    QStringList{u"backscatter"_s, u"--db"_s, db, u"--series"_s, u"day"_s, u"--jsonl"_s}}) {
        const Run wrong = cli(args);
        QVERIFY2(wrong.exitCode == 2, qPrintable(args.join(u' ') + u": "_s + QString::fromUtf8(wrong.err)));
        QCOMPARE(wrong.err.count('\n'), 1);
        QVERIFY2(wrong.err.startsWith("bounce-inspector-cli "), wrong.err.constData());
    }
    QVERIFY(!QFileInfo::exists(db));
}

// A folder as it comes: besides the mailbox, a log just rotated (empty) and a README. Each
// file left out is named with its reason; the import goes on and succeeds.
void TstCli::folderImportListsWhatItSkips()
{
    QTemporaryDir dir;
    const QString folder = dir.filePath(u"handover"_s);
    QVERIFY(QDir().mkpath(folder));
    QVERIFY(QFile::copy(fixture(u"two_bounces.mbox"_s), folder + u"/inbox.mbox"_s));
    QFile empty(folder + u"/maillog"_s);
    QVERIFY(empty.open(QIODevice::WriteOnly));
    empty.close();
    QFile readme(folder + u"/README.txt"_s);
    QVERIFY(readme.open(QIODevice::WriteOnly));
    readme.write("Logs and the client's mailbox, as exported on Monday.\n");
    readme.close();
    const Run run = cli({u"import"_s, u"--db"_s, dir.filePath(u"p.bip"_s), folder});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains("messages added: 2"), run.out.constData());
    QVERIFY2(run.err.contains("maillog: empty file"), run.err.constData());
    // Named on its own, an empty file is said to be skipped too.
    const Run alone = cli({u"import"_s, u"--db"_s, dir.filePath(u"alone.bip"_s), folder + u"/maillog"_s});
    QCOMPARE(alone.exitCode, 0);
    QVERIFY2(alone.err.contains("skipped ") && alone.err.contains("maillog: empty file"), alone.err.constData());
    QVERIFY2(run.err.contains("README.txt: "), run.err.constData());
    // A project given where the files go is named for what it is; the new project that
    // import would have made holds nothing and is not left behind.
    const QString fresh = dir.filePath(u"fresh.bip"_s);
    const Run project = cli({u"import"_s, u"--db"_s, fresh, dir.filePath(u"p.bip"_s)});
    QCOMPARE(project.exitCode, 1);
    QVERIFY2(project.err.contains("an SQLite database (a Bounce Inspector project?)"), project.err.constData());
    QVERIFY(!QFileInfo::exists(fresh));
    QVERIFY(QFileInfo::exists(dir.filePath(u"p.bip"_s)));
}

void TstCli::importTwiceAddsNothing()
{
    QTemporaryDir dir;
    const QString db = dir.filePath(u"p.bip"_s);
    const Run first = cli({u"import"_s, u"--db"_s, db, fixture(u"two_bounces.mbox"_s)});
    QCOMPARE(first.exitCode, 0);
    QVERIFY2(first.out.contains("messages added: 2"), first.out.constData());
    const Run second = cli({u"import"_s, u"--db"_s, db, fixture(u"two_bounces.mbox"_s)});
    QCOMPARE(second.exitCode, 0);
    QVERIFY2(second.out.contains("messages added: 0"), second.out.constData());
    QVERIFY2(second.out.contains("already in project: 2"), second.out.constData());
    int exitCode = -1;
    QCOMPARE(corpus::runCliJsonl({u"bounces"_s, u"--db"_s, db, u"--jsonl"_s}, &exitCode).size(), 3);
    QCOMPARE(exitCode, 0);
    // Given relative to the current folder, a file is still named by its absolute path.
    const QString other = dir.filePath(u"relative.bip"_s);
    const Run relative = cli({u"import"_s, u"--db"_s, other, QDir::current().relativeFilePath(fixture(u"two_bounces.mbox"_s))});
    QCOMPARE(relative.exitCode, 0);
    for (const QJsonObject& b : corpus::runCliJsonl({u"bounces"_s, u"--db"_s, other, u"--jsonl"_s}))
        QCOMPARE(b.value(u"file"_s).toString(), QFileInfo(fixture(u"two_bounces.mbox"_s)).absoluteFilePath());

    // The same messages in other forms: a copy with CRLF line ends, and each message as a
    // Maildir file (no envelope line, CRLF, no blank line after it). Nothing is new.
    QFile original(fixture(u"two_bounces.mbox"_s));
    QVERIFY(original.open(QIODevice::ReadOnly));
    QByteArray mbox = original.readAll();
    QVERIFY(writeFile(dir.filePath(u"crlf.mbox"_s), QByteArray(mbox).replace("\n", "\r\n")));
    const QList<QByteArray> parts = mbox.split('\n');
    QList<QByteArray> messages;
    for (const QByteArray& line : parts) {
        if (line.startsWith("From "))
            messages << QByteArray();
        else if (!messages.isEmpty()) // a Maildir file holds the line the mbox quoted as ">From "
            messages.last() += (line.startsWith(">From ") ? line.sliced(1) : line) + "\r\n";
    }
    QCOMPARE(messages.size(), 2);
    QVERIFY(QDir(dir.path()).mkpath(u"md/cur"_s) && QDir(dir.path()).mkpath(u"md/new"_s));
    for (int i = 0; i < messages.size(); ++i) {
        QByteArray& m = messages[i];
        while (m.endsWith("\r\n\r\n"))
            m.chop(2);
        QVERIFY(writeFile(dir.filePath(u"md/cur/%1.M%1P1.host:2,S"_s.arg(1700000000 + i)), m));
    }
    const Run copies = cli({u"import"_s, u"--db"_s, db, dir.filePath(u"crlf.mbox"_s), dir.filePath(u"md"_s)});
    QCOMPARE(copies.exitCode, 0);
    QVERIFY2(copies.out.contains("messages added: 0"), copies.out.constData());
    QVERIFY2(copies.out.contains("already in project: 4"), copies.out.constData());
    QCOMPARE(corpus::runCliJsonl({u"bounces"_s, u"--db"_s, db, u"--jsonl"_s}, &exitCode).size(), 3);
    const Run summary = cli({u"summary"_s, u"--db"_s, db});
    QVERIFY2(summary.out.contains("crlf.mbox — mbox, no messages of its own (all were in the project already)"),
             summary.out.constData());
}

// A log shorter than the 64 KiB head that identifies it grows (a live maillog): the next
// import reads on after what it had, like it does for a long one, instead of taking it for a
// new file and storing every earlier event again.
void TstCli::shortLogThatGrewIsReadOn()
{
    QFile whole(QStringLiteral(BI_TEST_DATA_DIR) + u"/logs/postfix/smarthost.log"_s);
    QVERIFY(whole.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = whole.readAll().split('\n');
    QVERIFY(lines.size() > 20);
    const qsizetype half = lines.size() / 2;
    QTemporaryDir dir;
    const QString log = dir.filePath(u"maillog"_s);
    const auto write = [&log](const QList<QByteArray>& part, QIODevice::OpenMode mode) {
        QFile f(log);
        QVERIFY(f.open(QIODevice::WriteOnly | mode));
        for (const QByteArray& l : part) {
            if (!l.isEmpty())
                f.write(l + '\n');
        }
    };
    const auto count = [](const QByteArray& out, const QByteArray& label) {
        const qsizetype at = out.indexOf(label);
        return at < 0 ? -1 : out.mid(at + label.size()).split('\n').first().trimmed().toLongLong();
    };
    write(lines.mid(0, half), QIODevice::Truncate);
    const QString db = dir.filePath(u"p.bip"_s);
    const Run first = cli({u"import"_s, u"--db"_s, db, u"--tz"_s, u"UTC"_s, log});
    QCOMPARE(first.exitCode, 0);
    const qint64 before = count(first.out, "log events added: ");
    QVERIFY2(before > 0, first.out.constData());

    write(lines.mid(half), QIODevice::Append);
    const Run second = cli({u"import"_s, u"--db"_s, db, u"--tz"_s, u"UTC"_s, log});
    QCOMPARE(second.exitCode, 0);
    QCOMPARE(count(second.out, "log events already in project: "), before);
    const Run third = cli({u"import"_s, u"--db"_s, db, u"--tz"_s, u"UTC"_s, log});
    QCOMPARE(count(third.out, "log events added: "), 0);

    // The same events and fates as the whole file imported at once.
    const QString fresh = dir.filePath(u"fresh.bip"_s);
    const Run once = cli({u"import"_s, u"--db"_s, fresh, u"--tz"_s, u"UTC"_s, log});
    QCOMPARE(count(second.out, "log events added: ") + before, count(once.out, "log events added: "));
    const QList<QJsonObject> grown = corpus::runCliJsonl({u"fates"_s, u"--db"_s, db, u"--jsonl"_s});
    const QList<QJsonObject> atOnce = corpus::runCliJsonl({u"fates"_s, u"--db"_s, fresh, u"--jsonl"_s});
    QVERIFY(!atOnce.isEmpty());
    QCOMPARE(grown, atOnce);
}

// A log copied without its modification time (today's) keeps its year with --logs-until:
// across New Year, Dec 30 is the year before the day the logs end.
void TstCli::logsUntilDatesYearlessStamps()
{
    QTemporaryDir dir;
    const QString log = dir.filePath(u"maillog"_s);
    QVERIFY(writeFile(log, "Dec 30 23:59:00 relay postfix/qmgr[900]: 3F2A81C0A1: from=<news@shop.example>, size=1200, nrcpt=1 (queue active)\n"
                           "Jan  2 00:00:03 relay postfix/smtp[2003]: 3F2A81C0A1: to=<alice@gmail.example>, relay=mx.gmail.example[192.0.2.30]:25, "
                           "delay=3, delays=0.1/0/1/0.9, dsn=2.0.0, status=sent (250 2.0.0 OK)\n"));
    const QString db = dir.filePath(u"p.bip"_s);
    const Run run = cli({u"import"_s, u"--db"_s, db, u"--tz"_s, u"UTC"_s, u"--logs-until"_s, u"2024-01-04"_s, log});
    QCOMPARE(run.exitCode, 0);
    const QList<QJsonObject> fates = corpus::runCliJsonl({u"fates"_s, u"--db"_s, db, u"--jsonl"_s});
    QCOMPARE(fates.size(), 1);
    QCOMPARE(fates.constFirst().value(u"queued_at"_s).toString(), u"2023-12-30T23:59:00Z"_s);
    QCOMPARE(fates.constFirst().value(u"final_at"_s).toString(), u"2024-01-02T00:00:03Z"_s);
    QCOMPARE(cli({u"import"_s, u"--db"_s, db, u"--logs-until"_s, u"4.1.2024"_s, log}).exitCode, 2);
    // Imported before: another day does not date its lines again, and the import says so.
    const Run again = cli({u"import"_s, u"--db"_s, db, u"--logs-until"_s, u"2025-01-04"_s, log});
    QCOMPARE(again.exitCode, 0);
    QVERIFY2(again.err.contains("imported before, so --logs-until does not date its 2 lines again"), again.err.constData());
    QVERIFY2(again.out.contains("fates: 1 (unchanged"), again.out.constData());
    // Nor does another zone.
    const Run zoned = cli({u"import"_s, u"--db"_s, db, u"--tz"_s, u"Europe/Berlin"_s, log});
    QCOMPARE(zoned.exitCode, 0);
    QVERIFY2(zoned.err.contains("imported before with time zone UTC, so its 2 lines stay read in it, not in Europe/Berlin"),
             zoned.err.constData());
    QCOMPARE(corpus::runCliJsonl({u"fates"_s, u"--db"_s, db, u"--jsonl"_s}).constFirst().value(u"queued_at"_s).toString(),
             u"2023-12-30T23:59:00Z"_s);

    // A log whose last line would fall after the day it ends (Nov 22 to Dec 28, ending Dec 1)
    // is last year's: its end is dated, not its first line.
    const QString late = dir.filePath(u"maillog.late"_s);
    QVERIFY(writeFile(late, "Nov 22 10:00:00 relay postfix/qmgr[900]: 4A3B92D1B2: from=<news@shop.example>, size=1200, nrcpt=1 (queue active)\n"
                            "Dec 28 10:00:03 relay postfix/smtp[2003]: 4A3B92D1B2: to=<bob@gmail.example>, relay=mx.gmail.example[192.0.2.30]:25, "
                            "delay=3, delays=0.1/0/1/0.9, dsn=2.0.0, status=sent (250 2.0.0 OK)\n"));
    const QString lateDb = dir.filePath(u"late.bip"_s);
    QCOMPARE(cli({u"import"_s, u"--db"_s, lateDb, u"--tz"_s, u"UTC"_s, u"--logs-until"_s, u"2026-12-01"_s, late}).exitCode, 0);
    const QJsonObject lateFate = corpus::runCliJsonl({u"fates"_s, u"--db"_s, lateDb, u"--jsonl"_s}).constFirst();
    QCOMPARE(lateFate.value(u"queued_at"_s).toString(), u"2025-11-22T10:00:00Z"_s);
    QCOMPARE(lateFate.value(u"final_at"_s).toString(), u"2025-12-28T10:00:03Z"_s);
}

// `summary` lists every file as it was read: a log with the format sniffed, its lines and
// events and the time zone its stamps were read in (per import), a mailbox with its counts.
// The smarthost rewrote the address (Postfix orig_to=, an Exim redirection): the fate is the
// delivered-to address's, and the address on the sender's list finds it and is named with it.
void TstCli::rewrittenRecipientIsFoundUnderTheMailedAddress()
{
    QTemporaryDir dir;
    const QString log = dir.filePath(u"maillog"_s);
    QVERIFY(writeFile(log, "Mar  2 09:00:00 relay postfix/qmgr[900]: 5A1B2C3D4E: from=<news@shop.example>, size=1200, nrcpt=2 (queue active)\n"
                           "Mar  2 09:00:02 relay postfix/smtp[2003]: 5A1B2C3D4E: to=<sam.new@partner.example>, orig_to=<sam@oldpartner.example>, "
                           "relay=mx.partner.example[192.0.2.30]:25, delay=2, delays=0.1/0/1/0.9, dsn=5.1.1, status=bounced "
                           "(host mx.partner.example[192.0.2.30] said: 550 5.1.1 <sam.new@partner.example>: no such user (in reply to RCPT TO command))\n"
                           "Mar  2 09:00:02 relay postfix/smtp[2003]: 5A1B2C3D4E: to=<kim@partner.example>, "
                           "relay=mx.partner.example[192.0.2.30]:25, delay=2, delays=0.1/0/1/0.9, dsn=2.0.0, status=sent (250 2.0.0 OK)\n"
                           "Mar  2 09:00:03 relay postfix/qmgr[900]: 5A1B2C3D4E: removed\n"));
    const QString db = dir.filePath(u"p.bip"_s);
    QCOMPARE(cli({u"import"_s, u"--db"_s, db, u"--tz"_s, u"UTC"_s, log}).exitCode, 0);
    QMap<QString, QJsonObject> byRecipient;
    for (const QJsonObject& f : corpus::runCliJsonl({u"fates"_s, u"--db"_s, db, u"--jsonl"_s}))
        byRecipient.insert(f.value(u"recipient"_s).toString(), f);
    QCOMPARE(byRecipient.keys(), (QStringList{u"kim@partner.example"_s, u"sam.new@partner.example"_s}));
    QCOMPARE(byRecipient[u"sam.new@partner.example"_s].value(u"original_recipient"_s).toString(), u"sam@oldpartner.example"_s);
    QCOMPARE(byRecipient[u"sam.new@partner.example"_s].value(u"fate"_s).toString(), u"rejected"_s);
    QCOMPARE(byRecipient[u"kim@partner.example"_s].value(u"original_recipient"_s).toString(), QString());

    const Run mailed = cli({u"timeline"_s, u"--db"_s, db, u"Sam@OldPartner.example"_s});
    QCOMPARE(mailed.exitCode, 0);
    QVERIFY2(mailed.out.contains("sam.new@partner.example (mailed as sam@oldpartner.example)"), mailed.out.constData());
    QVERIFY2(mailed.out.contains("550 5.1.1"), mailed.out.constData());
    const Run delivered = cli({u"timeline"_s, u"--db"_s, db, u"sam.new@partner.example"_s});
    QCOMPARE(delivered.out, mailed.out);
    QVERIFY(!cli({u"timeline"_s, u"--db"_s, db, u"kim@partner.example"_s}).out.contains("mailed as"));
    QVERIFY(delivered.out.contains("1 attempt(s), 0 deferral(s); decided by log"));

    // From the mailbox alone the tries are unknown: said so, not counted as none.
    const QString alone = dir.filePath(u"alone.bip"_s);
    QCOMPARE(cli({u"import"_s, u"--db"_s, alone, fixture(u"two_bounces.mbox"_s)}).exitCode, 0);
    const Run fromMailbox = cli({u"timeline"_s, u"--db"_s, alone, u"nobody@example.com"_s});
    QCOMPARE(fromMailbox.exitCode, 0);
    QVERIFY2(fromMailbox.out.contains("attempts and deferrals not known without the smarthost's log; decided by mailbox"),
             fromMailbox.out.constData());
    QVERIFY(!fromMailbox.out.contains("attempt(s)"));
}

void TstCli::summaryNamesEachFilesFormatAndZone()
{
    QTemporaryDir dir;
    const QString postfix = dir.filePath(u"maillog"_s);
    QVERIFY(writeFile(postfix,
                      "Dec 30 23:59:00 relay postfix/qmgr[900]: 3F2A81C0A1: from=<news@shop.example>, size=1200, nrcpt=1 (queue active)\n"
                      "Dec 30 23:59:02 relay postfix/pickup[901]: warning: a line that is no event\n"
                      "Dec 30 23:59:03 relay postfix/smtp[2003]: 3F2A81C0A1: to=<alice@gmail.example>, relay=mx.gmail.example[192.0.2.30]:25, "
                      "delay=3, delays=0.1/0/1/0.9, dsn=2.0.0, status=sent (250 2.0.0 OK)\n"));
    const QString exim = dir.filePath(u"mainlog"_s);
    QVERIFY(writeFile(exim,
                      "2024-01-02 10:00:00 1rKz5a-0001Ab-Cd <= news@shop.example H=app [10.0.0.5] P=esmtp S=900 id=n1@shop.example\n"
                      "2024-01-02 10:00:01 1rKz5a-0001Ab-Cd => bob@mail.example R=dnslookup T=remote_smtp H=mx.mail.example [192.0.2.9]\n"
                      "2024-01-02 10:00:01 1rKz5a-0001Ab-Cd Completed\n"));
    const QString db = dir.filePath(u"p.bip"_s);
    QCOMPARE(cli({u"import"_s, u"--db"_s, db, u"--tz"_s, u"Europe/Berlin"_s, postfix}).exitCode, 0);
    QCOMPARE(cli({u"import"_s, u"--db"_s, db, u"--tz"_s, u"UTC+05:30"_s, exim, fixture(u"two_bounces.mbox"_s)}).exitCode, 0);
    const Run run = cli({u"summary"_s, u"--db"_s, db});
    QCOMPARE(run.exitCode, 0);
    const QString out = QString::fromUtf8(run.out);
    QVERIFY2(out.contains(postfix + u" — Postfix log, 3 lines, 2 events, stamps without an offset read in Europe/Berlin, complete"_s),
             qPrintable(out));
    QVERIFY2(out.contains(exim + u" — Exim log, 3 lines, 3 events, stamps without an offset read in UTC+05:30, complete"_s),
             qPrintable(out));
    QVERIFY2(out.contains(fixture(u"two_bounces.mbox"_s) + u" — mbox, 2 messages, 1 bounce, complete"_s), qPrintable(out));
}

// A log imported twice, and then again after it grew, finds the same problem at the same
// line each time: the project keeps it once, and the new line's own problem once.
void TstCli::fileReadAgainKeepsEachDiagnosticOnce()
{
    QTemporaryDir dir;
    const QString log = dir.filePath(u"maillog"_s);
    const QByteArray lines =
        "Dec 30 23:59:00 relay postfix/qmgr[900]: 3F2A81C0A1: from=<news@shop.example>, size=1200, nrcpt=1 (queue active)\n"
        "Dec 30 23:59:01 relay postfix/smtp[2003]: mailbox: to=<carol@mail.example>, relay=none, delay=1, dsn=4.4.1, status=deferred (connect timed out)\n"
        "Dec 30 23:59:03 relay postfix/smtp[2003]: 3F2A81C0A1: to=<alice@gmail.example>, relay=mx.gmail.example[192.0.2.30]:25, "
        "delay=3, delays=0.1/0/1/0.9, dsn=2.0.0, status=sent (250 2.0.0 OK)\n";
    QVERIFY(writeFile(log, lines));
    const QString db = dir.filePath(u"p.bip"_s);
    const auto diagnosed = [&db](const QByteArray& what) {
        const Run run = cli({u"summary"_s, u"--db"_s, db, u"--diagnostics"_s});
        return run.out.count(what);
    };
    for (int i = 0; i < 2; ++i) {
        const Run run = cli({u"import"_s, u"--db"_s, db, u"--tz"_s, u"UTC"_s, log});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(diagnosed("is not a Postfix queue id"), qsizetype(1));
    }
    QFile grown(log);
    QVERIFY(grown.open(QIODevice::Append));
    grown.write("Dec 30 23:59:05 relay postfix/smtp[2003]: lowercase: to=<dave@mail.example>, relay=none, delay=1, "
                "dsn=4.4.1, status=deferred (connect timed out)\n");
    grown.close();
    QCOMPARE(cli({u"import"_s, u"--db"_s, db, u"--tz"_s, u"UTC"_s, log}).exitCode, 0);
    QCOMPARE(diagnosed("is not a Postfix queue id"), qsizetype(2));
}

// An import stopped before it recomputed the fates leaves them without its data: every read
// says so on stderr until the next import recomputes them.
void TstCli::staleFatesAreSaidSo()
{
    QTemporaryDir dir;
    const QString db = dir.filePath(u"p.bip"_s);
    QCOMPARE(cli({u"import"_s, u"--db"_s, db, fixture(u"two_bounces.mbox"_s)}).exitCode, 0);
    QVERIFY(!cli({u"fates"_s, u"--db"_s, db, u"--jsonl"_s}).err.contains("warning"));
    {
        auto store = bi::core::store::ProjectStore::open(db, u"test"_s, false);
        QVERIFY(store.hasValue());
        QVERIFY(store->setSetting(bi::core::import::ImportJob::fatesPendingKey(), u"1"_s).hasValue());
    }
    const Run stale = cli({u"fates"_s, u"--db"_s, db, u"--jsonl"_s});
    QCOMPARE(stale.exitCode, 0);
    QVERIFY2(stale.err.contains("stopped before the fates were recomputed"), stale.err.constData());
    QCOMPARE(cli({u"import"_s, u"--db"_s, db, fixture(u"two_bounces.mbox"_s)}).exitCode, 0);
    QVERIFY(!cli({u"fates"_s, u"--db"_s, db, u"--jsonl"_s}).err.contains("warning"));
}

// A project on a read-only medium or without write permission: every command that only
// reads works; one that writes says why it cannot, in one line.
void TstCli::readOnlyProjectCanBeRead()
{
    QTemporaryDir dir;
    const QString db = dir.filePath(u"p.bip"_s);
    QCOMPARE(cli({u"import"_s, u"--db"_s, db, fixture(u"two_bounces.mbox"_s)}).exitCode, 0);
    const int fates = int(corpus::runCliJsonl({u"fates"_s, u"--db"_s, db, u"--jsonl"_s}).size());
    QVERIFY(fates > 0);
    QVERIFY(QFile::setPermissions(db, QFileDevice::ReadOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther));
    int exitCode = -1;
    QCOMPARE(int(corpus::runCliJsonl({u"fates"_s, u"--db"_s, db, u"--jsonl"_s}, &exitCode).size()), fates);
    QCOMPARE(exitCode, 0);
    const Run summary = cli({u"summary"_s, u"--db"_s, db});
    QCOMPARE(summary.exitCode, 0);
    QVERIFY(summary.out.contains("project:"));
    // The summary also counts the fates, as `fates` lists them.
    QVERIFY2(summary.out.contains("\nfates: " + QByteArray::number(fates) + "\n"), summary.out.constData());
    const Run import = cli({u"import"_s, u"--db"_s, db, fixture(u"two_bounces.mbox"_s)});
    QCOMPARE(import.exitCode, 1);
    QCOMPARE(import.err.count('\n'), 1);
    QVERIFY2(import.err.contains("read-only"), import.err.constData());
    // Redacting needs to keep its salt the first time: one line saying so, no folder made.
    const QString csv = dir.filePath(u"csv"_s);
    const Run redacted = cli({u"export"_s, u"--db"_s, db, u"--csv"_s, csv, u"--redact"_s});
    QCOMPARE(redacted.exitCode, 1);
    QCOMPARE(redacted.err.count('\n'), 1);
    QVERIFY2(redacted.err.contains("redacting needs the project writable once"), redacted.err.constData());
    QVERIFY(!QFileInfo::exists(csv));
    QFile::setPermissions(db, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

// Opening a named pipe waits for a writer: the import refuses it at once instead.
void TstCli::pipeIsRefusedNotWaitedOn()
{
    QTemporaryDir dir;
    const QString fifo = dir.filePath(u"fifo"_s);
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    const Run run = cli({u"import"_s, u"--db"_s, dir.filePath(u"p.bip"_s), fifo});
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.err.count('\n'), 1);
    QVERIFY2(run.err.contains("not a regular file"), run.err.constData());

    // Nor is a pipe named as the project waited on, by an import or a command that reads.
    for (const QString& command : {u"import"_s, u"summary"_s}) {
        QStringList args{command, u"--db"_s, fifo};
        if (command == u"import")
            args << fixture(u"two_bounces.mbox"_s);
        const Run onPipe = cli(args);
        QCOMPARE(onPipe.exitCode, 1);
        QVERIFY2(onPipe.err.contains("not a regular file"), onPipe.err.constData());
    }
    // An empty file is no project to read (and stays empty), but one to import into.
    const QString empty = dir.filePath(u"empty.bip"_s);
    QVERIFY(writeFile(empty, QByteArray()));
    const Run read = cli({u"summary"_s, u"--db"_s, empty});
    QCOMPARE(read.exitCode, 1);
    QVERIFY2(read.err.contains("the file is empty"), read.err.constData());
    QCOMPARE(QFileInfo(empty).size(), 0);
    const Run into = cli({u"import"_s, u"--db"_s, empty, fixture(u"two_bounces.mbox"_s)});
    QCOMPARE(into.exitCode, 0);
    QVERIFY2(into.out.contains("messages added: 2"), into.out.constData());

    // Every path mistyped: one line each, and no empty project left behind.
    const QString db = dir.filePath(u"typo.bip"_s);
    const Run typo = cli({u"import"_s, u"--db"_s, db, dir.filePath(u"no-such.mbox"_s)});
    QCOMPARE(typo.exitCode, 1);
    QCOMPARE(typo.err.count('\n'), 1);
    QVERIFY(!QFileInfo::exists(db));
}

void TstCli::bouncesFromProjectEqualParse()
{
    QTemporaryDir dir;
    const QString db = dir.filePath(u"p.bip"_s);
    QCOMPARE(cli({u"import"_s, u"--db"_s, db, fixture(u"two_bounces.mbox"_s)}).exitCode, 0);
    const QList<QJsonObject> parsed = corpus::runCliJsonl({u"parse"_s, u"--jsonl"_s, fixture(u"two_bounces.mbox"_s)});
    QList<QJsonObject> stored = corpus::runCliJsonl({u"bounces"_s, u"--db"_s, db, u"--jsonl"_s});
    QCOMPARE(stored.size(), parsed.size());
    for (qsizetype i = 0; i < parsed.size(); ++i) {
        QJsonObject a = parsed[i];
        QJsonObject b = stored[i];
        // The project stores the canonical path of the source file.
        QCOMPARE(QFileInfo(b[u"file"_s].toString()).canonicalFilePath(),
                 QFileInfo(a[u"file"_s].toString()).canonicalFilePath());
        a.remove(u"file"_s);
        b.remove(u"file"_s);
        QCOMPARE(b, a);
    }
}

void TstCli::importCreatesOwnerOnlyFile()
{
    QTemporaryDir dir;
    const QString db = dir.filePath(u"private.bip"_s);
    QCOMPARE(cli({u"import"_s, u"--db"_s, db, fixture(u"two_bounces.mbox"_s)}).exitCode, 0);
    const QFileDevice::Permissions perms = QFile(db).permissions();
    QVERIFY(perms & QFileDevice::ReadOwner);
    QVERIFY(!(perms & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteGroup
                       | QFileDevice::WriteOther)));
}

QTEST_GUILESS_MAIN(TstCli)
#include "tst_cli.moc"
