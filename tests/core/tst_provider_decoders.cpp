// SPDX-License-Identifier: GPL-3.0-or-later
// Decoders for bounces written by mail providers and sending services
// (core/bounce/decoders/provider): detection, recipients and the fields each format states,
// before the reason classifier runs. Fixtures are hand-written in tests/data/bounce/provider.
#include <QElapsedTimer>
#include <QFile>
#include <QTest>

#include "core/bounce/bounce_decoder.h"
#include "core/bounce/decoder_registry.h"
#include "core/mail/mime_adapter.h"

using namespace Qt::StringLiterals;
using bi::core::bounce::BounceReport;
using bi::core::bounce::DecodeContext;
using bi::core::bounce::DecoderRegistry;

class TstProviderDecoders final : public QObject {
    Q_OBJECT
private slots:
    void decodes_data();
    void decodes();
    void otherFormatsAreLeftAlone_data();
    void otherFormatsAreLeftAlone();
    void snsNotificationKeepsOriginalHeaders();
    void providersComeBeforeGenericDecoders();
    void hostileInputIsSafe_data();
    void hostileInputIsSafe();
};

namespace {

// Columns whose expected value is kSkip are not checked (the format does not state them).
const QString kSkip = u"-"_s;

QByteArray fixture(const QString& name)
{
    QFile f(QStringLiteral(BI_TEST_DATA_DIR "/bounce/provider/") + name);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

std::optional<BounceReport> decode(const QByteArray& raw)
{
    const bi::core::mail::MimePart root = bi::core::mail::MimeAdapter::parse(raw);
    const DecodeContext ctx(raw, root);
    return DecoderRegistry::instance().decode(ctx);
}

const QStringList& providerFamilies()
{
    static const QStringList families = {
        u"gmail"_s,    u"googlegroups"_s, u"gsuite"_s,   u"yahoo"_s,       u"aol"_s,      u"outlook"_s,
        u"office365"_s, u"amazonses"_s,   u"amazonworkmail"_s, u"receivingses"_s, u"sendgrid"_s, u"zoho"_s,
        u"yandex"_s,   u"mailru"_s,       u"gmx"_s,      u"einsundeins"_s, u"facebook"_s, u"verizon"_s,
        u"ezweb"_s,    u"kddi"_s,         u"biglobe"_s,
    };
    return families;
}

} // namespace

void TstProviderDecoders::decodes_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("family");
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("recipient");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("replyCode");
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("reasonHint");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("diagnostic"); // a part of the diagnostic
    QTest::addColumn<QString>("remoteMta");

