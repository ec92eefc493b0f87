// SPDX-License-Identifier: GPL-3.0-or-later
// The MTA and appliance bounce decoders (core/bounce/decoders/mta): which family recognises a
// bounce, and what each recipient's raw fields are before the reason classifier runs.
#include <cstdio>

#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "core/bounce/bounce_decoder.h"
#include "core/bounce/decoder_registry.h"
#include "core/bounce/decoders/mta/mta_dsn.h"
#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"
#include "core/bounce/decoders/mta/register_mta_decoders.h"
#include "core/mail/mime_adapter.h"

using namespace Qt::StringLiterals;
using namespace bi::core;
using namespace bi::core::bounce;

namespace {

QByteArray fixture(const QString& name)
{
    QFile f(QString::fromUtf8(BI_MTA_TEST_DATA_DIR) + u'/' + name);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

QString orDash(const QString& s)
{
    return s.isEmpty() ? u"-"_s : s;
}

// One recipient as "address status reply command hint", '-' for an empty field: short enough
// to read a whole bounce's expectation in one test row.
QString describe(const BounceRecipient& r)
{
    return QStringList{orDash(r.recipient), orDash(r.status), orDash(r.replyCode), orDash(r.smtpCommand), orDash(r.reason)}
        .join(u' ');
}

std::optional<BounceReport> decodeWithRegistry(const QByteArray& raw)
{
    const mail::MimePart root = mail::MimeAdapter::parse(raw);
    const DecodeContext ctx(raw, root);
    return DecoderRegistry::instance().decode(ctx);
}

} // namespace

class TstMtaDecoders final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void decode_data();
    void decode();
    void kindFollowsAction_data();
    void kindFollowsAction();
    void dsnWithoutBlankLines();
    void replyCodeOfTheStatusClass_data();
    void replyCodeOfTheStatusClass();
    void preciseStatusInDiagnosticWins_data();
    void preciseStatusInDiagnosticWins();
    void multilineReplyUnfolded_data();
    void multilineReplyUnfolded();
    void sweep_data();
    void sweep();
    void familiesAreUniqueAndNamed();
    void garbage_data();
    void garbage();
};

void TstMtaDecoders::initTestCase()
{
    QVERIFY2(!fixture(u"postfix-paragraph-precise-status.eml"_s).isEmpty(), "fixtures not found");
}

