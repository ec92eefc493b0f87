// SPDX-License-Identifier: GPL-3.0-or-later
// The standard formats: RFC 3464 field groups and reports, ARF, RFC 3834, and how the
// parser fills kind, status, reply code, reason and the quoted original.
#include <QTest>

#include "core/bounce/bounce_parser.h"
#include "core/bounce/field_group.h"

using namespace Qt::StringLiterals;
using bi::core::bounce::BounceParser;
using bi::core::bounce::BounceReport;
using bi::core::bounce::FieldGroupParser;
using bi::core::bounce::MessageKind;

namespace {

QByteArray dsn(const QByteArray& humanText, const QByteArray& statusBody, const QByteArray& original = {})
{
    QByteArray m = "From: MAILER-DAEMON@mx.example.org\nTo: sender@example.com\nSubject: Undelivered Mail\n"
                   "Message-ID: <dsn-1@mx.example.org>\nDate: Mon, 2 Mar 2026 10:00:00 +0100\nMIME-Version: 1.0\n"
                   "Content-Type: multipart/report; report-type=delivery-status; boundary=\"XX\"\n\n--XX\n"
                   "Content-Type: text/plain\n\n"
                   + humanText + "\n--XX\nContent-Type: message/delivery-status\n\n" + statusBody;
    if (!original.isEmpty())
        m += "\n--XX\nContent-Type: message/rfc822\n\n" + original;
    return m + "\n--XX--\n";
}

} // namespace

class TstDsnParser final : public QObject {
    Q_OBJECT
private slots:
    void fieldGroups_data();
    void fieldGroups();
    void typedValues_data();
    void typedValues();
    void mtaNamesLoseTheirComments();
    void perRecipientResults();
    void actionsGiveKinds_data();
    void actionsGiveKinds();
    void statusFromDiagnosticWhenFieldMissing();
    void originalFromRfc822Part();
    void originalFromHeadersPart();
    void originalQuotedAsText_data();
    void originalQuotedAsText();
    void brokenMimeStillFindsFields();
    void arfFeedbackReport();
    void autoReplyIsNotABounce();
    void ordinaryMailIsOther();
    void garbageNeverCrashes_data();
    void garbageNeverCrashes();
};

void TstDsnParser::fieldGroups_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("groups");
    QTest::addColumn<QString>("diagnostic");
    QTest::newRow("two-groups-blank-line") << QByteArray("Reporting-MTA: dns; a\n\nFinal-Recipient: rfc822; x@y\n"
                                                         "Diagnostic-Code: smtp; 550 no\n")
                                           << 2 << u"smtp; 550 no"_s;
    QTest::newRow("folded-value-unfolded") << QByteArray("Final-Recipient: rfc822; x@y\nDiagnostic-Code: smtp; 550\n"
                                                         "   user unknown\n")
                                           << 1 << u"smtp; 550 user unknown"_s;
    QTest::newRow("crlf-and-stray-text") << QByteArray("Final-Recipient: rfc822; x@y\r\nthis is not a field\r\n"
                                                       "Diagnostic-Code: smtp; 451 later\r\n\r\n")
                                         << 1 << u"smtp; 451 later"_s;
}

void TstDsnParser::fieldGroups()
{
    QFETCH(QByteArray, body);
    QFETCH(int, groups);
    QFETCH(QString, diagnostic);
    const auto parsed = FieldGroupParser::parse(body);
    QCOMPARE(parsed.size(), groups);
    QCOMPARE(parsed.constLast().value("diagnostic-code"), diagnostic);
}

void TstDsnParser::typedValues_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("stripped");
    QTest::newRow("rfc822-address") << u"rfc822; <User@Example.COM>"_s << u"rfc822"_s << u"User@Example.COM"_s;
    QTest::newRow("dns-host") << u"DNS; mx.example.net"_s << u"dns"_s << u"mx.example.net"_s;
    QTest::newRow("no-type") << u"550 user unknown; see x"_s << QString() << u"550 user unknown; see x"_s;
    QTest::newRow("utf8-address-rfc6533") << u"utf-8; jörg@bücher.example"_s << u"utf-8"_s << u"jörg@bücher.example"_s;
}

