// SPDX-License-Identifier: GPL-3.0-or-later
// PowerMTA accounting CSV: a hand-written file (tests/data/logs/powermta) with every record type,
// quoted fields with commas and doubled quotes, a cut-off row and a second header with another
// column order (as after a rotation or a changed acct-file record list).
#include <QTest>

#include "tst_log_support.h"

using namespace bi::test::logs;
using namespace Qt::StringLiterals;

class TstPowerMtaParser final : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void accountingRows_data();
    void accountingRows();
    void unknownRecordTypesAreIgnored();
    void cutRowIsDiagnosed();
    void rowsBeforeAnyHeaderAreSkipped();
    void headerOfPreviousFileIsKept();
    void headerInAnotherOrder();

private:
    Run m_run;
};

void TstPowerMtaParser::initTestCase()
{
    m_run = readPath(fixture(u"powermta/acct-2025-05-12.csv"_s));
    QVERIFY2(m_run.ok, qPrintable(m_run.error));
    QCOMPARE(m_run.summary.format, LogFormat::PowerMta);
}

void TstPowerMtaParser::accountingRows_data()
{
    QTest::addColumn<int>("line");
    QTest::addColumn<LogEventType>("type");
    QTest::addColumn<QVariantMap>("expected");

    QTest::newRow("r-is-received")
        << 2 << LogEventType::Received
        << QVariantMap{{u"sender"_s, u"news@example.net"_s},
                       {u"recipient"_s, u"alice@gmail.com"_s},
                       {u"client"_s, u"app1.example.net (192.0.2.10)"_s},
                       {u"jobId"_s, u"job-7781"_s},
                       {u"envelopeId"_s, u"env-0001"_s}};
    QTest::newRow("d-is-sent-quoted-extensions-field")
        << 3 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"sent"_s},
                       {u"recipient"_s, u"alice@gmail.com"_s},
                       {u"originalRecipient"_s, u"alice@gmail.com"_s},
                       {u"dsn"_s, u"2.0.0"_s},
                       {u"smtpCode"_s, 250},
                       {u"relay"_s, u"gmail-smtp-in.l.google.com (142.250.27.26)"_s},
                       {u"size"_s, 48211},
                       {u"program"_s, u"pmta/vmta-news1"_s},
                       {u"time"_s, utc(2025, 5, 12, 8, 0, 2)},
                       {u"delay"_s, 2.0},
                       // No queue id in PowerMTA: the envelope id and recipient stand for one.
                       {u"queueId"_s, u"env-0001/alice@gmail.com"_s}};
    QTest::newRow("t-is-deferred-doubled-quotes")
        << 4 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"deferred"_s},
                       {u"recipient"_s, u"bob@yahoo.com"_s},
                       {u"dsn"_s, u"4.7.0"_s},
                       {u"smtpCode"_s, 421},
                       {u"replyText~"_s, u"user complaints, see \"https://postmaster.yahooinc.com/error-codes\""_s},
                       {u"category"_s, u"policy-related"_s}};
    QTest::newRow("b-is-bounced")
        << 5 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"bounced"_s},
                       {u"dsn"_s, u"5.1.1"_s},
                       {u"smtpCode"_s, 550},
                       {u"category"_s, u"bad-mailbox"_s}};
    QTest::newRow("tq-is-queue-level-deferral")
        << 6 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"deferred"_s}, {u"recipient"_s, QString()}, {u"category"_s, u"no-answer-from-host"_s},
                       {u"queueId"_s, QString()}};
    QTest::newRow("b-message-expired-is-expiry")
        << 7 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"expired"_s}, {u"recipient"_s, u"dave@slow.example"_s}, {u"delay"_s, 4 * 86400.0}};
    QTest::newRow("rb-is-remote-bounce")
        << 8 << LogEventType::RemoteBounce
        << QVariantMap{{u"outcome"_s, u"bounced"_s}, {u"dsn"_s, u"5.2.2"_s}, {u"smtpCode"_s, 552}, {u"category"_s, u"quota-issues"_s},
                       {u"queueId"_s, u"env-0001/alice@gmail.com"_s}};
    QTest::newRow("f-is-complaint")
        << 9 << LogEventType::Complaint << QVariantMap{{u"recipient"_s, u"erin@aol.com"_s}, {u"jobId"_s, u"job-7781"_s}};
    QTest::newRow("second-header-other-order-and-offset")
        << 12 << LogEventType::DeliveryAttempt
        << QVariantMap{{u"outcome"_s, u"sent"_s},
                       {u"recipient"_s, u"gina@example.org"_s},
                       {u"sender"_s, u"news@example.net"_s},
                       {u"messageId"_s, u"n-7790@example.net"_s},
                       {u"program"_s, u"pmta/vmta-news2"_s},
                       {u"time"_s, utc(2025, 5, 13, 6, 59, 59)},
                       {u"offset"_s, -25200}};
}

