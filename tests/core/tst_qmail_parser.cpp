// SPDX-License-Identifier: GPL-3.0-or-later
// qmail-send: a hand-written multilog file of an outbound qmail (tests/data/logs/qmail/current,
// tai64n stamps), the other stamp styles, delivery-number pairing, the bounce's qp link and the
// text decoding.
#include <QTest>

#include "core/logs/qmail/qmail_parser.h"
#include "tst_log_support.h"

using namespace bi::test::logs;
using namespace Qt::StringLiterals;

class TstQmailParser final : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void multilogEvents_data();
    void multilogEvents();
    void failureAfterQueueLifetimeIsALastTryThenTheExpiry();
    void bounceMessageCarriesParentThroughQp();
    void resultWithoutStartIsDiagnosed();
    void stampStyles_data();
    void stampStyles();
    void deliveryNumbersRestartWithQmailSend();
    void decodeText_data();
    void decodeText();

private:
    Run m_run;
};

void TstQmailParser::initTestCase()
{
    m_run = readPath(fixture(u"qmail/current"_s));
    QVERIFY2(m_run.ok, qPrintable(m_run.error));
    QCOMPARE(m_run.summary.format, LogFormat::Qmail);
}

void TstQmailParser::multilogEvents_data()
{
    QTest::addColumn<int>("line");
    QTest::addColumn<LogEventType>("type");
    QTest::addColumn<QVariantMap>("expected");

    // @400000006584b0a1 0c7a8904: 0x6584b0a1 - 10 s = 2023-12-21 21:39:35 UTC, 209 ms
    QTest::newRow("info-is-received")
        << 2 << LogEventType::Received
        << QVariantMap{{u"queueId"_s, u"1193211"_s},
                       {u"sender"_s, u"news@example.net"_s},
                       {u"size"_s, 48211},
                       {u"time"_s, utc(2023, 12, 21, 21, 39, 35, 209)},
                       {u"program"_s, u"qmail-send"_s}};
    QTest::newRow("remote-success-paired-with-start")
        << 7 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"queueId"_s, u"1193211"_s},
                       {u"recipient"_s, u"alice@gmail.com"_s},
                       {u"outcome"_s, u"sent"_s},
                       {u"relay"_s, u"142.250.27.26"_s},
                       {u"smtpCode"_s, 250},
                       {u"dsn"_s, u"2.0.0"_s},
                       {u"replyText~"_s, u"accepted message. Remote host said: 250 2.0.0 OK"_s}};
    QTest::newRow("remote-failure-connected-but-rejected")
        << 8 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"recipient"_s, u"carol@outlook.com"_s},
                       {u"outcome"_s, u"bounced"_s},
                       {u"relay"_s, u"52.101.11.2"_s},
                       {u"smtpCode"_s, 550},
                       {u"dsn"_s, u"5.7.1"_s},
                       {u"replyText~"_s, u"Service unavailable, Client host [198.51.100.25] blocked"_s}};
    QTest::newRow("bounce-msg")
        << 10 << LogEventType::BounceGenerated
        << QVariantMap{{u"queueId"_s, u"1193211"_s}, {u"notification"_s, u"non-delivery"_s}};
    QTest::newRow("end-msg-is-removed")
        << 11 << LogEventType::Removed << QVariantMap{{u"queueId"_s, u"1193211"_s}};
    QTest::newRow("deferral-status-after-hash")
        << 20 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"deferred"_s},
                       {u"dsn"_s, u"4.4.1"_s},
                       {u"smtpCode"_s, 0},
                       {u"replyText"_s, u"Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)"_s}};
    QTest::newRow("triple-bounce-discarded")
        << 22 << LogEventType::Removed << QVariantMap{{u"queueId"_s, u"1193299"_s}};
}

// qmail-send's failure once the message outlived queuelifetime: a last try that failed
// temporarily, then the expiry (not a refusal), from the one line.
void TstQmailParser::failureAfterQueueLifetimeIsALastTryThenTheExpiry()
{
    QList<const LogEvent*> line;
    for (const LogEvent& e : m_run.events) {
        if (e.lineNumber == 24)
            line << &e;
    }
    QCOMPARE(line.size(), 2);
    for (const LogEvent* e : line) {
        QCOMPARE(e->type, LogEventType::DeliveryAttempt);
        QCOMPARE(e->recipient, u"olga@gone.example"_s);
        QCOMPARE(e->dsn, u"4.4.1"_s);
    }
    QCOMPARE(line.at(0)->outcome, DeliveryOutcome::Deferred);
    QCOMPARE(line.at(1)->outcome, DeliveryOutcome::Expired);
}

void TstQmailParser::multilogEvents()
{
    QFETCH(int, line);
    QFETCH(LogEventType, type);
    QFETCH(QVariantMap, expected);
    const LogEvent* e = eventAt(m_run.events, line, type);
    QVERIFY2(e, qPrintable(u"no %1 event for line %2"_s.arg(logEventTypeName(type)).arg(line)));
    BI_COMPARE_EVENT(*e, expected);
}

