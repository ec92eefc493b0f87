// SPDX-License-Identifier: GPL-3.0-or-later
// The PDF report of a generated project: every section is there, its figures equal what
// `fates` prints for the same project, redaction hides local parts, the period filters, the
// fonts are embedded. Reads the PDF back with poppler's pdftotext/pdffonts (skips without).
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QJsonArray>
#include <QTest>

#include "core/report/pdf/pdf_layout.h"
#include "core/report/report_composer.h"
#include "report_test_project.h"

using namespace Qt::StringLiterals;
using bi::core::report::ReportComposer;

class TstReport final : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void everySectionIsThere();
    void scopeListsSourceHashes();
    void summaryFiguresEqualFates();
    void pagesAreNumbered();
    void fontsAreEmbedded();
    void lettersDejaVuLacksComeFromTheFallbackFont();
    void asyncExampleIsABounceNotAnExpiry();
    void redactionHidesLocalParts();
    void periodSelectsFates();
    void badOptionsAreUsageErrors();

private:
    QString pdfText(const QString& pdf);
    QString report(const QStringList& extra, const QString& name);
    static QDateTime fateTime(const QJsonObject& f);

    QTemporaryDir m_dir;
    QString m_project;
    QString m_pdftotext;
    QList<QJsonObject> m_fates;
    QString m_text;
};

void TstReport::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_pdftotext = QStandardPaths::findExecutable(u"pdftotext"_s);
    if (m_pdftotext.isEmpty())
        QSKIP("pdftotext (poppler-utils) is not installed");
    m_project = m_dir.filePath(u"project.bip"_s);
    const QString error = bi::test::buildScenarioProject(m_dir.path(), m_project);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const auto fates = bi::test::runCli({u"fates"_s, u"--db"_s, m_project, u"--jsonl"_s});
    QCOMPARE(fates.exitCode, 0);
    m_fates = bi::test::jsonLines(fates.out);
    QVERIFY(m_fates.size() > 100);
    const QString pdf = report({}, u"report.pdf"_s);
    QVERIFY(!pdf.isEmpty());
    m_text = pdfText(pdf);
    QVERIFY(!m_text.isEmpty());
}

QString TstReport::report(const QStringList& extra, const QString& name)
{
    const QString pdf = m_dir.filePath(name);
    const auto run = bi::test::runCli(QStringList{u"report"_s, u"--db"_s, m_project, u"--pdf"_s, pdf} + extra);
    if (run.exitCode != 0) {
        qWarning("report failed: %s", run.err.constData());
        return {};
    }
    return pdf;
}

QString TstReport::pdfText(const QString& pdf)
{
    const QString txt = pdf + u".txt"_s;
    const auto run = bi::test::runProgram(m_pdftotext, {u"-layout"_s, u"-enc"_s, u"UTF-8"_s, pdf, txt});
    if (run.exitCode != 0) {
        qWarning("pdftotext failed: %s", run.err.constData());
        return {};
    }
    QFile f(txt);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

QDateTime TstReport::fateTime(const QJsonObject& f)
{
    for (const char* key : {"queued_at", "first_attempt_at", "final_at", "bounce_at"}) {
        const QDateTime t = QDateTime::fromString(f.value(QLatin1StringView(key)).toString(), Qt::ISODate);
        if (t.isValid())
            return t.toUTC();
    }
    return {};
}

void TstReport::everySectionIsThere()
{
    QVERIFY(m_text.contains(u"Deliverability report"_s));
    for (const QString& title : ReportComposer::sectionTitles())
        QVERIFY2(m_text.contains(title), qPrintable(u"missing section: "_s + title));
    for (const QString& sub : {u"Rejected during the SMTP transaction"_s, u"Expired in the queue"_s,
                               u"Bounced after acceptance"_s, u"Recipient problems"_s, u"Infrastructure problems"_s,
                               u"Content problems"_s, u"Outcomes per day"_s, u"Time from acceptance to asynchronous bounce"_s})
        QVERIFY2(m_text.contains(sub), qPrintable(u"missing: "_s + sub));
}

void TstReport::scopeListsSourceHashes()
{
    // The title page names every imported file with the SHA-256 sha256sum would print, in two
    // halves so the cell wraps between them, and says it was read completely.
    for (const QString& name : {u"postfix.log"_s, u"mailbox-postfix.mbox"_s}) {
        QFile file(m_dir.filePath(u"scenario/"_s + name));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString sha = QString::fromLatin1(QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256).toHex());
        QVERIFY2(m_text.contains(sha.left(32)) && m_text.contains(sha.mid(32)), qPrintable(name + u" "_s + sha));
    }
    QVERIFY(!m_text.contains(u"(not recorded)"_s));
    const QString scope = m_text.section(u"Scope"_s, 1).section(u"Mailboxes:"_s, 0, 0);
    QCOMPARE(scope.count(u"complete"_s), 2);
}

