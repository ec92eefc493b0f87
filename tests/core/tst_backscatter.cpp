// SPDX-License-Identifier: GPL-3.0-or-later
// Backscatter evidence, one kind at a time: BATV/PRVS, SRS and VERP addresses (valid, invalid,
// absent), log matches and certain absence, own relays in the quoted Received chain, the
// Message-ID shape, our senders, what the bounce says; and the own-settings API.
#include <QTest>

#include "core/backscatter/bounce_evidence.h"
#include "core/backscatter/own_settings.h"
#include "core/backscatter/signed_address.h"
#include "core/store/project_store.h"

using namespace Qt::StringLiterals;
using bi::core::backscatter::BackscatterClassifier;
using bi::core::backscatter::BounceFacts;
using bi::core::backscatter::OwnSettings;
using bi::core::backscatter::SendingProfile;
using bi::core::backscatter::SignedAddress;
using Check = SignedAddress::Check;
using Scheme = SignedAddress::Scheme;

namespace {

const QDateTime kAt(QDate(2026, 1, 5), QTime(12, 0), Qt::UTC);
const QByteArray kSecret = "s3cr3t-key";

bool mentions(const QStringList& evidence, const QString& text)
{
    for (const QString& e : evidence) {
        if (e.contains(text))
            return true;
    }
    return false;
}

SendingProfile ownProfile()
{
    SendingProfile p;
    p.own.addDomain(u"shop.example"_s);
    p.own.addHost(u"mx-out1"_s);
    return p;
}

BounceFacts ourBounce()
{
    BounceFacts f;
    f.messageId = 1;
    f.date = kAt;
    f.reportingMta = u"mx.example.net"_s;
    f.bounceAddresses = {u"orders@shop.example"_s};
    f.originalMessageId = u"20260105110000.1a2b3c4d@app.shop.example"_s;
    f.originalFrom = u"orders@shop.example"_s;
    f.originalSubject = u"Your order has shipped"_s;
    f.originalDate = kAt.addSecs(-3600);
    f.originalReceived = {u"from app.shop.example (app.shop.example [192.0.2.20]) by mx-out1.shop.example (Postfix) "
                          u"with ESMTPSA id 4AB12CD34E for <x@example.net>; Mon, 5 Jan 2026 11:00:00 +0000"_s};
    f.failedRecipients = {u"lena@example.net"_s};
    f.diagnostics = {u"550 5.1.1 user unknown"_s};
    return f;
}

BounceFacts spamBounce()
{
    BounceFacts f;
    f.messageId = 2;
    f.date = kAt;
    f.reportingMta = u"mx.mail.ru"_s;
    f.bounceAddresses = {u"anna.7@shop.example"_s};
    f.originalMessageId = u"D3F1A9B2C4E5@shop.example"_s;
    f.originalFrom = u"anna.7@shop.example"_s;
    f.originalSubject = u"Meeting tomorrow"_s;
    f.originalDate = kAt.addSecs(-600);
    f.originalReceived = {u"from shop.example (unknown [185.3.4.5]) by mxs.mail.ru with ESMTP id 88AA; "
                          u"Mon, 5 Jan 2026 11:50:00 +0000"_s};
    f.failedRecipients = {u"boris12@mail.ru"_s};
    f.diagnostics = {u"550 5.1.1 user unknown"_s};
    return f;
}

} // namespace

class TstBackscatter final : public QObject {
    Q_OBJECT
private slots:
    void prvs_data();
    void prvs();
    void srs_data();
    void srs();
    void verp_data();
    void verp();
    void messageIdShape();
    void receivedHostsAndIds();
    void signatureEvidence();
    void logMatchAndAbsence();
    void logCoverWithoutOriginal();
    void receivedChainEvidence();
    void messageIdShapeEvidence();
    void senderEvidence();
    void bounceTextEvidence();
    void withoutAnyEvidence();
    void ownSettingsRoundTrip();
};

