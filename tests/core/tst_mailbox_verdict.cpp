// SPDX-License-Identifier: GPL-3.0-or-later
// Who wrote a bounce, from the bounce alone: our own hosts, a hosted smarthost outside our
// domains that the quoted original's Received chain shows taking our submission, or a
// receiving system further on. Reports are built here; the wording of each Received field is
// what Postfix, Exim, Sendmail and webmail systems write.
#include <QTest>

#include "core/fate/fate_engine.h"
#include "core/fate/mailbox_verdict.h"

using namespace bi::core;
using namespace Qt::StringLiterals;

class TstMailboxVerdict final : public QObject {
    Q_OBJECT
private slots:
    void writerAndFate_data();
    void writerAndFate();
    void ownHostNeedsNoChain();
    void anonymousNoticeReadByItsWording_data();
    void anonymousNoticeReadByItsWording();
    void webmailMadeTheMessageId();
    void microsoft365ReceivingTenantDespiteItsMessageId();
    void writerLearnedFromOtherNotices();
    void forwardTargetsFailureIsFiledUnderTheMailedAddress();
};

namespace {

// A notice to news@shop.example about bob@remote.test, written by reportingMta.
// received {"-"}: the original's headers are not quoted at all.
store::BounceRow notice(const QString& reportingMta, const QStringList& received, const QString& diagnostic,
                        const QString& status)
{
    store::BounceRow row;
    row.report.kind = bounce::MessageKind::Bounce;
    row.report.reportingMta = reportingMta;
    row.report.to = u"news@shop.example"_s;
    if (received != QStringList{u"-"_s}) {
        row.report.original.from = u"News <news@shop.example>"_s;
        row.report.original.messageId = u"m1@shop.example"_s;
        row.report.original.received = received;
    }
    bounce::BounceRecipient r;
    r.recipient = u"bob@remote.test"_s;
    r.action = u"failed"_s;
    r.status = status;
    r.diagnostic = diagnostic;
    row.report.recipients = {r};
    return row;
}

const QString kRefused = u"host mx.remote.test[203.0.113.9] said: 550 5.1.1 <bob@remote.test>: User unknown "
                         u"(in reply to RCPT TO command)"_s;

} // namespace

