// SPDX-License-Identifier: GPL-3.0-or-later
// CSV exports: RFC 4180 quoting, UTF-8, formula defusing, the suppression rules, and the files
// of a generated project against what `fates` and `bounces` print for it.
#include <QDir>
#include <QFile>
#include <QStringDecoder>
#include <QTemporaryDir>
#include <QTest>

#include "core/report/csv_export.h"
#include "core/report/redactor.h"
#include "core/report/suppression_list.h"
#include "report_test_project.h"

using namespace Qt::StringLiterals;
using bi::core::report::CsvExport;
using bi::core::report::SuppressionList;

namespace {

// An independent RFC 4180 reader: records of fields, quotes doubled inside quoted fields.
QList<QStringList> readCsv(const QByteArray& bytes, bool* crlfOnly)
{
    QList<QStringList> records;
    QStringList record;
    QByteArray fieldBytes;
    bool quoted = false;
    *crlfOnly = true;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const char c = bytes[i];
        if (quoted) {
            if (c == '"' && i + 1 < bytes.size() && bytes[i + 1] == '"') {
                fieldBytes += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                fieldBytes += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            record << QString::fromUtf8(fieldBytes);
            fieldBytes.clear();
        } else if (c == '\r' && i + 1 < bytes.size() && bytes[i + 1] == '\n') {
            record << QString::fromUtf8(fieldBytes);
            fieldBytes.clear();
            records << record;
            record.clear();
            ++i;
        } else {
            if (c == '\n' || c == '\r')
                *crlfOnly = false;
            fieldBytes += c;
        }
    }
    if (!record.isEmpty() || !fieldBytes.isEmpty())
        *crlfOnly = false; // last record without CRLF
    return records;
}

} // namespace

class TstCsvExport final : public QObject {
    Q_OBJECT
private slots:
    void quoting_data();
    void quoting();
    void formulasAreDefused();
    void redactedTextHidesTheRecipientsLocalPart();
    void suppressionRules_data();
    void suppressionRules();
    void suppressionKeepsHardReason();
    void expiryOnTheAddresssOwnReplySuppressesSoftly();
    void projectExport();

private:
    QTemporaryDir m_dir;
};

void TstCsvExport::quoting_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QByteArray>("field");
    QTest::newRow("plain") << u"userunknown"_s << QByteArray("userunknown");
    QTest::newRow("empty") << QString() << QByteArray();
    QTest::newRow("comma") << u"550 5.1.1 no, really"_s << QByteArray("\"550 5.1.1 no, really\"");
    QTest::newRow("quote") << u"say \"hi\""_s << QByteArray("\"say \"\"hi\"\"\"");
    QTest::newRow("newline") << u"line1\nline2"_s << QByteArray("\"line1\nline2\"");
    QTest::newRow("cr") << u"a\rb"_s << QByteArray("\"a\rb\"");
    QTest::newRow("utf8") << u"Müller-Lüdenscheidt ✓"_s << u"Müller-Lüdenscheidt ✓"_s.toUtf8();
    QTest::newRow("markup-stays-text") << u"<b>x</b>"_s << QByteArray("<b>x</b>");
}

void TstCsvExport::quoting()
{
    QFETCH(QString, value);
    QFETCH(QByteArray, field);
    QCOMPARE(CsvExport::field(value), field);
    bool crlf = false;
    const auto back = readCsv(CsvExport::record({value, u"x"_s}), &crlf);
    QVERIFY(crlf);
    QCOMPARE(back.size(), 1);
    QCOMPARE(back.first(), (QStringList{value, u"x"_s}));
}

// A server quotes the local part alone ('unknown user: "nobody875"'); redaction hides it too,
// but not the same letters inside other words.
void TstCsvExport::redactedTextHidesTheRecipientsLocalPart()
{
    const bi::core::report::Redactor r(true, "salt");
    const QString about = u"nobody875@shop.example"_s;
    const QString hashed = r.address(about).section(u'@', 0, 0);
    const QString out = r.text(u"550 5.1.1 <nobody875@shop.example>: unknown user: \"nobody875\" (Nobody875)"_s, about);
    QVERIFY2(!out.contains(u"nobody875"_s, Qt::CaseInsensitive), qPrintable(out));
    QCOMPARE(out.count(hashed), 3);
    QCOMPARE(r.text(u"user anna is over quota; annabel unaffected"_s, u"anna@x.example"_s).count(u"annabel"_s), 1);
    const bi::core::report::Redactor off(false, "salt");
    QCOMPARE(off.text(u"unknown user: nobody875"_s, about), u"unknown user: nobody875"_s);
}

void TstCsvExport::formulasAreDefused()
{
    QCOMPARE(CsvExport::untrusted(u"=HYPERLINK(\"x\")"_s), u"'=HYPERLINK(\"x\")"_s);
    QCOMPARE(CsvExport::untrusted(u"+1"_s), u"'+1"_s);
    QCOMPARE(CsvExport::untrusted(u"@SUM(A1)"_s), u"'@SUM(A1)"_s);
    QCOMPARE(CsvExport::untrusted(u"user@example.com"_s), u"user@example.com"_s);
}

