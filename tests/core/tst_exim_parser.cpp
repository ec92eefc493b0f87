// SPDX-License-Identifier: GPL-3.0-or-later
// Exim: a hand-written mainlog of a smarthost (tests/data/logs/exim/mainlog) with both id
// lengths, +ZZZZ zones, pids, bounces, retry-time skips, expiry, rejects and a syslog-wrapped
// line; plus the flags and field forms one line at a time.
#include <QMap>
#include <QTest>

#include "core/logs/exim/exim_parser.h"
#include "tst_log_support.h"

using namespace bi::test::logs;
using namespace Qt::StringLiterals;

class TstEximParser final : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void mainlogEvents_data();
    void mainlogEvents();
    void bounceArrivalLinksParentAndChild();
    void nonEventLinesAreIgnored();
    void messageIdShapes_data();
    void messageIdShapes();
    void localTimeWithoutZoneUsesSourceZone();
    void defaultHostKeysMainlogEvents();
    void refusalsJoinTheClientsNextMessage();

private:
    Run m_run;
};

void TstEximParser::initTestCase()
{
    m_run = readPath(fixture(u"exim/mainlog"_s));
    QVERIFY2(m_run.ok, qPrintable(m_run.error));
    QCOMPARE(m_run.summary.format, LogFormat::Exim);
    QCOMPARE(m_run.summary.unrecognizedLines, 0);
}

void TstEximParser::mainlogEvents_data()
{
    QTest::addColumn<int>("line");
    QTest::addColumn<LogEventType>("type");
    QTest::addColumn<QVariantMap>("expected");

    QTest::newRow("arrival-with-zone-pid-and-for-list")
        << 1 << LogEventType::Received
        << QVariantMap{{u"queueId"_s, u"1sE2bK-0008Kx-Nq"_s},
                       {u"sender"_s, u"newsletter@example.net"_s},
                       {u"client"_s, u"app1.example.net [192.0.2.10]:51544"_s},
                       {u"size"_s, 48211},
                       {u"messageId"_s, u"20240603081502.GA1120@app1.example.net"_s},
                       {u"recipientCount"_s, 3},
                       {u"time"_s, utc(2024, 6, 3, 8, 15, 2, 114)},
                       {u"offset"_s, 7200},
                       {u"program"_s, u"exim"_s}};
    QTest::newRow("delivered-with-confirmation-and-queue-time")
        << 2 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"sent"_s},
                       {u"recipient"_s, u"alice@gmail.com"_s},
                       {u"relay"_s, u"gmail-smtp-in.l.google.com [142.250.27.26]"_s},
                       {u"smtpCode"_s, 250},
                       {u"dsn"_s, u"2.0.0"_s},
                       {u"delay"_s, 2.4},
                       {u"program"_s, u"exim/remote_smtp"_s}};
    QTest::newRow("deferred-connection-timeout")
        << 4 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"deferred"_s},
                       {u"recipient"_s, u"bob@yahoo.com"_s},
                       {u"replyText"_s, u"Connection timed out"_s},
                       {u"skipped"_s, false}};
    QTest::newRow("failed-remote-550-after-rcpt")
        << 5 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"bounced"_s},
                       {u"recipient"_s, u"carol@outlook.com"_s},
                       {u"originalRecipient"_s, u"carol.list@example.net"_s},
                       {u"relay"_s, u"outlook-com.olc.protection.outlook.com [52.101.11.2]"_s},
                       {u"smtpCode"_s, 550},
                       {u"dsn"_s, u"5.5.0"_s},
                       {u"replyText~"_s, u"after RCPT TO:<carol@outlook.com>: 550 5.5.0"_s}};
    QTest::newRow("bounce-delivered-to-sender")
        << 7 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"queueId"_s, u"1sE2bL-0008L2-Aa"_s}, {u"recipient"_s, u"newsletter@example.net"_s}};
    QTest::newRow("completed-is-removed")
        << 8 << LogEventType::Removed << QVariantMap{{u"queueId"_s, u"1sE2bL-0008L2-Aa"_s}};
    QTest::newRow("retry-time-not-reached-is-skipped")
        << 10 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"deferred"_s}, {u"skipped"_s, true}, {u"recipient"_s, u"bob@yahoo.com"_s}};
    QTest::newRow("delivered-after-retry")
        << 11 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"sent"_s}, {u"delay"_s, 3642.0}, {u"time"_s, utc(2024, 6, 3, 9, 15, 44)}};
    QTest::newRow("second-address-of-transaction")
        << 12 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"sent"_s},
                       {u"recipient"_s, u"bob.alias@yahoo.com"_s},
                       {u"originalRecipient"_s, u"bob@yahoo.com"_s}};
    QTest::newRow("long-id-local-arrival")
        << 14 << LogEventType::Received
        << QVariantMap{{u"queueId"_s, u"10HmaX-000000005vi-0000"_s},
                       {u"sender"_s, u"billing@example.net"_s},
                       {u"client"_s, QString()},
                       {u"messageId"_s, u"invoice-99812@billing.example.net"_s}};
    QTest::newRow("retry-timeout-exceeded-is-expiry")
        << 16 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"expired"_s}, {u"recipient"_s, u"dave@unreachable.example"_s}};
    QTest::newRow("acl-reject-without-id")
        << 19 << LogEventType::SmtpReject
        << QVariantMap{{u"queueId"_s, QString()},
                       {u"client"_s, u"(spammer.example) [203.0.113.77]:41122"_s},
                       {u"sender"_s, u"x@spammer.example"_s},
                       {u"recipient"_s, u"spam@example.net"_s},
                       {u"replyText"_s, u"relay not permitted"_s}};
    QTest::newRow("reject-after-data-with-id")
        << 20 << LogEventType::SmtpReject
        << QVariantMap{{u"queueId"_s, u"1sF0aa-0008Zz-Q1"_s},
                       {u"sender"_s, u"promo@bulk.example"_s},
                       {u"smtpCode"_s, 550},
                       {u"dsn"_s, u"5.7.1"_s}};
    QTest::newRow("syslog-wrapped-with-own-stamp")
        << 22 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"host"_s, u"mx-out2"_s},
                       {u"program"_s, u"exim/remote_smtp"_s},
                       {u"queueId"_s, u"1sF0ac-0008Zz-Q3"_s},
                       {u"recipient"_s, u"grace@example.org"_s},
                       {u"time"_s, utc(2024, 6, 9, 9, 2, 0)}};
    // Exim's other words for giving up once the retry rules' cutoff passed: expiries.
    QTest::newRow("long-failure-period-is-expiry")
        << 23 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"expired"_s}, {u"recipient"_s, u"paul@gone.example"_s}};
    QTest::newRow("failing-for-a-long-time-is-expiry")
        << 24 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"expired"_s}, {u"recipient"_s, u"rita@gone.example"_s}};
    // A local delivery logs the file it went to; the address in angle brackets is the recipient.
    QTest::newRow("local-delivery-recipient-is-the-bracketed-address")
        << 25 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"sent"_s}, {u"recipient"_s, u"carol@example.com"_s},
                       {u"program"_s, u"exim/maildir_home"_s}};
    // A frozen message given up after timeout_frozen_after: the message's expiry.
    QTest::newRow("frozen-message-timed-out-is-expiry")
        << 26 << LogEventType::MessageExpired
        << QVariantMap{{u"queueId"_s, u"1sF0ag-0008Zz-Q7"_s}, {u"time"_s, utc(2024, 6, 14, 7, 0, 0)}};
}

