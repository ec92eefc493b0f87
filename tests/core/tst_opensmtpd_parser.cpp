// SPDX-License-Identifier: GPL-3.0-or-later
// OpenSMTPD: a hand-written relay log (tests/data/logs/opensmtpd) with 6.4+ "mta delivery"
// lines, a failed command, an expired envelope, and the pre-6.4 smtp-in/relay/delivery lines.
#include <QTest>

#include "tst_log_support.h"

using namespace bi::test::logs;
using namespace Qt::StringLiterals;

class TstOpenSmtpdParser final : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void relayEvents_data();
    void relayEvents();
    void envelopeIdsShareTheMessageId();
    void sessionLinesGiveNoEvent();

private:
    Run m_run;
};

void TstOpenSmtpdParser::initTestCase()
{
    m_run = readPath(fixture(u"opensmtpd/maillog"_s), options(utc(2025, 10, 20, 0, 0, 0)));
    QVERIFY2(m_run.ok, qPrintable(m_run.error));
    QCOMPARE(m_run.summary.format, LogFormat::OpenSmtpd);
}

void TstOpenSmtpdParser::relayEvents_data()
{
    QTest::addColumn<int>("line");
    QTest::addColumn<LogEventType>("type");
    QTest::addColumn<QVariantMap>("expected");

    QTest::newRow("smtp-message-with-session-client")
        << 2 << LogEventType::Received
        << QVariantMap{{u"queueId"_s, u"5e1f2a3b"_s},
                       {u"size"_s, 48211},
                       {u"recipientCount"_s, 2},
                       {u"client"_s, u"app1.example.net[192.0.2.10]"_s},
                       {u"time"_s, utc(2025, 10, 7, 14, 2, 11)}};
    QTest::newRow("mta-delivery-ok")
        << 4 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"sent"_s},
                       {u"queueId"_s, u"5e1f2a3b"_s},
                       {u"deliveryId"_s, u"5e1f2a3b0c1d2e3f"_s},
                       {u"sender"_s, u"news@example.net"_s},
                       {u"recipient"_s, u"alice@gmail.com"_s},
                       {u"relay"_s, u"142.250.27.26 (gmail-smtp-in.l.google.com)"_s},
                       {u"smtpCode"_s, 250},
                       {u"dsn"_s, u"2.0.0"_s},
                       {u"delay"_s, 2.0}};
    QTest::newRow("mta-delivery-tempfail")
        << 5 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"deferred"_s}, {u"smtpCode"_s, 421}, {u"dsn"_s, u"4.7.0"_s}};
    QTest::newRow("mta-delivery-permfail-with-rcpt")
        << 6 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"bounced"_s},
                       {u"recipient"_s, u"carol@outlook.com"_s},
                       {u"originalRecipient"_s, u"carol.list@example.net"_s},
                       {u"smtpCode"_s, 550}};
    QTest::newRow("failed-rcpt-command-is-reject")
        << 8 << LogEventType::SmtpReject
        << QVariantMap{{u"recipient"_s, u"spam@example.net"_s},
                       {u"client"_s, u"unknown[203.0.113.77]"_s},
                       {u"smtpCode"_s, 550},
                       {u"replyText"_s, u"Invalid recipient: <spam@example.net>"_s}};
    QTest::newRow("envelope-expired")
        << 9 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"expired"_s}, {u"recipient"_s, u"bob@yahoo.com"_s}, {u"delay"_s, 4 * 86400.0 + 69}};
    QTest::newRow("mda-delivery-of-bounce")
        << 10 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"sent"_s}, {u"sender"_s, QString()}, {u"relay"_s, u"local"_s}};
    QTest::newRow("pre-6.4-accepted-message")
        << 12 << LogEventType::Received
        << QVariantMap{{u"queueId"_s, u"4296f490"_s},
                       {u"sender"_s, u"ops@example.net"_s},
                       {u"size"_s, 1746},
                       {u"client"_s, u"app2.example.net[192.0.2.11]"_s}};
    QTest::newRow("pre-6.4-relay-tempfail")
        << 13 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"deferred"_s},
                       {u"queueId"_s, u"4296f490"_s},
                       {u"relay"_s, u"198.51.100.60 (mx.example.com)"_s},
                       {u"replyText"_s, u"452 4.2.2 Mailbox full, try later"_s},
                       {u"dsn"_s, u"4.2.2"_s}};
    QTest::newRow("pre-6.4-local-delivery")
        << 14 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"sent"_s}, {u"recipient"_s, u"gina@example.net"_s}, {u"relay"_s, u"mbox"_s}};
    // queue_log() when the envelope outlived `expire`.
    QTest::newRow("relay-expire-is-expiry")
        << 15 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"expired"_s}, {u"recipient"_s, u"frank@example.com"_s}, {u"queueId"_s, u"4296f490"_s}};
}

void TstOpenSmtpdParser::relayEvents()
{
    QFETCH(int, line);
    QFETCH(LogEventType, type);
    QFETCH(QVariantMap, expected);
    const LogEvent* e = eventAt(m_run.events, line, type);
    QVERIFY2(e, qPrintable(u"no %1 event for line %2"_s.arg(logEventTypeName(type)).arg(line)));
    QCOMPARE(e->host, u"relay"_s);
    BI_COMPARE_EVENT(*e, expected);
}

void TstOpenSmtpdParser::envelopeIdsShareTheMessageId()
{
    // FORMATS.md §7: the first 8 hex of an evpid are the message id.
    const QList<LogEvent> d = ofType(m_run.events, LogEventType::DeliveryAttempt);
    QVERIFY(d.size() >= 4);
    for (const LogEvent& e : d)
        QVERIFY2(e.deliveryId.startsWith(e.queueId), qPrintable(e.deliveryId));
}

void TstOpenSmtpdParser::sessionLinesGiveNoEvent()
{
    for (const LogEvent& e : m_run.events)
        QVERIFY(e.lineNumber != 1 && e.lineNumber != 3 && e.lineNumber != 7 && e.lineNumber != 11);
}

QTEST_GUILESS_MAIN(TstOpenSmtpdParser)
#include "tst_opensmtpd_parser.moc"
