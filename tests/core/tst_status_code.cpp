// SPDX-License-Identifier: GPL-3.0-or-later
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTest>

#include "core/bounce/status_code.h"

using namespace Qt::StringLiterals;
using bi::core::bounce::StatusCode;

class TstStatusCode : public QObject {
    Q_OBJECT

private slots:
    void tablesLoaded();
    void isValid_data();
    void isValid();
    void normalize_data();
    void normalize();
    void find_data();
    void find();
    void findReplyCode_data();
    void findReplyCode();
    void classDigit_data();
    void classDigit();
    void temporaryPermanent_data();
    void temporaryPermanent();
    void pseudo_data();
    void pseudo();
    void reasonFor_data();
    void reasonFor();
    void pseudoStatus_data();
    void pseudoStatus();
    void findCommand_data();
    void findCommand();
    void normalizeCommand_data();
    void normalizeCommand();
    void garbage_data();
    void garbage();
};

void TstStatusCode::tablesLoaded()
{
    QCOMPARE(StatusCode::dataError(), QString());
}

void TstStatusCode::isValid_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<bool>("valid");
    QTest::newRow("5.1.1") << u"5.1.1"_s << true;
    QTest::newRow("4.7.650-three-digit-detail") << u"4.7.650"_s << true;
    QTest::newRow("2.1.5-success") << u"2.1.5"_s << true;
    QTest::newRow("3.5.1-no-class-3") << u"3.5.1"_s << false;
    QTest::newRow("5.8.1-subject-beyond-7") << u"5.8.1"_s << false;
    QTest::newRow("5.1.1000-detail-too-long") << u"5.1.1000"_s << false;
    QTest::newRow("55.1.1-class-two-digits") << u"55.1.1"_s << false;
    QTest::newRow("5.1-two-parts") << u"5.1"_s << false;
    QTest::newRow("5.1.1.1-four-parts") << u"5.1.1.1"_s << false;
    QTest::newRow("letters") << u"5.a.1"_s << false;
    QTest::newRow("empty") << QString() << false;
}

void TstStatusCode::isValid()
{
    QFETCH(QString, code);
    QFETCH(bool, valid);
    QCOMPARE(StatusCode::isValid(code), valid);
}

void TstStatusCode::normalize_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("code");
    QTest::newRow("plain") << u"5.1.1"_s << u"5.1.1"_s;
    QTest::newRow("with-comment") << u"5.1.1 (bad destination mailbox address)"_s << u"5.1.1"_s;
    QTest::newRow("leading-spaces") << u"   4.2.2\r"_s << u"4.2.2"_s;
    QTest::newRow("hash-qmail-style") << u"#5.1.1"_s << u"5.1.1"_s;
    QTest::newRow("trailing-dot") << u"5.7.1. Denied"_s << u"5.7.1"_s;
    QTest::newRow("three-digit-detail") << u"5.7.509 Access denied"_s << u"5.7.509"_s;
    QTest::newRow("reply-code-only") << u"550"_s << QString();
    QTest::newRow("text-first") << u"failed 5.1.1"_s << QString();
    QTest::newRow("ip-address") << u"192.0.2.1"_s << QString();
    QTest::newRow("empty") << QString() << QString();
}

void TstStatusCode::normalize()
{
    QFETCH(QString, value);
    QFETCH(QString, code);
    QCOMPARE(StatusCode::normalize(value), code);
}

