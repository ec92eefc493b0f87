// SPDX-License-Identifier: GPL-3.0-or-later
// Postfix: the events of a hand-written outbound smarthost log (tests/data/logs/postfix), key
// parsing by name, split and cut lines, interleaved hosts with the same queue id.
#include <QFile>
#include <QMap>
#include <QTest>

#include "tst_log_support.h"

using namespace bi::test::logs;
using namespace Qt::StringLiterals;

class TstPostfixParser final : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void smarthostEvents_data();
    void smarthostEvents();
    void informationalLinesGiveNoEvent_data();
    void informationalLinesGiveNoEvent();
    void summaryCountsGarbageAndJoins();
    void rawLineAndOffsetPointIntoTheFile();
    void interleavedHostsKeepTheirOwnQueueIds();
    void deliveryKeysAreReadByName_data();
    void deliveryKeysAreReadByName();
    void verifyProbesAreNotDeliveries();
    void unknownOrCutStatusIsDiagnosed();
    void queueIdShapes_data();
    void queueIdShapes();
    void hostileLinesDoNotBreakTheReader();
    void sessionRefusalsJoinTheSessionsMessage();

private:
    Run m_smarthost;
    QByteArray m_smarthostBytes;
};

namespace {

QByteArray syslogLine(const QByteArray& program, const QByteArray& message)
{
    return "Mar  3 10:00:00 mx1 " + program + "[42]: " + message + '\n';
}

} // namespace

void TstPostfixParser::initTestCase()
{
    QFile f(fixture(u"postfix/smarthost.log"_s));
    QVERIFY(f.open(QIODevice::ReadOnly));
    m_smarthostBytes = f.readAll();
    // The file starts on New Year's Eve; the anchor is two weeks later.
    m_smarthost = readPath(f.fileName(), options(utc(2025, 1, 15, 12, 0, 0)));
    QVERIFY2(m_smarthost.ok, qPrintable(m_smarthost.error));
    QCOMPARE(m_smarthost.summary.format, LogFormat::Postfix);
}

