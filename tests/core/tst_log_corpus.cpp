// SPDX-License-Identifier: GPL-3.0-or-later
// Real log lines from the shared corpus (BI_SHARED_CORPUS_DIR/logs): every format the corpus
// has is read through LogReader and the extracted events are checked against the labels other
// projects' tests give (*.expected.jsonl) and against lines chosen by hand. Exits 77 (skipped)
// when the corpus is absent.
#include <cstdio>

#include <QCoreApplication>
#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "core/logs/exim/exim_parser.h"
#include "tst_log_support.h"

using namespace bi::test::logs;
using namespace Qt::StringLiterals;

class TstLogCorpus final : public QObject {
    Q_OBJECT
private slots:
    void postfixLabelledMessages_data();
    void postfixLabelledMessages();
    void postfixRealSyslogLines_data();
    void postfixRealSyslogLines();
    void postfixRejectsMatchFail2banLabels();
    void postfixRfc3339FileIsReadWithoutComplaint();
    void eximLogstashLabels();
    void eximTestsuiteFlagsBecomeEvents();
    void eximTestsuiteChosenLines_data();
    void eximTestsuiteChosenLines();
    void sendmailLoghubLabels();
    void sendmailRejectsCarryClient();
    void qmailDeliverySequence();
    void qmailSploggerEpoch();
    void qmailTai64nSmtpSide();
    void exchangeTrackingFileIsUnderstood();
    void opensmtpdOldSessionLines();
    void courierIsNotSupported();

private:
    static QList<QJsonObject> labels(const QString& relative);
    static QByteArray read(const QString& relative);
    // The message-only corpora (grok/intake tests) get a syslog header built from their
    // labelled program; unlabelled lines get a program that is no Postfix daemon.
    static Run readMessageOnly(const QString& relative);
};

namespace {

// Our name for each label event of the Postfix corpora (FORMATS.md §1).
struct Mapping {
    const char* label;
    LogEventType type;
    DeliveryOutcome outcome;
    NotificationKind notification;
};
constexpr Mapping kPostfixEvents[] = {
    {"sent", LogEventType::DeliveryAttempt, DeliveryOutcome::Sent, NotificationKind::None},
    {"deferred", LogEventType::DeliveryAttempt, DeliveryOutcome::Deferred, NotificationKind::None},
    {"bounced", LogEventType::DeliveryAttempt, DeliveryOutcome::Bounced, NotificationKind::None},
    {"expired", LogEventType::MessageExpired, DeliveryOutcome::None, NotificationKind::None},
    {"message_id", LogEventType::MessageId, DeliveryOutcome::None, NotificationKind::None},
    {"received", LogEventType::Received, DeliveryOutcome::None, NotificationKind::None},
    {"removed", LogEventType::Removed, DeliveryOutcome::None, NotificationKind::None},
    {"smtp_reject", LogEventType::SmtpReject, DeliveryOutcome::None, NotificationKind::None},
    {"dsn_generated", LogEventType::BounceGenerated, DeliveryOutcome::None, NotificationKind::NonDelivery},
    {"delay_notice_generated", LogEventType::BounceGenerated, DeliveryOutcome::None, NotificationKind::Delay},
    {"success_dsn_generated", LogEventType::BounceGenerated, DeliveryOutcome::None, NotificationKind::Success},
    {"postmaster_notice_generated", LogEventType::BounceGenerated, DeliveryOutcome::None, NotificationKind::PostmasterCopy},
};

} // namespace

QList<QJsonObject> TstLogCorpus::labels(const QString& relative)
{
    QList<QJsonObject> out;
    QFile f(corpusDir() + u'/' + relative);
    if (!f.open(QIODevice::ReadOnly))
        return out;
    while (!f.atEnd()) {
        const QByteArray line = f.readLine().trimmed();
        if (!line.isEmpty())
            out.append(QJsonDocument::fromJson(line).object());
    }
    return out;
}