    // Gmail: the remote reply follows "The error that the other server returned was:"; the quoted
    // original's second recipient is not a bounced one.
    QTest::newRow("gmail-remote-reply-after-marker-original-ignored")
        << u"gmail-permanent.eml"_s << u"gmail"_s << 1 << 0 << u"nobody@example.org"_s << u"5.1.1"_s
        << u"550"_s << kSkip << QString() << u"bounce"_s << u"550 5.1.1 <nobody@example.org>... User Unknown"_s
        << u"mx1.example.org"_s;
    QTest::newRow("gmail-state-code-names-command-and-reason")
        << u"gmail-state-code.eml"_s << u"gmail"_s << 1 << 0 << u"filtered@example.net"_s << u"5.7.0"_s
        << u"554"_s << u"DATA"_s << u"filtered"_s << u"bounce"_s << u"5.7.0 Header error (state 18)"_s << QString();
    QTest::newRow("gmail-delay-notice-is-a-delay-that-expires")
        << u"gmail-delayed.eml"_s << u"gmail"_s << 1 << 0 << u"slow@example.org"_s << QString() << QString()
        << kSkip << u"expired"_s << u"delay"_s << u"Technical details of temporary failure"_s << QString();
    // G Suite: "Status: 5.0.0" with the more specific reply in the notice.
    QTest::newRow("gsuite-notice-reply-refines-vague-status")
        << u"gsuite-vague-status.eml"_s << u"gsuite"_s << 1 << 0 << u"gone@example.net"_s << u"5.1.0"_s
        << u"550"_s << kSkip << QString() << u"bounce"_s << u"550 #5.1.0 Address rejected."_s
        << u"mx.example.net"_s;
    QTest::newRow("gsuite-null-mx-is-notaccept")
        << u"gsuite-null-mx.eml"_s << u"gsuite"_s << 1 << 0 << u"user@nullmx.example"_s << u"4.0.0"_s
        << QString() << kSkip << u"notaccept"_s << u"bounce"_s << u"returned Null MX"_s << QString();
    // Google Groups: four bullet lines in any language; the original's "Cc: * ..." is not one.
    QTest::newRow("googlegroups-four-bullets-in-french-is-rejected")
        << u"googlegroups-french.eml"_s << u"googlegroups"_s << 1 << 0 << u"team-list@groups.example.org"_s
        << QString() << QString() << kSkip << u"rejected"_s << u"bounce"_s << u"Bonjour sender@example.com"_s
        << QString();
    QTest::newRow("yahoo-command-tag-gives-command")
        << u"yahoo-two-recipients.eml"_s << u"yahoo"_s << 2 << 0 << u"first@example.org"_s << u"5.1.1"_s
        << u"550"_s << u"RCPT"_s << QString() << u"bounce"_s << u"550 5.1.1 <first@example.org>... User Unknown"_s
        << QString();
    QTest::newRow("yahoo-second-recipient-has-its-own-reply")
        << u"yahoo-two-recipients.eml"_s << u"yahoo"_s << 2 << 1 << u"second@example.net"_s << u"4.2.2"_s
        << u"452"_s << u"DATA"_s << QString() << u"bounce"_s << u"452 4.2.2 Mailbox over quota"_s << QString();
    QTest::newRow("aol-fields-without-blank-lines-give-two-recipients")
        << u"aol-fields-without-blank-lines.eml"_s << u"aol"_s << 2 << 1 << u"unknown@example.org"_s
        << u"5.1.1"_s << u"550"_s << kSkip << QString() << u"bounce"_s
        << u"550 5.1.1 <unknown@example.org>... User Unknown"_s << u"mx.example.org"_s;
    QTest::newRow("outlook-mailbox-unavailable-is-userunknown")
        << u"outlook-mailbox-unavailable.eml"_s << u"outlook"_s << 1 << 0 << u"closed@example.com"_s << u"5.5.0"_s
        << u"550"_s << kSkip << u"userunknown"_s << u"bounce"_s
        << u"Requested action not taken: mailbox unavailable"_s << QString();
    QTest::newRow("office365-text-only-ndr-quotes-remote-reply")
        << u"office365-text-only.eml"_s << u"office365"_s << 1 << 0 << u"missing@tenant.example"_s
        << u"5.1.10"_s << u"550"_s << kSkip << u"userunknown"_s << u"bounce"_s
        << u"550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup"_s << QString();
    QTest::newRow("office365-extended-status-names-reason")
        << u"office365-dsn-extended-status.eml"_s << u"office365"_s << 1 << 0 << u"user@dnsfail.example"_s
        << u"5.4.312"_s << u"550"_s << kSkip << u"networkerror"_s << u"bounce"_s
        << u"550 5.4.312 Message expired, DNS query failed"_s << QString();
    // Amazon SES
    QTest::newRow("amazonses-sns-bounce-type-names-reason")
        << u"amazonses-sns-bounce.eml"_s << u"amazonses"_s << 2 << 1 << u"also-full@example.net"_s << u"5.2.2"_s
        << u"552"_s << kSkip << u"mailboxfull"_s << u"bounce"_s
        << u"552 5.2.2 Quota exceeded (mailbox for user is full)"_s << QString();
    QTest::newRow("amazonses-sns-complaint-is-feedback")
        << u"amazonses-sns-complaint.eml"_s << u"amazonses"_s << 1 << 0 << u"annoyed@example.net"_s << QString()
        << QString() << QString() << u"feedback"_s << u"feedback"_s << QString() << QString();
    QTest::newRow("amazonses-sns-delivery-is-delivered")
        << u"amazonses-sns-delivery.eml"_s << u"amazonses"_s << 1 << 0 << u"happy@example.org"_s << u"2.6.0"_s
        << u"250"_s << kSkip << u"delivered"_s << u"delivered"_s << u"250 2.6.0 Message received"_s << QString();
    QTest::newRow("amazonses-quoted-remote-status-replaces-vague-one")
        << u"amazonses-quoted-remote-status.eml"_s << u"amazonses"_s << 1 << 0 << u"full@example.org"_s
        << u"5.2.2"_s << u"552"_s << kSkip << QString() << u"bounce"_s << u"Mailbox Full"_s << u"[192.0.2.222]"_s;
    QTest::newRow("amazonworkmail-bracketed-remote-reply-is-the-diagnostic")
        << u"amazonworkmail-bracketed-reply.eml"_s << u"amazonworkmail"_s << 1 << 0 << u"away@example.net"_s
        << u"4.4.2"_s << u"421"_s << kSkip << u"expired"_s << u"bounce"_s << u"421 4.4.2 Connection timed out"_s
        << QString();
    QTest::newRow("receivingses-rule-text-overrides-status")
        << u"receivingses-rule-text.eml"_s << u"receivingses"_s << 1 << 0 << u"nosuch@inbound.example.com"_s
        << u"5.1.1"_s << u"550"_s << kSkip << u"filtered"_s << u"bounce"_s << u"Mailbox does not exist"_s
        << QString();
    QTest::newRow("sendgrid-action-expired-is-expired")
        << u"sendgrid-expired.eml"_s << u"sendgrid"_s << 1 << 0 << u"slowpoke@example.org"_s << QString()
        << QString() << QString() << u"expired"_s << u"bounce"_s << u"Connection timed out"_s << QString();
    QTest::newRow("zoho-error-code-labels-removed")
        << u"zoho-error-codes.eml"_s << u"zoho"_s << 2 << 0 << u"full@example.co.jp"_s << u"5.2.2"_s << u"552"_s
        << QString() << QString() << u"bounce"_s << u"552 5.2.2 <full@example.co.jp>... Mailbox Full"_s << QString();
    QTest::newRow("zoho-reply-without-status")
        << u"zoho-error-codes.eml"_s << u"zoho"_s << 2 << 1 << u"closed@example.org"_s << QString() << u"550"_s
        << QString() << QString() << u"bounce"_s << u"550 Requested action not taken: mailbox unavailable"_s
        << QString();
    QTest::newRow("yandex-rcpt-command-from-postfix-notice")
        << u"yandex-command-from-notice.eml"_s << u"yandex"_s << 2 << 0 << u"gone@example.jp"_s << u"5.1.1"_s
        << u"550"_s << u"RCPT"_s << QString() << u"bounce"_s << u"User Unknown"_s << u"mx.example.jp"_s;
    QTest::newRow("yandex-data-command-from-postfix-notice")
        << u"yandex-command-from-notice.eml"_s << u"yandex"_s << 2 << 1 << u"spam@example.net"_s << u"5.7.1"_s
        << u"554"_s << u"DATA"_s << QString() << u"bounce"_s << u"Message rejected as spam"_s << u"mx.example.net"_s;
    // Mail.Ru: the Russian block names the recipient without its domain; only the English one counts.
    QTest::newRow("mailru-english-notice-remote-reply")
        << u"mailru-host-reply.eml"_s << u"mailru"_s << 1 << 0 << u"gone@example.jp"_s << u"5.1.1"_s << u"550"_s
        << u"RCPT"_s << QString() << u"bounce"_s << u"550 5.1.1 <gone@example.jp>... User Unknown"_s
        << u"mx.example.jp"_s;
    QTest::newRow("mailru-mail-from-refusal-is-rejected")
        << u"mailru-mail-from.eml"_s << u"mailru"_s << 2 << 0 << u"someone@example.jp"_s << u"5.1.8"_s << u"501"_s
        << u"MAIL"_s << u"rejected"_s << u"bounce"_s << u"501 5.1.8 Sender address rejected"_s
        << u"mx.example.jp"_s;
    QTest::newRow("mailru-unrouteable-is-hostunknown")
        << u"mailru-mail-from.eml"_s << u"mailru"_s << 2 << 1 << u"nowhere@nxdomain.example"_s << QString()
        << QString() << QString() << u"hostunknown"_s << u"bounce"_s << u"Unrouteable address"_s << QString();
    QTest::newRow("gmx-reply-line-with-host-and-command")
        << u"gmx-reason-line.eml"_s << u"gmx"_s << 2 << 0 << u"full@example.jp"_s << u"5.2.2"_s << QString()
        << u"RCPT"_s << QString() << u"bounce"_s << u"5.2.2 <full@example.jp>... Mailbox Full"_s
        << u"mx.example.jp"_s;
    QTest::newRow("gmx-reason-line-retry-timeout-is-expired")
        << u"gmx-reason-line.eml"_s << u"gmx"_s << 2 << 1 << u"late@example.org"_s << QString() << QString()
        << QString() << u"expired"_s << u"bounce"_s << u"delivery retry timeout exceeded"_s << QString();
    QTest::newRow("einsundeins-size-limit-is-mesgtoobig")
        << u"einsundeins-size-limit.eml"_s << u"einsundeins"_s << 1 << 0 << u"big@example.org"_s << QString()
        << QString() << QString() << u"mesgtoobig"_s << u"bounce"_s << u"Mail size limit exceeded."_s << QString();
    QTest::newRow("einsundeins-smtp-error-gives-host-and-data")
        << u"einsundeins-smtp-error.eml"_s << u"einsundeins"_s << 1 << 0 << u"rejected@example.fr"_s << u"5.2.0"_s
        << u"550"_s << u"DATA"_s << QString() << u"bounce"_s
        << u"550 5.2.0 Mail rejete. Mail rejected. ofr_506 [506]"_s << u"smtp-in.example.fr"_s;
    QTest::newRow("facebook-response-code-names-reason")
        << u"facebook-response-code.eml"_s << u"facebook"_s << 1 << 0 << u"picky@facebook.example"_s << u"5.1.1"_s
        << u"550"_s << kSkip << u"filtered"_s << u"bounce"_s << u"RCP-P2"_s << QString();
    QTest::newRow("verizon-sms-recipient-from-rcpt-to")
        << u"verizon-sms.eml"_s << u"verizon"_s << 1 << 0 << u"5550100@vtext.example"_s << QString() << u"550"_s
        << kSkip << u"userunknown"_s << u"bounce"_s << u"550 - Requested action not taken: no such user here"_s
        << QString();
    QTest::newRow("verizon-mms-recipient-from-original-to")
        << u"verizon-mms.eml"_s << u"verizon"_s << 1 << 0 << u"5550100@vzwpix.example"_s << QString() << QString()
        << kSkip << u"userunknown"_s << u"bounce"_s << u"No valid recipients for this MM"_s << QString();
    QTest::newRow("ezweb-rcpt-transcript-is-userunknown")
        << u"ezweb-rcpt-transcript.eml"_s << u"ezweb"_s << 1 << 0 << u"nobody@ezweb.example"_s << QString()
        << u"550"_s << u"RCPT"_s << u"userunknown"_s << u"bounce"_s << u"550 <nobody@ezweb.example>: User unknown"_s
        << QString();
    QTest::newRow("ezweb-spasign-ng-is-filtered")
        << u"ezweb-spasign-filtered.eml"_s << u"ezweb"_s << 1 << 0 << u"blocked-by-filter@ezweb.example"_s
        << QString() << QString() << kSkip << u"filtered"_s << u"bounce"_s << u"rejected by a remote mail server"_s
        << QString();
    QTest::newRow("kddi-mailbox-full")
        << u"kddi-mailbox-full.eml"_s << u"kddi"_s << 1 << 0 << u"full@dion.example"_s << QString() << QString()
        << kSkip << u"mailboxfull"_s << u"bounce"_s << u"As their mailbox is full."_s << QString();
    QTest::newRow("biglobe-mailbox-limit-is-mailboxfull")
        << u"biglobe-mailbox-limit.eml"_s << u"biglobe"_s << 1 << 0 << u"full@mx.biglobe.example"_s << QString()
        << QString() << kSkip << u"mailboxfull"_s << u"bounce"_s
        << u"The number of messages in recipient's mailbox exceeded the local limit."_s << QString();
}