void TstMailboxVerdict::writerAndFate_data()
{
    QTest::addColumn<QString>("writer");
    QTest::addColumn<QStringList>("received");
    QTest::addColumn<QString>("diagnostic");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("submission");
    QTest::addColumn<QString>("fate");

    QTest::newRow("hosted-postfix-authenticated")
        << u"smtp3.hostingco.net"_s
        << QStringList{u"from app.shop.example (app.shop.example [198.51.100.4]) by smtp3.hostingco.net (Postfix) "
                       u"with ESMTPSA id 4QyVtS1kM3z9rxB for <bob@remote.test>; Mon,  3 Mar 2025 10:00:01 +0100 (CET)"_s}
        << kRefused << u"5.1.1"_s << u"ESMTPSA"_s << u"rejected"_s;
    QTest::newRow("hosted-exim-authenticated-gave-up")
        << u"out.mailhost.example.net"_s
        << QStringList{u"from [198.51.100.4] (helo=laptop) by smtp.mailhost.example.net with esmtpsa (TLS1.3) tls "
                       u"TLS_AES_256_GCM_SHA384 (Exim 4.96) (envelope-from <news@shop.example>) id 1tXyZa-000123-AB "
                       u"for bob@remote.test; Mon, 03 Mar 2025 10:00:01 +0100"_s}
        << u"retry timeout exceeded"_s << u"4.0.0"_s << u"esmtpsa"_s << u"expired"_s;
    QTest::newRow("hosted-sendmail-authenticated-own-relay-below")
        << u"relay.isp.example"_s
        << QStringList{u"from mail.shop.example (mail.shop.example [198.51.100.5]) (authenticated bits=0) by "
                       u"relay.isp.example (8.15.2/8.15.2) with ESMTPSA id 524ACx1M002201 for <bob@remote.test>; "
                       u"Mon, 3 Mar 2025 10:00:02 +0100"_s,
                       u"from app1 (localhost [127.0.0.1]) by mail.shop.example (Postfix) with ESMTP id 7A1C43E0F2; "
                       u"Mon,  3 Mar 2025 10:00:01 +0100 (CET)"_s,
                       u"by app1.ec2.internal (Postfix, from userid 33) id 11AA22BB33; Mon,  3 Mar 2025 10:00:00 "
                       u"+0100 (CET)"_s}
        << kRefused << u"5.1.1"_s << u"ESMTPSA"_s << u"rejected"_s;
    QTest::newRow("webmail-local-submission")
        << u"corp.mail.example"_s
        << QStringList{u"by f424.i.mail.example with local (envelope-from <news@shop.example>) id 1d5YTR-0003mG-Cu; "
                       u"Mon, 03 Mar 2025 10:00:01 +0300"_s}
        << u"550 5.1.1 <bob@remote.test>... User Unknown"_s << u"5.1.1"_s << u"local"_s << u"rejected"_s;
    // The receiving MX bounces after accepting: below its stamp, our hosted smarthost's.
    QTest::newRow("receiving-mx-after-hosted-smarthost")
        << u"mx.remote.test"_s
        << QStringList{u"from smtp3.hostingco.net (smtp3.hostingco.net [192.0.2.7]) by mx.remote.test with ESMTPS id "
                       u"88AA99; Mon, 3 Mar 2025 10:00:03 +0100"_s,
                       u"from app.shop.example (app.shop.example [198.51.100.4]) by smtp3.hostingco.net (Postfix) "
                       u"with ESMTPSA id 4QyVtS1kM3z9rxB; Mon,  3 Mar 2025 10:00:01 +0100 (CET)"_s}
        << u"550 5.2.2 Mailbox full"_s << u"5.2.2"_s << QString() << u"async_bounce"_s;
    // The recipient's system forwards through its own authenticated relay, which is refused:
    // the message had reached the receiving side first.
    QTest::newRow("forwarder-authenticated-after-delivery")
        << u"out.forwarder.test"_s
        << QStringList{u"from mx.remote.test (mx.remote.test [203.0.113.9]) by out.forwarder.test with ESMTPSA id "
                       u"77CC; Mon, 3 Mar 2025 10:00:05 +0100"_s,
                       u"from mail.shop.example (mail.shop.example [198.51.100.5]) by mx.remote.test with ESMTPS id "
                       u"66DD; Mon, 3 Mar 2025 10:00:03 +0100"_s}
        << kRefused << u"5.1.1"_s << QString() << u"async_bounce"_s;
    // Relayed for our address without authentication: a receiving MX writes the same stamp, so
    // the chain cannot tell; the rule keeps to "not one of our hosts".
    QTest::newRow("unauthenticated-relay-undecided")
        << u"mx.remote.test"_s
        << QStringList{u"from mail.shop.example (mail.shop.example [198.51.100.5]) by mx.remote.test with ESMTPS id "
                       u"66DD; Mon, 3 Mar 2025 10:00:03 +0100"_s}
        << u"550 5.2.2 Mailbox full"_s << u"5.2.2"_s << QString() << u"async_bounce"_s;
    QTest::newRow("no-quoted-headers")
        << u"smtp3.hostingco.net"_s << QStringList{u"-"_s} << kRefused << u"5.1.1"_s << QString() << u"async_bounce"_s;
    // Headers quoted without any Received field say nothing either way.
    QTest::newRow("headers-without-received-undecided")
        << u"mx.remote.test"_s << QStringList() << u"550 5.2.2 Mailbox full"_s << u"5.2.2"_s << QString()
        << u"async_bounce"_s;
    // One provider under two names: Gmail's notice from googlemail.com, the submission to
    // smtp.gmail.com; Microsoft 365's mailbox owner submits over MAPI.
    QTest::newRow("provider-alias-gmail")
        << u"googlemail.com"_s
        << QStringList{u"from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41]) by mx.google.com "
                       u"with SMTPS id a1sor2; Tue, 02 Jul 2024 01:30:00 -0700 (PDT)"_s,
                       u"from laptop ([198.51.100.4]) by smtp.gmail.com with ESMTPSA id b2sm3; Tue, 02 Jul 2024 "
                       u"01:29:59 -0700 (PDT)"_s}
        << u"421 4.7.0 Try again later, closing connection. retry timeout exceeded"_s << u"4.7.0"_s << u"ESMTPSA"_s
        << u"expired"_s;
    QTest::newRow("microsoft-365-mapi-submission")
        << u"as8pr07mb8190.eurprd07.prod.outlook.com"_s
        << QStringList{u"from AS8PR07MB8190.eurprd07.prod.outlook.com ([fe80::1]) by AS8PR07MB8190.eurprd07.prod."
                       u"outlook.com ([fe80::1%5]) with mapi id 15.20.7452.049; Tue, 2 Jul 2024 08:30:00 +0000"_s}
        << u"Remote Server returned '550 5.1.1 <bob@remote.test>: Recipient address rejected'"_s << u"5.1.1"_s
        << u"mapi"_s << u"rejected"_s;
    // Our tenant took it over MAPI, then the receiving tenant's inbound edge took it from our
    // tenant's outbound edge: the receiving tenant wrote the notice, after accepting.
    QTest::newRow("microsoft-365-receiving-tenant")
        << u"am0pr04mb4490.eurprd01.prod.outlook.com"_s
        << QStringList{u"from DB9PR06CA0044.eurprd01.prod.outlook.com (2603:10a6:208:ce::79) by "
                       u"AM0PR04MB4490.eurprd01.prod.outlook.com (2603:10a6:20b:b60::cc) with Microsoft SMTP Server "
                       u"(version=TLS1_2) id 15.20.7386.17; Sat, 9 Mar 2024 14:14:37 +0000"_s,
                       u"from EUR03-AM5-obe.outbound.protection.outlook.com (40.107.40.238) by "
                       u"PKJ4EUR03FT041.mail.protection.outlook.com (10.152.185.53) with Microsoft SMTP Server "
                       u"(version=TLS1_3) id 15.20.7386.28 via Frontend Transport; Sat, 9 Mar 2024 14:14:37 +0000"_s,
                       u"from AM0PR02MB2452.eurprd09.prod.outlook.com ([fe80::5369]) by "
                       u"AM0PR02MB2452.eurprd09.prod.outlook.com ([fe80::64f6%5]) with mapi id 15.20.7386.017; "
                       u"Sat, 9 Mar 2024 14:14:00 +0000"_s}
        << u"Remote Server returned '554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException'"_s
        << u"5.2.2"_s << QString() << u"async_bounce"_s;
    // A short organisation name under a country code (web.de, gmx.de, wp.pl) is one provider:
    // its submission host and its outbound host are one side.
    QTest::newRow("webmail-short-name-under-country-code")
        << u"mout.web.de"_s
        << QStringList{u"from [192.168.1.2] ([198.51.100.4]) by smtp.web.de (mrweb106 [213.165.67.124]) with ESMTPSA "
                       u"(Nemesis) id 1M8QWA-1rWz9k0abc-00AbCd for <bob@remote.test>; Tue, 02 Jul 2024 10:00:01 +0200"_s}
        << kRefused << u"5.1.1"_s << u"ESMTPSA"_s << u"rejected"_s;
    // qmail's "Giving up on IP" after a refusal is permanent, not the queue lifetime.
    QTest::newRow("qmail-giving-up-on-host-is-a-refusal")
        << u"smtp.isp2.example"_s
        << QStringList{u"from unknown (HELO app) (198.51.100.4) by smtp.isp2.example with ESMTPA; 3 Mar 2025 "
                       u"09:00:00 -0000"_s}
        << u"203.0.113.81 does not like recipient. Remote host said: 550 5.1.1 <bob@remote.test>: User unknown "
           u"Giving up on 203.0.113.81."_s
        << u"5.1.1"_s << u"ESMTPA"_s << u"rejected"_s;
}