void TstPostfixParser::smarthostEvents_data()
{
    QTest::addColumn<int>("line");
    QTest::addColumn<LogEventType>("type");
    QTest::addColumn<QVariantMap>("expected");

    QTest::newRow("submission-client-is-received")
        << 2 << LogEventType::Received
        << QVariantMap{{u"queueId"_s, u"7A1C43E0F2"_s},
                       {u"client"_s, u"app1.example.net[192.0.2.10]"_s},
                       {u"program"_s, u"postfix/submission/smtpd"_s},
                       {u"host"_s, u"mx-out1"_s},
                       {u"time"_s, utc(2024, 12, 31, 23, 58, 1)}};
    QTest::newRow("cleanup-message-id-loses-brackets")
        << 3 << LogEventType::MessageId
        << QVariantMap{{u"messageId"_s, u"20241231235801.7A1C43E0F2@app1.example.net"_s}};
    QTest::newRow("qmgr-queued-with-size-and-nrcpt")
        << 4 << LogEventType::Queued
        << QVariantMap{{u"sender"_s, u"news@example.net"_s}, {u"size"_s, 48211}, {u"recipientCount"_s, 3}};
    QTest::newRow("sent-by-multi-instance-smtp")
        << 7 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"sent"_s},
                       {u"recipient"_s, u"alice@gmail.com"_s},
                       {u"relay"_s, u"gmail-smtp-in.l.google.com[142.250.27.26]:25"_s},
                       {u"dsn"_s, u"2.0.0"_s},
                       {u"smtpCode"_s, 250},
                       {u"delay"_s, 2.4},
                       {u"program"_s, u"postfix-out/smtp"_s}};
    QTest::newRow("deferred-reply-after-said")
        << 9 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"deferred"_s},
                       {u"recipient"_s, u"bob@yahoo.com"_s},
                       {u"dsn"_s, u"4.7.0"_s},
                       {u"smtpCode"_s, 421},
                       {u"replyText~"_s, u"[TSS04] Messages from 198.51.100.25"_s},
                       {u"skipped"_s, false}};
    QTest::newRow("bounced-with-orig-to-and-parens-in-text")
        << 10 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"bounced"_s},
                       {u"recipient"_s, u"carol@outlook.com"_s},
                       {u"originalRecipient"_s, u"carol.list@example.net"_s},
                       {u"dsn"_s, u"5.5.0"_s},
                       {u"smtpCode"_s, 550},
                       {u"replyText~"_s, u"(S2017062302). [DM6NAM11FT062"_s},
                       {u"truncated"_s, false}};
    QTest::newRow("ndr-names-its-new-queue-id")
        << 12 << LogEventType::BounceGenerated
        << QVariantMap{{u"queueId"_s, u"7A1C43E0F2"_s},
                       {u"newQueueId"_s, u"0B9E23E0F9"_s},
                       {u"notification"_s, u"non-delivery"_s}};
    QTest::newRow("ndr-queued-with-null-sender")
        << 13 << LogEventType::Queued << QVariantMap{{u"queueId"_s, u"0B9E23E0F9"_s}, {u"sender"_s, QString()}};
    QTest::newRow("retry-after-new-year-gets-next-year")
        << 17 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"sent"_s},
                       {u"recipient"_s, u"bob@yahoo.com"_s},
                       {u"time"_s, utc(2025, 1, 1, 0, 3, 12)},
                       {u"delay"_s, 311.0}};
    QTest::newRow("pickup-with-long-queue-id")
        << 19 << LogEventType::Received
        << QVariantMap{{u"queueId"_s, u"48rT2v1hQrz1J0N"_s},
                       {u"sender"_s, u"billing@example.net"_s},
                       {u"program"_s, u"postfix/pickup"_s}};
    QTest::newRow("connect-timeout-relay-none")
        << 22 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"deferred"_s},
                       {u"relay"_s, u"none"_s},
                       {u"dsn"_s, u"4.4.1"_s},
                       {u"smtpCode"_s, 0},
                       {u"skipped"_s, false}};
    QTest::newRow("temporarily-suspended-is-skipped")
        << 23 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"deferred"_s}, {u"skipped"_s, true}};
    QTest::newRow("whole-message-expiry")
        << 24 << LogEventType::MessageExpired
        << QVariantMap{{u"queueId"_s, u"48rT2v1hQrz1J0N"_s},
                       {u"sender"_s, u"billing@example.net"_s},
                       {u"replyText~"_s, u"returned to sender"_s}};
    QTest::newRow("ndr-after-expiry")
        << 26 << LogEventType::BounceGenerated
        << QVariantMap{{u"queueId"_s, u"48rT2v1hQrz1J0N"_s}, {u"newQueueId"_s, u"0C11A3E0FB"_s}};
    QTest::newRow("noqueue-reject")
        << 28 << LogEventType::SmtpReject
        << QVariantMap{{u"queueId"_s, QString()},
                       {u"client"_s, u"unknown[203.0.113.77]"_s},
                       {u"smtpCode"_s, 554},
                       {u"dsn"_s, u"5.7.1"_s},
                       {u"sender"_s, u"x@spammer.example"_s},
                       {u"recipient"_s, u"spam@example.net"_s},
                       {u"replyText~"_s, u"Relay access denied"_s}};
    QTest::newRow("content-filter-queued-as")
        << 32 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"relay"_s, u"127.0.0.1[127.0.0.1]:10024"_s}, {u"nextQueueId"_s, u"2E3F43E101"_s}};
    QTest::newRow("reinjected-copy-delivered")
        << 34 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"queueId"_s, u"2E3F43E101"_s},
                       {u"recipient"_s, u"erin@example.org"_s},
                       {u"nextQueueId"_s, u"4YQb1x0Zz9"_s}};
    QTest::newRow("delay-notification")
        << 35 << LogEventType::BounceGenerated
        << QVariantMap{{u"notification"_s, u"delay"_s}, {u"newQueueId"_s, u"6A7B83E121"_s}};
    QTest::newRow("split-notification-is-joined")
        << 36 << LogEventType::BounceGenerated
        << QVariantMap{{u"queueId"_s, u"6B7C93E130"_s},
                       {u"notification"_s, u"non-delivery"_s},
                       {u"newQueueId"_s, u"7C8DA3E131"_s}};
    QTest::newRow("cut-status-text-is-flagged")
        << 38 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"bounced"_s},
                       {u"dsn"_s, u"5.1.1"_s},
                       {u"smtpCode"_s, 550},
                       {u"truncated"_s, true},
                       {u"replyText~"_s, u"does not exist. Please try"_s}};
    QTest::newRow("postsuper-removed")
        << 40 << LogEventType::Removed << QVariantMap{{u"queueId"_s, u"9EAFC3E150"_s}};
    QTest::newRow("error-agent-suspended")
        << 44 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"program"_s, u"postfix/error"_s},
                       {u"skipped"_s, true},
                       {u"dsn"_s, u"4.7.1"_s},
                       {u"recipient"_s, u"gina@example.com"_s}};
}