void TstReport::summaryFiguresEqualFates()
{
    QMap<QString, qint64> byFate;
    QSet<QString> messages;
    for (const QJsonObject& f : m_fates) {
        ++byFate[f.value(u"fate"_s).toString()];
        messages.insert(f.value(u"message_id"_s).toString());
    }
    const qint64 total = m_fates.size();
    const QList<std::pair<QString, QString>> rows = {{u"Delivered"_s, u"delivered"_s},
                                                     {u"Rejected"_s, u"rejected"_s},
                                                     {u"Expired"_s, u"expired"_s},
                                                     {u"Asynchronous bounce"_s, u"async_bounce"_s},
                                                     {u"Still deferred"_s, u"deferred"_s}};
    for (const auto& [label, fate] : rows) {
        const qint64 n = byFate.value(fate);
        // The summary table row: label, count, share (one decimal; the space before the %
        // does not break), in pdftotext's layout.
        const QString share = QString::number(100.0 * double(n) / double(total), 'f', 1);
        const QRegularExpression row(u"^\\s*%1\\s+%2\\s+%3[ \u00a0]%\\s*$"_s.arg(QRegularExpression::escape(label)).arg(n)
                                         .arg(QRegularExpression::escape(share)),
                                     QRegularExpression::MultilineOption);
        QVERIFY2(row.match(m_text).hasMatch(), qPrintable(u"summary row %1 %2 %3 % not found"_s.arg(label).arg(n).arg(share)));
    }
    const QRegularExpression all(u"^\\s*All recipients\\s+%1\\s+100\\.0 %\\s*$"_s.arg(total),
                                 QRegularExpression::MultilineOption);
    QVERIFY2(all.match(m_text).hasMatch(), "total row");
    QVERIFY2(m_text.contains(u"%1 messages were sent to %2 recipients"_s.arg(messages.size()).arg(total)),
             "summary sentence");
    // Each of the three failure subsections carries its count.
    QVERIFY(m_text.contains(u"Rejected during the SMTP transaction (%1)"_s.arg(byFate.value(u"rejected"_s))));
    QVERIFY(m_text.contains(u"Expired in the queue (%1)"_s.arg(byFate.value(u"expired"_s))));
    QVERIFY(m_text.contains(u"Bounced after acceptance (%1)"_s.arg(byFate.value(u"async_bounce"_s))));
    // Deferral rate: recipients deferred at least once.
    qint64 deferred = 0;
    for (const QJsonObject& f : m_fates)
        deferred += f.value(u"deferrals"_s).toInt() > 0 ? 1 : 0;
    const QRegularExpression deferredRow(
        u"^\\s*Deferred at least once\\s+%1\\s+%2[ \u00a0]%\\s*$"_s.arg(deferred).arg(
            QRegularExpression::escape(QString::number(100.0 * double(deferred) / double(total), 'f', 1))),
        QRegularExpression::MultilineOption);
    QVERIFY2(deferredRow.match(m_text).hasMatch(), "deferral row");
    // Rejections our own smarthost made at submission are told apart.
    qint64 refused = 0;
    for (const QJsonObject& f : m_fates) {
        const QJsonArray evidence = f.value(u"evidence"_s).toArray();
        refused += !evidence.isEmpty() && evidence.first().toString().startsWith(u"the smarthost refused it"_s);
    }
    QVERIFY2(refused > 0, "the scenario has recipients the smarthost refused at submission");
    const QRegularExpression refusedSentence(u"%1\\s+of\\s+them\\s+never\\s+left\\s+our\\s+side"_s.arg(refused));
    QVERIFY2(refusedSentence.match(m_text).hasMatch(), qPrintable(u"no sentence for %1 refused"_s.arg(refused)));
}