QByteArray TstLogCorpus::read(const QString& relative)
{
    QFile f(corpusDir() + u'/' + relative);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

Run TstLogCorpus::readMessageOnly(const QString& relative)
{
    QMap<int, QString> programs;
    for (const QJsonObject& o : labels(relative + u".expected.jsonl"_s)) {
        if (o.contains(u"program"_s))
            programs.insert(o[u"line"_s].toInt(), o[u"program"_s].toString());
    }
    const QList<QByteArray> lines = read(relative + u".log"_s).split('\n');
    QByteArray built;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (i == lines.size() - 1 && lines[i].isEmpty())
            break;
        const QByteArray program = programs.value(int(i) + 1, u"policy-helper"_s).toUtf8();
        built += "Jan  1 00:00:00 corpus-host " + program + "[1]: " + lines[i] + '\n';
    }
    LogReaderOptions o = options(utc(2025, 6, 1, 0, 0, 0));
    o.format = LogFormat::Postfix;
    return readBytes(built, o, relative);
}

void TstLogCorpus::postfixLabelledMessages_data()
{
    QTest::addColumn<QString>("corpus");
    QTest::addColumn<int>("minimum"); // labelled Postfix events the corpus has at least
    QTest::newRow("whyscream-grok-patterns") << u"postfix/whyscream-postfix-grok-patterns.msg"_s << 40;
    QTest::newRow("sekoia-intake-formats") << u"postfix/sekoia-intake-formats-postfix.msg"_s << 15;
}

void TstLogCorpus::postfixLabelledMessages()
{
    QFETCH(QString, corpus);
    QFETCH(int, minimum);
    const Run run = readMessageOnly(corpus);
    QVERIFY2(run.ok, qPrintable(run.error));
    int checked = 0;
    for (const QJsonObject& label : labels(corpus + u".expected.jsonl"_s)) {
        if (!label.contains(u"program"_s) || !label.contains(u"event"_s))
            continue; // policy daemons and the like: not Postfix lines
        const int line = label[u"line"_s].toInt();
        const QString event = label[u"event"_s].toString();
        const QString where = corpus + u':' + QString::number(line) + u' ' + event;
        if (event == u"remote_reply"_s || event.startsWith(u"undeliverable"_s)) {
            // "host X said:" without to= and verify probes are not delivery events.
            QVERIFY2(!eventAt(run.events, line, LogEventType::DeliveryAttempt), qPrintable(where));
            ++checked;
            continue;
        }
        const Mapping* m = nullptr;
        for (const Mapping& candidate : kPostfixEvents) {
            if (event == QLatin1StringView(candidate.label))
                m = &candidate;
        }
        QVERIFY2(m, qPrintable(u"unmapped label "_s + where));
        const LogEvent* e = eventAt(run.events, line, m->type);
        QVERIFY2(e, qPrintable(u"no event for "_s + where));
        QVERIFY2(e->outcome == m->outcome, qPrintable(where));
        QVERIFY2(e->notification == m->notification, qPrintable(where));
        const QString queueId = label[u"queue_id"_s].toString();
        QCOMPARE(e->queueId, queueId == u"NOQUEUE"_s ? QString() : queueId);
        QVariantMap expected;
        if (label.contains(u"recipient"_s))
            expected[u"recipient"_s] = label[u"recipient"_s].toString();
        if (label.contains(u"orig_recipient"_s))
            expected[u"originalRecipient"_s] = label[u"orig_recipient"_s].toString();
        if (label.contains(u"dsn"_s))
            expected[u"dsn"_s] = label[u"dsn"_s].toString();
        if (label.contains(u"relay"_s))
            expected[u"relay"_s] = label[u"relay"_s].toString();
        if (label.contains(u"smtp_code"_s))
            expected[u"smtpCode"_s] = label[u"smtp_code"_s].toString();
        if (label.contains(u"bounce_queue_id"_s))
            expected[u"newQueueId"_s] = label[u"bounce_queue_id"_s].toString();
        if (label.contains(u"message_id"_s))
            expected[u"messageId"_s] = label[u"message_id"_s].toString();
        if (label.contains(u"sender"_s))
            expected[u"sender"_s] = label[u"sender"_s].toString();
        if (label.contains(u"text"_s))
            expected[u"replyText~"_s] = label[u"text"_s].toString();
        const QString diff = mismatch(*e, expected);
        QVERIFY2(diff.isEmpty(), qPrintable(where + u": "_s + diff));
        ++checked;
    }
    QVERIFY2(checked >= minimum, qPrintable(QString::number(checked)));
}