void TstMailboxVerdict::writerAndFate()
{
    QFETCH(QString, writer);
    QFETCH(QStringList, received);
    QFETCH(QString, diagnostic);
    QFETCH(QString, status);
    QFETCH(QString, submission);
    QFETCH(QString, fate);
    const store::BounceRow row = notice(writer, received, diagnostic, status);
    fate::OwnIdentity own;
    own.learnFromAddress(u"news@shop.example"_s);

    const fate::NoticeWriter w = fate::MailboxVerdictRule::noticeWriter(row.report);
    QCOMPARE(w.host, writer);
    QCOMPARE(w.submission, submission);
    const fate::MailboxVerdict v = fate::MailboxVerdictRule::decide(row, own);
    QCOMPARE(store::fateName(v.fate), fate);
    QCOMPARE(v.writtenByUs, !submission.isEmpty());
    QVERIFY2(v.evidence.join(u' ').contains(writer), qPrintable(v.evidence.join(u" | "_s)));
}

// A notice that names nobody (no Reporting-MTA, From "MAILER-DAEMON <>", as the DragonFly
// Mail Agent writes them) is read by what it reports.
void TstMailboxVerdict::anonymousNoticeReadByItsWording_data()
{
    QTest::addColumn<QString>("diagnostic");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("fate");
    QTest::newRow("dma-refused-rcpt")
        << u"mx.remote.test [203.0.113.9] did not like our RCPT TO: 550 5.1.1 <bob@remote.test>: User unknown"_s
        << u"userunknown"_s << QString() << u"rejected"_s;
    QTest::newRow("decoder-named-the-command")
        << u"550 5.7.26 Unauthenticated email is not accepted"_s << u"authfailure"_s << u"DATA"_s << u"rejected"_s;
    QTest::newRow("domain-did-not-resolve")
        << u"DNS lookup failure: host remote.test not found"_s << u"hostunknown"_s << QString() << u"rejected"_s;
    QTest::newRow("mailbox-full-says-nothing-of-a-dialogue")
        << u"Mailbox full"_s << u"mailboxfull"_s << QString() << u"async_bounce"_s;
}