void TstPostfixParser::smarthostEvents()
{
    QFETCH(int, line);
    QFETCH(LogEventType, type);
    QFETCH(QVariantMap, expected);
    const LogEvent* e = eventAt(m_smarthost.events, line, type);
    QVERIFY2(e, qPrintable(u"no %1 event for line %2"_s.arg(logEventTypeName(type)).arg(line)));
    QCOMPARE(e->format, LogFormat::Postfix);
    BI_COMPARE_EVENT(*e, expected);
}

void TstPostfixParser::informationalLinesGiveNoEvent_data()
{
    QTest::addColumn<int>("line");
    QTest::newRow("connect-from") << 1;
    QTest::newRow("disconnect-with-counters") << 5;
    QTest::newRow("tls-established") << 6;
    QTest::newRow("host-said-without-to") << 8;
    QTest::newRow("fragment-of-split-line") << 37;
    QTest::newRow("garbage") << 41;
    QTest::newRow("last-message-repeated") << 42;
    QTest::newRow("syslog-mark") << 43;
}

void TstPostfixParser::informationalLinesGiveNoEvent()
{
    QFETCH(int, line);
    for (const LogEvent& e : m_smarthost.events)
        QVERIFY2(e.lineNumber != line, qPrintable(logEventTypeName(e.type)));
}

void TstPostfixParser::summaryCountsGarbageAndJoins()
{
    const LogReadSummary& s = m_smarthost.summary;
    QCOMPARE(s.lines, 44);
    QCOMPARE(s.unrecognizedLines, 1); // the garbage line; the joined fragment is not counted
    QVERIFY(s.diagnosticCount >= 2);
    bool sawGarbage = false;
    bool sawJoin = false;
    for (const bi::core::Diagnostic& d : s.diagnostics) {
        sawGarbage = sawGarbage || (d.where.endsWith(u":41"_s) && d.what.contains(u"unrecognised"_s));
        sawJoin = sawJoin || (d.where.endsWith(u":37"_s) && d.what.contains(u"line 36"_s));
    }
    QVERIFY(sawGarbage);
    QVERIFY(sawJoin);
}

void TstPostfixParser::rawLineAndOffsetPointIntoTheFile()
{
    const LogEvent* e = eventAt(m_smarthost.events, 7, LogEventType::DeliveryAttempt);
    QVERIFY(e);
    const QByteArray atOffset = m_smarthostBytes.mid(e->byteOffset, e->rawLine.size());
    QCOMPARE(atOffset, e->rawLine);
    QVERIFY(e->rawLine.startsWith("Dec 31 23:58:04 mx-out1 postfix-out/smtp[5110]: 7A1C43E0F2: to=<alice"));
    QVERIFY(!e->rawLine.endsWith('\n'));

    const LogEvent* joined = eventAt(m_smarthost.events, 36, LogEventType::BounceGenerated);
    QVERIFY(joined);
    QVERIFY(joined->rawLine.endsWith("sender n\non-delivery notification: 7C8DA3E131"));
}