void TstDsnParser::typedValues()
{
    QFETCH(QString, value);
    QFETCH(QString, type);
    QFETCH(QString, stripped);
    QCOMPARE(FieldGroupParser::typeOf(value), type);
    QCOMPARE(FieldGroupParser::stripType(value), stripped);
}

void TstDsnParser::mtaNamesLoseTheirComments()
{
    // Oracle Communications Messaging Server (iCloud) names its channel after the host.
    QCOMPARE(FieldGroupParser::mtaName(u"dns;p49-mailgateway.example.com (tcp_intranet-daemon)"_s),
             u"p49-mailgateway.example.com"_s);
    QCOMPARE(FieldGroupParser::mtaName(u"dns;mx.example.net (TCP|17.57.1.1|43210|192.0.2.1|25) (mx.example.net ESMTP)"_s),
             u"mx.example.net"_s);
    QCOMPARE(FieldGroupParser::mtaName(u"dns; [192.0.2.7]"_s), u"[192.0.2.7]"_s);
    // The report's host is the name, whichever decoder reads it.
    const BounceReport r = BounceParser::parse(dsn(
        "One recipient failed.",
        "Reporting-MTA: dns;relay.example.org (tcp_intranet-daemon)\n\n"
        "Final-Recipient: rfc822; one@example.net\nAction: failed\nStatus: 5.1.1\n"
        "Remote-MTA: dns;mx.example.net (mx.example.net ESMTP)\nDiagnostic-Code: smtp; 550 5.1.1 unknown\n"));
    QCOMPARE(r.reportingMta, u"relay.example.org"_s);
    QCOMPARE(r.recipients.size(), 1);
    QCOMPARE(r.recipients.constFirst().remoteMta, u"mx.example.net"_s);
}

void TstDsnParser::perRecipientResults()
{
    const BounceReport r = BounceParser::parse(dsn(
        "Two recipients failed.",
        "Reporting-MTA: dns; mx.example.org\nX-Postfix-Queue-ID: 4F2A1C\nOriginal-Envelope-Id: env-77\n"
        "Arrival-Date: Mon, 2 Mar 2026 09:59:00 +0100\n\n"
        "Final-Recipient: rfc822; one@example.net\nOriginal-Recipient: rfc822; alias@example.net\nAction: failed\n"
        "Status: 5.1.1\nRemote-MTA: dns; mx.example.net\nDiagnostic-Code: smtp; 550 5.1.1 <one@example.net>: "
        "Recipient address rejected: User unknown\n\n"
        "Final-Recipient: rfc822; two@example.net\nAction: failed\nStatus: 5.2.2\nRemote-MTA: dns; mx.example.net\n"
        "Diagnostic-Code: smtp; 552 5.2.2 Mailbox full\nLast-Attempt-Date: Mon, 2 Mar 2026 10:00:00 +0100\n"));
    QCOMPARE(r.family, u"rfc3464"_s);
    QCOMPARE(r.kind, MessageKind::Bounce);
    QCOMPARE(r.reportingMta, u"mx.example.org"_s);
    QCOMPARE(r.queueId, u"4F2A1C"_s);
    QCOMPARE(r.envelopeId, u"env-77"_s);
    QCOMPARE(r.bounceMessageId, u"dsn-1@mx.example.org"_s);
    QCOMPARE(r.date.offsetFromUtc(), 3600);
    QCOMPARE(r.recipients.size(), 2);
    QCOMPARE(r.recipients[0].recipient, u"one@example.net"_s);
    QCOMPARE(r.recipients[0].originalRecipient, u"alias@example.net"_s);
    QCOMPARE(r.recipients[0].status, u"5.1.1"_s);
    QCOMPARE(r.recipients[0].replyCode, u"550"_s);
    QCOMPARE(r.recipients[0].reason, u"userunknown"_s);
    QVERIFY(r.recipients[0].hardBounce);
    QCOMPARE(r.recipients[0].remoteMta, u"mx.example.net"_s);
    QCOMPARE(r.recipients[1].recipient, u"two@example.net"_s);
    QCOMPARE(r.recipients[1].reason, u"mailboxfull"_s);
    QVERIFY(!r.recipients[1].hardBounce);
    QCOMPARE(r.recipients[1].lastAttempt, u"Mon, 2 Mar 2026 10:00:00 +0100"_s);
}