void TstMtaDecoders::decode_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("family");
    QTest::addColumn<QStringList>("recipients");

    QTest::newRow("postfix-paragraph-gives-precise-status-and-command")
        << u"postfix-paragraph-precise-status.eml"_s << u"postfix"_s
        << QStringList{u"bob@example.org 5.1.1 550 RCPT -"_s, u"carol@example.com 5.2.2 552 DATA -"_s};
    QTest::newRow("postfix-report-unavailable-takes-original-to")
        << u"postfix-report-unavailable-original-to.eml"_s << u"postfix"_s
        << QStringList{u"reader@example.org - - - -"_s};
    QTest::newRow("postfix-smtpd-transcript-data-failure-hits-every-rcpt")
        << u"postfix-smtpd-transcript-data.eml"_s << u"postfix"_s
        << QStringList{u"user1@example.jp 4.3.1 452 DATA -"_s, u"user2@example.jp 4.3.1 452 DATA -"_s};
    QTest::newRow("sendmail-transcript-command-is-last-sent")
        << u"sendmail-transcript-data.eml"_s << u"sendmail"_s
        << QStringList{u"nobody@example.org 5.1.1 550 DATA -"_s};
    QTest::newRow("sendmail-subject-without-transcript-is-generic-rfc3464")
        << u"sendmail-without-transcript.eml"_s << u"rfc3464"_s << QStringList{};
    QTest::newRow("sendmail-forwarded-with-quote-marks")
        << u"sendmail-forwarded-quoted.eml"_s << u"sendmail"_s
        << QStringList{u"missing@example.org 5.1.1 550 RCPT -"_s};
    QTest::newRow("exim-plain-text-two-recipients-quoted-address-ignored")
        << u"exim-plain-text-two-recipients.eml"_s << u"exim"_s
        << QStringList{u"first@example.org 5.1.1 550 RCPT -"_s, u"second@example.com 5.7.1 554 DATA -"_s};
    QTest::newRow("exim-x-failed-recipients-header-completes-local-part")
        << u"exim-x-failed-recipients-header.eml"_s << u"exim"_s
        << QStringList{u"localpart@example.org 5.7.1 550 MAIL -"_s};
    QTest::newRow("exim-dsn-pipe-generated-by")
        << u"exim-dsn-pipe-generated-by.eml"_s << u"exim"_s
        << QStringList{u"user@example.com 5.0.0 - - systemerror"_s};
    QTest::newRow("exim-retry-timeout-exceeded-is-expired")
        << u"exim-retry-timeout-delayed-sender.eml"_s << u"exim"_s
        << QStringList{u"slow@example.org - - - expired"_s};
    QTest::newRow("qmail-plain-text-two-recipients-crlf")
        << u"qmail-plain-text-two-recipients.eml"_s << u"qmail"_s
        << QStringList{u"ghost@example.org 5.1.1 550 RCPT -"_s, u"full@example.com 5.2.2 552 RCPT -"_s};
    // Refused at MAIL FROM: no hint, the remote server's words decide (a refused sender, or the
    // sending host's reputation).
    QTest::newRow("qmail-sender-rejected-at-mail-from")
        << u"qmail-sender-rejected.eml"_s << u"qmail"_s
        << QStringList{u"friend@example.org 5.7.1 553 MAIL -"_s};
    QTest::newRow("x4-qmail-clone-with-own-first-sentence")
        << u"x4-qmail-clone.eml"_s << u"x4"_s << QStringList{u"over@example.org - - - -"_s};
    QTest::newRow("dragonfly-did-not-like-our-rcpt-to")
        << u"dragonfly-did-not-like-rcpt.eml"_s << u"dragonfly"_s
        << QStringList{u"limit@example.net 4.5.3 452 RCPT -"_s};
    QTest::newRow("courier-dialogue-gives-command")
        << u"courier-dialogue-data.eml"_s << u"courier"_s
        << QStringList{u"policy@example.com 5.7.1 554 DATA -"_s};
    QTest::newRow("opensmtpd-delayed-expired-and-no-mx")
        << u"opensmtpd-delayed-envelope-expired.eml"_s << u"opensmtpd"_s
        << QStringList{u"late@example.net - - - expired"_s, u"nomx@example.invalid - - - notaccept"_s};
    QTest::newRow("domino-because-line-names-directory")
        << u"domino-because-line.eml"_s << u"domino"_s << QStringList{u"neko@example.org - - - userunknown"_s};
    QTest::newRow("exchange2003-msexch-code-unknown-recipient")
        << u"exchange2003-msexch-code.eml"_s << u"exchange2003"_s
        << QStringList{u"absent@example.com - - - userunknown"_s};
    QTest::newRow("exchange2007-french-resolver-code")
        << u"exchange2007-french-resolver-code.eml"_s << u"exchange2007"_s
        << QStringList{u"absent@example.fr 5.1.1 550 - userunknown"_s};
    QTest::newRow("messagingserver-original-address-replaces-routed-one")
        << u"messagingserver-original-address.eml"_s << u"messagingserver"_s
        << QStringList{u"user@example.net 5.2.2 552 - -"_s};
    QTest::newRow("v5sendmail-recipient-lines-with-dialogue")
        << u"v5sendmail-recipient-lines.eml"_s << u"v5sendmail"_s
        << QStringList{u"nouser@example.org - 550 RCPT -"_s, u"x@nodomain.example - 550 - -"_s};
    QTest::newRow("mcafee-original-recipient-only-dsn")
        << u"mcafee-delivery-problems.eml"_s << u"mcafee"_s << QStringList{u"unknown@example.jp - 550 - userunknown"_s};
    QTest::newRow("x6-error-line-names-command")
        << u"x6-error-lines.eml"_s << u"x6"_s << QStringList{u"gone@example.net 5.1.1 550 RCPT -"_s};
    QTest::newRow("powermta-bounce-category-quota")
        << u"powermta-bounce-category.eml"_s << u"powermta"_s
        << QStringList{u"quota@example.com 5.2.2 552 - mailboxfull"_s};
}

void TstMtaDecoders::decode()
{
    QFETCH(QString, file);
    QFETCH(QString, family);
    QFETCH(QStringList, recipients);

    const QByteArray raw = fixture(file);
    QVERIFY2(!raw.isEmpty(), qPrintable(file));
    const std::optional<BounceReport> report = decodeWithRegistry(raw);
    QVERIFY(report.has_value());
    QCOMPARE(report->family, family);
    if (recipients.isEmpty())
        return; // only which decoder takes it is asserted
    QStringList got;
    for (const BounceRecipient& r : report->recipients)
        got << describe(r);
    QCOMPARE(got, recipients);
    for (const BounceRecipient& r : report->recipients)
        QVERIFY2(!r.diagnostic.contains(u'\n') && r.diagnostic == r.diagnostic.trimmed(), qPrintable(r.diagnostic));
}