void TstBackscatter::prvs_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<QByteArray>("secret");
    QTest::addColumn<int>("check");
    QTest::addColumn<QString>("inner");
    const QString good = SignedAddress::signPrvs(u"orders@shop.example"_s, kAt.addDays(-2), 1, kSecret);
    QTest::newRow("valid-with-secret") << good << kSecret << int(Check::Valid) << u"orders@shop.example"_s;
    QTest::newRow("valid-without-secret") << good << QByteArray() << int(Check::Unverified) << u"orders@shop.example"_s;
    QTest::newRow("wrong-secret") << good << QByteArray("other") << int(Check::BadHash) << u"orders@shop.example"_s;
    QString tampered = good;
    tampered[10] = tampered[10] == u'0' ? u'1' : u'0'; // a hash digit
    QTest::newRow("tampered-hash") << tampered << kSecret << int(Check::BadHash) << u"orders@shop.example"_s;
    const QString old = SignedAddress::signPrvs(u"orders@shop.example"_s, kAt.addDays(-12), 1, kSecret);
    QTest::newRow("expired") << old << kSecret << int(Check::Expired) << u"orders@shop.example"_s;
    QTest::newRow("old-exim-order") << u"prvs=orders=1123abcdef@shop.example"_s << QByteArray() << int(Check::Expired)
                                    << u"orders@shop.example"_s;
    QTest::newRow("malformed") << u"prvs=zz=orders@shop.example"_s << QByteArray() << int(Check::Malformed) << QString();
    QTest::newRow("plain") << u"orders@shop.example"_s << QByteArray() << int(Check::Absent) << u"orders@shop.example"_s;
}

void TstBackscatter::prvs()
{
    QFETCH(QString, address);
    QFETCH(QByteArray, secret);
    QFETCH(int, check);
    QFETCH(QString, inner);
    const SignedAddress s = SignedAddress::parse(address);
    QCOMPARE(int(s.checkPrvs(kAt, secret)), check);
    QCOMPARE(s.inner, inner);
}

void TstBackscatter::srs_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<QByteArray>("secret");
    QTest::addColumn<int>("check");
    QTest::addColumn<QString>("inner");
    const QString good = SignedAddress::signSrs0(u"lena@example.org"_s, u"shop.example"_s, kAt.addDays(-3), kSecret);
    QTest::newRow("srs0-valid") << good << kSecret << int(Check::Valid) << u"lena@example.org"_s;
    QTest::newRow("srs0-unverified") << good << QByteArray() << int(Check::Unverified) << u"lena@example.org"_s;
    QTest::newRow("srs0-bad-hash") << good << QByteArray("nope") << int(Check::BadHash) << u"lena@example.org"_s;
    const QString old = SignedAddress::signSrs0(u"lena@example.org"_s, u"shop.example"_s, kAt.addDays(-40), kSecret);
    QTest::newRow("srs0-stale-stamp") << old << kSecret << int(Check::Expired) << u"lena@example.org"_s;
    QTest::newRow("srs0-bad-stamp") << u"SRS0=abcd=!!=example.org=lena@shop.example"_s << QByteArray()
                                    << int(Check::Malformed) << u"lena@example.org"_s;
    QTest::newRow("srs0-truncated") << u"SRS0=abcd=TT@shop.example"_s << QByteArray() << int(Check::Malformed) << QString();
    QTest::newRow("srs1-structure") << u"SRS1=X9Qz=fwd.example==AbCd=TT=example.org=lena@shop.example"_s
                                    << QByteArray() << int(Check::Unverified) << u"lena@example.org"_s;
}

void TstBackscatter::srs()
{
    QFETCH(QString, address);
    QFETCH(QByteArray, secret);
    QFETCH(int, check);
    QFETCH(QString, inner);
    const SignedAddress s = SignedAddress::parse(address);
    QVERIFY(s.scheme == Scheme::Srs0 || s.scheme == Scheme::Srs1);
    // SRS1's stamp is the first forwarder's: check it against its own day.
    const QDateTime at = s.scheme == Scheme::Srs1 ? QDateTime::fromSecsSinceEpoch(qint64(19 * 32 + 19) * 86400, Qt::UTC)
                                                  : kAt;
    QCOMPARE(int(s.checkSrs(at, secret)), check);
    QCOMPARE(s.inner, inner);
}

