// SPDX-License-Identifier: GPL-3.0-or-later
// Local delivery agents' errors quoted in a DSN's human-readable part (core/bounce/lda_notice.h),
// and the DSN decoder letting them replace the Diagnostic-Code (as Sisimai::MDA).
#include <QTest>

#include "core/bounce/bounce_parser.h"
#include "core/bounce/lda_notice.h"

using namespace Qt::StringLiterals;
using namespace bi::core::bounce;

class TstLdaNotice final : public QObject {
    Q_OBJECT
private slots:
    void agents_data();
    void agents();
    void dsnTakesTheAgentsError();
    void dsnWithoutAgentKeepsItsDiagnostic();
};

void TstLdaNotice::agents_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("agent");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("reason");
    QTest::newRow("dovecot") << u"Hello.\n\nYour message to <ann@example.net> was automatically rejected:\n"
                                u"Quota exceeded (mailbox for user is full)\n\n-- \nPostmaster\n"_s
                             << u"dovecot"_s << u"Quota exceeded (mailbox for user is full)"_s << u"mailboxfull"_s;
    QTest::newRow("mail.local") << u"   ----- Transcript of session follows -----\n"
                                   u"mail.local: unknown user: bob\n550 5.1.1 bob... User unknown\n"_s
                                << u"mail.local"_s << u"mail.local: unknown user: bob"_s << u"userunknown"_s;
    QTest::newRow("procmail") << u"procmail: Quota exceeded while writing \"/var/mail/eve\"\n"_s << u"procmail"_s
                              << u"procmail: Quota exceeded while writing \"/var/mail/eve\""_s << u"mailboxfull"_s;
    QTest::newRow("maildrop") << u"maildrop: maildir over quota.\n"_s << u"maildrop"_s
                              << u"maildrop: maildir over quota."_s << u"mailboxfull"_s;
    // A marker whose lines hold none of the agent's known errors decides nothing.
    QTest::newRow("unknown-error") << u"Your message to <x@example.org> was automatically rejected:\n"
                                      u"Sieve script said no\n"_s
                                   << QString() << QString() << QString();
    // The error must follow the marker before the first empty line.
    QTest::newRow("after-blank") << u"Your message to <x@example.org> was automatically rejected:\n\n"
                                    u"Not enough disk space\n"_s
                                 << QString() << QString() << QString();
    QTest::newRow("no-marker") << u"Not enough disk space on the remote side\n"_s << QString() << QString()
                               << QString();
}

void TstLdaNotice::agents()
{
    QFETCH(QString, text);
    QFETCH(QString, agent);
    QFETCH(QString, message);
    QFETCH(QString, reason);
    const LdaNotice found = findLdaNotice(text);
    QCOMPARE(found.agent, agent);
    QCOMPARE(found.message, message);
    QCOMPARE(found.reason, reason);
}

namespace {

QByteArray dsn(const QByteArray& notice)
{
    return "From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example.org>\n"
           "To: <sender@example.com>\n"
           "Subject: Returned mail: see transcript for details\n"
           "Date: Mon, 02 Mar 2026 10:00:00 +0100\n"
           "MIME-Version: 1.0\n"
           "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\n\n"
           "--b1\n"
           "Content-Type: text/plain\n\n"
        + notice
        + "\n--b1\n"
          "Content-Type: message/delivery-status\n\n"
          "Reporting-MTA: dns; relay.example.org\n\n"
          "Final-Recipient: rfc822; carol@example.net\n"
          "Action: failed\n"
          "Status: 5.1.1\n"
          "Diagnostic-Code: smtp; 550 5.1.1 <carol@example.net>... User unknown\n\n"
          "--b1--\n";
}

} // namespace

void TstLdaNotice::dsnTakesTheAgentsError()
{
    const BounceReport report = BounceParser::parse(
        dsn("Your message to <carol@example.net> was automatically rejected:\nNot enough disk space\n"));
    QCOMPARE(report.recipients.size(), 1);
    const BounceRecipient& r = report.recipients.first();
    QCOMPARE(r.diagnostic, u"Not enough disk space"_s);
    QCOMPARE(r.reason, u"mailboxfull"_s);
    QCOMPARE(r.replyCode, QString()); // the agent's line has none
    QCOMPARE(r.status, u"5.1.1"_s);   // the report's own Status stays
    QVERIFY(!r.hardBounce);
}

void TstLdaNotice::dsnWithoutAgentKeepsItsDiagnostic()
{
    const BounceReport report = BounceParser::parse(dsn("The original message was received and bounced.\n"));
    QCOMPARE(report.recipients.size(), 1);
    const BounceRecipient& r = report.recipients.first();
    QCOMPARE(r.diagnostic, u"550 5.1.1 <carol@example.net>... User unknown"_s);
    QCOMPARE(r.reason, u"userunknown"_s);
    QCOMPARE(r.replyCode, u"550"_s);
    QVERIFY(r.hardBounce);
}

QTEST_GUILESS_MAIN(TstLdaNotice)
#include "tst_lda_notice.moc"
