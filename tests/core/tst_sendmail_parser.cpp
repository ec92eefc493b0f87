// SPDX-License-Identifier: GPL-3.0-or-later
// Sendmail: a hand-written sm-msp-queue → sm-mta smarthost log (tests/data/logs/sendmail):
// arrivals, multi-recipient to= lines, DSN lines (bounce, delay warning, queue expiry),
// reject= lines and a cut-off delivery line.
#include <QTest>

#include "tst_log_support.h"

using namespace bi::test::logs;
using namespace Qt::StringLiterals;

class TstSendmailParser final : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void maillogEvents_data();
    void maillogEvents();
    void oneToLineGivesOneEventPerRecipient();
    void expiryDsnAlsoExpiresTheMessage();
    void cutDeliveryLineIsMalformed();
    void outcomeFollowsDsnBeforeStatWord_data();
    void outcomeFollowsDsnBeforeStatWord();

private:
    Run m_run;
};

void TstSendmailParser::initTestCase()
{
    m_run = readPath(fixture(u"sendmail/maillog"_s), options(utc(2025, 3, 31, 0, 0, 0)));
    QVERIFY2(m_run.ok, qPrintable(m_run.error));
    QCOMPARE(m_run.summary.format, LogFormat::Sendmail);
}

void TstSendmailParser::maillogEvents_data()
{
    QTest::addColumn<int>("line");
    QTest::addColumn<LogEventType>("type");
    QTest::addColumn<QVariantMap>("expected");

    QTest::newRow("msp-arrival-local-user")
        << 1 << LogEventType::Received
        << QVariantMap{{u"queueId"_s, u"524ACx1M002201"_s},
                       {u"program"_s, u"sm-msp-queue"_s},
                       {u"sender"_s, u"www-data"_s},
                       {u"size"_s, 1822},
                       {u"recipientCount"_s, 2},
                       {u"messageId"_s, u"202503040912.524ACx1M002201@web1.example.net"_s},
                       {u"time"_s, utc(2025, 3, 4, 9, 12, 1)}};
    QTest::newRow("msp-hand-off-names-the-mta-queue-id")
        << 2 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"sent"_s},
                       {u"recipient"_s, u"orders@example.net"_s},
                       {u"relay~"_s, u"[127.0.0.1]"_s},
                       {u"nextQueueId"_s, u"524ACx1N002202"_s}};
    QTest::newRow("mta-arrival-same-message-id-new-queue-id")
        << 3 << LogEventType::Received
        << QVariantMap{{u"queueId"_s, u"524ACx1N002202"_s},
                       {u"client"_s, u"localhost [127.0.0.1]"_s},
                       {u"messageId"_s, u"202503040912.524ACx1M002201@web1.example.net"_s}};
    QTest::newRow("user-unknown-is-permanent")
        << 6 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"bounced"_s},
                       {u"recipient"_s, u"henry@example.org"_s},
                       {u"dsn"_s, u"5.1.1"_s},
                       {u"relay"_s, u"mx.example.org. [198.51.100.40]"_s},
                       {u"replyText"_s, u"User unknown"_s},
                       {u"delay"_s, 2.0}};
    QTest::newRow("dsn-line-names-the-bounce")
        << 7 << LogEventType::BounceGenerated
        << QVariantMap{{u"queueId"_s, u"524AKAbc002300"_s},
                       {u"newQueueId"_s, u"524AKCde002302"_s},
                       {u"notification"_s, u"non-delivery"_s}};
    QTest::newRow("dsn-line-starts-the-notice-with-the-null-sender")
        << 7 << LogEventType::Received
        << QVariantMap{{u"queueId"_s, u"524AKCde002302"_s},
                       {u"parentQueueId"_s, u"524AKAbc002300"_s},
                       {u"sender"_s, u""_s}};
    QTest::newRow("sender-notify-names-the-bounce")
        << 17 << LogEventType::BounceGenerated
        << QVariantMap{{u"queueId"_s, u"52A2tx04010773"_s},
                       {u"newQueueId"_s, u"52A6PuEl004811"_s},
                       {u"notification"_s, u"non-delivery"_s}};
    QTest::newRow("sender-notify-warning-is-delay-notice")
        << 18 << LogEventType::BounceGenerated
        << QVariantMap{{u"notification"_s, u"delay"_s}, {u"newQueueId"_s, u"52A6PuEl004812"_s}};
    QTest::newRow("bounce-delivered-like-any-message")
        << 8 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"queueId"_s, u"524AKCde002302"_s},
                       {u"outcome"_s, u"sent"_s},
                       {u"nextQueueId"_s, u"4Z7R0k2Cz9"_s}};
    QTest::newRow("deferred-with-reply-code")
        << 10 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"deferred"_s}, {u"smtpCode"_s, 451}, {u"dsn"_s, u"4.0.0"_s}};
    QTest::newRow("delay-in-days")
        << 11 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"deferred"_s}, {u"delay"_s, 4 * 86400.0 + 40}};
    QTest::newRow("warning-dsn-is-delay-notice")
        << 12 << LogEventType::BounceGenerated
        << QVariantMap{{u"notification"_s, u"delay"_s}, {u"newQueueId"_s, u"528DPe01003101"_s}};
    QTest::newRow("check-rcpt-reject")
        << 14 << LogEventType::SmtpReject
        << QVariantMap{{u"recipient"_s, u"nobody@example.net"_s},
                       {u"client"_s, u"bad.example [203.0.113.66]"_s},
                       {u"smtpCode"_s, 550},
                       {u"dsn"_s, u"5.7.1"_s},
                       {u"replyText~"_s, u"Relaying denied"_s}};
    QTest::newRow("mailbox-full-is-temporary")
        << 15 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"deferred"_s}, {u"dsn"_s, u"4.2.2"_s}, {u"smtpCode"_s, 452}};
    // The mailer is kept with the program (which agent delivered it: local, lmtp, esmtp); a
    // local user an address was aliased to names that address in ctladdr.
    QTest::newRow("alias-to-local-user-keeps-the-mailed-address")
        << 19 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"recipient"_s, u"gina"_s}, {u"originalRecipient"_s, u"gina.klein@example.net"_s},
                       {u"program"_s, u"sm-mta/local"_s}};
    QTest::newRow("lmtp-mailer")
        << 20 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"recipient"_s, u"eva@example.net"_s}, {u"program"_s, u"sm-mta/lmtp"_s}, {u"relay"_s, u"localhost"_s}};
}