void TstPowerMtaParser::accountingRows()
{
    QFETCH(int, line);
    QFETCH(LogEventType, type);
    QFETCH(QVariantMap, expected);
    const LogEvent* e = eventAt(m_run.events, line, type);
    QVERIFY2(e, qPrintable(u"no %1 event for line %2"_s.arg(logEventTypeName(type)).arg(line)));
    BI_COMPARE_EVENT(*e, expected);
}

void TstPowerMtaParser::unknownRecordTypesAreIgnored()
{
    for (const LogEvent& e : m_run.events)
        QVERIFY(e.lineNumber != 13 && e.lineNumber != 1 && e.lineNumber != 11);
}

void TstPowerMtaParser::cutRowIsDiagnosed()
{
    QVERIFY(!eventAt(m_run.events, 10, LogEventType::DeliveryAttempt));
    QCOMPARE(m_run.summary.malformedLines, 1);
    QVERIFY(m_run.summary.diagnostics.front().where.endsWith(u":10"_s));
}

void TstPowerMtaParser::rowsBeforeAnyHeaderAreSkipped()
{
    LogReaderOptions o = options();
    o.format = LogFormat::PowerMta;
    const Run run = readBytes("d,2025-05-12 08:00:02+0000,,a@b.example,c@d.example\n"
                              "d,2025-05-12 08:00:03+0000,,a@b.example,c@d.example\n", o);
    QVERIFY2(run.ok, qPrintable(run.error));
    QVERIFY(run.events.isEmpty());
    QCOMPARE(run.summary.malformedLines, 2);
    QCOMPARE(run.summary.diagnosticCount, 1); // said once, not per row
}

void TstPowerMtaParser::headerOfPreviousFileIsKept()
{
    // One reader for a rotation set: the second file has no header of its own.
    QBuffer first;
    first.setData("type,timeLogged,rcpt\nd,2025-05-12 08:00:02+0000,a@b.example\n");
    first.open(QIODevice::ReadOnly);
    QBuffer second;
    second.setData("b,2025-05-12 09:00:02+0000,c@d.example\n");
    second.open(QIODevice::ReadOnly);
    LogReaderOptions o = options();
    o.format = LogFormat::PowerMta;
    LogReader reader(o);
    QList<LogEvent> events;
    auto collectEvent = [&](const LogEvent& e) { events.append(e); };
    QVERIFY(reader.readDevice(first, u"acct.1"_s, collectEvent).hasValue());
    QVERIFY(reader.readDevice(second, u"acct.0"_s, collectEvent).hasValue());
    QCOMPARE(events.size(), 2);
    QCOMPARE(events[1].recipient, u"c@d.example"_s);
    QCOMPARE(events[1].outcome, DeliveryOutcome::Bounced);
}

void TstPowerMtaParser::headerInAnotherOrder()
{
    // A header that does not start with type (sniffed as PowerMTA all the same), and one that
    // changes the order mid-file, as after a rotation: rows are read by the header in force.
    LogReaderOptions o = options();
    const Run run = readBytes("rcpt,type,timeLogged,orig,dsnStatus\n"
                              "c@d.example,t,2025-05-12 08:00:02+0000,a@b.example,4.7.0 (other)\n"
                              "type,orig,rcpt,timeLogged,dsnStatus\n"
                              "d,a@b.example,c@d.example,2025-05-12 09:00:02+0000,2.0.0 (success)\n",
                              o);
    QVERIFY2(run.ok, qPrintable(run.error));
    QCOMPARE(run.summary.format, LogFormat::PowerMta);
    QCOMPARE(run.events.size(), 2);
    QCOMPARE(run.events[0].recipient, u"c@d.example"_s);
    QCOMPARE(run.events[0].outcome, DeliveryOutcome::Deferred);
    QCOMPARE(run.events[1].recipient, u"c@d.example"_s);
    QCOMPARE(run.events[1].sender, u"a@b.example"_s);
    QCOMPARE(run.events[1].outcome, DeliveryOutcome::Sent);
}

QTEST_GUILESS_MAIN(TstPowerMtaParser)
#include "tst_powermta_parser.moc"