void TstProviderDecoders::decodes()
{
    QFETCH(QString, file);
    QFETCH(QString, family);
    QFETCH(int, count);
    QFETCH(int, index);
    QFETCH(QString, recipient);
    QFETCH(QString, status);
    QFETCH(QString, replyCode);
    QFETCH(QString, command);
    QFETCH(QString, reasonHint);
    QFETCH(QString, kind);
    QFETCH(QString, diagnostic);
    QFETCH(QString, remoteMta);

    const QByteArray raw = fixture(file);
    QVERIFY2(!raw.isEmpty(), qPrintable(file));
    const std::optional<BounceReport> report = decode(raw);
    QVERIFY(report);
    QCOMPARE(report->family, family);
    QCOMPARE(report->recipients.size(), count);
    const auto& r = report->recipients.at(index);
    QCOMPARE(r.recipient, recipient);
    QCOMPARE(r.status, status);
    QCOMPARE(r.replyCode, replyCode);
    if (command != kSkip)
        QCOMPARE(r.smtpCommand, command);
    QCOMPARE(r.reason, reasonHint);
    QCOMPARE(bi::core::bounce::kindName(r.kind), kind);
    QVERIFY2(r.diagnostic.contains(diagnostic), qPrintable(r.diagnostic));
    QVERIFY2(!r.diagnostic.contains(u'\n'), "diagnostic is unfolded");
    QCOMPARE(r.remoteMta, remoteMta);
}