void TstReport::pagesAreNumbered()
{
    const QRegularExpression page(u"Page (\\d+) of (\\d+)"_s);
    auto it = page.globalMatch(m_text);
    int seen = 0;
    int of = -1;
    while (it.hasNext()) {
        const auto m = it.next();
        ++seen;
        QCOMPARE(m.captured(1).toInt(), seen);
        of = m.captured(2).toInt();
    }
    QVERIFY(seen >= 8);
    QCOMPARE(of, seen);
}

void TstReport::fontsAreEmbedded()
{
    const QString pdffonts = QStandardPaths::findExecutable(u"pdffonts"_s);
    if (pdffonts.isEmpty())
        QSKIP("pdffonts is not installed");
    const auto run = bi::test::runProgram(pdffonts, {m_dir.filePath(u"report.pdf"_s)});
    QCOMPARE(run.exitCode, 0);
    const QStringList lines = QString::fromUtf8(run.out).split(u'\n', Qt::SkipEmptyParts).mid(2);
    QCOMPARE(lines.size(), 2);
    for (const QString& line : lines) {
        QVERIFY2(line.contains(u"CID TrueType"_s), qPrintable(line));
        QVERIFY2(line.contains(u" yes "_s), qPrintable(line)); // emb
    }
}

// An address in Chinese letters, which DejaVu lacks: drawn from Droid Sans Fallback (which
// bootstrap.sh installs; the report above, without such letters, does not embed it), and
// copied out of the PDF as it is.
void TstReport::lettersDejaVuLacksComeFromTheFallbackFont()
{
    QVERIFY2(!bi::core::report::pdf::PdfLayout::fallbackFont().isEmpty(),
             "DroidSansFallbackFull.ttf not found: install fonts-droid-fallback (bootstrap.sh does)");
    const QString address = u"\u5f20\u4f1f@\u4f8b\u5b50.\u6d4b\u8bd5"_s; // 张伟@例子.测试
    const QString mbox = m_dir.filePath(u"cjk.mbox"_s);
    QFile f(mbox);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("From MAILER-DAEMON Mon Jan  5 09:14:03 2026\nReturn-Path: <>\nDate: Mon, 5 Jan 2026 09:14:03 +0000\n"
            "From: MAILER-DAEMON@mx.example.cn\nTo: news@shop.example\nSubject: Undelivered Mail Returned to Sender\n"
            "Message-Id: <cjk1@mx.example.cn>\nMIME-Version: 1.0\n"
            "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n"
            "--B\nContent-Type: text/plain\n\nThe mailbox does not exist.\n\n"
            "--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.cn\n\n"
            "Final-Recipient: rfc822; " + address.toUtf8() + "\nAction: failed\nStatus: 5.1.1\n"
            "Diagnostic-Code: smtp; 550 5.1.1 user unknown\n\n--B--\n");
    f.close();
    const QString project = m_dir.filePath(u"cjk.bip"_s);
    QCOMPARE(bi::test::runCli({u"import"_s, u"--db"_s, project, mbox}).exitCode, 0);
    const QString pdf = m_dir.filePath(u"cjk.pdf"_s);
    const auto run = bi::test::runCli({u"report"_s, u"--db"_s, project, u"--pdf"_s, pdf});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY2(pdfText(pdf).contains(address), "the address does not copy out of the PDF as written");
    QFile bytes(pdf);
    QVERIFY(bytes.open(QIODevice::ReadOnly));
    QVERIFY(bytes.readAll().contains("/BaseFont /DroidSansFallback"));
}