void TstCsvExport::suppressionRules_data()
{
    QTest::addColumn<QString>("reason");
    QTest::addColumn<bool>("suppress");
    // The address's own failure.
    for (const char* r : {"userunknown", "hostunknown", "hasmoved", "notaccept", "suspend", "mailboxfull", "feedback"})
        QTest::newRow(r) << QString::fromLatin1(r) << true;
    // The sender's reputation, authentication, policy, content, or transient trouble.
    for (const char* r : {"blocked", "badreputation", "authfailure", "requireptr", "rejected", "securityerror",
                          "spamdetected", "virusdetected", "policyviolation", "contenterror", "notcompliantrfc",
                          "filtered", "mesgtoobig", "expired", "networkerror", "toomanyconn", "speeding",
                          "systemerror", "onhold", "undefined", ""})
        QTest::newRow(*r ? r : "empty") << QString::fromLatin1(r) << false;
}

void TstCsvExport::suppressionRules()
{
    QFETCH(QString, reason);
    QFETCH(bool, suppress);
    QCOMPARE(SuppressionList::justifiesSuppression(reason), suppress);
    bi::core::store::FateRecord f;
    f.recipient = u"Someone@Example.com"_s;
    f.fate = bi::core::store::Fate::Rejected;
    f.reason = reason;
    f.status = u"5.0.0"_s;
    f.finalAt = QDateTime(QDate(2025, 3, 1), QTime(10, 0), Qt::UTC);
    SuppressionList list;
    list.addFate(f);
    QCOMPARE(list.entries().size(), suppress ? 1 : 0);
    // Delivered mail never suppresses, whatever its reason field says.
    f.fate = bi::core::store::Fate::Delivered;
    SuppressionList delivered;
    delivered.addFate(f);
    QVERIFY(delivered.entries().isEmpty());
}

void TstCsvExport::suppressionKeepsHardReason()
{
    SuppressionList list;
    bi::core::store::FateRecord f;
    f.recipient = u"a@example.org"_s;
    f.fate = bi::core::store::Fate::AsyncBounce;
    f.reason = u"userunknown"_s;
    f.status = u"5.1.1"_s;
    f.bounceAt = QDateTime(QDate(2025, 3, 1), QTime(10, 0), Qt::UTC);
    f.bounceMessageRow = 7;
    list.addFate(f);
    f.reason = u"mailboxfull"_s;
    f.status = u"4.2.2"_s;
    f.bounceAt = f.bounceAt.addDays(2);
    f.bounceMessageRow = 9;
    list.addFate(f);
    f.reason = u"blocked"_s; // not the address's fault: not counted
    list.addFate(f);
    const auto entries = list.entries();
    QCOMPARE(entries.size(), 1);
    QCOMPARE(entries[0].reason, u"userunknown"_s);
    QVERIFY(entries[0].hard);
    QCOMPARE(entries[0].count, 2);
    QCOMPARE(entries[0].firstSeen, QDateTime(QDate(2025, 3, 1), QTime(10, 0), Qt::UTC));
    QCOMPARE(entries[0].lastSeen, QDateTime(QDate(2025, 3, 3), QTime(10, 0), Qt::UTC));
    QCOMPARE(entries[0].evidence, (QStringList{u"msg:7"_s, u"msg:9"_s}));
}

// Retried for days on "450 4.1.1 User unknown" until the queue lifetime ran out: the address
// is listed, softly (only temporary replies say so); retried on a timeout, it is not.
void TstCsvExport::expiryOnTheAddresssOwnReplySuppressesSoftly()
{
    bi::core::store::FateRecord f;
    f.recipient = u"gone@example.org"_s;
    f.fate = bi::core::store::Fate::Expired;
    f.reason = u"expired"_s;
    f.status = u"4.1.1"_s;
    f.replyCode = u"450"_s;
    f.diagnostic = u"host mx.example.org[192.0.2.4] said: 450 4.1.1 <gone@example.org>: Recipient address rejected: "
                   u"User unknown in virtual alias table (in reply to RCPT TO command)"_s;
    f.finalAt = QDateTime(QDate(2025, 3, 6), QTime(10, 0), Qt::UTC);
    SuppressionList list;
    list.addFate(f);
    f.recipient = u"slow@example.net"_s;
    f.status = u"4.4.1"_s;
    f.replyCode.clear();
    f.diagnostic = u"connect to mx.example.net[192.0.2.9]:25: Connection timed out"_s;
    list.addFate(f);
    const auto entries = list.entries();
    QCOMPARE(entries.size(), 1);
    QCOMPARE(entries[0].address, u"gone@example.org"_s);
    QCOMPARE(entries[0].reason, u"userunknown"_s);
    QVERIFY(!entries[0].hard);
}