void TstPostfixParser::interleavedHostsKeepTheirOwnQueueIds()
{
    const Run run = readPath(fixture(u"postfix/interleaved.log"_s));
    QVERIFY2(run.ok, qPrintable(run.error));
    QCOMPARE(run.events.size(), 7);
    QList<LogEvent> deliveries = ofType(run.events, LogEventType::DeliveryAttempt);
    QCOMPARE(deliveries.size(), 2);
    for (const LogEvent& d : deliveries) {
        QCOMPARE(d.queueId, u"3F2A1B0C4D"_s);
        if (d.host == u"relay-a"_s) {
            BI_COMPARE_EVENT(d, (QVariantMap{{u"outcome"_s, u"sent"_s},
                                            {u"recipient"_s, u"h.meier@example.de"_s},
                                            {u"time"_s, utc(2025, 3, 30, 1, 0, 1, 4)},
                                            {u"offset"_s, 3600}}));
        } else {
            BI_COMPARE_EVENT(d, (QVariantMap{{u"host"_s, u"relay-b.example.net"_s},
                                            {u"outcome"_s, u"bounced"_s},
                                            {u"dsn"_s, u"5.7.26"_s},
                                            {u"time"_s, utc(2025, 3, 30, 0, 59, 59, 900)},
                                            {u"offset"_s, 0}}));
        }
    }
    const QList<LogEvent> ndrs = ofType(run.events, LogEventType::BounceGenerated);
    QCOMPARE(ndrs.size(), 1);
    QCOMPARE(ndrs.front().host, u"relay-b.example.net"_s);
    // File order is kept even where the stamps go back (two clocks in one file).
    for (qsizetype i = 1; i < run.events.size(); ++i)
        QVERIFY(run.events[i].lineNumber >= run.events[i - 1].lineNumber);
}