void TstLogCorpus::postfixRealSyslogLines_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("line");
    QTest::addColumn<LogEventType>("type");
    QTest::addColumn<QVariantMap>("expected");

    const QString kumina = u"postfix/kumina-postfix_exporter-test.log"_s;
    const QString supar = u"postfix/supar-postlog-sa-main_test.log"_s;
    const QString raptor = u"postfix/lograptor-postfix.log"_s;
    QTest::newRow("kumina-deferred-451")
        << kumina << 43 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"queueId"_s, u"732BB407C3"_s}, {u"outcome"_s, u"deferred"_s}, {u"dsn"_s, u"4.0.0"_s}, {u"smtpCode"_s, 451},
                       {u"relay"_s, u"mail.domain.com[1.1.1.1]:25"_s}, {u"host"_s, u"mail"_s}, {u"time"_s, utc(2025, 12, 29, 2, 54, 12)}};
    QTest::newRow("kumina-bounced-554-then-ndr")
        << kumina << 44 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"bounced"_s}, {u"dsn"_s, u"5.0.0"_s}, {u"smtpCode"_s, 554}, {u"delay"_s, 582.0}};
    QTest::newRow("kumina-ndr")
        << kumina << 45 << LogEventType::BounceGenerated
        << QVariantMap{{u"queueId"_s, u"732BB407C3"_s}, {u"newQueueId"_s, u"5DE184083C"_s}};
    QTest::newRow("kumina-force-expired")
        << kumina << 33 << LogEventType::MessageExpired
        << QVariantMap{{u"queueId"_s, u"BACE842E73"_s}, {u"sender"_s, u"noreply@domain.com"_s}, {u"replyText~"_s, u"force-expired"_s}};
    QTest::newRow("supar-message-id-without-brackets")
        << supar << 3 << LogEventType::MessageId
        << QVariantMap{{u"messageId"_s, u"4ea6228aa481371f55ed30bb51408481@mail.ru"_s}};
    QTest::newRow("supar-connect-timeout")
        << supar << 16 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"deferred"_s}, {u"relay"_s, u"none"_s}, {u"dsn"_s, u"4.4.1"_s}, {u"delay"_s, 307136.0}};
    QTest::newRow("supar-expired")
        << supar << 20 << LogEventType::MessageExpired
        << QVariantMap{{u"queueId"_s, u"C93CEB08A046"_s}, {u"sender"_s, u"ina@somedomain.com"_s}};
    QTest::newRow("supar-expiry-ndr")
        << supar << 22 << LogEventType::BounceGenerated
        << QVariantMap{{u"queueId"_s, u"C93CEB08A046"_s}, {u"newQueueId"_s, u"B1B894562003"_s}};
    QTest::newRow("supar-ndr-queued-null-sender")
        << supar << 23 << LogEventType::Queued
        << QVariantMap{{u"queueId"_s, u"B1B894562003"_s}, {u"sender"_s, QString()}, {u"size"_s, 3773}};
    QTest::newRow("supar-amavis-queued-as")
        << supar << 36 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"queueId"_s, u"5247C4562029"_s}, {u"nextQueueId"_s, u"F3C59456202A"_s}, {u"relay"_s, u"127.0.0.1[127.0.0.1]:10024"_s}};
    QTest::newRow("raptor-pickup")
        << raptor << 14 << LogEventType::Received
        << QVariantMap{{u"queueId"_s, u"69EADD0808B"_s}, {u"sender"_s, u"triceratops@dinos.test"_s}};
    QTest::newRow("raptor-orig-to-via-pipe")
        << raptor << 16 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"recipient"_s, u"trex@dinos.test"_s}, {u"originalRecipient"_s, u"tyrannosaurus.rex@dinos.test"_s}, {u"relay"_s, u"dovecot"_s}};
    QTest::newRow("raptor-relay-to-antispam")
        << raptor << 3 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"recipient"_s, u"stegosaurus@ceratops.dinos.test"_s}, {u"nextQueueId"_s, u"73635C808F"_s}, {u"time"_s, utc(2026, 1, 31, 9, 50, 3)}};
}