void TstMtaDecoders::kindFollowsAction_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QList<int>>("kinds"); // per recipient
    // OpenSMTPD titles an expiry "delayed" ("delayed for more than 0 seconds", its PR #1133),
    // but "Envelope expired" says the envelope is gone: a failure; its other lines are delays.
    QTest::newRow("opensmtpd-expired-envelope-is-a-bounce")
        << u"opensmtpd-delayed-envelope-expired.eml"_s << QList<int>{int(MessageKind::Bounce), int(MessageKind::Delay)};
    QTest::newRow("postfix-failure-is-bounce") << u"postfix-paragraph-precise-status.eml"_s
                                               << QList<int>{int(MessageKind::Bounce), int(MessageKind::Bounce)};
}

void TstMtaDecoders::kindFollowsAction()
{
    QFETCH(QString, file);
    QFETCH(QList<int>, kinds);
    const std::optional<BounceReport> report = decodeWithRegistry(fixture(file));
    QVERIFY(report.has_value());
    QCOMPARE(report->recipients.size(), kinds.size());
    for (qsizetype i = 0; i < kinds.size(); ++i)
        QCOMPARE(int(report->recipients.at(i).kind), kinds.at(i));
}

void TstMtaDecoders::dsnWithoutBlankLines()
{
    // Hand-edited and broken DSNs run recipients together; every Final-Recipient starts one.
    const QStringList lines = MtaText::lines(
        u"Reporting-MTA: dns; mx.example.net\n"
        "Final-Recipient: rfc822; a@example.org\nAction: failed\nStatus: 5.1.1\n"
        "Diagnostic-Code: smtp; 550 5.1.1 unknown\n    user a\n"
        "Final-Recipient: rfc822; b@example.org\nAction: delayed\nStatus: 4.4.7\n"_s);
    BounceReport report;
    const QList<BounceRecipient> rs = MtaDsn::read(lines, report);
    QCOMPARE(rs.size(), 2);
    QCOMPARE(report.reportingMta, u"mx.example.net"_s);
    QCOMPARE(rs.at(0).recipient, u"a@example.org"_s);
    QCOMPARE(rs.at(0).diagnostic, u"550 5.1.1 unknown user a"_s);
    QCOMPARE(rs.at(1).action, u"delayed"_s);
    QCOMPARE(rs.at(1).status, u"4.4.7"_s);
}

void TstMtaDecoders::replyCodeOfTheStatusClass_data()
{
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("diagnostic");
    QTest::addColumn<QString>("reply");
    // Sendmail joins every reply of the session; the one of the status's class is the answer.
    QTest::newRow("permanent-status-skips-earlier-4xx")
        << u"5.1.6"_s << u"450 busy - please try later 551 not our customer 503 need RCPT command"_s << u"551"_s;
    QTest::newRow("temporary-status-takes-4xx") << u"4.7.0"_s << u"554 host not accepting 421 4.7.0 too many errors"_s
                                                << u"421"_s;
    QTest::newRow("ip-address-octets-are-not-replies") << u"5.0.0"_s << u"connect to 192.0.2.250 failed"_s << QString();
    QTest::newRow("status-code-digits-are-not-replies") << u"5.5.0"_s << u"Error 5.5.0 rejected"_s << QString();
}

void TstMtaDecoders::replyCodeOfTheStatusClass()
{
    QFETCH(QString, status);
    QFETCH(QString, diagnostic);
    QFETCH(QString, reply);
    BounceRecipient r;
    r.recipient = u"x@example.org"_s;
    r.status = status;
    r.diagnostic = diagnostic;
    MtaResult::finish(r);
    QCOMPARE(r.replyCode, reply);
}

void TstMtaDecoders::preciseStatusInDiagnosticWins_data()
{
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("diagnostic");
    QTest::addColumn<QString>("expected");
    QTest::newRow("generic-field-precise-text") << u"5.0.0"_s << u"550 5.1.1 <a@example.org>: unknown"_s << u"5.1.1"_s;
    QTest::newRow("generic-text-keeps-field") << u"5.2.2"_s << u"552 5.0.0 over quota"_s << u"5.2.2"_s;
    QTest::newRow("empty-field-takes-text") << QString() << u"554 5.0.0 rejected"_s << u"5.0.0"_s;
    QTest::newRow("pseudo-codes-are-left-to-the-classifier") << u"5.0.910"_s << u"rejected"_s << QString();
}

