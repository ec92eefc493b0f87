// SPDX-License-Identifier: GPL-3.0-or-later
// Exchange message tracking: a hand-written 2019-style MSGTRK file (BOM, CRLF, #Fields with
// the 2016+ extra columns) with RECEIVE, SEND, DEFER, FAIL for two recipients in one row, the
// DSN row with its reference, expiry and a local DELIVER.
#include <QTest>

#include "tst_log_support.h"

using namespace bi::test::logs;
using namespace Qt::StringLiterals;

class TstExchangeParser final : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void trackingRows_data();
    void trackingRows();
    void failRowGivesOneEventPerRecipient();
    void fieldOrderComesFromHeader();
    void headerLinesAndOtherEventsAreIgnored();

private:
    Run m_run;
};

void TstExchangeParser::initTestCase()
{
    m_run = readPath(fixture(u"exchange/MSGTRK2025021009-1.LOG"_s));
    QVERIFY2(m_run.ok, qPrintable(m_run.error));
    QCOMPARE(m_run.summary.format, LogFormat::Exchange);
}

void TstExchangeParser::trackingRows_data()
{
    QTest::addColumn<int>("line");
    QTest::addColumn<LogEventType>("type");
    QTest::addColumn<QVariantMap>("expected");

    QTest::newRow("receive")
        << 6 << LogEventType::Received
        << QVariantMap{{u"queueId"_s, u"51539607553"_s},
                       {u"messageId"_s, u"CAF1x2y3z@app1.example.net"_s},
                       {u"sender"_s, u"news@example.net"_s},
                       {u"size"_s, 48211},
                       {u"recipientCount"_s, 3},
                       {u"client"_s, u"app1.example.net[192.0.2.10]"_s},
                       {u"host"_s, u"EXCH01"_s},
                       {u"time"_s, utc(2025, 2, 10, 9, 0, 1, 120)}};
    // The local server is the SEND row's client, under its full name there (EXCH01.corp.
    // example.net) and its short one as RECEIVE's server: one host, one message.
    QTest::newRow("send-next-hop-is-relay")
        << 7 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"sent"_s},
                       {u"recipient"_s, u"alice@gmail.com"_s},
                       {u"relay"_s, u"gmail-smtp-in.l.google.com[142.250.27.26]"_s},
                       {u"host"_s, u"EXCH01"_s},
                       {u"smtpCode"_s, 250},
                       {u"dsn"_s, u"2.0.0"_s}};
    QTest::newRow("defer")
        << 8 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"deferred"_s}, {u"recipient"_s, u"bob@yahoo.com"_s}, {u"smtpCode"_s, 441}, {u"dsn"_s, u"4.4.1"_s}};
    QTest::newRow("dsn-links-to-original-by-reference")
        << 10 << LogEventType::BounceGenerated
        << QVariantMap{{u"notification"_s, u"non-delivery"_s},
                       {u"messageId"_s, u"7c0ffee1d2a34b7e9f00aa11bb22cc33@EXCH01.example.net"_s},
                       {u"referenceMessageId"_s, u"CAF1x2y3z@app1.example.net"_s},
                       {u"newQueueId"_s, u"51539607560"_s},
                       {u"queueId"_s, QString()}};
    QTest::newRow("fail-queue-expired-is-expiry")
        << 11 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"expired"_s}, {u"recipient"_s, u"bob@yahoo.com"_s}, {u"dsn"_s, u"4.4.7"_s}};
    QTest::newRow("storedriver-deliver")
        << 13 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"sent"_s}, {u"recipient"_s, u"eve@example.net"_s}, {u"program"_s, u"MSExchange/STOREDRIVER"_s}};
}

void TstExchangeParser::trackingRows()
{
    QFETCH(int, line);
    QFETCH(LogEventType, type);
    QFETCH(QVariantMap, expected);
    const LogEvent* e = eventAt(m_run.events, line, type);
    QVERIFY2(e, qPrintable(u"no %1 event for line %2"_s.arg(logEventTypeName(type)).arg(line)));
    BI_COMPARE_EVENT(*e, expected);
}

void TstExchangeParser::failRowGivesOneEventPerRecipient()
{
    // "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found ...;550 5.1.1 User unknown":
    // the ';' inside the first status does not start a new one.
    const LogEvent* carol = eventAt(m_run.events, 9, LogEventType::DeliveryAttempt, 0);
    const LogEvent* dan = eventAt(m_run.events, 9, LogEventType::DeliveryAttempt, 1);
    QVERIFY(carol && dan);
    QVERIFY(!eventAt(m_run.events, 9, LogEventType::DeliveryAttempt, 2));
    BI_COMPARE_EVENT(*carol, (QVariantMap{{u"recipient"_s, u"carol@outlook.com"_s},
                                          {u"outcome"_s, u"bounced"_s},
                                          {u"dsn"_s, u"5.1.10"_s},
                                          {u"replyText"_s, u"550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup"_s}}));
    BI_COMPARE_EVENT(*dan, (QVariantMap{{u"recipient"_s, u"dan@outlook.com"_s},
                                        {u"dsn"_s, u"5.1.1"_s},
                                        {u"replyText"_s, u"550 5.1.1 User unknown"_s}}));
}

void TstExchangeParser::fieldOrderComesFromHeader()
{
    // Exchange 2010 order: no network-message-id, columns shuffled relative to 2013+.
    const QByteArray log = "#Software: Microsoft Exchange Server\r\n"
                           "#Fields: date-time,event-id,source,recipient-address,recipient-status,message-id,internal-message-id,sender-address,server-hostname\r\n"
                           "2012-07-01T10:00:00.000Z,FAIL,SMTP,x@y.example,550 5.1.1 User unknown,<m1@a.example>,77,s@a.example,EX2010\r\n";
    const Run run = readBytes(log);
    QVERIFY2(run.ok, qPrintable(run.error));
    QCOMPARE(run.events.size(), 1);
    BI_COMPARE_EVENT(run.events.front(), (QVariantMap{{u"outcome"_s, u"bounced"_s},
                                                      {u"recipient"_s, u"x@y.example"_s},
                                                      {u"messageId"_s, u"m1@a.example"_s},
                                                      {u"queueId"_s, u"77"_s},
                                                      {u"host"_s, u"EX2010"_s},
                                                      {u"time"_s, utc(2012, 7, 1, 10, 0, 0)}}));
}

void TstExchangeParser::headerLinesAndOtherEventsAreIgnored()
{
    for (const LogEvent& e : m_run.events)
        QVERIFY(e.lineNumber > 5 && e.lineNumber != 12); // 12: EXPAND
    QCOMPARE(m_run.summary.unrecognizedLines, 0);
    QCOMPARE(m_run.summary.malformedLines, 0);
}

QTEST_GUILESS_MAIN(TstExchangeParser)
#include "tst_exchange_parser.moc"
