// SPDX-License-Identifier: GPL-3.0-or-later
// The decoders added for the older, messier bounces of the second labelled corpus (flufl.bounce,
// Mail::DeliveryStatus::BounceParser): AOL AIRmail notices, challenge-response mails, Sieve
// rejections sent as MDNs, and what the generic text fallback and RFC 3464 decoders now read.
// Each row is a small hand-written message in tests/data/bounce/flufl run through the whole
// BounceParser, so the decoder order is part of what is tested.
#include <QElapsedTimer>
#include <QFile>
#include <QTest>

#include "core/bounce/bounce_decoder.h"
#include "core/bounce/bounce_parser.h"
#include "core/bounce/decoders/mta/challenge_response_decoder.h"
#include "core/bounce/decoders/mta/sieve_reject_decoder.h"
#include "core/bounce/decoders/provider/aol_airmail_decoder.h"
#include "core/bounce/decoders/rfc3464_decoder.h"
#include "core/bounce/decoders/text_fallback_decoder.h"
#include "core/mail/mime_adapter.h"

using namespace Qt::StringLiterals;
using namespace bi::core;
using namespace bi::core::bounce;

namespace {

QByteArray fixture(const QString& name)
{
    QFile f(QString::fromUtf8(BI_TEST_DATA_DIR) + u"/bounce/flufl/"_s + name);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

// "kind address" per recipient, in order: short enough to read a whole expectation in a row.
QStringList describe(const BounceReport& report)
{
    QStringList out;
    for (const BounceRecipient& r : report.recipients)
        out << kindName(r.kind) + u' ' + r.recipient;
    return out;
}

} // namespace

class TstFluflDecoders final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void parse_data();
    void parse();
    void reasons_data();
    void reasons();
    void malformedRecipientIsFlagged();
    void garbage_data();
    void garbage();
};

void TstFluflDecoders::initTestCase()
{
    QVERIFY2(!fixture(u"aol-airmail-screennames.eml"_s).isEmpty(), "fixtures not found");
}

void TstFluflDecoders::parse_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("family");     // empty: no decoder may claim the message
    QTest::addColumn<QStringList>("records"); // "kind address"

    // AOL AIRmail: screen names get @aol.com, full addresses stay; the sender named in the
    // sentence ("not accepting mail from news@example.org:") is not a recipient.
    QTest::newRow("aol-airmail-screen-name-and-address")
        << u"aol-airmail-screennames.eml"_s << u"aolairmail"_s
        << QStringList{u"bounce gardenfan42@aol.com"_s, u"bounce another.member@aim.com"_s};
    QTest::newRow("aol-airmail-sentence-folded-by-qp")
        << u"aol-airmail-folded-qp.eml"_s << u"aolairmail"_s << QStringList{u"bounce tulipgrower@aol.com"_s};
    QTest::newRow("aol-person-using-the-words") << u"aol-not-airmail.eml"_s << QString() << QStringList{};

    // Challenge-response: never a bounce, even as a DSN with "Action: failed" or a Postfix 550.
    QTest::newRow("challenge-dsn-sender-not-pre-approved")
        << u"challenge-dsn-preapproval.eml"_s << u"challenge"_s << QStringList{u"autoreply jane.doe@example.net"_s};
    QTest::newRow("challenge-postfix-550-server-requires-confirmation")
        << u"challenge-server-confirmation.eml"_s << u"challenge"_s
        << QStringList{u"autoreply member@example.com"_s};
    QTest::newRow("challenge-tmda-header")
        << u"challenge-tmda.eml"_s << u"challenge"_s
        << QStringList{u"autoreply pat-confirm-1262304000.123.abcdef@example.com"_s};
    QTest::newRow("challenge-phrases-in-a-personal-mail")
        << u"challenge-phrase-in-personal-mail.eml"_s << QString() << QStringList{};

    // RFC 5429 reject as an MDN: a bounce for the MDN's Final-Recipient; other MDNs are not.
    QTest::newRow("sieve-reject-mdn-deleted")
        << u"sieve-reject-mdn.eml"_s << u"sievereject"_s << QStringList{u"bounce reader@example.net"_s};
    QTest::newRow("mdn-displayed-is-no-bounce") << u"mdn-displayed.eml"_s << QString() << QStringList{};

    // Text fallback.
    QTest::newRow("text-address-in-addressed-sentence")
        << u"text-addressed-sentence.eml"_s << u"text"_s << QStringList{u"bounce jdoe@lab.example.gov"_s};
    QTest::newRow("text-dash-bullet-address")
        << u"text-dash-bullets.eml"_s << u"text"_s << QStringList{u"bounce someone@example.com"_s};
    QTest::newRow("text-inline-quoted-to")
        << u"text-inline-original-headers.eml"_s << u"text"_s << QStringList{u"bounce member@example.com"_s};
    QTest::newRow("text-original-to-is-the-list") << u"text-list-original.eml"_s << QString() << QStringList{};
    QTest::newRow("text-report-without-from")
        << u"text-report-without-from.eml"_s << u"text"_s << QStringList{u"bounce someone@example.fr"_s};

    // RFC 3464: a malformed Final-Recipient is still the failed address.
    QTest::newRow("dsn-malformed-final-recipient")
        << u"dsn-malformed-recipient.eml"_s << u"rfc3464"_s << QStringList{u"bounce friend@#example.net"_s};
}