void TstQmailParser::bounceMessageCarriesParentThroughQp()
{
    const LogEvent* bounceInfo = eventAt(m_run.events, 13, LogEventType::Received);
    QVERIFY(bounceInfo);
    QCOMPARE(bounceInfo->queueId, u"1193230"_s);
    QVERIFY(bounceInfo->hasSender);
    QVERIFY(bounceInfo->sender.isEmpty());
    QCOMPARE(bounceInfo->parentQueueId, u"1193211"_s);
    // An ordinary message keeps no parent.
    QVERIFY(eventAt(m_run.events, 18, LogEventType::Received)->parentQueueId.isEmpty());
}

void TstQmailParser::resultWithoutStartIsDiagnosed()
{
    QVERIFY(!eventAt(m_run.events, 21, LogEventType::DeliveryAttempt));
    QCOMPARE(m_run.summary.malformedLines, 1);
    QVERIFY(m_run.summary.diagnostics.front().what.contains(u"999"_s));
}

void TstQmailParser::stampStyles_data()
{
    QTest::addColumn<QByteArray>("prefix");
    QTest::addColumn<QDateTime>("time");
    QTest::addColumn<QString>("host");
    QTest::newRow("tai64n") << QByteArray("@4000000065a0c4dc00000000 ") << utc(2024, 1, 12, 4, 49, 22) << QString();
    QTest::newRow("tai64nlocal-in-source-zone") << QByteArray("2024-01-12 05:49:22.500000000 ") << utc(2024, 1, 12, 4, 49, 22, 500) << QString();
    QTest::newRow("splogger-epoch-wins-over-syslog") << QByteArray("Jan 12 05:49:22 mx qmail: 1705034962.250000 ") << utc(2024, 1, 12, 4, 49, 22, 250) << u"mx"_s;
    QTest::newRow("syslog-without-epoch") << QByteArray("Jan 12 05:49:22 mx qmail-send: ") << utc(2024, 1, 12, 4, 49, 22) << u"mx"_s;
    QTest::newRow("bare-without-stamp") << QByteArray("qmail: ") << QDateTime() << QString();
}

void TstQmailParser::stampStyles()
{
    QFETCH(QByteArray, prefix);
    QFETCH(QDateTime, time);
    QFETCH(QString, host);
    // Source zone UTC+1 (Europe/Berlin in January) for the stamps without zone.
    const Run run = readBytes(prefix + "starting delivery 7: msg 42 to remote a@b.example\n"
                                  + prefix + "delivery 7: success: 192.0.2.1_accepted_message./\n",
                              options(utc(2024, 6, 1, 0, 0, 0), QTimeZone("Europe/Berlin")));
    QVERIFY2(run.ok, qPrintable(run.error));
    QCOMPARE(run.summary.format, LogFormat::Qmail);
    QCOMPARE(run.events.size(), 1);
    const LogEvent& e = run.events.front();
    QCOMPARE(e.queueId, u"42"_s);
    QCOMPARE(e.recipient, u"a@b.example"_s);
    QCOMPARE(e.time, time);
    QCOMPARE(e.host, host);
    if (time.isValid())
        QCOMPARE(e.utcOffsetSeconds, 3600);
}

void TstQmailParser::deliveryNumbersRestartWithQmailSend()
{
    // After a restart delivery 1 is a new delivery: the latest "starting" wins.
    const Run run = readBytes("qmail: starting delivery 1: msg 100 to remote x@a.example\n"
                              "qmail: delivery 1: success: ok/\n"
                              "qmail: status: exiting\n"
                              "qmail: starting delivery 1: msg 200 to local y@b.example\n"
                              "qmail: delivery 1: failure: Sorry,_no_mailbox_here_by_that_name._(#5.1.1)/\n");
    QVERIFY2(run.ok, qPrintable(run.error));
    const QList<LogEvent> d = ofType(run.events, LogEventType::DeliveryAttempt);
    QCOMPARE(d.size(), 2);
    QCOMPARE(d[0].queueId, u"100"_s);
    QCOMPARE(d[1].queueId, u"200"_s);
    QCOMPARE(d[1].recipient, u"y@b.example"_s);
    QCOMPARE(d[1].relay, u"local"_s);
    QCOMPARE(d[1].dsn, u"5.1.1"_s);
}

void TstQmailParser::decodeText_data()
{
    QTest::addColumn<QByteArray>("logged");
    QTest::addColumn<QString>("decoded");
    QTest::newRow("underscore-and-final-slash") << QByteArray("No_such_address.__#5.1.1_/") << u"No such address. #5.1.1"_s;
    QTest::newRow("slash-before-new-line-text") << QByteArray("1.2.3.4_does_not_like_recipient./Remote_host_said:_550_no/") << u"1.2.3.4 does not like recipient. Remote host said: 550 no"_s;
    QTest::newRow("slash-inside-a-word-stays") << QByteArray("see_http://example.com/help_for_more/") << u"see http://example.com/help for more"_s;
}

void TstQmailParser::decodeText()
{
    QFETCH(QByteArray, logged);
    QFETCH(QString, decoded);
    QCOMPARE(bi::core::logs::QmailParser::decodeText(logged), decoded);
}

QTEST_GUILESS_MAIN(TstQmailParser)
#include "tst_qmail_parser.moc"