void TstStatusCode::find_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("code");
    QTest::newRow("after-reply-code") << u"550 5.1.1 <kijitora@example.jp>... User Unknown"_s << u"5.1.1"_s;
    QTest::newRow("after-reply-code-dash") << u"550-5.7.1 [192.0.2.1] blocked\n550-5.7.1 more text"_s << u"5.7.1"_s;
    QTest::newRow("postfix-said-with-ip")
        << u"host mx.example.jp[192.0.2.25] said: 552 5.2.2 Mailbox full (in reply to RCPT TO command)"_s
        << u"5.2.2"_s;
    QTest::newRow("trap-ip-only") << u"connect to 192.0.2.1[192.0.2.1]:25: Connection timed out"_s << QString();
    QTest::newRow("trap-ip-with-5-octet") << u"lost connection with 10.5.1.1 while sending RCPT TO"_s << QString();
    QTest::newRow("trap-longer-dotted-number") << u"reference 5.1.1.3 in our logs"_s << QString();
    QTest::newRow("trap-postfix-version") << u"ESMTP Postfix 3.5.1 (Debian) rejected"_s << QString();
    QTest::newRow("trap-exim-version-subject-94") << u"Exim 4.94.2 said hello"_s << QString();
    QTest::newRow("trap-version-word") << u"running version 4.2.1 of our filter"_s << QString();
    QTest::newRow("version-trap-then-real-code") << u"Postfix 4.2.1 said: 550 5.1.1 unknown user"_s << u"5.1.1"_s;
    QTest::newRow("prefer-code-next-to-reply")
        << u"Status 4.4.1 was seen earlier; now 550 5.1.1 user unknown"_s << u"5.1.1"_s;
    QTest::newRow("qmail-hash") << u"Sorry, no mailbox here by that name. (#5.1.1)"_s << u"5.1.1"_s;
    QTest::newRow("bare-code") << u"smtp; 5.4.7 - Delivery expired (message too old)"_s << u"5.4.7"_s;
    QTest::newRow("success-code-only") << u"250 2.1.5 Ok"_s << u"2.1.5"_s;
    QTest::newRow("failure-preferred-over-success") << u"250 2.1.5 Ok, but then 5.2.2 over quota"_s << u"5.2.2"_s;
    QTest::newRow("microsoft-three-digit")
        << u"550 5.7.509 Access denied, sending domain [EXAMPLE.JP] does not pass DMARC verification"_s
        << u"5.7.509"_s;
    QTest::newRow("no-code") << u"Unknown Recipient"_s << QString();
    QTest::newRow("empty") << QString() << QString();
}

void TstStatusCode::find()
{
    QFETCH(QString, text);
    QFETCH(QString, code);
    QCOMPARE(StatusCode::find(text), code);
}

void TstStatusCode::findReplyCode_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("code");
    QTest::newRow("line-start") << u"550 5.1.1 <kijitora@example.jp>... User Unknown"_s << u"550"_s;
    QTest::newRow("second-line-start") << u"Remote server replied:\n452 4.2.2 over quota"_s << u"452"_s;
    QTest::newRow("postfix-said-after-ip")
        << u"host mx.example.jp[192.0.2.250] said: 554 5.7.1 Relay access denied"_s << u"554"_s;
    QTest::newRow("qmail-remote-host-said")
        << u"192.0.2.250 does not like recipient. Remote host said: 552 Error: quota exceeded"_s << u"552"_s;
    QTest::newRow("sendmail-transcript") << u">>> RCPT To:<a@example.org>\n<<< 421 Too many connections"_s
                                         << u"421"_s;
    QTest::newRow("before-status-code") << u"The response was: 550-5.7.1 blocked"_s << u"550"_s;
    QTest::newRow("trap-ip-octets") << u"Connection to 192.0.2.250 and 198.51.100.4 timed out"_s << QString();
    QTest::newRow("trap-postfix-version") << u"Postfix 3.5.1 rejected it"_s << QString();
    QTest::newRow("trap-year-and-count") << u"Could not deliver for the last 432000 seconds in 2023"_s << QString();
    QTest::newRow("trap-queue-label") << u"Mail rejected OFR_506 by the queue"_s << QString();
    QTest::newRow("stand-alone-fallback") << u"Delivery failed with code 554 at the gateway"_s << u"554"_s;
    QTest::newRow("empty") << QString() << QString();
}

void TstStatusCode::findReplyCode()
{
    QFETCH(QString, text);
    QFETCH(QString, code);
    QCOMPARE(StatusCode::findReplyCode(text), code);
}

void TstStatusCode::classDigit_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<int>("digit");
    QTest::newRow("status-5") << u"5.1.1"_s << 5;
    QTest::newRow("status-4") << u"4.4.7"_s << 4;
    QTest::newRow("status-2") << u"2.1.5"_s << 2;
    QTest::newRow("reply-5") << u"550"_s << 5;
    QTest::newRow("reply-4") << u"421"_s << 4;
    QTest::newRow("not-a-class-3") << u"354"_s << 0;
    QTest::newRow("letters") << u"abc"_s << 0;
    QTest::newRow("empty") << QString() << 0;
}

void TstStatusCode::classDigit()
{
    QFETCH(QString, code);
    QFETCH(int, digit);
    QCOMPARE(StatusCode::classDigit(code), digit);
}

void TstStatusCode::temporaryPermanent_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("temporary");
    QTest::addColumn<bool>("permanent");
    QTest::newRow("status-4") << u"4.2.2"_s << true << false;
    QTest::newRow("status-5") << u"5.1.1"_s << false << true;
    QTest::newRow("reply-421") << u"421"_s << true << false;
    QTest::newRow("text-with-5xx") << u"550 5.1.1 user unknown"_s << false << true;
    QTest::newRow("text-with-4xx") << u"451 4.7.1 please try again later"_s << true << false;
    QTest::newRow("wording-temporary") << u"The server had a temporary problem"_s << true << false;
    QTest::newRow("wording-permanent") << u"This is a permanent error; giving up"_s << false << true;
    QTest::newRow("no-clue") << u"Unknown Recipient"_s << false << false;
}