void TstLogCorpus::postfixRealSyslogLines()
{
    QFETCH(QString, file);
    QFETCH(int, line);
    QFETCH(LogEventType, type);
    QFETCH(QVariantMap, expected);
    // The anchor is the end of 2026: kumina's test strings run Feb, Apr, Oct, Feb (a New Year),
    // Jul, Feb, Dec (a straggler of the year before), Apr, Feb, Mar: its latest line is in 2026,
    // its Dec 29 lines in 2025; nothing is dated after the anchor.
    const Run run = readPath(corpusDir() + u'/' + file, options(utc(2026, 11, 30, 0, 0, 0)));
    QVERIFY2(run.ok, qPrintable(run.error));
    QCOMPARE(run.summary.format, LogFormat::Postfix);
    QCOMPARE(run.summary.unrecognizedLines, 0);
    const LogEvent* e = eventAt(run.events, line, type);
    QVERIFY2(e, qPrintable(u"no %1 event for line %2"_s.arg(logEventTypeName(type)).arg(line)));
    BI_COMPARE_EVENT(*e, expected);
}

void TstLogCorpus::postfixRejectsMatchFail2banLabels()
{
    const Run run = readPath(corpusDir() + u"/postfix/fail2ban-postfix.log"_s);
    QVERIFY2(run.ok, qPrintable(run.error));
    int checked = 0;
    for (const QJsonObject& label : labels(u"postfix/fail2ban-postfix.expected.jsonl"_s)) {
        if (label[u"event"_s].toString() != u"smtp_reject"_s)
            continue;
        const int line = label[u"line"_s].toInt();
        const LogEvent* e = eventAt(run.events, line, LogEventType::SmtpReject);
        QVERIFY2(e, qPrintable(QString::number(line)));
        // A label states only what its line shows: a field it leaves out is not compared.
        QVariantMap expected{{u"client~"_s, label[u"client_ip"_s].toString()}};
        if (label.contains(u"smtp_code"_s))
            expected[u"smtpCode"_s] = label[u"smtp_code"_s].toString();
        if (label.contains(u"dsn"_s))
            expected[u"dsn"_s] = label[u"dsn"_s].toString();
        if (label.contains(u"recipient"_s))
            expected[u"recipient"_s] = label[u"recipient"_s].toString();
        if (label.contains(u"sender"_s) && !label[u"sender"_s].toString().isEmpty())
            expected[u"sender"_s] = label[u"sender"_s].toString();
        if (label.contains(u"queue_id"_s)) {
            const QString queueId = label[u"queue_id"_s].toString();
            expected[u"queueId"_s] = queueId == u"NOQUEUE"_s ? QString() : queueId;
        }
        const QString diff = mismatch(*e, expected);
        QVERIFY2(diff.isEmpty(), qPrintable(QString::number(line) + u": "_s + diff));
        // fail2ban dates its test lines in other years; month, day and time must agree.
        const QDateTime labelled = QDateTime::fromString(label[u"time"_s].toString(), Qt::ISODate);
        QCOMPARE(e->time.time(), labelled.time());
        QCOMPARE(e->time.date().month(), labelled.date().month());
        QCOMPARE(e->time.date().day(), labelled.date().day());
        ++checked;
    }
    QVERIFY(checked >= 10);
}