void TstProviderDecoders::otherFormatsAreLeftAlone_data()
{
    QTest::addColumn<QString>("file");
    // Exim writes 1&1's From and Subject but not its "header of the original message" line.
    QTest::newRow("exim-bounce-is-not-einsundeins") << u"exim-plain.eml"_s;
    // On-premises Exchange writes "Undeliverable:" and an empty X-MS-Exchange-Message-Is-Ndr
    // but none of Exchange Online's headers.
    QTest::newRow("onpremises-exchange-ndr-is-not-office365") << u"exchange-onprem-ndr.eml"_s;
}

void TstProviderDecoders::otherFormatsAreLeftAlone()
{
    QFETCH(QString, file);
    const QByteArray raw = fixture(file);
    QVERIFY2(!raw.isEmpty(), qPrintable(file));
    const std::optional<BounceReport> report = decode(raw);
    if (report)
        QVERIFY2(!providerFamilies().contains(report->family), qPrintable(report->family));
}

void TstProviderDecoders::snsNotificationKeepsOriginalHeaders()
{
    // The SNS mail wraps the JSON with "!" at the line end; the Message-ID header name is split.
    const std::optional<BounceReport> report = decode(fixture(u"amazonses-sns-bounce.eml"_s));
    QVERIFY(report);
    QCOMPARE(report->original.messageId, u"ses-original@example.com"_s);
    QCOMPARE(report->original.subject, u"Newsletter"_s);
    QCOMPARE(report->reportingMta, u"a27-23.smtp-out.us-west-2.amazonses.com"_s);
    QCOMPARE(report->recipients.at(0).recipient, u"full@example.org"_s);
}