void TstStatusCode::temporaryPermanent()
{
    QFETCH(QString, text);
    QFETCH(bool, temporary);
    QFETCH(bool, permanent);
    QCOMPARE(StatusCode::isTemporary(text), temporary);
    QCOMPARE(StatusCode::isPermanent(text), permanent);
}

void TstStatusCode::pseudo_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<bool>("pseudo");
    QTest::newRow("5.0.910") << u"5.0.910"_s << true;
    QTest::newRow("4.0.947") << u"4.0.947"_s << true;
    QTest::newRow("5.0.0-real") << u"5.0.0"_s << false;
    QTest::newRow("5.1.910-not-subject-0") << u"5.1.910"_s << false;
    QTest::newRow("5.7.509-real") << u"5.7.509"_s << false;
}

void TstStatusCode::pseudo()
{
    QFETCH(QString, code);
    QFETCH(bool, pseudo);
    QCOMPARE(StatusCode::isPseudo(code), pseudo);
}

void TstStatusCode::reasonFor_data()
{
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("reason");
    QTest::newRow("5.1.1-userunknown") << u"5.1.1"_s << u"userunknown"_s;
    QTest::newRow("5.1.2-hostunknown") << u"5.1.2"_s << u"hostunknown"_s;
    QTest::newRow("4.2.2-mailboxfull") << u"4.2.2"_s << u"mailboxfull"_s;
    QTest::newRow("5.2.3-exceedlimit") << u"5.2.3"_s << u"exceedlimit"_s;
    QTest::newRow("5.3.4-mesgtoobig") << u"5.3.4"_s << u"mesgtoobig"_s;
    QTest::newRow("4.4.7-expired") << u"4.4.7"_s << u"expired"_s;
    QTest::newRow("5.7.26-authfailure") << u"5.7.26"_s << u"authfailure"_s;
    QTest::newRow("5.7.25-requireptr") << u"5.7.25"_s << u"requireptr"_s;
    QTest::newRow("5.1.10-notaccept-null-mx") << u"5.1.10"_s << u"notaccept"_s;
    QTest::newRow("2.1.5-delivered") << u"2.1.5"_s << u"delivered"_s;
    QTest::newRow("with-comment") << u"5.1.1 (bad destination mailbox address)"_s << u"userunknown"_s;
    QTest::newRow("5.0.0-undecided") << u"5.0.0"_s << QString();
    QTest::newRow("5.5.1-undecided") << u"5.5.1"_s << QString();
    QTest::newRow("pseudo-not-in-table") << u"5.0.911"_s << QString();
    QTest::newRow("garbage") << u"hello"_s << QString();
}

void TstStatusCode::reasonFor()
{
    QFETCH(QString, status);
    QFETCH(QString, reason);
    QCOMPARE(StatusCode::reasonFor(status), reason);
}

void TstStatusCode::pseudoStatus_data()
{
    QTest::addColumn<QString>("reason");
    QTest::addColumn<bool>("temporary");
    QTest::addColumn<QString>("status");
    QTest::newRow("userunknown-permanent") << u"userunknown"_s << false << u"5.0.911"_s;
    QTest::newRow("userunknown-has-no-temporary") << u"userunknown"_s << true << u"5.0.911"_s;
    QTest::newRow("mailboxfull-temporary") << u"mailboxfull"_s << true << u"4.0.922"_s;
    QTest::newRow("filtered-temporary-other-detail") << u"filtered"_s << true << u"4.0.924"_s;
    QTest::newRow("filtered-permanent") << u"filtered"_s << false << u"5.0.910"_s;
    QTest::newRow("expired") << u"expired"_s << false << u"5.0.947"_s;
    QTest::newRow("undefined") << u"undefined"_s << false << u"5.0.900"_s;
    QTest::newRow("requireptr") << u"requireptr"_s << false << u"5.0.973"_s;
    QTest::newRow("unknown-reason") << u"nonsense"_s << false << QString();
    QTest::newRow("feedback-has-none") << u"feedback"_s << false << QString();
}

void TstStatusCode::pseudoStatus()
{
    QFETCH(QString, reason);
    QFETCH(bool, temporary);
    QFETCH(QString, status);
    const QString got = StatusCode::pseudoStatus(reason, temporary);
    QCOMPARE(got, status);
    if (!got.isEmpty())
        QVERIFY(StatusCode::isPseudo(got));
}