void TstLogCorpus::postfixRfc3339FileIsReadWithoutComplaint()
{
    const Run run = readPath(corpusDir() + u"/postfix/wazuh-ruleset-postfix-rfc3339.log"_s);
    QVERIFY2(run.ok, qPrintable(run.error));
    QCOMPARE(run.summary.format, LogFormat::Postfix);
    QCOMPARE(run.summary.lines, 4);
    QCOMPARE(run.summary.ignoredLines, 4); // warnings only, no message events
    QCOMPARE(run.summary.diagnosticCount, 0);
}

void TstLogCorpus::eximLogstashLabels()
{
    const Run run = readPath(corpusDir() + u"/exim/logstash-patterns-core-exim-spec.log"_s);
    QVERIFY2(run.ok, qPrintable(run.error));
    int checked = 0;
    for (const QJsonObject& label : labels(u"exim/logstash-patterns-core-exim-spec.expected.jsonl"_s)) {
        if (label[u"event"_s].toString() != u"received"_s)
            continue;
        const int line = label[u"line"_s].toInt();
        const LogEvent* e = eventAt(run.events, line, LogEventType::Received);
        QVERIFY2(e, qPrintable(QString::number(line)));
        QVariantMap expected{{u"queueId"_s, label[u"queue_id"_s].toString()},
                             {u"sender"_s, label[u"sender"_s].toString()},
                             {u"time"_s, QDateTime::fromString(label[u"time"_s].toString() + u'Z', Qt::ISODate)}};
        if (label.contains(u"message_id"_s))
            expected[u"messageId"_s] = label[u"message_id"_s].toString();
        if (label.contains(u"size"_s))
            expected[u"size"_s] = label[u"size"_s].toInt();
        const QString diff = mismatch(*e, expected);
        QVERIFY2(diff.isEmpty(), qPrintable(QString::number(line) + u": "_s + diff));
        ++checked;
    }
    QCOMPARE(checked, 5);
}

void TstLogCorpus::eximTestsuiteFlagsBecomeEvents()
{
    // Every delivery flag line of every test-suite log gives exactly the event its flag names.
    QDirIterator it(corpusDir() + u"/exim"_s, {u"exim-testsuite-log-*.log"_s}, QDir::Files);
    int files = 0;
    int flagged = 0;
    int autoreplies = 0;
    while (it.hasNext()) {
        const QString path = it.next();
        const Run run = readPath(path);
        QVERIFY2(run.ok, qPrintable(path + u": "_s + run.error));
        QCOMPARE(run.summary.format, LogFormat::Exim);
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        int lineNo = 0;
        int harnessLines = 0;
        while (!f.atEnd()) {
            const QByteArray text = f.readLine().trimmed();
            const QList<QByteArray> words = text.split(' ');
            ++lineNo;
            // The test harness merges "******** SERVER ********" and scripted server
            // transcripts into these files; only dated lines are Exim's.
            if (text.size() < 11 || text[4] != '-' || text[7] != '-' || text[10] != ' ')
                ++harnessLines;
            if (words.size() < 5 || !bi::core::logs::EximParser::isMessageId(words[2]))
                continue;
            const QByteArray flag = words[3];
            if (flag == "=>" && words[4].startsWith('>')) {
                // A filter's autoreply ("=> >usery <userx@test.ex> T=autoreply") delivers nothing.
                QVERIFY2(!eventAt(run.events, lineNo, LogEventType::DeliveryAttempt),
                         qPrintable(path + u':' + QString::number(lineNo)));
                ++autoreplies;
                continue;
            }
            DeliveryOutcome want = DeliveryOutcome::None;
            if (flag == "=>" || flag == "->")
                want = DeliveryOutcome::Sent;
            else if (flag == "==")
                want = DeliveryOutcome::Deferred;
            else if (flag == "**")
                want = DeliveryOutcome::Bounced; // or Expired
            else
                continue;
            const LogEvent* e = eventAt(run.events, lineNo, LogEventType::DeliveryAttempt);
            const QString where = path + u':' + QString::number(lineNo);
            QVERIFY2(e, qPrintable(where));
            QVERIFY2(!eventAt(run.events, lineNo, LogEventType::DeliveryAttempt, 1), qPrintable(where));
            QCOMPARE(e->queueId, QString::fromLatin1(words[2]));
            if (want == DeliveryOutcome::Bounced)
                QVERIFY2(e->outcome == DeliveryOutcome::Bounced || e->outcome == DeliveryOutcome::Expired, qPrintable(where));
            else
                QVERIFY2(e->outcome == want, qPrintable(where));
            QVERIFY2(!e->recipient.isEmpty(), qPrintable(where));
            ++flagged;
        }
        QVERIFY2(run.summary.unrecognizedLines == harnessLines, qPrintable(path));
        ++files;
    }
    QVERIFY(files >= 100);
    QVERIFY(flagged >= 1000);
    QVERIFY(autoreplies > 0);
}