void TstDsnParser::actionsGiveKinds_data()
{
    QTest::addColumn<QByteArray>("action");
    QTest::addColumn<QByteArray>("status");
    QTest::addColumn<int>("kind");
    QTest::newRow("failed-is-bounce") << QByteArray("failed") << QByteArray("5.0.0") << int(MessageKind::Bounce);
    QTest::newRow("delayed-is-delay") << QByteArray("delayed") << QByteArray("4.4.1") << int(MessageKind::Delay);
    QTest::newRow("delivered-is-delivered") << QByteArray("delivered") << QByteArray("2.0.0") << int(MessageKind::Delivered);
    QTest::newRow("relayed-is-delivered") << QByteArray("relayed") << QByteArray("2.0.0") << int(MessageKind::Delivered);
}

void TstDsnParser::actionsGiveKinds()
{
    QFETCH(QByteArray, action);
    QFETCH(QByteArray, status);
    QFETCH(int, kind);
    const BounceReport r = BounceParser::parse(
        dsn("Report.", "Reporting-MTA: dns; a.example\n\nFinal-Recipient: rfc822; x@example.net\nAction: " + action
                           + "\nStatus: " + status + "\n"));
    QCOMPARE(r.recipients.size(), 1);
    QCOMPARE(int(r.recipients[0].kind), kind);
    QCOMPARE(int(r.kind), kind);
}

void TstDsnParser::statusFromDiagnosticWhenFieldMissing()
{
    const BounceReport r = BounceParser::parse(dsn(
        "x", "Reporting-MTA: dns; a.example\n\nFinal-Recipient: rfc822; x@example.net\nAction: failed\n"
             "Diagnostic-Code: smtp; 550-5.7.1 Message rejected by policy at 192.0.2.1\n"));
    QCOMPARE(r.recipients[0].status, u"5.7.1"_s);
    QCOMPARE(r.recipients[0].replyCode, u"550"_s);
}

void TstDsnParser::originalFromRfc822Part()
{
    const BounceReport r = BounceParser::parse(
        dsn("x", "Reporting-MTA: dns; a.example\n\nFinal-Recipient: rfc822; x@example.net\nAction: failed\nStatus: 5.1.1\n",
            "From: Sender <sender@example.com>\nTo: x@example.net\nSubject: =?UTF-8?B?R3LDvMOfZQ==?=\n"
            "Message-ID: <orig-42@example.com>\n\nbody\n"));
    QCOMPARE(r.original.messageId, u"orig-42@example.com"_s);
    QCOMPARE(r.original.subject, u"Grüße"_s);
    QVERIFY(r.original.from.contains(u"sender@example.com"_s));
}

void TstDsnParser::originalFromHeadersPart()
{
    QByteArray m = dsn("x", "Reporting-MTA: dns; a.example\n\nFinal-Recipient: rfc822; x@example.net\nAction: failed\n"
                            "Status: 5.1.1\n");
    m.replace("--XX--", "--XX\nContent-Type: text/rfc822-headers\n\nMessage-ID: <hdr-7@example.com>\nTo: x@example.net\n\n--XX--");
    QCOMPARE(BounceParser::parse(m).original.messageId, u"hdr-7@example.com"_s);
}