void TstBackscatter::verp_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<QString>("recipient");
    QTest::addColumn<QString>("inner");
    QTest::newRow("plus") << u"bounces+john=example.com@shop.example"_s << u"john@example.com"_s << u"bounces@shop.example"_s;
    QTest::newRow("dash") << u"list-owner-jo.doe=mail.example.org@lists.shop.example"_s << u"owner-jo.doe@mail.example.org"_s
                          << u"list@lists.shop.example"_s;
    QTest::newRow("esp-id") << u"bounces+123456-ab12-john=example.com@em.shop.example"_s
                            << u"123456-ab12-john@example.com"_s << u"bounces@em.shop.example"_s;
}

void TstBackscatter::verp()
{
    QFETCH(QString, address);
    QFETCH(QString, recipient);
    QFETCH(QString, inner);
    const SignedAddress s = SignedAddress::parse(address);
    QCOMPARE(int(s.scheme), int(Scheme::Verp));
    QCOMPARE(s.verpRecipient, recipient);
    QCOMPARE(s.inner, inner);
    QCOMPARE(int(SignedAddress::parse(u"first.last@shop.example"_s).scheme), int(Scheme::None));
}

void TstBackscatter::messageIdShape()
{
    using bi::core::backscatter::messageIdShape;
    QCOMPARE(messageIdShape(u"20260105110000.1a2b3c4d@app.shop.example"_s),
             messageIdShape(u"20251229080000.ffee0011@app.shop.example"_s));
    QVERIFY(messageIdShape(u"20260105110000.1a2b3c4d@app.shop.example"_s)
            != messageIdShape(u"D3F1A9B2C4E5@shop.example"_s));
    QVERIFY(messageIdShape(u"CA+abcdefghijklmnopqrstuvwxyz0123@mail.gmail.com"_s)
            != messageIdShape(u"20260105110000.1a2b3c4d@mail.gmail.com"_s));
    QVERIFY(messageIdShape(u"no-at-sign"_s).isEmpty());
}

void TstBackscatter::receivedHostsAndIds()
{
    const QString r = u"from app.shop.example (app.shop.example [192.0.2.20]) by mx-out1.shop.example (Postfix) "
                      u"with ESMTPSA id 4AB12CD34E for <x@example.net>; Mon, 5 Jan 2026 11:00:00 +0000"_s;
    QCOMPARE(bi::core::backscatter::receivedHosts(r), (QStringList{u"mx-out1.shop.example"_s, u"app.shop.example"_s}));
    QVERIFY(bi::core::backscatter::receivedIds(r).contains(u"4AB12CD34E"_s));
    const QString forged = u"from shop.example (unknown [185.3.4.5]) by mxs.mail.ru with ESMTP id 88AA1"_s;
    QCOMPARE(bi::core::backscatter::receivedHosts(forged), QStringList{u"mxs.mail.ru"_s}); // HELO is not trusted
    QVERIFY(bi::core::backscatter::receivedHosts(u"garbage ((( [[["_s).isEmpty());
    // The other MTAs' ways of writing the sending side.
    for (const QString& other : {u"from mx-out.shop.example ([192.0.2.7]:41122 helo=mx-out) by mx.example.net with esmtps"_s,
                                 u"from mx-out.shop.example ([192.0.2.7]) by mx.example.net with esmtp id 1tX"_s,
                                 u"from mx-out.shop.example (HELO mx-out) (192.0.2.7) by mx.example.net with SMTP"_s,
                                 u"from mx-out.shop.example (192.0.2.7) by mx.example.net (10.0.0.1) with Microsoft SMTP Server"_s})
        QCOMPARE(bi::core::backscatter::receivedHosts(other), (QStringList{u"mx.example.net"_s, u"mx-out.shop.example"_s}));
    // Exim without reverse DNS, qmail's "unknown": only the claimed name, not taken.
    QCOMPARE(bi::core::backscatter::receivedHosts(u"from [185.3.4.5] (helo=shop.example) by mx.example.net with esmtp"_s),
             QStringList{u"mx.example.net"_s});
    QCOMPARE(bi::core::backscatter::receivedHosts(u"from unknown (HELO shop.example) (185.3.4.5) by mx.example.net"_s),
             QStringList{u"mx.example.net"_s});

    // A webmail user's mail leaves through the provider's outbound hosts, whose names vary:
    // once notices showed our submissions going to that provider, they are our relays.
    const QStringList chain{u"from mail-sor-f41.google.com (mail-sor-f41.google.com [209.85.220.41]) by mx.example.net "
                            u"with ESMTPS id 7AB12 for <bob@example.net>"_s};
    bi::core::fate::OwnIdentity own;
    own.addHost(u"googlemail.com"_s);
    QVERIFY(bi::core::backscatter::ownRelayInChain(chain, own).isEmpty());
    QCOMPARE(bi::core::backscatter::ownRelayInChain(chain, own, {u"google.com"_s}), u"mail-sor-f41.google.com"_s);
    // A spam relay that only claims the name is not.
    const QStringList forgedChain{u"from mail-sor-f41.google.com (unknown [185.3.4.5]) by mx.example.net with ESMTP id 9"_s};
    QVERIFY(bi::core::backscatter::ownRelayInChain(forgedChain, own, {u"google.com"_s}).isEmpty());
}