void TstPostfixParser::deliveryKeysAreReadByName_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QVariantMap>("expected");

    QTest::newRow("conn-use-between-relay-and-delay")
        << syslogLine("postfix/lmtp", "1A2B3C4D5E: to=<a@b.example>, relay=127.0.0.1[127.0.0.1]:10025, conn_use=3, delay=5.2, delays=0.1/0/0/5.1, dsn=2.0.0, status=sent (250 2.0.0 Ok)")
        << QVariantMap{{u"relay"_s, u"127.0.0.1[127.0.0.1]:10025"_s}, {u"delay"_s, 5.2}, {u"smtpCode"_s, 250}};
    QTest::newRow("tls-key-before-dsn")
        << syslogLine("postfix/smtp", "1A2B3C4D5E: to=<a@b.example>, relay=mx.b.example[192.0.2.7]:25, delay=3.6, delays=0.08/0.02/0.85/0.14, tls=dane/requiretls, dsn=2.1.5, status=sent (250 2.0.0 Ok: queued as 153053D)")
        << QVariantMap{{u"dsn"_s, u"2.1.5"_s}, {u"nextQueueId"_s, u"153053D"_s}};
    QTest::newRow("keys-in-unusual-order")
        << syslogLine("postfix/smtp", "1A2B3C4D5E: to=<a@b.example>, dsn=5.1.1, relay=mx.b.example[192.0.2.7]:25, delay=1, status=bounced (host mx.b.example[192.0.2.7] said: 550 5.1.1 no such user (in reply to RCPT TO command))")
        << QVariantMap{{u"dsn"_s, u"5.1.1"_s}, {u"relay"_s, u"mx.b.example[192.0.2.7]:25"_s}, {u"outcome"_s, u"bounced"_s}};
    QTest::newRow("addresses-without-brackets")
        << syslogLine("postfix/local", "2A22C263F6: to=user@hostname.example.com, orig_to=root@localhost, relay=local, delay=0.07, delays=0.04/0/0/0.03, dsn=2.0.0, status=sent (delivered to command: procmail -a \"$EXTENSION\")")
        << QVariantMap{{u"recipient"_s, u"user@hostname.example.com"_s}, {u"originalRecipient"_s, u"root@localhost"_s}, {u"replyText"_s, u"delivered to command: procmail -a \"$EXTENSION\""_s}};
    QTest::newRow("before-2.3-dsn-from-text")
        << syslogLine("postfix/smtp", "1A2B3C4D5E: to=<a@b.example>, relay=mx.b.example[192.0.2.7], delay=2, status=bounced (host mx.b.example[192.0.2.7] said: 550 5.1.1 <a@b.example>: Recipient address rejected (in reply to RCPT TO command))")
        << QVariantMap{{u"dsn"_s, u"5.1.1"_s}, {u"smtpCode"_s, 550}};
    QTest::newRow("google-multiline-reply-with-commas")
        << syslogLine("postfix/smtp", "4E74613FE76: to=<redacted@gmail.com>, relay=gmail-smtp-in.l.google.com[2607:f8b0:400e:c04::1b]:25, delay=1.9, delays=0.05/0/1.1/0.71, dsn=5.7.1, status=bounced (host gmail-smtp-in.l.google.com[2607:f8b0:400e:c04::1b] said: 550-5.7.1 [2607:4100:3:25:100::2      12] Our system has detected that this 550-5.7.1 message is likely unsolicited mail. To reduce the amount of spam sent 550-5.7.1 to Gmail, this message has been blocked. (in reply to end of DATA command))")
        << QVariantMap{{u"relay"_s, u"gmail-smtp-in.l.google.com[2607:f8b0:400e:c04::1b]:25"_s}, {u"smtpCode"_s, 550}, {u"replyText~"_s, u"To reduce the amount of spam sent 550-5.7.1 to Gmail, this"_s}, {u"truncated"_s, false}};
    QTest::newRow("expired-per-recipient-with-comma")
        << syslogLine("postfix/qmgr", "1A2B3C4D5E: to=<a@b.example>, relay=none, delay=432000, delays=432000/0/0/0, dsn=4.4.1, status=expired, returned to sender")
        << QVariantMap{{u"outcome"_s, u"expired"_s}, {u"dsn"_s, u"4.4.1"_s}, {u"replyText"_s, u"returned to sender"_s}};
    QTest::newRow("bounced-too-old-is-expiry")
        << syslogLine("postfix/smtp", "136C0C29B9E: to=<b@c.example>, relay=none, delay=435124, delays=435124/0.01/0.02/0, dsn=4.4.7, status=bounced (message too old)")
        << QVariantMap{{u"outcome"_s, u"expired"_s}, {u"dsn"_s, u"4.4.7"_s}, {u"replyText"_s, u"message too old"_s}};
    QTest::newRow("bounced-suspended-is-expiry")
        << syslogLine("postfix/error", "67C2FC4784: to=<b@c.example>, relay=none, delay=433408, delays=433408/0.02/0.05/0, dsn=4.4.1, status=bounced (delivery temporarily suspended: connect to mx2.c.example[192.0.2.8]:25: Connection refused)")
        << QVariantMap{{u"outcome"_s, u"expired"_s}, {u"dsn"_s, u"4.4.1"_s}, {u"skipped"_s, false}};
    QTest::newRow("before-2.3-bounced-after-4xx-is-expiry")
        << syslogLine("postfix/smtp", "1A2B3C4D5E: to=<a@b.example>, relay=mx.b.example[192.0.2.7], delay=432001, status=bounced (host mx.b.example[192.0.2.7] said: 451 4.7.1 greylisted, try later (in reply to RCPT TO command))")
        << QVariantMap{{u"outcome"_s, u"expired"_s}, {u"dsn"_s, u"4.7.1"_s}, {u"smtpCode"_s, 451}};
    QTest::newRow("softbounce-is-a-deferral")
        << syslogLine("postfix/smtp", "4B6D11E01729: to=<v@b.example>, relay=mail.b.example[192.0.2.4]:25, delay=39993, delays=35133/4859/0.58/0.71, dsn=4.7.1, status=SOFTBOUNCE (host mail.b.example[192.0.2.4] said: 501 5.7.1 <s@a.example>... Sender refused by the DNSBL (in reply to RCPT TO command))")
        << QVariantMap{{u"outcome"_s, u"deferred"_s}, {u"dsn"_s, u"4.7.1"_s}, {u"smtpCode"_s, 501}};
    QTest::newRow("crlf-line-ending")
        << QByteArray("Mar  3 10:00:00 mx1 postfix/smtp[42]: 1A2B3C4D5E: to=<a@b.example>, relay=none, delay=1, delays=1/0/0/0, dsn=4.4.3, status=deferred (Host or domain name not found. Name service error for name=b.example type=MX: Host not found, try again)\r\n")
        << QVariantMap{{u"dsn"_s, u"4.4.3"_s}, {u"replyText~"_s, u"try again"_s}, {u"truncated"_s, false}};
}