void TstEximParser::mainlogEvents()
{
    QFETCH(int, line);
    QFETCH(LogEventType, type);
    QFETCH(QVariantMap, expected);
    const LogEvent* e = eventAt(m_run.events, line, type);
    QVERIFY2(e, qPrintable(u"no %1 event for line %2"_s.arg(logEventTypeName(type)).arg(line)));
    QCOMPARE(e->format, LogFormat::Exim);
    BI_COMPARE_EVENT(*e, expected);
}

void TstEximParser::bounceArrivalLinksParentAndChild()
{
    // "<= <> R=parent": one BounceGenerated for the parent and the bounce's own arrival.
    for (const int line : {6, 17}) {
        const LogEvent* generated = eventAt(m_run.events, line, LogEventType::BounceGenerated);
        const LogEvent* arrival = eventAt(m_run.events, line, LogEventType::Received);
        QVERIFY(generated);
        QVERIFY(arrival);
        QCOMPARE(generated->newQueueId, arrival->queueId);
        QCOMPARE(generated->queueId, arrival->parentQueueId);
        QVERIFY(arrival->hasSender);
        QVERIFY(arrival->sender.isEmpty());
        QCOMPARE(generated->notification, NotificationKind::Unknown);
    }
    QCOMPARE(eventAt(m_run.events, 6, LogEventType::BounceGenerated)->queueId, u"1sE2bK-0008Kx-Nq"_s);
    QCOMPARE(eventAt(m_run.events, 17, LogEventType::BounceGenerated)->queueId, u"10HmaX-000000005vi-0000"_s);
}

void TstEximParser::nonEventLinesAreIgnored()
{
    // host-level failure, queue run, suppressed delivery (*>)
    for (const int line : {3, 9, 21}) {
        for (const LogEvent& e : m_run.events)
            QVERIFY2(e.lineNumber != line, qPrintable(QString::number(line)));
    }
}

void TstEximParser::messageIdShapes_data()
{
    QTest::addColumn<QByteArray>("id");
    QTest::addColumn<bool>("valid");
    QTest::newRow("pre-4.97") << QByteArray("1Ov4tU-0000Nz-Rm") << true;
    QTest::newRow("4.97-and-later") << QByteArray("10HmaX-000000005vi-0000") << true;
    QTest::newRow("base36") << QByteArray("1OV4TU-0000NZ-RM") << true;
    QTest::newRow("too-short") << QByteArray("1Ov4tU-0000N-Rm") << false;
    QTest::newRow("wrong-separator") << QByteArray("1Ov4tU_0000Nz-Rm") << false;
    QTest::newRow("word") << QByteArray("Completed") << false;
}