void TstMtaDecoders::preciseStatusInDiagnosticWins()
{
    QFETCH(QString, status);
    QFETCH(QString, diagnostic);
    QFETCH(QString, expected);
    BounceRecipient r;
    r.recipient = u"a@example.org"_s;
    r.status = status;
    r.diagnostic = diagnostic;
    MtaResult::finish(r);
    QCOMPARE(r.status, expected);
}

void TstMtaDecoders::multilineReplyUnfolded_data()
{
    QTest::addColumn<QString>("diagnostic");
    QTest::addColumn<QString>("unfolded");
    QTest::newRow("gmail-style-continuations")
        << u"host mx.example.com said: 550-5.7.26 Unauthenticated email 550-5.7.26 is not accepted. 550 5.7.26 See help."_s
        << u"host mx.example.com said: 550 5.7.26 Unauthenticated email is not accepted. See help."_s;
    QTest::newRow("single-line-reply-unchanged") << u"550 5.1.1 <a@example.org>: 550 mailboxes checked"_s
                                                 << u"550 5.1.1 <a@example.org>: 550 mailboxes checked"_s;
}

void TstMtaDecoders::multilineReplyUnfolded()
{
    QFETCH(QString, diagnostic);
    QFETCH(QString, unfolded);
    BounceRecipient r;
    r.recipient = u"a@example.org"_s;
    r.diagnostic = diagnostic;
    MtaResult::finish(r);
    QCOMPARE(r.diagnostic, unfolded);
}

void TstMtaDecoders::sweep_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("out");
    QTest::newRow("folded-lines") << u"  550 5.1.1\n    user\tunknown  "_s << u"550 5.1.1 user unknown"_s;
    QTest::newRow("trailing-mime-boundary") << u"550 unknown --Boundary_(ID_x)"_s << u"550 unknown"_s;
    QTest::newRow("dash-in-text-kept") << u"553 - not allowed"_s << u"553 - not allowed"_s;
}

void TstMtaDecoders::sweep()
{
    QFETCH(QString, in);
    QFETCH(QString, out);
    QCOMPARE(MtaText::sweep(in), out);
}

void TstMtaDecoders::familiesAreUniqueAndNamed()
{
    std::vector<std::unique_ptr<BounceDecoder>> decoders;
    registerMtaDecoders(decoders);
    QVERIFY(decoders.size() >= 34);
    QStringList families;
    for (const auto& d : decoders) {
        QVERIFY(!d->family().isEmpty());
        QCOMPARE(d->family(), d->family().toLower());
        QVERIFY2(!families.contains(d->family()), qPrintable(d->family()));
        families << d->family();
    }
}

void TstMtaDecoders::garbage_data()
{
    QTest::addColumn<QByteArray>("raw");
    const QByteArray postfixHead = "Subject: Undelivered Mail Returned to Sender\nFrom: MAILER-DAEMON (Mail Delivery System)\n\n";
    const QByteArray eximHead = "From: Mail Delivery System <m@example.net>\nSubject: Mail delivery failed\n\n";
    const QByteArray qmailHead = "Subject: failure notice\n\nHi. This is the qmail-send program at x.\n";
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("headers-only") << postfixHead;
    QTest::newRow("nul-bytes") << postfixHead + QByteArray(4096, '\0') + "\nThe mail system\n<\0@\0>: x\n";
    QTest::newRow("truncated-paragraph") << postfixHead + "The mail system\n\n<a@example.org>: host";
    QTest::newRow("endless-address-line") << qmailHead + '<' + QByteArray(2 * 1024 * 1024, 'a') + "@example.org>:\n";
    QTest::newRow("many-recipients") << qmailHead + QByteArray("<a@example.org>:\nsorry\n").repeated(20000);
    QTest::newRow("exim-blocks-without-addresses") << eximHead
            + "This message was created automatically by mail delivery software.\n\n"
            + QByteArray("  pipe to |x\n    generated by\n").repeated(5000);
    QTest::newRow("dsn-fields-only-colons") << postfixHead + "The mail system\n" + QByteArray(":\n").repeated(100000);
    QTest::newRow("deep-multipart") << QByteArray("Content-Type: multipart/mixed; boundary=b\nSubject: failure notice\n\n")
            + QByteArray("--b\nContent-Type: multipart/mixed; boundary=b\n\n").repeated(200);
}

void TstMtaDecoders::garbage()
{
    QFETCH(QByteArray, raw);
    // Every MTA decoder on its own, not only the first that claims it: none may crash, hang
    // or assert on hostile input, whatever it detects.
    std::vector<std::unique_ptr<BounceDecoder>> decoders;
    registerMtaDecoders(decoders);
    const mail::MimePart root = mail::MimeAdapter::parse(raw);
    const DecodeContext ctx(raw, root);
    QElapsedTimer timer;
    timer.start();
    for (const auto& d : decoders) {
        (void)d->detect(ctx);
        if (const std::optional<BounceReport> report = d->decode(ctx)) {
            for (const BounceRecipient& r : report->recipients)
                QVERIFY(!r.recipient.isEmpty());
        }
    }
    QVERIFY2(timer.elapsed() < 60000, qPrintable(QString::number(timer.elapsed())));
}