// qmail, Exim and others copy the original into the body as text: its header block is read
// as headers, found by its Message-ID line or, without one, by its first Received line.
void TstDsnParser::originalQuotedAsText_data()
{
    QTest::addColumn<QByteArray>("copy");
    QTest::addColumn<QString>("messageId");
    QTest::addColumn<int>("received");
    const QByteArray block = "Return-Path: <anna@shop.example>\nReceived: from [192.0.2.9] (unknown [192.0.2.9])\n"
                             "\tby mx.example.net with ESMTP id 5BE7\n\tfor <lena@example.net>; Mon, 2 Mar 2026 08:00:00 +0000\n"
                             "From: \"anna\" <anna@shop.example>\nTo: lena@example.net\nSubject: Replica watches\n"
                             "Date: Mon, 2 Mar 2026 16:00:00 +0800\n";
    QTest::newRow("with Message-ID") << block + "Message-ID: <spam-1@desktop-X>\n\nBuy now!\n" << u"spam-1@desktop-X"_s << 1;
    QTest::newRow("without Message-ID") << block + "\nBuy now!\n" << QString() << 1;
    QTest::newRow("indented: the id only") << QByteArray("   Subject: Replica watches\n   Message-ID: <spam-2@x.example>\n")
                                           << u"spam-2@x.example"_s << 0;
}

void TstDsnParser::originalQuotedAsText()
{
    QFETCH(QByteArray, copy);
    QFETCH(QString, messageId);
    QFETCH(int, received);
    const QByteArray m = "From: MAILER-DAEMON@mx.example.net\nTo: anna@shop.example\nSubject: failure notice\n"
                         "Message-ID: <bounce-1@mx.example.net>\nDate: Mon, 2 Mar 2026 10:00:00 +0100\n\n"
                         "Hi. This is the qmail-send program at mx.example.net.\nI'm afraid I wasn't able to deliver your "
                         "message to the following addresses.\nThis is a permanent error; I've given up. Sorry it didn't "
                         "work out.\n\n<lena@example.net>:\nSorry, no mailbox here by that name. (#5.1.1)\n\n"
                         "--- Below this line is a copy of the message.\n\n"
        + copy;
    const BounceReport r = BounceParser::parse(m);
    QCOMPARE(r.recipients.size(), 1);
    QCOMPARE(r.original.messageId, messageId);
    QCOMPARE(r.original.received.size(), received);
    if (received) {
        QCOMPARE(r.original.subject, u"Replica watches"_s);
        QCOMPARE(r.original.date, u"Mon, 2 Mar 2026 16:00:00 +0800"_s);
        QVERIFY(r.original.from.contains(u"anna@shop.example"_s));
        QVERIFY(r.original.received.constFirst().startsWith(u"from [192.0.2.9]"_s));
    } else {
        QVERIFY(r.original.subject.isEmpty());
    }
}

void TstDsnParser::brokenMimeStillFindsFields()
{
    // The boundary parameter names a string that never occurs: the fields sit in the text.
    const QByteArray m = "From: MAILER-DAEMON@a.example\nSubject: Returned mail\nMIME-Version: 1.0\n"
                         "Content-Type: multipart/report; report-type=delivery-status; boundary=\"NOPE\"\n\n"
                         "Reporting-MTA: dns; a.example\n\nFinal-Recipient: rfc822; lost@example.net\nAction: failed\n"
                         "Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 unknown user\n";
    const BounceReport r = BounceParser::parse(m);
    QCOMPARE(r.recipients.size(), 1);
    QCOMPARE(r.recipients[0].recipient, u"lost@example.net"_s);
    QCOMPARE(r.recipients[0].status, u"5.1.1"_s);
}