void TstLogCorpus::eximTestsuiteChosenLines_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("line");
    QTest::addColumn<LogEventType>("type");
    QTest::addColumn<QVariantMap>("expected");
    QTest::newRow("0218-pipelined-mail-from-550")
        << u"0218"_s << 12 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"bounced"_s}, {u"recipient"_s, u"a@test.ex"_s}, {u"smtpCode"_s, 550}, {u"relay"_s, u"127.0.0.1 [127.0.0.1]"_s}};
    QTest::newRow("0218-bounce-arrival")
        << u"0218"_s << 13 << LogEventType::BounceGenerated
        << QVariantMap{{u"queueId"_s, u"10HmaZ-000000005vi-0000"_s}, {u"newQueueId"_s, u"10HmbB-000000005vi-0000"_s}};
    QTest::newRow("0135-retry-timeout-exceeded")
        << u"0135"_s << 9 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"expired"_s}, {u"recipient"_s, u"b@known.ex"_s}};
    QTest::newRow("0099-retry-time-not-reached")
        << u"0099"_s << 5 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"deferred"_s}, {u"skipped"_s, true}, {u"recipient"_s, u"userx@simple"_s}};
    QTest::newRow("0099-connection-refused-is-a-try")
        << u"0099"_s << 3 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"deferred"_s}, {u"skipped"_s, false}};
    QTest::newRow("0160-452-after-rcpt")
        << u"0160"_s << 0 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"deferred"_s}, {u"smtpCode"_s, 452}, {u"replyText~"_s, u"Temporary error"_s}};
}

void TstLogCorpus::eximTestsuiteChosenLines()
{
    QFETCH(QString, file);
    QFETCH(int, line);
    QFETCH(LogEventType, type);
    QFETCH(QVariantMap, expected);
    const Run run = readPath(corpusDir() + u"/exim/exim-testsuite-log-"_s + file + u".log"_s);
    QVERIFY2(run.ok, qPrintable(run.error));
    const LogEvent* e = nullptr;
    if (line > 0) {
        e = eventAt(run.events, line, type);
    } else {
        // the first event of that type with the expected code
        for (const LogEvent& candidate : run.events) {
            if (candidate.type == type && candidate.smtpCode == expected[u"smtpCode"_s].toInt()) {
                e = &candidate;
                break;
            }
        }
    }
    QVERIFY(e);
    BI_COMPARE_EVENT(*e, expected);
}