namespace {

// The families this directory decodes, as the corpus names them (source_module "lhost-<name>").
const QStringList kCorpusFamilies = {
    u"postfix"_s, u"exim"_s, u"sendmail"_s, u"v5sendmail"_s, u"qmail"_s, u"courier"_s, u"opensmtpd"_s,
    u"dragonfly"_s, u"domino"_s, u"notes"_s, u"exchange2003"_s, u"exchange2007"_s, u"messagingserver"_s,
    u"imailserver"_s, u"apachejames"_s, u"mailfoundry"_s, u"mailmarshalsmtp"_s, u"mcafee"_s, u"mxlogic"_s,
    u"messagelabs"_s, u"surfcontrol"_s, u"interscanmss"_s, u"activehunter"_s, u"mfilter"_s, u"amavis"_s,
    u"barracuda"_s, u"powermta"_s, u"fml"_s, u"x1"_s, u"x2"_s, u"x3"_s, u"x4"_s, u"x5"_s, u"x6"_s};

// Labels that record a defect of the reference parser rather than the bounce: sisimai 5.1
// cuts five characters off an address it takes from the original's To: field
// (V5sendmail.pm, substr with "- 5"), so the label reads "kijitora@exampl".
const QStringList kKnownLabelDefects = {u"lhost-v5sendmail-01.eml#1 recipient"_s};

bool isPseudo(const QString& status)
{
    return status.size() == 7 && status.mid(1, 4) == u".0.9";
}

// --corpus: every labelled record of these families, decoded from its file, must have the
// labelled recipient and reply code, and the labelled status unless the label is one of
// sisimai's pseudo codes (those come from the reason classifier, not from the bounce).
int runCorpusCheck()
{
    const QString dir = QString::fromUtf8(BI_SHARED_CORPUS_DIR) + u"/bounces"_s;
    QFile labels(dir + u"/expected.jsonl"_s);
    if (!labels.open(QIODevice::ReadOnly)) {
        std::printf("SKIP: shared corpus not found at %s\n", qPrintable(dir));
        return 77;
    }
    int checked = 0;
    QStringList failures;
    QHash<QString, std::optional<BounceReport>> reports;
    for (const QByteArray& line : labels.readAll().split('\n')) {
        const QJsonObject e = QJsonDocument::fromJson(line).object();
        const QString module = e.value(u"source_module"_s).toString();
        if (!module.startsWith(u"lhost-") || !kCorpusFamilies.contains(module.mid(6)))
            continue;
        const QString file = e.value(u"file"_s).toString();
        if (!reports.contains(file)) {
            QFile f(dir + u'/' + file);
            reports.insert(file, f.open(QIODevice::ReadOnly) ? decodeWithRegistry(f.readAll()) : std::nullopt);
        }
        const std::optional<BounceReport>& report = reports.value(file);
        const int index = e.value(u"index"_s).toInt();
        const QString key = file.section(u'/', -1) + u'#' + QString::number(index);
        ++checked;
        if (!report || index < 1 || index > report->recipients.size()) {
            failures << key + u": no record"_s;
            continue;
        }
        const BounceRecipient& r = report->recipients.at(index - 1);
        const QString status = e.value(u"status"_s).toString();
        const QString reply = e.value(u"replycode"_s).toVariant().toString();
        const QString recipient = e.value(u"recipient"_s).toString().toLower();
        if (r.recipient != recipient && !kKnownLabelDefects.contains(key + u" recipient"_s))
            failures << key + u": recipient "_s + recipient + u" != "_s + r.recipient;
        if (!isPseudo(status) && r.status != status)
            failures << key + u": status "_s + status + u" != "_s + r.status;
        if (r.replyCode != reply)
            failures << key + u": reply code "_s + reply + u" != "_s + r.replyCode;
    }
    std::printf("MTA families: %d labelled records, %lld disagreements\n", checked, qlonglong(failures.size()));
    for (const QString& f : failures)
        std::printf("  %s\n", qPrintable(f));
    return checked > 200 && failures.isEmpty() ? 0 : 1;
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    if (app.arguments().contains(u"--corpus"_s))
        return runCorpusCheck();
    TstMtaDecoders test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_mta_decoders.moc"