void TstCsvExport::projectExport()
{
    QVERIFY(m_dir.isValid());
    const QString project = m_dir.filePath(u"project.bip"_s);
    const QString error = bi::test::buildScenarioProject(m_dir.path(), project);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QString out = m_dir.filePath(u"csv"_s);
    const auto run = bi::test::runCli({u"export"_s, u"--db"_s, project, u"--csv"_s, out});
    QVERIFY2(run.exitCode == 0, run.err.constData());

    const auto fates = bi::test::jsonLines(bi::test::runCli({u"fates"_s, u"--db"_s, project}).out);
    const auto bounces = bi::test::jsonLines(bi::test::runCli({u"bounces"_s, u"--db"_s, project}).out);
    QVERIFY(fates.size() > 100);

    QHash<QString, QList<QStringList>> files;
    for (const QString& name : {u"fates.csv"_s, u"bounces.csv"_s, u"suppression.csv"_s}) {
        QFile f(QDir(out).filePath(name));
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(name));
        const QByteArray bytes = f.readAll();
        QStringDecoder utf8(QStringDecoder::Utf8);
        (void)QString(utf8(bytes));
        QVERIFY2(!utf8.hasError(), qPrintable(name + u" is not UTF-8"_s));
        QVERIFY2(!bytes.startsWith("\xEF\xBB\xBF"), "no BOM");
        bool crlf = false;
        files[name] = readCsv(bytes, &crlf);
        QVERIFY2(crlf, qPrintable(name + u": records must end in CRLF"_s));
        const int columns = int(files[name].first().size());
        for (const QStringList& r : files[name])
            QCOMPARE(r.size(), columns);
    }
    QCOMPARE(files[u"fates.csv"_s].size() - 1, fates.size());
    QCOMPARE(files[u"bounces.csv"_s].size() - 1, bounces.size());

    // Every fate appears with the same recipient and fate as `fates` prints.
    QMultiHash<QString, QString> expectedFates;
    for (const auto& f : fates)
        expectedFates.insert(f.value(u"message_id"_s).toString() + u' ' + f.value(u"recipient"_s).toString(),
                             f.value(u"fate"_s).toString());
    const QStringList header = files[u"fates.csv"_s].first();
    const auto col = [&header](const QString& name) { return header.indexOf(name); };
    for (const QStringList& r : files[u"fates.csv"_s].mid(1))
        QVERIFY(expectedFates.contains(r[col(u"message_id"_s)] + u' ' + r[col(u"recipient"_s)], r[col(u"fate"_s)]));

    // The suppression list is exactly the addresses with a failure of their own, computed here
    // from the CLI's fates and bounces with the reason vocabulary's meanings.
    const QSet<QString> own = {u"userunknown"_s, u"hostunknown"_s, u"hasmoved"_s, u"notaccept"_s,
                               u"suspend"_s, u"mailboxfull"_s};
    QSet<QString> expected;
    QSet<QString> sendersFault;
    for (const auto& f : fates) {
        const QString fate = f.value(u"fate"_s).toString();
        if (fate != u"rejected" && fate != u"expired" && fate != u"async_bounce")
            continue;
        const QString address = f.value(u"recipient"_s).toString().toLower();
        if (own.contains(f.value(u"reason"_s).toString()))
            expected.insert(address);
        else
            sendersFault.insert(address);
    }
    for (const auto& b : bounces) {
        if (b.value(u"kind"_s).toString() == u"feedback")
            expected.insert(b.value(u"recipient"_s).toString().toLower());
    }
    QSet<QString> listed;
    const QStringList sh = files[u"suppression.csv"_s].first();
    QCOMPARE(sh, (QStringList{u"address"_s, u"reason"_s, u"type"_s, u"first_seen"_s, u"last_seen"_s, u"count"_s,
                              u"evidence"_s}));
    for (const QStringList& r : files[u"suppression.csv"_s].mid(1)) {
        listed.insert(r[0]);
        QVERIFY2(SuppressionList::justifiesSuppression(r[1]), qPrintable(r.join(u',')));
        QVERIFY(r[2] == u"hard" || r[2] == u"soft");
        QVERIFY(!r[6].isEmpty());
    }
    QCOMPARE(listed, expected);
    QVERIFY2(!expected.isEmpty(), "the scenario has unknown users");
    // Addresses refused only for the sender's sake are absent.
    for (const QString& a : sendersFault - expected)
        QVERIFY2(!listed.contains(a), qPrintable(a));

    // Redacted export: same rows, no local part left.
    const QString redacted = m_dir.filePath(u"csv-redacted"_s);
    QCOMPARE(bi::test::runCli({u"export"_s, u"--db"_s, project, u"--csv"_s, redacted, u"--redact"_s}).exitCode, 0);
    QFile f(QDir(redacted).filePath(u"fates.csv"_s));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(f.readAll());
    for (const auto& fate : fates) {
        const QString local = fate.value(u"recipient"_s).toString().section(u'@', 0, 0);
        if (local.size() >= 4)
            QVERIFY2(!text.contains(local + u'@'), qPrintable(local));
    }
}

QTEST_GUILESS_MAIN(TstCsvExport)
#include "tst_csv_export.moc"