void TstFluflDecoders::parse()
{
    QFETCH(QString, file);
    QFETCH(QString, family);
    QFETCH(QStringList, records);
    const QByteArray raw = fixture(file);
    QVERIFY2(!raw.isEmpty(), qPrintable(file));
    const BounceReport report = BounceParser::parse(raw);
    QCOMPARE(describe(report), records);
    if (!family.isEmpty())
        QCOMPARE(report.family, family);
    else
        QVERIFY2(report.recipients.isEmpty(), qPrintable(report.family));
}

void TstFluflDecoders::reasons_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("reason");

    // The decoders hand the notice's own words to the classifier, which must find the reason in them.
    QTest::newRow("aol-not-accepting-attachments") << u"aol-airmail-folded-qp.eml"_s << u"policyviolation"_s;
    QTest::newRow("aol-not-accepting-the-sender") << u"aol-airmail-screennames.eml"_s << u"rejected"_s;
    QTest::newRow("sieve-reject-quota") << u"sieve-reject-mdn.eml"_s << u"mailboxfull"_s;
    QTest::newRow("challenge-is-an-automatic-reply") << u"challenge-dsn-preapproval.eml"_s << u"vacation"_s;
    QTest::newRow("malformed-domain") << u"dsn-malformed-recipient.eml"_s << u"hostunknown"_s;
}

void TstFluflDecoders::reasons()
{
    QFETCH(QString, file);
    QFETCH(QString, reason);
    const BounceReport report = BounceParser::parse(fixture(file));
    QVERIFY(!report.recipients.isEmpty());
    QCOMPARE(report.recipients.constFirst().reason, reason);
}

void TstFluflDecoders::malformedRecipientIsFlagged()
{
    const BounceReport report = BounceParser::parse(fixture(u"dsn-malformed-recipient.eml"_s));
    bool flagged = false;
    for (const Diagnostic& d : report.diagnostics)
        flagged = flagged || (d.where == u"dsn"_s && d.what.contains(u"friend@#example.net"_s));
    QVERIFY(flagged);
}

void TstFluflDecoders::garbage_data()
{
    QTest::addColumn<QByteArray>("raw");

    const QByteArray mdnHead = "From: postmaster@example.net\nMIME-Version: 1.0\n"
                               "Content-Type: multipart/report; report-type=disposition-notification; boundary=\"b\"\n\n";
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("nul-bytes") << QByteArray(4096, '\0');
    QTest::newRow("mdn-without-fields")
        << mdnHead + "--b\nContent-Type: message/disposition-notification\n\n--b--\n";
    QTest::newRow("mdn-deleted-without-recipient")
        << mdnHead + "--b\nContent-Type: message/disposition-notification\n\n"
                     "Disposition: automatic-action/MDN-sent-automatically; deleted\n--b--\n";
    QTest::newRow("aol-intro-then-endless-names")
        << QByteArray("From: MAILER-DAEMON@aol.com\n\nYour mail to the following recipients could not be delivered:\n")
               + QByteArray("\tname\n").repeated(20000);
    QTest::newRow("aol-intro-at-end")
        << QByteArray("From: MAILER-DAEMON@aol.com\n\nYour mail to the following recipients could not be delivered");
    QTest::newRow("challenge-without-any-address")
        << QByteArray("From: <>\nAuto-Submitted: auto-replied\n\nsender not pre-approved\n");
    QTest::newRow("fallback-one-huge-line")
        << QByteArray("From: MAILER-DAEMON@example.com\nSubject: failure notice\n\n-- ") + QByteArray(2'000'000, 'a')
               + "@example.com\n";
    QTest::newRow("dsn-recipient-all-at-signs")
        << QByteArray("From: MAILER-DAEMON@example.com\nContent-Type: multipart/report; report-type=delivery-status; "
                      "boundary=\"q\"\n\n--q\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822; ")
               + QByteArray(5000, '@') + "\nAction: failed\n--q--\n";
}

void TstFluflDecoders::garbage()
{
    QFETCH(QByteArray, raw);
    // Each decoder on its own (whatever the registry order) and the whole parser: no crash, no
    // hang, and nothing that is not an address comes out.
    const mail::MimePart root = mail::MimeAdapter::parse(raw);
    const DecodeContext ctx(raw, root);
    const AolAirmailDecoder aol;
    const ChallengeResponseDecoder challenge;
    const SieveRejectDecoder sieve;
    const TextFallbackDecoder text;
    const Rfc3464Decoder dsn;
    QElapsedTimer timer;
    timer.start();
    for (const BounceDecoder* decoder : std::initializer_list<const BounceDecoder*>{&aol, &challenge, &sieve, &text, &dsn}) {
        if (!decoder->detect(ctx))
            continue;
        if (const std::optional<BounceReport> report = decoder->decode(ctx)) {
            for (const BounceRecipient& r : report->recipients)
                QVERIFY2(r.recipient.contains(u'@') && r.recipient.size() <= 320, qPrintable(decoder->family()));
        }
    }
    const BounceReport report = BounceParser::parse(raw);
    for (const BounceRecipient& r : report.recipients)
        QVERIFY(r.recipient.contains(u'@') && r.recipient.size() <= 320);
    QVERIFY2(timer.elapsed() < 10'000, "decoding took too long");
}

QTEST_GUILESS_MAIN(TstFluflDecoders)

#include "tst_flufl_decoders.moc"