void TstPostfixParser::deliveryKeysAreReadByName()
{
    QFETCH(QByteArray, line);
    QFETCH(QVariantMap, expected);
    const Run run = readBytes(line);
    QVERIFY2(run.ok, qPrintable(run.error));
    QCOMPARE(run.events.size(), 1);
    QCOMPARE(run.events.front().type, LogEventType::DeliveryAttempt);
    BI_COMPARE_EVENT(run.events.front(), expected);
    QVERIFY(!run.events.front().rawLine.endsWith('\r'));
}

void TstPostfixParser::verifyProbesAreNotDeliveries()
{
    const Run run = readBytes(
        syslogLine("postfix/error", "3E29030F8637E: to=<user@yahoo.com>, relay=none, delay=0.01, delays=0.01/0/0/0, dsn=5.1.1, status=undeliverable-but-not-cached (User unknown in virtual alias table)")
        + syslogLine("postfix/smtp", "3E29030F8637F: to=<user@yahoo.com>, relay=mx[192.0.2.1]:25, delay=0.01, delays=0.01/0/0/0, dsn=2.1.5, status=deliverable (250 2.1.5 Ok)"));
    QVERIFY2(run.ok, qPrintable(run.error));
    QVERIFY(run.events.isEmpty());
}

// A status word cut off at the end of the file, or one Postfix does not write, is said with
// the line it was on, never dropped quietly; a relay's split inside the word is joined.
void TstPostfixParser::unknownOrCutStatusIsDiagnosed()
{
    const QByteArray head = "3F2A81C0123: to=<c@target.example>, relay=mx.target.example[192.0.2.5]:25, delay=3, "
                            "delays=0.01/0/0.5/0.5, dsn=5.1.1, status=";
    const Run cut = readBytes(syslogLine("postfix/smtp", head + "frobnicated (250 2.0.0 Ok)")
                              + syslogLine("postfix/smtp", head + "boun").chopped(1));
    QVERIFY2(cut.ok, qPrintable(cut.error));
    QVERIFY(cut.events.isEmpty());
    QCOMPARE(cut.summary.diagnostics.size(), 2);
    QVERIFY(cut.summary.diagnostics.at(0).what.contains(u"'frobnicated'"_s));
    QVERIFY(cut.summary.diagnostics.at(1).what.contains(u"'boun'"_s));

    const Run split = readBytes(syslogLine("postfix/smtp", head + "boun")
                                + "ced (host mx.target.example[192.0.2.5] said: 550 5.1.1 User unknown (in reply to RCPT TO command))\n");
    QVERIFY2(split.ok, qPrintable(split.error));
    QCOMPARE(split.events.size(), 1);
    QCOMPARE(split.events.front().outcome, DeliveryOutcome::Bounced);
    QCOMPARE(split.events.front().smtpCode, 550);
}

void TstPostfixParser::queueIdShapes_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QString>("queueId");
    QTest::addColumn<bool>("diagnosed");
    QTest::newRow("short-hex") << QByteArray("732BB407C3: removed") << u"732BB407C3"_s << false;
    QTest::newRow("short-hex-seven") << QByteArray("0F5383D: removed") << u"0F5383D"_s << false;
    QTest::newRow("long-base52") << QByteArray("44JCRG5tYPzCqt2: removed") << u"44JCRG5tYPzCqt2"_s << false;
    QTest::newRow("word-is-not-an-id") << QByteArray("warning: removed") << QString() << true;
    QTest::newRow("word-then-text") << QByteArray("warning: hostname does not resolve") << QString() << false;
    QTest::newRow("lower-case-hex-is-not-short-form") << QByteArray("deadbeef12: removed") << QString() << true;
    QTest::newRow("lower-case-delivery") << QByteArray("ab12cd34ef: to=<four@example.com>, status=sent (250 ok)")
                                         << QString() << true;
}