void TstMailboxVerdict::anonymousNoticeReadByItsWording()
{
    QFETCH(QString, diagnostic);
    QFETCH(QString, reason);
    QFETCH(QString, command);
    QFETCH(QString, fate);
    store::BounceRow row = notice(QString(), {u"-"_s}, diagnostic, u"5.0.0"_s);
    row.report.recipients.first().reason = reason;
    row.report.recipients.first().smtpCommand = command;
    fate::OwnIdentity own;
    own.learnFromAddress(u"news@shop.example"_s);
    const fate::MailboxVerdict v = fate::MailboxVerdictRule::decide(row, own);
    QCOMPARE(store::fateName(v.fate), fate);
}

void TstMailboxVerdict::ownHostNeedsNoChain()
{
    // Our own domain's smarthost is ours whatever the notice quotes.
    const store::BounceRow row = notice(u"mx-out1.shop.example"_s, {}, kRefused, u"5.1.1"_s);
    fate::OwnIdentity own;
    own.learnFromAddress(u"news@shop.example"_s);
    const fate::MailboxVerdict v = fate::MailboxVerdictRule::decide(row, own);
    QVERIFY(v.writtenByUs);
    QCOMPARE(store::fateName(v.fate), u"rejected"_s);
}

void TstMailboxVerdict::webmailMadeTheMessageId()
{
    // Gmail's web interface: no Received field in the quoted original, the Message-ID is Gmail's.
    store::BounceRow row = notice(u"googlemail.com"_s, {}, u"550 5.1.1 <bob@remote.test>: User unknown"_s, u"5.1.1"_s);
    row.report.original.messageId = u"CAHGIkGCxsvTKqhhxm@mail.gmail.com"_s;
    fate::OwnIdentity own;
    own.learnFromAddress(u"news@shop.example"_s);
    QCOMPARE(fate::MailboxVerdictRule::noticeWriter(row.report).submission, u"message-id"_s);
    QCOMPARE(store::fateName(fate::MailboxVerdictRule::decide(row, own).fate), u"rejected"_s);
    // The receiving side quoting our own Message-ID is still the receiving side.
    row.report.reportingMta = u"mx.remote.test"_s;
    row.report.original.messageId = u"m1@shop.example"_s;
    QCOMPARE(store::fateName(fate::MailboxVerdictRule::decide(row, own).fate), u"async_bounce"_s);
    // Composed in Gmail's app but sent through our relay, which handed it to Google's MX: Google
    // received it like any receiving side, whoever made the Message-ID.
    row = notice(u"googlemail.com"_s,
                 {u"from relay.shop.example (relay.shop.example [198.51.100.10]) by mx.google.com with ESMTPS id "
                  u"a1si123; Wed, 01 Apr 2026 14:35:15 -0700 (PDT)"_s,
                  u"from [10.0.1.17] (helo=pc17) by relay.shop.example with esmtpa (Exim 4.97) id 1w8C2E; "
                  u"Wed, 01 Apr 2026 23:35:12 +0200"_s},
                 u"The recipient's inbox is out of storage space."_s, u"5.2.2"_s);
    row.report.original.messageId = u"CAeNvrObRx5v4UnUYHxiUO@mail.gmail.com"_s;
    QCOMPARE(fate::MailboxVerdictRule::noticeWriter(row.report).submission, QString());
    QCOMPARE(store::fateName(fate::MailboxVerdictRule::decide(row, own).fate), u"async_bounce"_s);
}