void TstSendmailParser::maillogEvents()
{
    QFETCH(int, line);
    QFETCH(LogEventType, type);
    QFETCH(QVariantMap, expected);
    const LogEvent* e = eventAt(m_run.events, line, type);
    QVERIFY2(e, qPrintable(u"no %1 event for line %2"_s.arg(logEventTypeName(type)).arg(line)));
    QCOMPARE(e->host, u"smtp-gw"_s);
    BI_COMPARE_EVENT(*e, expected);
}

void TstSendmailParser::oneToLineGivesOneEventPerRecipient()
{
    for (const int line : {2, 4}) {
        const LogEvent* first = eventAt(m_run.events, line, LogEventType::DeliveryAttempt, 0);
        const LogEvent* second = eventAt(m_run.events, line, LogEventType::DeliveryAttempt, 1);
        QVERIFY(first && second);
        QVERIFY(!eventAt(m_run.events, line, LogEventType::DeliveryAttempt, 2));
        QCOMPARE(first->recipient, u"orders@example.net"_s);
        QCOMPARE(second->recipient, u"sales@example.net"_s);
        QCOMPARE(first->outcome, DeliveryOutcome::Sent);
        QCOMPARE(second->queueId, first->queueId);
    }
}

void TstSendmailParser::expiryDsnAlsoExpiresTheMessage()
{
    const LogEvent* expired = eventAt(m_run.events, 13, LogEventType::MessageExpired);
    const LogEvent* dsn = eventAt(m_run.events, 13, LogEventType::BounceGenerated);
    QVERIFY(expired && dsn);
    QCOMPARE(expired->queueId, u"524APxyz002400"_s);
    QCOMPARE(dsn->newQueueId, u"529APf02003300"_s);
    QCOMPARE(dsn->notification, NotificationKind::NonDelivery);
    QVERIFY(expired < dsn); // expiry first, so the correlator knows before the NDR arrives
}

void TstSendmailParser::cutDeliveryLineIsMalformed()
{
    QVERIFY(!eventAt(m_run.events, 16, LogEventType::DeliveryAttempt));
    QCOMPARE(m_run.summary.malformedLines, 1);
    QVERIFY(!m_run.summary.diagnostics.isEmpty());
    QVERIFY(m_run.summary.diagnostics.front().where.endsWith(u":16"_s));
}

void TstSendmailParser::outcomeFollowsDsnBeforeStatWord_data()
{
    QTest::addColumn<QByteArray>("tail");
    QTest::addColumn<QString>("outcome");
    QTest::newRow("sent") << QByteArray("dsn=2.0.0, stat=Sent (ok)") << u"sent"_s;
    QTest::newRow("deferred-word") << QByteArray("stat=Deferred: Connection refused by mx.example.") << u"deferred"_s;
    QTest::newRow("host-unknown-without-dsn") << QByteArray("stat=Host unknown (Name server: x.example: host not found)") << u"bounced"_s;
    QTest::newRow("dsn-4-beats-odd-word") << QByteArray("dsn=4.4.7, stat=Service unavailable") << u"deferred"_s;
    QTest::newRow("queued-is-not-tried") << QByteArray("stat=queued") << u"deferred"_s;
}

void TstSendmailParser::outcomeFollowsDsnBeforeStatWord()
{
    QFETCH(QByteArray, tail);
    QFETCH(QString, outcome);
    const Run run = readBytes("Mar  4 09:12:01 gw sm-mta[7]: 524ACx1M002201: to=<a@b.example>, delay=00:00:01, mailer=esmtp, pri=1, relay=mx.b.example. [192.0.2.1], "
                              + tail + '\n');
    QVERIFY2(run.ok, qPrintable(run.error));
    QCOMPARE(run.events.size(), 1);
    QCOMPARE(deliveryOutcomeName(run.events.front().outcome), outcome);
}

QTEST_GUILESS_MAIN(TstSendmailParser)
#include "tst_sendmail_parser.moc"