void TstBackscatter::signatureEvidence()
{
    SendingProfile p = ownProfile();
    p.prvsSecret = kSecret;
    BounceFacts f = spamBounce();
    f.originalReceived.clear();
    f.originalMessageId.clear();
    f.bounceAddresses = {SignedAddress::signPrvs(u"orders@shop.example"_s, kAt.addDays(-1), 3, kSecret)};
    auto v = BackscatterClassifier::classify(f, p);
    QCOMPARE(v.verdict, u"ours"_s);
    QCOMPARE(v.bounceTo, u"orders@shop.example"_s);
    QVERIFY(mentions(v.evidence, u"checks with the project's secret"_s));

    f.bounceAddresses = {SignedAddress::signPrvs(u"orders@shop.example"_s, kAt.addDays(-1), 3, "forger")};
    v = BackscatterClassifier::classify(f, p);
    QCOMPARE(v.verdict, u"backscatter"_s);
    QVERIFY(mentions(v.evidence, u"does not check"_s));

    // The project signs, the bounce address has no tag.
    p.signsPrvs = true;
    f.bounceAddresses = {u"orders@shop.example"_s};
    v = BackscatterClassifier::classify(f, p);
    QVERIFY(v.score > 0.5);
    QVERIFY(mentions(v.evidence, u"no BATV tag"_s));

    // SRS with an invalid hash.
    SendingProfile srs = ownProfile();
    srs.srsSecret = kSecret;
    f.bounceAddresses = {SignedAddress::signSrs0(u"lena@example.org"_s, u"shop.example"_s, kAt, "other")};
    v = BackscatterClassifier::classify(f, srs);
    QCOMPARE(v.verdict, u"backscatter"_s);

    // VERP naming the failed recipient, and one naming someone else.
    f.bounceAddresses = {u"bounces+boris12=mail.ru@shop.example"_s};
    v = BackscatterClassifier::classify(f, ownProfile());
    QVERIFY(mentions(v.evidence, u"encodes the recipient that failed"_s));
    QVERIFY(v.score < 0.5);
    f.bounceAddresses = {u"bounces+someone=else.example@shop.example"_s};
    v = BackscatterClassifier::classify(f, ownProfile());
    QVERIFY(mentions(v.evidence, u"not the recipient that failed"_s));
    QVERIFY(v.score > 0.5);
}