void TstMailboxVerdict::microsoft365ReceivingTenantDespiteItsMessageId()
{
    // Both tenants in Microsoft 365: the original's Message-ID has the provider's names too.
    const QString writer = u"am0pr04mb4490.eurprd01.prod.outlook.com"_s;
    const QString submission = u"from AM0PR02MB2452.eurprd09.prod.outlook.com ([fe80::5369]) by "
                               u"AM0PR02MB2452.eurprd09.prod.outlook.com ([fe80::64f6%5]) with mapi id 15.20.7386.017; "
                               u"Sat, 9 Mar 2024 14:14:00 +0000"_s;
    const QString inboundEdge = u"from EUR03-AM5-obe.outbound.protection.outlook.com (40.107.40.238) by "
                                u"PKJ4EUR03FT041.mail.protection.outlook.com (10.152.185.53) with Microsoft SMTP "
                                u"Server id 15.20.7386.28 via Frontend Transport; Sat, 9 Mar 2024 14:14:37 +0000"_s;
    fate::OwnIdentity own;
    own.learnFromAddress(u"news@shop.example"_s);
    store::BounceRow row = notice(writer, {submission}, u"550 5.7.1 Message rejected as spam"_s, u"5.7.1"_s);
    row.report.original.messageId = u"AM0PR06MB9033KEAGGWYY236F2A@AM0PR02MB2452.eurprd09.prod.outlook.com"_s;
    // Our tenant's own notice: it made the Message-ID and quotes no inbound edge.
    QCOMPARE(store::fateName(fate::MailboxVerdictRule::decide(row, own).fate), u"rejected"_s);
    // Also when its way out passed the provider's frontend transport hosts.
    row.report.original.received = {u"from AM0PR02MB2452.eurprd09.prod.outlook.com (10.152.250.56) by "
                                    u"SG2APC01FT009.mail.protection.outlook.com (10.152.250.158) with Microsoft SMTP "
                                    u"Server id 15.20.1038.3 via Frontend Transport; Sat, 9 Mar 2024 14:14:01 +0000"_s,
                                    submission};
    QCOMPARE(store::fateName(fate::MailboxVerdictRule::decide(row, own).fate), u"rejected"_s);
    // The receiving tenant's: the message came in from our tenant's outbound edge.
    row.report.original.received = {inboundEdge, submission};
    const fate::NoticeWriter w = fate::MailboxVerdictRule::noticeWriter(row.report);
    QVERIFY(w.foreignFirst);
    QCOMPARE(w.submission, QString());
    QCOMPARE(store::fateName(fate::MailboxVerdictRule::decide(row, own).fate), u"async_bounce"_s);
    // Also for a sender on outlook.com, whose own domain Microsoft's host names are in.
    fate::OwnIdentity outlookUser;
    outlookUser.learnFromAddress(u"k.lange@outlook.com"_s);
    QVERIFY(outlookUser.isOwnHost(writer));
    QCOMPARE(store::fateName(fate::MailboxVerdictRule::decide(row, outlookUser).fate), u"async_bounce"_s);
    row.report.original.received = {submission};
    QCOMPARE(store::fateName(fate::MailboxVerdictRule::decide(row, outlookUser).fate), u"rejected"_s);
}