void TstEximParser::messageIdShapes()
{
    QFETCH(QByteArray, id);
    QFETCH(bool, valid);
    QCOMPARE(bi::core::logs::EximParser::isMessageId(id), valid);
    const Run run = readBytes("2024-01-02 03:04:05 " + id + " Completed\n"
                              + "2024-01-02 03:04:05 1Ov4tU-0000Nz-Rm Completed\n");
    QVERIFY2(run.ok, qPrintable(run.error));
    QCOMPARE(eventAt(run.events, 1, LogEventType::Removed) != nullptr, valid);
}

void TstEximParser::localTimeWithoutZoneUsesSourceZone()
{
    const QByteArray line = "2024-07-01 12:00:00 1Ov4tU-0000Nz-Rm Completed\n"
                            "2024-07-01 12:00:00 1Ov4tU-0000Nz-Rm Completed\n";
    const Run berlin = readBytes(line, options(QDateTime(), QTimeZone("Europe/Berlin")));
    QVERIFY2(berlin.ok, qPrintable(berlin.error));
    QCOMPARE(berlin.events.front().time, utc(2024, 7, 1, 10, 0, 0));
    QCOMPARE(berlin.events.front().utcOffsetSeconds, 7200);
    const Run utcRun = readBytes(line);
    QCOMPARE(utcRun.events.front().time, utc(2024, 7, 1, 12, 0, 0));
}

void TstEximParser::defaultHostKeysMainlogEvents()
{
    LogReaderOptions o = options();
    o.defaultHost = u"smarthost-3"_s;
    const Run run = readBytes("2024-01-02 03:04:05 1Ov4tU-0000Nz-Rm Completed\n"
                              "2024-01-02 03:04:06 1Ov4tU-0000Nz-Rm Completed\n", o);
    QVERIFY2(run.ok, qPrintable(run.error));
    QCOMPARE(run.events.size(), 2);
    QCOMPARE(run.events.front().host, u"smarthost-3"_s);
}

// Exim logs no session id: a refused recipient joins the message the same client and sender
// submit within kSessionSeconds; "temporarily rejected" is the 4xx wording.
void TstEximParser::refusalsJoinTheClientsNextMessage()
{
    const QByteArray log =
        "2026-03-05 10:00:00 H=app1 [10.0.0.5] F=<news@shop.example> rejected RCPT <bob@nx.example>: Unrouteable address\n"
        "2026-03-05 10:00:00 H=app1 [10.0.0.5] F=<news@shop.example> temporarily rejected RCPT <dave@slow.example>: greylisted\n"
        "2026-03-05 10:00:00 H=app2 [10.0.0.6] F=<news@shop.example> rejected RCPT <erin@nx.example>: Unrouteable address\n"
        "2026-03-05 10:00:01 1t5AbC-000123-Xy <= news@shop.example H=app1 [10.0.0.5] P=esmtp S=1200 id=r2@shop.example\n"
        "2026-03-05 10:20:00 H=app1 [10.0.0.5] F=<news@shop.example> rejected RCPT <late@nx.example>: Unrouteable address\n"
        "2026-03-05 10:20:10 1t5AbD-000124-Xy <= news@shop.example H=app1 [10.0.0.5] P=esmtp S=1200 id=r3@shop.example\n";
    const Run run = readBytes(log);
    QVERIFY2(run.ok, qPrintable(run.error));
    QMap<QString, LogEvent> refused;
    for (const LogEvent& e : ofType(run.events, LogEventType::SmtpReject))
        refused.insert(e.recipient, e);
    QCOMPARE(refused.size(), 4);
    QCOMPARE(refused.value(u"bob@nx.example"_s).queueId, u"1t5AbC-000123-Xy"_s);
    QCOMPARE(refused.value(u"bob@nx.example"_s).outcome, DeliveryOutcome::Bounced);
    QCOMPARE(refused.value(u"bob@nx.example"_s).lineNumber, qint64(1));
    QVERIFY(refused.value(u"bob@nx.example"_s).rawLine.endsWith("rejected RCPT <bob@nx.example>: Unrouteable address"));
    QCOMPARE(refused.value(u"dave@slow.example"_s).queueId, u"1t5AbC-000123-Xy"_s);
    QCOMPARE(refused.value(u"dave@slow.example"_s).outcome, DeliveryOutcome::Deferred);
    QVERIFY(refused.value(u"erin@nx.example"_s).queueId.isEmpty()); // another client
    QVERIFY(refused.value(u"late@nx.example"_s).queueId.isEmpty()); // ten seconds before the next message
}

QTEST_GUILESS_MAIN(TstEximParser)
#include "tst_exim_parser.moc"