void TstLogCorpus::sendmailLoghubLabels()
{
    const Run run = readPath(corpusDir() + u"/sendmail/loghub-Thunderbird_2k-sendmail.log"_s);
    QVERIFY2(run.ok, qPrintable(run.error));
    QCOMPARE(run.summary.format, LogFormat::Sendmail);
    int checked = 0;
    for (const QJsonObject& label : labels(u"sendmail/loghub-Thunderbird_2k-sendmail.expected.jsonl"_s)) {
        const QString event = label[u"event"_s].toString();
        if (event.isEmpty())
            continue;
        const int line = label[u"line"_s].toInt();
        const LogEventType type = event == u"received"_s ? LogEventType::Received : LogEventType::DeliveryAttempt;
        const LogEvent* e = eventAt(run.events, line, type);
        QVERIFY2(e, qPrintable(QString::number(line)));
        // The collector's epoch is UTC; the host logged in UTC-8 (FORMATS.md §3).
        QVariantMap expected{{u"queueId"_s, label[u"queue_id"_s].toString()},
                             {u"host"_s, label[u"host"_s].toString()},
                             {u"time"_s, QDateTime::fromString(label[u"time"_s].toString(), Qt::ISODate)},
                             {u"offset"_s, -8 * 3600}};
        if (event == u"received"_s) {
            expected[u"sender"_s] = label[u"sender"_s].toString();
            expected[u"messageId"_s] = label[u"message_id"_s].toString();
        } else {
            expected[u"outcome"_s] = event;
            expected[u"recipient"_s] = label[u"recipient"_s].toString();
            expected[u"dsn"_s] = label[u"dsn"_s].toString();
            expected[u"relay"_s] = label[u"relay"_s].toString();
            expected[u"replyText"_s] = label[u"text"_s].toString();
        }
        const QString diff = mismatch(*e, expected);
        QVERIFY2(diff.isEmpty(), qPrintable(QString::number(line) + u": "_s + diff));
        ++checked;
    }
    QVERIFY(checked >= 10);
}

void TstLogCorpus::sendmailRejectsCarryClient()
{
    const Run run = readPath(corpusDir() + u"/sendmail/fail2ban-sendmail-reject.log"_s);
    QVERIFY2(run.ok, qPrintable(run.error));
    QCOMPARE(run.summary.unrecognizedLines, 0);
    int checked = 0;
    for (const QJsonObject& label : labels(u"sendmail/fail2ban-sendmail-reject.expected.jsonl"_s)) {
        const int line = label[u"line"_s].toInt();
        const LogEvent* e = eventAt(run.events, line, LogEventType::SmtpReject);
        if (!e || e->client.isEmpty())
            continue; // "<addr>... User unknown" lines name no client; others are not refusals
        QVERIFY2(e->client.contains(label[u"client_ip"_s].toString()), qPrintable(QString::number(line)));
        QVERIFY(e->smtpCode >= 400);
        QVERIFY(!e->recipient.isEmpty());
        ++checked;
    }
    QVERIFY(checked >= 15);
}

void TstLogCorpus::qmailDeliverySequence()
{
    const Run run = readPath(corpusDir() + u"/qmail/notqmail-TEST.deliver.log"_s);
    QVERIFY2(run.ok, qPrintable(run.error));
    QCOMPARE(run.summary.format, LogFormat::Qmail);
    // FORMATS.md §4: delivery 2 fails with #5.1.1, the bounce (qp 20357) becomes msg 54.
    const LogEvent* failure = eventAt(run.events, 12, LogEventType::DeliveryAttempt);
    QVERIFY(failure);
    BI_COMPARE_EVENT(*failure, (QVariantMap{{u"queueId"_s, u"53"_s}, {u"recipient"_s, u"nonexistent@domain"_s},
                                            {u"outcome"_s, u"bounced"_s}, {u"dsn"_s, u"5.1.1"_s}, {u"relay"_s, u"local"_s}}));
    const LogEvent* bounce = eventAt(run.events, 14, LogEventType::BounceGenerated);
    QVERIFY(bounce);
    QCOMPARE(bounce->queueId, u"53"_s);
    const LogEvent* bounceMessage = eventAt(run.events, 17, LogEventType::Received);
    QVERIFY(bounceMessage);
    QCOMPARE(bounceMessage->queueId, u"54"_s);
    QCOMPARE(bounceMessage->parentQueueId, u"53"_s);
    const LogEvent* remote = eventAt(run.events, 27, LogEventType::DeliveryAttempt);
    QVERIFY(remote);
    BI_COMPARE_EVENT(*remote, (QVariantMap{{u"recipient"_s, u"me@wherever"_s}, {u"outcome"_s, u"sent"_s}, {u"relay"_s, u"1.2.3.4"_s}}));
    QVERIFY(!remote->time.isValid()); // the sample has no stamps
}