void TstDsnParser::arfFeedbackReport()
{
    const QByteArray m = "From: fbl@isp.example\nTo: abuse@example.com\nSubject: FW: complaint\nMIME-Version: 1.0\n"
                         "Content-Type: multipart/report; report-type=feedback-report; boundary=\"F\"\n\n--F\n"
                         "Content-Type: text/plain\n\nThis is an email abuse report.\n--F\n"
                         "Content-Type: message/feedback-report\n\nFeedback-Type: abuse\nVersion: 1\n"
                         "Source-IP: 192.0.2.9\nOriginal-Rcpt-To: <one@isp.example>\nOriginal-Rcpt-To: <two@isp.example>\n"
                         "--F\nContent-Type: message/rfc822\n\nMessage-ID: <spam-1@example.com>\nTo: one@isp.example\n\nhi\n--F--\n";
    const BounceReport r = BounceParser::parse(m);
    QCOMPARE(r.family, u"arf"_s);
    QCOMPARE(r.kind, MessageKind::Feedback);
    QCOMPARE(r.recipients.size(), 2);
    QCOMPARE(r.recipients[1].recipient, u"two@isp.example"_s);
    QCOMPARE(r.recipients[0].feedbackType, u"abuse"_s);
    QCOMPARE(r.recipients[0].reason, u"feedback"_s);
    QCOMPARE(r.recipients[0].remoteMta, u"192.0.2.9"_s);
    QCOMPARE(r.original.messageId, u"spam-1@example.com"_s);
}

void TstDsnParser::autoReplyIsNotABounce()
{
    const QByteArray m = "From: Anna <anna@example.net>\nTo: sender@example.com\nSubject: Automatic reply: Offer\n"
                         "Auto-Submitted: auto-replied\nContent-Type: text/plain; charset=utf-8\n\n"
                         "I am out of the office until Monday.\n";
    const BounceReport r = BounceParser::parse(m);
    QCOMPARE(r.family, u"rfc3834"_s);
    QCOMPARE(r.kind, MessageKind::AutoReply);
    QCOMPARE(r.recipients.size(), 1);
    QCOMPARE(r.recipients[0].recipient, u"anna@example.net"_s);
    QCOMPARE(r.recipients[0].reason, u"vacation"_s);
    QVERIFY(r.recipients[0].diagnostic.contains(u"out of the office"_s));
}

void TstDsnParser::ordinaryMailIsOther()
{
    const BounceReport r = BounceParser::parse("From: a@example.com\nTo: b@example.com\nSubject: lunch?\n\nat noon\n");
    QCOMPARE(r.kind, MessageKind::Other);
    QVERIFY(r.recipients.isEmpty());
}

void TstDsnParser::garbageNeverCrashes_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::newRow("empty") << QByteArray();
    // The length comes from sizeof: strlen would stop at the first NUL, a count written by hand overran.
    static constexpr char kNulBytes[] = "From: a\0b@x\nContent-Type: message/delivery-status\n\n\0\0";
    QTest::newRow("nul-bytes") << QByteArray(kNulBytes, sizeof kNulBytes - 1);
    QTest::newRow("only-fields-no-values") << QByteArray("Final-Recipient:\nAction:\nStatus:\n");
    QTest::newRow("huge-diagnostic") << dsn("x", "Final-Recipient: rfc822; x@example.net\nAction: failed\nDiagnostic-Code: smtp; 550 "
                                                 + QByteArray(2 * 1024 * 1024, 'A') + "\n");
    QTest::newRow("many-recipients") << dsn("x", [] {
        QByteArray b = "Reporting-MTA: dns; a.example\n";
        for (int i = 0; i < 5000; ++i)
            b += "\nFinal-Recipient: rfc822; u" + QByteArray::number(i) + "@example.net\nAction: failed\nStatus: 5.1.1\n";
        return b;
    }());
}

void TstDsnParser::garbageNeverCrashes()
{
    QFETCH(QByteArray, input);
    QElapsedTimer clock;
    clock.start();
    const BounceReport r = BounceParser::parse(input);
    QVERIFY(clock.elapsed() < 20000);
    for (const auto& rcpt : r.recipients)
        QVERIFY(!rcpt.reason.isEmpty());
}

QTEST_GUILESS_MAIN(TstDsnParser)
#include "tst_dsn_parser.moc"