// Two notices written by receiving servers, so both recipients are asynchronous bounces: a
// relay's "gave up retrying" (reason expired; a sender's hosted smarthost the mailbox alone
// cannot tell) and a mailbox that does not exist. The section's example is the second, though
// the first has more steps (its delay notice) and comes first.
void TstReport::asyncExampleIsABounceNotAnExpiry()
{
    const auto notice = [](const QByteArray& id, const QByteArray& date, const QByteArray& host,
                           const QByteArray& rcpt, const QByteArray& action, const QByteArray& status,
                           const QByteArray& diagnostic) {
        return "From MAILER-DAEMON Mon Jan  5 09:14:03 2026\nReturn-Path: <>\nDate: " + date + "\n"
               "From: MAILER-DAEMON@" + host + "\nTo: news@shop.example\nSubject: Delivery Status Notification\n"
               "Message-Id: <" + id + "@" + host + ">\nMIME-Version: 1.0\n"
               "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n"
               "--B\nContent-Type: text/plain\n\nDelivery to the recipient did not succeed.\n\n"
               "--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; " + host + "\n\n"
               "Final-Recipient: rfc822; " + rcpt + "\nAction: " + action + "\nStatus: " + status + "\n"
               "Diagnostic-Code: smtp; " + diagnostic + "\n\n"
               "--B\nContent-Type: text/rfc822-headers\n\nFrom: news@shop.example\nTo: " + rcpt + "\n"
               "Message-ID: <m-" + id + "@shop.example>\nDate: Mon, 5 Jan 2026 08:00:00 +0000\n\n--B--\n\n";
    };
    const QString mbox = m_dir.filePath(u"async.mbox"_s);
    QFile f(mbox);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(notice("d1", "Mon, 5 Jan 2026 10:00:00 +0000", "relay.far.example", "ann@far.example", "delayed", "4.4.7",
                   "421 4.4.7 retry timeout not reached yet")
            + notice("e1", "Wed, 7 Jan 2026 10:00:00 +0000", "relay.far.example", "ann@far.example", "failed", "4.4.7",
                     "retry timeout exceeded: the recipient server did not accept our requests to connect")
            + notice("u1", "Mon, 5 Jan 2026 11:00:00 +0000", "mx.near.example", "bob@near.example", "failed", "5.1.1",
                     "550 5.1.1 user unknown"));
    f.close();
    const QString project = m_dir.filePath(u"async.bip"_s);
    QCOMPARE(bi::test::runCli({u"import"_s, u"--db"_s, project, mbox}).exitCode, 0);
    const auto fates = bi::test::runCli({u"fates"_s, u"--db"_s, project, u"--jsonl"_s});
    QMap<QString, QString> reasonOf;
    for (const QJsonObject& o : bi::test::jsonLines(fates.out)) {
        QCOMPARE(o.value(u"fate"_s).toString(), u"async_bounce"_s);
        reasonOf.insert(o.value(u"recipient"_s).toString(), o.value(u"reason"_s).toString());
    }
    QCOMPARE(reasonOf.value(u"ann@far.example"_s), u"expired"_s);
    QCOMPARE(reasonOf.value(u"bob@near.example"_s), u"userunknown"_s);
    const QString pdf = m_dir.filePath(u"async.pdf"_s);
    QCOMPARE(bi::test::runCli({u"report"_s, u"--db"_s, project, u"--pdf"_s, pdf}).exitCode, 0);
    const QString text = pdfText(pdf);
    const QRegularExpression example(u"Bounced after acceptance \\(2\\)[\\s\\S]*?Example: message \\S+ to (\\S+)"_s);
    const auto m = example.match(text);
    QVERIFY2(m.hasMatch(), qPrintable(text.left(3000)));
    QCOMPARE(m.captured(1), u"bob@near.example"_s);
}