void TstPostfixParser::queueIdShapes()
{
    QFETCH(QByteArray, message);
    QFETCH(QString, queueId);
    QFETCH(bool, diagnosed);
    const Run run = readBytes(syslogLine("postfix/qmgr", message) + syslogLine("postfix/qmgr", "ABCDE12345: removed"));
    QVERIFY2(run.ok, qPrintable(run.error));
    const LogEvent* e = eventAt(run.events, 1, LogEventType::Removed);
    if (queueId.isEmpty()) {
        QVERIFY(!eventAt(run.events, 1, LogEventType::DeliveryAttempt));
        QVERIFY(!e);
    } else {
        QVERIFY(e);
        QCOMPARE(e->queueId, queueId);
    }
    // An event line under an id Postfix never writes is said, not dropped quietly.
    QCOMPARE(run.summary.diagnostics.size(), diagnosed ? 1 : 0);
    if (diagnosed)
        QVERIFY2(run.summary.diagnostics.constFirst().what.contains(u"is not a Postfix queue id"_s),
                 qPrintable(run.summary.diagnostics.constFirst().what));
}

void TstPostfixParser::hostileLinesDoNotBreakTheReader()
{
    QByteArray input = syslogLine("postfix/qmgr", "ABCDE12345: from=<a@b.example>, size=1, nrcpt=1 (queue active)");
    input += QByteArray(3000, '\0') + '\n';                               // NUL run after a crash
    input += "Mar  3 10:00:00 mx1 postfix/smtp[42]: ABCDE12345: to=<\n";   // cut right after to=<
    input += "Mar  3 10:00:00 mx1 postfix/smtp[42]: ABCDE12345: to=<a@b.example>, status=\n";
    input += "Mar  3 10:00:00 mx1 postfix/smtp[42]: ABCDE12345: to=<a@b.example>, status=sent ((((((\n";
    input += "Mar  3 10:00:00 mx1 postfix/bounce[1]: ABCDE12345: sender non-delivery notification: \n";
    input += "Mar  3 10:00:00 mx1 postfix/smtpd[1]: NOQUEUE: reject: RCPT\n";
    input += "Mar 99 10:00:00 mx1 postfix/smtpd[1]: ABCDE12345: client=x[1.2.3.4]\n";
    input += "Feb 30 10:00:00 mx1 postfix/smtpd[1]: ABCDE12345: client=x[1.2.3.4]\n";
    for (int i = 0; i < 256; ++i)
        input += char(i);
    input += '\n';
    input += syslogLine("postfix/qmgr", "ABCDE12345: removed");
    const Run run = readBytes(input);
    QVERIFY2(run.ok, qPrintable(run.error));
    // The first and last lines still come through; what is between only makes diagnostics.
    QVERIFY(eventAt(run.events, 1, LogEventType::Queued));
    QVERIFY(eventAt(run.events, run.summary.lines, LogEventType::Removed));
    QVERIFY(run.summary.unrecognizedLines + run.summary.malformedLines >= 4);
    QVERIFY(run.summary.diagnosticCount >= 4);
    const LogEvent* impossible = eventAt(run.events, 9, LogEventType::Received);
    QVERIFY(impossible);
    QVERIFY(!impossible->time.isValid()); // Feb 30: no time rather than a wrong one
}