void TstMailboxVerdict::writerLearnedFromOtherNotices()
{
    fate::OwnIdentity own;
    own.learnFromAddress(u"news@shop.example"_s);
    const QStringList submitted{u"from pc.shop.example (dsl-1.isp.test [198.51.100.4]) by mail.hoster.test (Postfix) "
                                u"with ESMTPSA id 4AB1 for <bob@remote.test>"_s};
    fate::WriterLearning writers;
    // One notice that shows the hoster taking our submission is not enough; two are.
    writers.see(fate::MailboxVerdictRule::noticeWriter(notice(u"mail.hoster.test"_s, submitted, kRefused, u"5.1.1"_s).report));
    const store::BounceRow bare = notice(u"mail.hoster.test"_s, {u"-"_s}, u"550 5.1.1 User unknown"_s, u"5.1.1"_s);
    QVERIFY(writers.apply(fate::MailboxVerdictRule::noticeWriter(bare.report)).submission.isEmpty());
    writers.see(fate::MailboxVerdictRule::noticeWriter(notice(u"mail.hoster.test"_s, submitted, kRefused, u"5.1.1"_s).report));
    // A notice of it that quotes nothing but its SMTP dialogue is ours.
    const store::BounceRow dialogue = notice(u"mail.hoster.test"_s, {u"-"_s}, kRefused, u"5.1.1"_s);
    fate::NoticeWriter w = writers.apply(fate::MailboxVerdictRule::noticeWriter(dialogue.report));
    QCOMPARE(w.submission, u"learned"_s);
    fate::MailboxVerdict v = fate::MailboxVerdictRule::decide(dialogue.report.recipients.constFirst(), w, own);
    QCOMPARE(store::fateName(v.fate), u"rejected"_s);
    QVERIFY(v.evidence.join(u' ').contains(u"other notices show taking our submissions"_s));
    // One that reads like a receiving system's (accepted, then a group refused the post) is not.
    const store::BounceRow group = notice(u"mail.hoster.test"_s, {u"-"_s},
                                          u"You do not have permission to post to this group"_s, u"5.0.0"_s);
    w = writers.apply(fate::MailboxVerdictRule::noticeWriter(group.report));
    QCOMPARE(store::fateName(fate::MailboxVerdictRule::decide(group.report.recipients.constFirst(), w, own).fate),
             u"async_bounce"_s);
    // A chain that shows another organisation first is not overruled.
    const store::BounceRow forwarded = notice(
        u"mail.hoster.test"_s,
        {u"from mx.other.test (mx.other.test [203.0.113.1]) by mail.hoster.test with ESMTP id 1"_s,
         u"from pc.other.test (pc.other.test [203.0.113.2]) by mx.other.test with ESMTP id 2"_s},
        kRefused, u"5.1.1"_s);
    const fate::NoticeWriter fw = fate::MailboxVerdictRule::noticeWriter(forwarded.report);
    QVERIFY(fw.foreignFirst);
    QVERIFY(writers.apply(fw).submission.isEmpty());
}

void TstMailboxVerdict::forwardTargetsFailureIsFiledUnderTheMailedAddress()
{
    // qmail at the mailed address's domain forwarded billing@ to another provider, which refused.
    store::BounceRow row = notice(u""_s, {u"-"_s}, u"550 5.1.1 <billing.smith@web.test>: User unknown"_s, u"5.1.1"_s);
    row.report.from = u"MAILER-DAEMON@smtp.kestrel.test"_s;
    row.report.original.from = u"news@shop.example"_s;
    row.report.original.to = u"billing@kestrel.test, peggy@cedar.example"_s;
    row.report.recipients.first().recipient = u"billing.smith@web.test"_s;
    QCOMPARE(fate::FateEngine::forwardedFrom(row.report), u"billing@kestrel.test"_s);
    QCOMPARE(fate::FateEngine::mailedRecipient(row.report), u"billing@kestrel.test"_s);
    // A Bcc'd colleague of the To address (same organisation) is no forward.
    row.report.recipients.first().recipient = u"carol@kestrel.test"_s;
    QVERIFY(fate::FateEngine::forwardedFrom(row.report).isEmpty());
    // Nor is a failure the notice writer's domain does not explain.
    row.report.recipients.first().recipient = u"billing.smith@web.test"_s;
    row.report.from = u"MAILER-DAEMON@mx.web.test"_s;
    QVERIFY(fate::FateEngine::forwardedFrom(row.report).isEmpty());
    // Nor an alias on our own side, nor a notice that names the original recipient itself.
    row.report.from = u"MAILER-DAEMON@mx-out.shop.example"_s;
    row.report.original.to = u"team@shop.example"_s;
    QVERIFY(fate::FateEngine::forwardedFrom(row.report).isEmpty());
    row.report.from = u"MAILER-DAEMON@smtp.kestrel.test"_s;
    row.report.original.to = u"billing@kestrel.test"_s;
    row.report.recipients.first().originalRecipient = u"billing@kestrel.test"_s;
    QVERIFY(fate::FateEngine::forwardedFrom(row.report).isEmpty());
    QCOMPARE(fate::FateEngine::mailedRecipient(row.report), u"billing@kestrel.test"_s);
}

QTEST_GUILESS_MAIN(TstMailboxVerdict)
#include "tst_mailbox_verdict.moc"