void TstReport::redactionHidesLocalParts()
{
    const QString pdf = report({u"--redact"_s}, u"redacted.pdf"_s);
    QVERIFY(!pdf.isEmpty());
    const QString text = pdfText(pdf);
    QVERIFY(text.contains(u"Addresses are redacted"_s));
    int checked = 0;
    for (const QJsonObject& f : m_fates) {
        const QString recipient = f.value(u"recipient"_s).toString();
        const QString local = recipient.section(u'@', 0, 0);
        if (local.size() < 4)
            continue;
        QVERIFY2(!text.contains(local + u'@'), qPrintable(u"local part shown: "_s + recipient));
        ++checked;
    }
    QVERIFY(checked > 50);
    // Hashes are stable: a second redacted report names the same hashed addresses.
    const QString again = pdfText(report({u"--redact"_s}, u"redacted2.pdf"_s));
    const QRegularExpression hashed(u"h-[0-9a-f]{8}@[A-Za-z0-9.-]+"_s);
    QStringList first;
    QStringList second;
    for (auto it = hashed.globalMatch(text); it.hasNext();)
        first << it.next().captured(0);
    for (auto it = hashed.globalMatch(again); it.hasNext();)
        second << it.next().captured(0);
    QVERIFY(!first.isEmpty());
    QCOMPARE(first, second);
}

void TstReport::periodSelectsFates()
{
    QList<QDate> days;
    for (const QJsonObject& f : m_fates) {
        const QDateTime t = fateTime(f);
        if (t.isValid())
            days << t.date();
    }
    std::sort(days.begin(), days.end());
    QVERIFY(days.size() > 10);
    const QDate from = days.at(days.size() / 4);
    const QDate to = days.at(days.size() / 2);
    qint64 inPeriod = 0;
    for (const QJsonObject& f : m_fates) {
        const QDateTime t = fateTime(f);
        inPeriod += t.isValid() && t.date() >= from && t.date() <= to ? 1 : 0;
    }
    const QString pdf = report({u"--from"_s, from.toString(Qt::ISODate), u"--to"_s, to.toString(Qt::ISODate)},
                               u"period.pdf"_s);
    QVERIFY(!pdf.isEmpty());
    const QString text = pdfText(pdf);
    const QRegularExpression all(u"^\\s*All recipients\\s+%1\\s"_s.arg(inPeriod), QRegularExpression::MultilineOption);
    QVERIFY2(all.match(text).hasMatch(), qPrintable(u"expected %1 recipients in %2..%3"_s.arg(inPeriod)
                                                        .arg(from.toString(Qt::ISODate), to.toString(Qt::ISODate))));
    QVERIFY(text.contains(u"Period: %1 to %2"_s.arg(from.toString(Qt::ISODate), to.toString(Qt::ISODate))));
}

void TstReport::badOptionsAreUsageErrors()
{
    QCOMPARE(bi::test::runCli({u"report"_s, u"--db"_s, m_project}).exitCode, 2);
    QCOMPARE(bi::test::runCli({u"report"_s, u"--db"_s, m_project, u"--pdf"_s, m_dir.filePath(u"x.pdf"_s),
                               u"--from"_s, u"yesterday"_s})
                 .exitCode,
             2);
    QVERIFY(!QFile::exists(m_dir.filePath(u"x.pdf"_s)));
}

QTEST_GUILESS_MAIN(TstReport)
#include "tst_report.moc"