void TstBackscatter::logMatchAndAbsence()
{
    SendingProfile p = ownProfile();
    p.hasLogs = true;
    p.addLogSpan(kAt.addDays(-2).toMSecsSinceEpoch(), kAt.addDays(1).toMSecsSinceEpoch());
    p.messageIds.insert(u"20260105110000.1a2b3c4d@app.shop.example"_s);
    p.queueIds.insert(u"4ab12cd34e"_s);
    p.envelopeIds.insert(u"job-77"_s);

    BounceFacts f = ourBounce();
    auto v = BackscatterClassifier::classify(f, p);
    QCOMPARE(v.verdict, u"ours"_s);
    QCOMPARE(v.matchedBy, u"message-id"_s);

    f.originalMessageId = u"other@app.shop.example"_s; // Message-ID unknown: the quoted queue id
    v = BackscatterClassifier::classify(f, p);
    QCOMPARE(v.matchedBy, u"queue-id"_s);

    f.originalReceived.clear();
    f.envelopeId = u"JOB-77"_s;
    v = BackscatterClassifier::classify(f, p);
    QCOMPARE(v.matchedBy, u"envelope-id"_s);

    f.envelopeId.clear();
    p.recipientSends[u"lena@example.net"_s] << kAt.addSecs(-7200).toMSecsSinceEpoch();
    v = BackscatterClassifier::classify(f, p);
    QCOMPARE(v.matchedBy, u"recipient"_s);

    // Not in the logs while they cover the original's date: certain backscatter.
    v = BackscatterClassifier::classify(spamBounce(), p);
    QCOMPARE(v.verdict, u"backscatter"_s);
    QVERIFY(v.logCovered);
    QVERIFY(v.score > 0.99);
    QVERIFY(mentions(v.evidence, u"the logs cover the original's date"_s));

    // The same while the original left by a relay of ours whose log is not among them (the
    // logs are mx-out2's): they cannot say it was not sent, nor which senders it has.
    SendingProfile other = p;
    other.loggedHosts.insert(u"mx-out2"_s);
    BounceFacts viaOurs = spamBounce();
    viaOurs.originalReceived = {u"from mx-out1.shop.example (mx-out1.shop.example [192.0.2.25]) by mxs.mail.ru "
                                u"with ESMTPS id 88AB; Mon, 5 Jan 2026 11:50:00 +0000"_s};
    other.senders.insert(u"news@shop.example"_s);
    v = BackscatterClassifier::classify(viaOurs, other);
    QVERIFY(!v.logCovered);
    QVERIFY(mentions(v.evidence, u"which are not those of mx-out1.shop.example"_s));
    QVERIFY(!mentions(v.evidence, u"addresses we send from"_s));
    QCOMPARE(v.verdict, u"ours"_s);
    // Its own log among them: the logs' word again.
    other.loggedHosts.insert(u"mx-out1"_s);
    v = BackscatterClassifier::classify(viaOurs, other);
    QVERIFY(v.logCovered);

    // Outside the logged time: no log evidence either way.
    BounceFacts later = spamBounce();
    later.originalDate = kAt.addDays(30);
    later.date = kAt.addDays(30);
    v = BackscatterClassifier::classify(later, p);
    QVERIFY(!v.logCovered);
    QVERIFY(mentions(v.evidence, u"do not cover"_s));
}