void TstProviderDecoders::providersComeBeforeGenericDecoders()
{
    const QStringList families = DecoderRegistry::instance().families();
    const qsizetype generic = families.indexOf(u"rfc3464"_s);
    QVERIFY(generic >= 0);
    for (const QString& f : providerFamilies()) {
        const qsizetype at = families.indexOf(f);
        QVERIFY2(at >= 0, qPrintable(f));
        QVERIFY2(at < generic, qPrintable(f));
    }
}

void TstProviderDecoders::hostileInputIsSafe_data()
{
    QTest::addColumn<QByteArray>("raw");
    const QStringList files = {
        u"gmail-permanent.eml"_s,      u"gsuite-vague-status.eml"_s,   u"googlegroups-french.eml"_s,
        u"yahoo-two-recipients.eml"_s, u"office365-text-only.eml"_s,   u"amazonses-sns-bounce.eml"_s,
        u"amazonworkmail-bracketed-reply.eml"_s, u"zoho-error-codes.eml"_s, u"mailru-host-reply.eml"_s,
        u"gmx-reason-line.eml"_s,      u"einsundeins-smtp-error.eml"_s, u"verizon-mms.eml"_s,
        u"ezweb-rcpt-transcript.eml"_s, u"kddi-mailbox-full.eml"_s,    u"biglobe-mailbox-limit.eml"_s,
    };
    for (const QString& f : files) {
        const QByteArray raw = fixture(f);
        // Cut inside the headers, at the body start, and in the middle of the notice.
        for (qsizetype cut : {raw.size() / 5, raw.indexOf("\n\n") + 2, raw.size() / 2, raw.size() - 7})
            QTest::addRow("%s-truncated-at-%lld", qPrintable(f), static_cast<long long>(cut)) << raw.left(cut);
        QByteArray withNul = raw;
        withNul.replace("\n\n", QByteArray("\n\n\0\0\r\r", 6));
        QTest::addRow("%s-with-nul-bytes", qPrintable(f)) << withNul;
    }
    // Provider headers over bodies that are not what the decoders expect.
    QByteArray sns = "x-amz-sns-message-id: 1\nContent-Type: text/plain\n\n{\"notificationType\":\"Bounce\",\"bounce\":";
    QTest::newRow("sns-truncated-json") << sns;
    QTest::newRow("sns-json-of-wrong-types")
        << QByteArray("x-amz-sns-message-id: 1\n\n{\"notificationType\":\"Bounce\",\"bounce\":{\"bouncedRecipients\":"
                      "[1,\"x\",null,{\"emailAddress\":[]}]}}");
    QTest::newRow("sns-deeply-nested-json")
        << (QByteArray("x-amz-sns-message-id: 1\n\n{\"Message\":") + QByteArray(100000, '[') + QByteArray(100000, ']')
            + '}');
    QTest::newRow("yahoo-header-binary-body") << (QByteArray("X-YMailISG: x\n\nSorry, we were unable to deliver your "
                                                            "message\n<a@")
                                                  + QByteArray(2000, '\xff') + ">:\nRemote host said: 550");
    QTest::newRow("office365-signs-huge-line")
        << (QByteArray("Subject: Undeliverable: x\nX-MS-Exchange-CrossTenant-FromEntityHeader: Hosted\n\n"
                       "Delivery has failed to these recipients or groups:\n")
            + QByteArray(1 << 20, 'a') + "@b<mailto:");
    QTest::newRow("ezweb-many-recipients")
        << (QByteArray("From: Postmaster@ezweb.ne.jp\nSubject: Mail System Error - Returned Mail\n\n")
            + QByteArray("<u@ezweb.example>\n").repeated(5000));
}

void TstProviderDecoders::hostileInputIsSafe()
{
    QFETCH(QByteArray, raw);
    QElapsedTimer timer;
    timer.start();
    const std::optional<BounceReport> report = decode(raw);
    QVERIFY2(timer.elapsed() < 10000, "bounded time");
    if (!report)
        return;
    for (const auto& r : report->recipients)
        QVERIFY2(r.recipient.contains(u'@'), qPrintable(r.recipient));
}

QTEST_GUILESS_MAIN(TstProviderDecoders)

#include "tst_provider_decoders.moc"