// A recipient refused before the first accepted one is logged NOQUEUE; the same smtpd
// process's next client= line names the message the client went on to submit.
void TstPostfixParser::sessionRefusalsJoinTheSessionsMessage()
{
    const QByteArray log = "Nov 30 10:00:00 relay postfix/smtpd[2001]: connect from app1[10.0.0.5]\n"
                           "Nov 30 10:00:00 relay postfix/smtpd[2001]: NOQUEUE: reject: RCPT from app1[10.0.0.5]: 550 5.1.1 "
                           "<bob@nx.example>: Recipient address rejected: User unknown; from=<news@corp.example> "
                           "to=<bob@nx.example> proto=ESMTP helo=<app1>\n"
                           "Nov 30 10:00:00 relay postfix/smtpd[2002]: NOQUEUE: reject: RCPT from spam[192.0.2.9]: 554 5.7.1 "
                           "<x@far.example>: Relay access denied; from=<a@b.example> to=<x@far.example> proto=SMTP helo=<s>\n"
                           "Nov 30 10:00:01 relay postfix/smtpd[2001]: 3F2A81C0A1: client=app1[10.0.0.5]\n"
                           "Nov 30 10:00:01 relay postfix/smtpd[2002]: disconnect from spam[192.0.2.9] rcpt=0/1\n"
                           "Nov 30 10:00:02 relay postfix/smtpd[2003]: NOQUEUE: reject: RCPT from c[192.0.2.10]: 550 5.1.1 "
                           "<y@far.example>: Recipient address rejected; from=<c@d.example> to=<y@far.example> proto=SMTP\n";
    const Run run = readBytes(log);
    QVERIFY2(run.ok, qPrintable(run.error));
    const QList<LogEvent> refusals = ofType(run.events, LogEventType::SmtpReject);
    QCOMPARE(refusals.size(), 3);
    QMap<QString, LogEvent> byRecipient;
    for (const LogEvent& e : refusals)
        byRecipient.insert(e.recipient, e);
    // Joined to the message of its own session, nothing else.
    QCOMPARE(byRecipient.value(u"bob@nx.example"_s).queueId, u"3F2A81C0A1"_s);
    QCOMPARE(byRecipient.value(u"bob@nx.example"_s).lineNumber, qint64(2));
    // Emitted later, it keeps its own line for the raw view.
    QVERIFY(byRecipient.value(u"bob@nx.example"_s).rawLine.startsWith("Nov 30 10:00:00 relay postfix/smtpd[2001]: NOQUEUE"));
    QCOMPARE(log.mid(byRecipient.value(u"bob@nx.example"_s).byteOffset, 20), QByteArray("Nov 30 10:00:00 rela"));
    // Released at its session's disconnect, and at the end of the file, without a queue id.
    QVERIFY(byRecipient.value(u"x@far.example"_s).queueId.isEmpty());
    QVERIFY(byRecipient.value(u"y@far.example"_s).queueId.isEmpty());
    QCOMPARE(byRecipient.value(u"y@far.example"_s).smtpCode, 550);
    // cleanup's header checks refuse the whole message; the reply comes last.
    const Run header = readBytes("Nov 30 10:06:01 relay postfix/cleanup[2002]: 5C8DA2E1B3: reject: header Received: from x "
                                 "by y from app1[10.0.0.5]; from=<news@corp.example> to=<frank@far.example> proto=ESMTP "
                                 "helo=<app1>: 5.7.1 message content rejected\n");
    QVERIFY2(header.ok, qPrintable(header.error));
    QCOMPARE(header.events.size(), 1);
    BI_COMPARE_EVENT(header.events.constFirst(), (QVariantMap{{u"type"_s, u"smtp-reject"_s},
                                                              {u"queueId"_s, u"5C8DA2E1B3"_s},
                                                              {u"client"_s, u"app1[10.0.0.5]"_s},
                                                              {u"sender"_s, u"news@corp.example"_s},
                                                              {u"recipient"_s, u"frank@far.example"_s},
                                                              {u"dsn"_s, u"5.7.1"_s},
                                                              {u"replyText"_s, u"message content rejected"_s}}));
    // The held refusal comes out just before the message's own first event.
    for (qsizetype i = 0; i < run.events.size(); ++i) {
        if (run.events[i].type == LogEventType::Received) {
            QVERIFY(i > 0);
            QCOMPARE(run.events[i - 1].recipient, u"bob@nx.example"_s);
        }
    }
}

QTEST_GUILESS_MAIN(TstPostfixParser)
#include "tst_postfix_parser.moc"