// A bounce that quotes nothing has only its own date: the logs must cover the days before
// it, three days weighing more than one, and less than one day saying nothing.
void TstBackscatter::logCoverWithoutOriginal()
{
    SendingProfile p = ownProfile();
    p.hasLogs = true;
    BounceFacts bare;
    bare.messageId = 3;
    bare.date = kAt;
    bare.bounceAddresses = {u"office@shop.example"_s};
    bare.failedRecipients = {u"chen5@mail.ru"_s};

    p.addLogSpan(kAt.addDays(-4).toMSecsSinceEpoch(), kAt.addSecs(60).toMSecsSinceEpoch());
    auto three = BackscatterClassifier::classify(bare, p);
    QVERIFY(three.logCovered);
    QVERIFY(mentions(three.evidence, u"the logs cover the three days before the bounce"_s));
    QCOMPARE(three.verdict, u"backscatter"_s);

    p.logSpans.clear();
    p.addLogSpan(kAt.addSecs(-36 * 3600).toMSecsSinceEpoch(), kAt.addSecs(60).toMSecsSinceEpoch());
    auto one = BackscatterClassifier::classify(bare, p);
    QVERIFY(one.logCovered);
    QVERIFY(mentions(one.evidence, u"the logs cover the day before the bounce"_s));
    QVERIFY(one.score < three.score);
    QCOMPARE(one.verdict, u"backscatter"_s);

    // Two spans with a gap inside the day before: not covered.
    p.logSpans.clear();
    p.addLogSpan(kAt.addSecs(-36 * 3600).toMSecsSinceEpoch(), kAt.addSecs(-12 * 3600).toMSecsSinceEpoch());
    p.addLogSpan(kAt.addSecs(-6 * 3600).toMSecsSinceEpoch(), kAt.addSecs(60).toMSecsSinceEpoch());
    auto gap = BackscatterClassifier::classify(bare, p);
    QVERIFY(!gap.logCovered);
    QCOMPARE(gap.verdict, u"uncertain"_s);
}

void TstBackscatter::receivedChainEvidence()
{
    BounceFacts f = ourBounce();
    auto v = BackscatterClassifier::classify(f, ownProfile());
    QVERIFY(mentions(v.evidence, u"passed through our relay mx-out1.shop.example"_s));
    QVERIFY(v.score < 0.5);
    v = BackscatterClassifier::classify(spamBounce(), ownProfile());
    QVERIFY(mentions(v.evidence, u"does not pass through any of our relays"_s));
    QVERIFY(v.score > 0.5);

    // A hosted smarthost outside our domains that took the original as our authenticated
    // submission and wrote the notice is our relay.
    bi::core::store::BounceRow row;
    row.report.kind = bi::core::bounce::MessageKind::Bounce;
    row.report.reportingMta = u"relay.isp-mail.example"_s;
    row.report.to = u"newsletter@shop.example"_s;
    row.report.original.from = u"newsletter@shop.example"_s;
    row.report.original.messageId = u"n1@shop.example"_s;
    row.report.original.received = {u"from app.shop.example (app.shop.example [192.0.2.5]) by relay.isp-mail.example "
                                     u"with esmtpsa (TLS1.3) (Exim 4.96) id 1tXyZa-000123-AB; Mon, 03 Mar 2025 10:00:01 +0100"_s};
    bi::core::bounce::BounceRecipient r;
    r.recipient = u"bob@remote.example"_s;
    r.diagnostic = u"SMTP error from remote mail server after RCPT TO:<bob@remote.example>: 550 5.1.1 unknown"_s;
    row.report.recipients = {r};
    const BounceFacts hosted = BounceFacts::from({row});
    QCOMPARE(hosted.submittedTo, u"relay.isp-mail.example"_s);
    QCOMPARE(hosted.failedRecipients, QStringList({u"bob@remote.example"_s}));
    // The receiving side rewrote the address (Final-Recipient) and names the one we sent to
    // (Original-Recipient): both are looked up in the logged sends.
    row.report.recipients.first().recipient = u"robert.b@mailhost.remote.example"_s;
    row.report.recipients.first().originalRecipient = u"Bob@remote.example"_s;
    QCOMPARE(BounceFacts::from({row}).failedRecipients,
             QStringList({u"robert.b@mailhost.remote.example"_s, u"bob@remote.example"_s}));
    row.report.recipients.first() = r;
    v = BackscatterClassifier::classify(hosted, ownProfile());
    QVERIFY(mentions(v.evidence, u"submitted from our side to relay.isp-mail.example"_s));
    QVERIFY(v.score < 0.5);
}