void TstStatusCode::findCommand_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("command");
    QTest::newRow("postfix-rcpt") << u"550 5.1.1 unknown (in reply to RCPT TO command)"_s << u"RCPT"_s;
    QTest::newRow("postfix-end-of-data") << u"554 rejected (in reply to end of DATA command)"_s << u"DATA"_s;
    QTest::newRow("postfix-mail-from") << u"553 bad sender (in reply to MAIL FROM command)"_s << u"MAIL"_s;
    QTest::newRow("exim-after-rcpt")
        << u"SMTP error from remote mail server after RCPT TO:<a@example.jp>: 550 unknown"_s << u"RCPT"_s;
    QTest::newRow("exim-after-pipelined-mail")
        << u"SMTP error from remote mail server after pipelined MAIL FROM:<a@example.jp>: 550"_s << u"MAIL"_s;
    QTest::newRow("exim-after-end-of-data") << u"SMTP error from remote mail server after end of data: 550"_s
                                            << u"DATA"_s;
    QTest::newRow("exim-initial-connection")
        << u"SMTP error from remote mail server after initial connection: 554 go away"_s << u"CONN"_s;
    QTest::newRow("postfix-greeting") << u"host mx.example.jp[192.0.2.1] refused to talk to me: 550 blocked"_s
                                      << u"CONN"_s;
    QTest::newRow("sendmail-transcript-last")
        << u">>> MAIL From:<a@example.org>\n<<< 250 ok\n>>> RCPT To:<b@example.jp>\n<<< 550 unknown"_s
        << u"RCPT"_s;
    QTest::newRow("lost-connection-while-sending")
        << u"lost connection with mx.example.jp[192.0.2.1] while sending end of data -- message may be sent more than once"_s
        << u"DATA"_s;
    QTest::newRow("none") << u"550 5.1.1 User unknown"_s << QString();
    QTest::newRow("empty") << QString() << QString();
}

void TstStatusCode::findCommand()
{
    QFETCH(QString, text);
    QFETCH(QString, command);
    QCOMPARE(StatusCode::findCommand(text), command);
}

void TstStatusCode::normalizeCommand_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("command");
    QTest::newRow("rcpt-to") << u"RCPT TO"_s << u"RCPT"_s;
    QTest::newRow("lower-mail-from") << u"mail from"_s << u"MAIL"_s;
    QTest::newRow("end-of-data") << u"end of DATA"_s << u"DATA"_s;
    QTest::newRow("bdat") << u"BDAT"_s << u"DATA"_s;
    QTest::newRow("ehlo") << u"EHLO"_s << u"EHLO"_s;
    QTest::newRow("lhlo-is-ehlo") << u"LHLO"_s << u"EHLO"_s;
    QTest::newRow("helo") << u"HELO"_s << u"HELO"_s;
    QTest::newRow("conn") << u"CONN"_s << u"CONN"_s;
    QTest::newRow("unknown") << u"NOOP"_s << QString();
}

void TstStatusCode::normalizeCommand()
{
    QFETCH(QString, value);
    QFETCH(QString, command);
    QCOMPARE(StatusCode::normalizeCommand(value), command);
}

void TstStatusCode::garbage_data()
{
    QTest::addColumn<QString>("text");
    QString digits;
    for (int i = 0; i < 20000; ++i)
        digits += u"5.1."_s;
    QTest::newRow("dotted-digits-80k") << digits;
    QString random;
    auto* rng = QRandomGenerator::global();
    for (int i = 0; i < 100000; ++i)
        random += QChar(static_cast<char16_t>(rng->bounded(1, 0xD7FF)));
    QTest::newRow("random-unicode-100k") << random;
    QTest::newRow("nul-and-controls") << QString::fromUtf16(u"\0\x01\x02 550\0 5.1.1\r\n\t>>> RCPT", 23);
    QTest::newRow("many-arrows") << QString(50000, u'>');
}

void TstStatusCode::garbage()
{
    QFETCH(QString, text);
    QElapsedTimer timer;
    timer.start();
    const QString status = StatusCode::find(text);
    const QString reply = StatusCode::findReplyCode(text);
    const QString command = StatusCode::findCommand(text);
    // Only "no crash, bounded time, well-formed output": results are either empty or valid.
    QVERIFY(status.isEmpty() || StatusCode::isValid(status));
    QVERIFY(reply.isEmpty() || reply.size() == 3);
    QVERIFY(command.isEmpty() || !StatusCode::normalizeCommand(command).isEmpty());
    QVERIFY2(timer.elapsed() < 5000, "extraction must stay fast on hostile input");
}

QTEST_GUILESS_MAIN(TstStatusCode)
#include "tst_status_code.moc"