void TstLogCorpus::qmailSploggerEpoch()
{
    const Run run = readPath(corpusDir() + u"/qmail/fail2ban-qmail.log"_s);
    QVERIFY2(run.ok, qPrintable(run.error));
    // "Sep  6 07:33:33 sd6 qmail: 1157520813.485077 rblsmtpd: 198.51.100.77 ...: 451 ..."
    const LogEvent* e = eventAt(run.events, 1, LogEventType::SmtpReject);
    QVERIFY(e);
    BI_COMPARE_EVENT(*e, (QVariantMap{{u"time"_s, utc(2006, 9, 6, 5, 33, 33, 485)}, {u"client"_s, u"198.51.100.77"_s},
                                      {u"smtpCode"_s, 451}, {u"host"_s, u"sd6"_s}, {u"program"_s, u"rblsmtpd"_s}}));
}

void TstLogCorpus::qmailTai64nSmtpSide()
{
    const Run run = readPath(corpusDir() + u"/qmail/lnav-logfile_tai64n.log"_s);
    QVERIFY2(run.ok, qPrintable(run.error));
    QCOMPARE(run.summary.format, LogFormat::Qmail);
    QCOMPARE(run.summary.unrecognizedLines, 0);
    const LogEvent* e = eventAt(run.events, 4, LogEventType::SmtpReject);
    QVERIFY(e);
    // @40000000433225840c8f0cbc → 2005-09-22 03:31:06.210 UTC
    BI_COMPARE_EVENT(*e, (QVariantMap{{u"time"_s, utc(2005, 9, 22, 3, 31, 6, 210)}, {u"client"_s, u"194.206.24.40"_s}, {u"smtpCode"_s, 451}}));
}

void TstLogCorpus::exchangeTrackingFileIsUnderstood()
{
    const Run run = readPath(corpusDir() + u"/exchange/kinesis-agent-windows-msgtrk.log"_s);
    QVERIFY2(run.ok, qPrintable(run.error));
    QCOMPARE(run.summary.format, LogFormat::Exchange);
    // Both rows (AGENTINFO, HAREDIRECT) are events we do not report; nothing is unreadable.
    QCOMPARE(run.summary.lines, 7);
    QCOMPARE(run.summary.ignoredLines, 7);
    QCOMPARE(run.summary.diagnosticCount, 0);
}

void TstLogCorpus::opensmtpdOldSessionLines()
{
    const Run run = readPath(corpusDir() + u"/opensmtpd/wazuh-ruleset-opensmtpd.log"_s);
    QVERIFY2(run.ok, qPrintable(run.error));
    QCOMPARE(run.summary.format, LogFormat::OpenSmtpd);
    const LogEvent* accepted = eventAt(run.events, 3, LogEventType::Received);
    QVERIFY(accepted);
    BI_COMPARE_EVENT(*accepted, (QVariantMap{{u"queueId"_s, u"4296f490"_s}, {u"sender"_s, u"root@ix.example.com"_s},
                                             {u"size"_s, 1746}, {u"recipientCount"_s, 1}, {u"client~"_s, u"ix.example.com"_s}}));
    const LogEvent* failed = eventAt(run.events, 1, LogEventType::SmtpReject);
    QVERIFY(failed);
    BI_COMPARE_EVENT(*failed, (QVariantMap{{u"smtpCode"_s, 421}, {u"dsn"_s, u"4.3.0"_s}, {u"sender"_s, u"root@junction.example.com"_s}}));
}

void TstLogCorpus::courierIsNotSupported()
{
    const Run run = readPath(corpusDir() + u"/courier/fail2ban-courier-smtp.log"_s);
    QVERIFY(!run.ok);
    QVERIFY(run.error.contains(u"no line looks like"_s));
}

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (!corpusAvailable())
        return 77;
    TstLogCorpus test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_log_corpus.moc"