void TstBackscatter::messageIdShapeEvidence()
{
    SendingProfile p = ownProfile();
    p.shapes.insert(bi::core::backscatter::messageIdShape(u"20251229080000.ffee0011@app.shop.example"_s));
    BounceFacts f = ourBounce();
    f.originalReceived.clear();
    auto v = BackscatterClassifier::classify(f, p);
    QVERIFY(mentions(v.evidence, u"has the shape our systems write"_s));
    QCOMPARE(v.verdict, u"ours"_s);
    f = spamBounce();
    f.originalReceived.clear();
    v = BackscatterClassifier::classify(f, p);
    QVERIFY(mentions(v.evidence, u"does not have the shape of ours"_s));
}

void TstBackscatter::senderEvidence()
{
    SendingProfile p = ownProfile();
    p.senders = {u"orders@shop.example"_s, u"newsletter@shop.example"_s};
    BounceFacts f = ourBounce();
    f.originalReceived.clear();
    auto v = BackscatterClassifier::classify(f, p);
    QVERIFY(mentions(v.evidence, u"is one of the addresses we send from"_s));
    f = spamBounce();
    f.originalReceived.clear();
    f.originalFrom = u"promo@casino.example"_s;
    v = BackscatterClassifier::classify(f, p);
    QVERIFY(mentions(v.evidence, u"is not one of the 2 addresses"_s));
    QVERIFY(mentions(v.evidence, u"is not in our domains"_s));
    QCOMPARE(v.verdict, u"backscatter"_s);
}

void TstBackscatter::bounceTextEvidence()
{
    BounceFacts f = spamBounce();
    f.originalReceived.clear();
    f.originalMessageId.clear();
    f.diagnostics = {u"550 5.7.1 Our system has detected that this message is likely unsolicited mail"_s};
    f.originalSubject = u"Cheap pills online - 80% off"_s;
    auto v = BackscatterClassifier::classify(f, ownProfile());
    QVERIFY(mentions(v.evidence, u"rejected the original as unsolicited"_s));
    QVERIFY(mentions(v.evidence, u"looks like spam"_s));
    QCOMPARE(v.verdict, u"backscatter"_s);
    f.diagnostics = {u"550 5.7.23 SPF check failed: shop.example does not designate 185.3.4.5 as permitted sender"_s};
    v = BackscatterClassifier::classify(f, ownProfile());
    QVERIFY(mentions(v.evidence, u"forged or unauthorised"_s));
}

void TstBackscatter::withoutAnyEvidence()
{
    BounceFacts f;
    f.messageId = 9;
    f.bounceAddresses = {u"x@shop.example"_s};
    const auto v = BackscatterClassifier::classify(f, ownProfile());
    QCOMPARE(v.verdict, u"uncertain"_s);
    QCOMPARE(v.score, 0.5);
    QVERIFY(!v.evidence.isEmpty());
}

void TstBackscatter::ownSettingsRoundTrip()
{
    auto store = bi::core::store::ProjectStore::open(u":memory:"_s, u"test"_s);
    QVERIFY(store);
    OwnSettings s;
    s.userDomains = {u"Shop.Example."_s, u"shop.example"_s};
    s.userHosts = {u"mx-out1"_s};
    s.learnedDomains = {u"mail.shop.example"_s, u"spam.example"_s};
    s.excluded = {u"spam.example"_s};
    s.batvSecret = "k1";
    QVERIFY(s.save(*store));
    QCOMPARE(store->setting(u"own_domains"_s)->value_or(QString()), u"shop.example"_s);
    auto loaded = OwnSettings::load(*store);
    QVERIFY(loaded);
    QCOMPARE(loaded->domains(), (QStringList{u"mail.shop.example"_s, u"shop.example"_s}));
    QCOMPARE(loaded->hosts(), QStringList{u"mx-out1"_s});
    QCOMPARE(loaded->batvSecret, QByteArray("k1"));
    QVERIFY(loaded->srsSecret.isEmpty());
    // A JSON array written by hand is read too.
    QVERIFY(store->setSetting(u"own_domains"_s, u"[\"a.example\", \"B.example\"]"_s));
    QCOMPARE(OwnSettings::load(*store)->userDomains, (QStringList{u"a.example"_s, u"b.example"_s}));
}

QTEST_GUILESS_MAIN(TstBackscatter)
#include "tst_backscatter.moc"
