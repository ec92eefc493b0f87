// SPDX-License-Identifier: GPL-3.0-or-later
#include <cstdio>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QTest>

#include "core/bounce/address.h"
#include "core/bounce/reason_classifier.h"
#include "core/bounce/status_code.h"

using namespace Qt::StringLiterals;
using bi::core::bounce::kindFromName;
using bi::core::bounce::kindName;
using bi::core::bounce::MessageKind;
using bi::core::bounce::ReasonClassifier;
using bi::core::bounce::ReasonInput;
using bi::core::bounce::ReasonResult;
using bi::core::bounce::StatusCode;

Q_DECLARE_METATYPE(MessageKind)

namespace {

struct Row {
    QString status = {};
    QString reply = {};
    QString diagnostic = {};
    QString action = {};
    QString command = {};
    QString remoteHost = {};
    QString recipient = {};
    QString hint = {};
};

ReasonInput inputOf(const Row& row)
{
    ReasonInput in;
    in.status = row.status;
    in.replyCode = row.reply;
    in.diagnostic = row.diagnostic;
    in.action = row.action;
    in.smtpCommand = row.command;
    in.remoteHost = row.remoteHost;
    in.recipient = row.recipient;
    in.hintReason = row.hint;
    return in;
}

} // namespace

/// Unit rows: one or more hand-written diagnostics per reason, named after reason, codes and text.
class TstReasonClassifier : public QObject {
    Q_OBJECT

private slots:
    void tablesLoaded();
    void reason_data();
    void reason();
    void families_data();
    void families();
    void kinds_data();
    void kinds();
    void statusResult_data();
    void statusResult();
    void hardBounce_data();
    void hardBounce();
    void kindNames();
    void garbage_data();
    void garbage();
    void withinDomainTakesWholeLabels();
    void organisationFollowsPublicSuffixes_data();
    void organisationFollowsPublicSuffixes();
};

// Provider hosts, our own domains and service domains are matched by whole labels.
void TstReasonClassifier::withinDomainTakesWholeLabels()
{
    using bi::core::bounce::Address;
    QVERIFY(Address::isWithinDomain(u"orange.fr", u"orange.fr"));
    QVERIFY(Address::isWithinDomain(u"smtp-in.orange.fr", u"orange.fr"));
    QVERIFY(Address::isWithinDomain(u".orange.fr", u"orange.fr"));
    QVERIFY(!Address::isWithinDomain(u"me.com", u"e.com"));
    QVERIFY(!Address::isWithinDomain(u"orange.fr", u"smtp.orange.fr"));
    QVERIFY(!Address::isWithinDomain(u"orange.fr", u""));
}

void TstReasonClassifier::organisationFollowsPublicSuffixes_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("organisation");
    QTest::newRow("com") << u"mx1.mail.example.com"_s << u"example.com"_s;
    QTest::newRow("co.uk") << u"mx1.example.co.uk"_s << u"example.co.uk"_s;
    QTest::newRow("ne.jp") << u"mx.ezweb.ne.jp"_s << u"ezweb.ne.jp"_s;
    QTest::newRow("com.br") << u"mx.uol.com.br"_s << u"uol.com.br"_s;
    // Short names under a country code are organisations, not second-level suffixes.
    QTest::newRow("web.de") << u"mout.web.de"_s << u"web.de"_s;
    QTest::newRow("wp.pl") << u"mx.wp.pl"_s << u"wp.pl"_s;
    QTest::newRow("sfr.fr") << u"smtp-in.sfr.fr"_s << u"sfr.fr"_s;
    QTest::newRow("upper case") << u"MX00.GMX.DE"_s << u"gmx.de"_s;
    QTest::newRow("fully qualified") << u"mx.example.com."_s << u"example.com"_s;
    QTest::newRow("empty label") << u"mx..example.com"_s << u"example.com"_s;
    QTest::newRow("registrable itself") << u"web.de"_s << u"web.de"_s;
    QTest::newRow("suffix itself") << u"co.uk"_s << u"co.uk"_s;
    QTest::newRow("single label") << u"localhost"_s << u"localhost"_s;
    QTest::newRow("ipv4") << u"192.168.1.1"_s << u"192.168.1.1"_s;
    QTest::newRow("ipv6 literal") << u"[IPv6:2001:db8::1]"_s << u"[IPv6:2001:db8::1]"_s;
    QTest::newRow("private network name") << u"relay.corp.lan"_s << u"corp.lan"_s;
}

// Hops of one organisation are told from another's by the Public Suffix List.
void TstReasonClassifier::organisationFollowsPublicSuffixes()
{
    QFETCH(QString, host);
    QFETCH(QString, organisation);
    QCOMPARE(bi::core::bounce::Address::organisation(host), organisation);
}

void TstReasonClassifier::tablesLoaded()
{
    QCOMPARE(ReasonClassifier::dataError(), QString());
}

void TstReasonClassifier::reason_data()
{
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("reply");
    QTest::addColumn<QString>("diagnostic");
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("remoteHost");
    QTest::addColumn<QString>("recipient");
    QTest::addColumn<QString>("hint");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<bool>("hard");

    const auto add = [](const char* name, const Row& r, const QString& reason, bool hard) {
        QTest::newRow(name) << r.status << r.reply << r.diagnostic << r.action << r.command << r.remoteHost
                            << r.recipient << r.hint << reason << hard;
    };

    // --- userunknown / filtered (RFC 3463 X.1.1; sisimai: after DATA it is a filter) --------
    add("userunknown-550-5.1.1-no-such-user",
        {u"5.1.1"_s, u"550"_s, u"550 5.1.1 <kijitora@example.jp>... No such user"_s}, u"userunknown"_s, true);
    add("userunknown-rcpt-no-status",
        {{}, {}, u"host mx.example.jp[192.0.2.1] said: 550 Unknown user kijitora (in reply to RCPT TO command)"_s},
        u"userunknown"_s, true);
    add("userunknown-status-in-text-overrides-5.0.0",
        {u"5.0.0"_s, {}, u"550 5.1.1 <neko@example.jp>: Recipient address rejected: User unknown"_s},
        u"userunknown"_s, true);
    add("filtered-unknown-user-after-data",
        {u"5.0.0"_s, u"550"_s, u"550 Unknown user neko@example.jp (in reply to end of DATA command)"_s},
        u"filtered"_s, false);
    add("filtered-5.2.0-user-reject", {u"5.2.0"_s, u"550"_s, u"550 5.2.0 User reject"_s}, u"filtered"_s, false);
    add("userunknown-5.1.1-but-relay-denied-is-norelaying",
        {u"5.1.1"_s, u"554"_s, u"554 5.1.1 <x@example.org>: Relay access denied (in reply to RCPT TO command)"_s},
        u"norelaying"_s, false);

    // --- mailbox, size and limits ----------------------------------------------------------------
    add("mailboxfull-452-quota",
        {u"4.2.2"_s, u"452"_s, u"452 4.2.2 <neko@example.jp>: user is over quota"_s}, u"mailboxfull"_s, false);
    add("mailboxfull-text-only-no-status",
        {{}, {}, u"The user's mailfolder is full"_s}, u"mailboxfull"_s, false);
    add("mesgtoobig-552-5.3.4", {u"5.3.4"_s, u"552"_s, u"552 5.3.4 Message size exceeds fixed limit"_s},
        u"mesgtoobig"_s, false);
    add("exceedlimit-552-5.2.3",
        {u"5.2.3"_s, u"552"_s, u"552 5.2.3 Message length exceeds administrative limit"_s}, u"exceedlimit"_s, false);
    add("systemfull-452-4.3.1", {u"4.3.1"_s, u"452"_s, u"452 4.3.1 Insufficient system storage"_s},
        u"systemfull"_s, false);

    // --- the recipient's account --------------------------------------------------------------
    add("suspend-525-account-disabled", {{}, u"525"_s, u"525 User account is disabled"_s}, u"suspend"_s, false);
    add("suspend-550-mailbox-disabled",
        {u"5.2.1"_s, u"550"_s, u"550 5.2.1 This mailbox is disabled"_s}, u"suspend"_s, false);
    add("hasmoved-550-5.1.6",
        {u"5.1.6"_s, u"550"_s, u"550 5.1.6 recipient no longer on server: kijitora@example.go.jp"_s},
        u"hasmoved"_s, true);
    add("hasmoved-replaced-by",
        {{}, u"550"_s, u"550 Address kijitora@example.jp has been replaced by neko@example.org"_s}, u"hasmoved"_s,
        true);

    // --- the domain --------------------------------------------------------------------------------
    add("hostunknown-550-5.1.2-host-unknown",
        {u"5.1.2"_s, u"550"_s, u"550 5.1.2 Host unknown (Name server: example.invalid: host not found)"_s},
        u"hostunknown"_s, true);
    add("hostunknown-no-status-unrouteable", {{}, {}, u"Unrouteable address"_s}, u"hostunknown"_s, true);
    add("networkerror-5.1.2-but-dns-failure",
        {u"5.1.2"_s, {}, u"Name service error: malformed or unexpected name server reply"_s}, u"networkerror"_s,
        false);
    add("networkerror-4.4.6-routing-loop",
        {u"4.4.6"_s, u"451"_s, u"451 4.4.6 Message probably in a routing loop"_s}, u"networkerror"_s, false);
    add("notaccept-556-5.1.10-null-mx",
        {u"5.1.10"_s, u"556"_s, u"556 5.1.10 Recipient address has null MX"_s}, u"notaccept"_s, true);
    add("notaccept-421-4.3.2-temporary-is-soft",
        {u"4.3.2"_s, u"421"_s, u"421 4.3.2 System not accepting network messages"_s}, u"notaccept"_s, false);

    // --- the sender and the sending host -------------------------------------------------------
    add("rejected-5.1.8-sender-domain",
        {u"5.1.8"_s, u"553"_s,
         u"553 5.1.8 <sender@example.com>: Sender address rejected: Domain not found (in reply to MAIL FROM command)"_s},
        u"rejected"_s, false);
    add("rejected-mail-from-sender-rejected",
        {{}, u"501"_s, u"501 Sender rejected: bad address (in reply to MAIL FROM command)"_s}, u"rejected"_s, false);
    add("norelaying-554-relay-access-denied",
        {u"5.7.1"_s, u"554"_s, u"554 5.7.1 <x@example.org>: Relay access denied (in reply to RCPT TO command)"_s},
        u"norelaying"_s, false);
    add("blocked-554-spamhaus",
        {u"5.7.1"_s, u"554"_s, u"554 5.7.1 Service unavailable; Client host [192.0.2.9] blocked using zen.spamhaus.org"_s},
        u"blocked"_s, false);
    add("blocked-refused-at-greeting-no-text-match",
        {{}, u"554"_s, u"host mx.example.jp[192.0.2.1] refused to talk to me: 554 Your access is not permitted"_s},
        u"blocked"_s, false);
    add("requireptr-cannot-find-hostname",
        {u"5.7.1"_s, u"550"_s, u"550 5.7.1 Client host rejected: cannot find your hostname, [192.0.2.7]"_s},
        u"requireptr"_s, false);
    add("authfailure-dmarc-policy",
        {u"5.7.1"_s, u"550"_s, u"550 5.7.1 Email rejected per DMARC policy for example.org"_s}, u"authfailure"_s,
        false);
    add("authfailure-5.7.26-by-status",
        {u"5.7.26"_s, u"550"_s, u"550 5.7.26 Unauthenticated mail is not accepted"_s}, u"authfailure"_s, false);
    add("speeding-4.7.1-try-again-slower",
        {u"4.7.1"_s, u"451"_s, u"451 4.7.1 <mx.example.org[192.0.2.2]>: Client host rejected: Please try again slower"_s},
        u"speeding"_s, false);
    add("toomanyconn-421-too-many-connections",
        {u"4.7.0"_s, u"421"_s, u"421 4.7.0 Too many connections from your host."_s}, u"toomanyconn"_s, false);
    add("securityerror-530-authentication-required",
        {u"5.7.0"_s, u"530"_s, u"530 5.7.0 Authentication required"_s}, u"securityerror"_s, false);
    add("securityerror-5.7.x-without-phrase",
        {u"5.7.0"_s, u"550"_s, u"550 5.7.0 Not permitted here"_s}, u"securityerror"_s, false);

    // --- the content -----------------------------------------------------------------------------
    add("spamdetected-5.7.1-rejected-as-spam",
        {u"5.7.1"_s, u"550"_s, u"550 5.7.1 Message rejected as spam by Content Filtering (in reply to end of DATA command)"_s},
        u"spamdetected"_s, false);
    add("virusdetected-virus-found",
        {u"5.7.1"_s, u"550"_s, u"550 5.7.1 Virus detected: Eicar-Test-Signature (in reply to end of DATA command)"_s},
        u"virusdetected"_s, false);
    add("policyviolation-not-accepted-for-policy-reasons",
        {u"5.7.1"_s, u"554"_s, u"554 5.7.1 Email not accepted for policy reasons"_s}, u"policyviolation"_s, false);
    add("contenterror-5.6.0", {u"5.6.0"_s, u"550"_s, u"550 5.6.0 Message contains invalid header lines"_s},
        u"contenterror"_s, false);
    add("notcompliantrfc-multiple-subject",
        {u"5.7.1"_s, u"550"_s, u"550 5.7.1 This message is not RFC 5322 compliant. There are multiple Subject headers."_s},
        u"notcompliantrfc"_s, false);
    add("badreputation-text", {u"4.7.650"_s, u"451"_s,
        u"451 4.7.650 The mail server [192.0.2.5] has been temporarily rate limited due to IP reputation."_s},
        u"badreputation"_s, false);

    // --- the remote system and the protocol ----------------------------------------------------
    add("systemerror-local-configuration-error",
        {u"4.3.0"_s, u"451"_s, u"451 4.3.0 Local configuration error"_s}, u"systemerror"_s, false);
    add("syntaxerror-503-bad-sequence",
        {u"5.5.1"_s, u"503"_s, u"503 5.5.1 Bad sequence of commands"_s}, u"syntaxerror"_s, false);
    add("mailererror-command-died", {{}, {}, u"Command died with status 255: /usr/bin/procmail"_s},
        u"mailererror"_s, false);

    // --- time ---------------------------------------------------------------------------------------
    add("expired-4.4.7-retry-timeout",
        {u"4.4.7"_s, {}, u"retry timeout exceeded"_s, u"failed"_s}, u"expired"_s, false);
    add("expired-delayed-action-only", {{}, {}, {}, u"delayed"_s}, u"expired"_s, false);
    add("expired-connection-timed-out",
        {{}, {}, u"connect to mx.example.jp[192.0.2.1]:25: Connection timed out"_s}, u"expired"_s, false);

    // --- fallbacks --------------------------------------------------------------------------------
    add("onhold-text-without-clue", {{}, {}, u"Something odd happened to this message"_s}, u"onhold"_s, false);
    add("undefined-nothing-known", {}, u"undefined"_s, false);

    // --- provider rules (Sisimai::Rhost) ---------------------------------------------------------
    add("google-421-4.7.0-not-in-whitelist-blocked",
        {u"4.7.0"_s, u"421"_s, u"421-4.7.0 IP not in whitelist for RCPT domain, closing connection."_s, {}, {},
         u"aspmx.l.google.com"_s}, u"blocked"_s, false);
    add("google-multiline-reply-prefixes-removed",
        {u"5.7.1"_s, u"550"_s,
         u"550-5.7.1 [192.0.2.1] Our system has detected an unusual rate of\n550-5.7.1 unsolicited mail originating "
         "from your IP address. To protect our\n550 5.7.1 users from spam, mail sent from your IP address has been blocked."_s,
         {}, {}, u"gmail-smtp-in.l.google.com"_s}, u"blocked"_s, false);
    add("same-text-other-host-securityerror-by-4.7",
        {u"4.7.0"_s, u"421"_s, u"421-4.7.0 IP not in whitelist for RCPT domain, closing connection."_s, {}, {},
         u"mx.example.net"_s}, u"securityerror"_s, false);
    add("google-rule-needs-matching-status",
        {u"5.2.2"_s, u"550"_s, u"550 5.2.2 IP not in whitelist for RCPT domain"_s, {}, {},
         u"aspmx.l.google.com"_s}, u"mailboxfull"_s, false);
    add("franceptt-ofr-416-userunknown",
        {u"5.1.1"_s, u"550"_s, u"550 5.1.1 Adresse d au moins un destinataire invalide. Invalid recipient. OFR_416 [416]"_s,
         {}, {}, u"smtp-in.orange.fr"_s}, u"userunknown"_s, true);
    add("franceptt-unlisted-code-undefined",
        {u"5.5.0"_s, u"550"_s, u"550 5.5.0 Service refuse. Veuillez essayer plus tard. LPN001_108"_s, {}, {},
         u"smtpz4.laposte.net"_s}, u"undefined"_s, false);
    add("franceptt-by-recipient-domain",
        {u"5.5.0"_s, u"550"_s, u"550 5.5.0 Boite du destinataire archivee. Archived recipient. LPN007_420"_s, {}, {},
         {}, u"neko@laposte.net"_s}, u"suspend"_s, false);
    add("godaddy-ib607-speeding",
        {u"5.1.1"_s, u"550"_s, u"550 5.1.1 <k@example.com> - 192.0.2.22 has sent to too many recipients this hour. IB607"_s,
         {}, {}, u"smtp.secureserver.net"_s}, u"speeding"_s, false);
    add("microsoft-5.7.509-dmarc-authfailure",
        {u"5.7.509"_s, u"550"_s, u"550 5.7.509 Access denied, sending domain [EXAMPLE.JP] does not pass DMARC verification"_s,
         {}, {}, u"apc.olc.protection.outlook.com"_s}, u"authfailure"_s, false);
    add("yahoo-tss04-rejected",
        {u"4.7.0"_s, u"421"_s,
         u"421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred due to unexpected volume or user complaints"_s,
         {}, {}, u"mta6.am0.yahoodns.net"_s}, u"rejected"_s, false);
    add("tencent-frequency-limited-toomanyconn",
        {{}, u"550"_s, u"550 Ip frequency limited [Blocked IP 192.0.2.22]"_s, {}, {}, u"mx3.qq.com"_s},
        u"toomanyconn"_s, false);
    add("kddi-filter-without-address",
        {u"5.2.0"_s, u"550"_s, u"550 : User unknown"_s, {}, {}, u"lsean.ezweb.ne.jp"_s}, u"filtered"_s, false);
    add("nttdocomo-5.0.0-after-data-rejected",
        {u"5.0.0"_s, u"550"_s, u"550 Unknown user neko@docomo.ne.jp (in reply to end of DATA command)"_s, {}, {},
         u"mfsmax.docomo.ne.jp"_s}, u"rejected"_s, false);
    add("iua-error-page-suspend",
        {{}, u"550"_s, u"550 Mailbox is frozen. See http://mail.i.ua/err/3/"_s, {}, {}, u"mx3.email.ua"_s},
        u"suspend"_s, false);
    add("mimecast-554-host-network-policyviolation",
        {{}, u"554"_s, u"554 Host network not allowed - https://community.mimecast.com/docs/DOC-1369#554"_s, {}, {},
         u"us-smtp-inbound-1.mimecast.com"_s}, u"policyviolation"_s, false);
    add("spectrum-aup-code-range-requireptr",
        {{}, u"554"_s, u"554 5.7.1 AUP#I1120 Your IP has no reverse DNS"_s, {}, {}, u"mx.charter.net"_s},
        u"requireptr"_s, false);
    add("cox-aup-code-blocked",
        {{}, u"554"_s, u"554 Sorry, we do not accept mail from 192.0.2.1 AUP#CXBL"_s, {}, {}, u"cxr.mx.a.cox.net"_s},
        u"blocked"_s, false);
    add("cox-unknown-code-falls-to-phrases",
        {{}, u"550"_s, u"550 Recipient rejected AUP#XYZ"_s, {}, {}, u"cxr.mx.a.cox.net"_s}, u"userunknown"_s, true);
    add("apple-inactive-address-userunknown",
        {u"5.1.1"_s, u"550"_s, u"550 5.1.1 <p@icloud.com>: inactive email address (in reply to RCPT TO command)"_s,
         {}, {}, u"mx01.mail.icloud.com"_s}, u"userunknown"_s, true);

    // --- a decoder's own reason ---------------------------------------------------------------
    add("hint-kept-when-decisive", {{}, {}, u"some text"_s, {}, {}, {}, {}, u"mailererror"_s}, u"mailererror"_s, false);
    add("hint-retried-when-weak",
        {u"5.2.2"_s, u"552"_s, u"552 5.2.2 Mailbox full"_s, {}, {}, {}, {}, u"userunknown"_s}, u"mailboxfull"_s, false);
    add("hint-unknown-name-ignored", {{}, {}, u"User unknown"_s, {}, u"RCPT"_s, {}, {}, u"bogus"_s},
        u"userunknown"_s, true);
}

void TstReasonClassifier::reason()
{
    QFETCH(QString, status);
    QFETCH(QString, reply);
    QFETCH(QString, diagnostic);
    QFETCH(QString, action);
    QFETCH(QString, command);
    QFETCH(QString, remoteHost);
    QFETCH(QString, recipient);
    QFETCH(QString, hint);
    QFETCH(QString, reason);
    QFETCH(bool, hard);
    const ReasonResult r =
        ReasonClassifier::classify(inputOf({status, reply, diagnostic, action, command, remoteHost, recipient, hint}));
    QCOMPARE(r.reason, reason);
    QCOMPARE(r.hardBounce, hard);
    QVERIFY2(r.status.isEmpty() || StatusCode::isValid(r.status), qPrintable(r.status));
}

void TstReasonClassifier::families_data()
{
    QTest::addColumn<QString>("family");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("diagnostic");
    QTest::addColumn<QString>("reason");
    QTest::newRow("qmail-does-not-like-recipient-userunknown")
        << u"qmail"_s << QString() << u"192.0.2.1 does not like recipient. Remote host said: 550 sorry"_s
        << u"userunknown"_s;
    QTest::newRow("qmail-quota-wins-over-recipient-prefix")
        << u"qmail"_s << QString()
        << u"192.0.2.1 does not like recipient. Remote host said: 552 Error: disk quota exceeded"_s << u"mailboxfull"_s;
    QTest::newRow("qmail-my-name-rejected-blocked")
        << u"qmail"_s << QString()
        << u"Connected to 192.0.2.1 but my name was rejected. Remote host said: 501 5.0.0 Invalid domain name"_s
        << u"blocked"_s;
    QTest::newRow("qmail-no-mx-notaccept")
        << u"qmail"_s << u"5.4.4"_s << u"Sorry, I couldn't find a mail exchanger or IP address. (#5.4.4)"_s
        << u"notaccept"_s;
    QTest::newRow("qmail-table-not-used-for-other-family")
        << u"postfix"_s << u"5.4.4"_s << u"Sorry, I couldn't find a mail exchanger or IP address. (#5.4.4)"_s
        << u"hostunknown"_s;
    QTest::newRow("exim-no-smtp-service-notaccept")
        << u"Exim"_s << QString() << u"an MX or SRV record indicated no SMTP service"_s << u"notaccept"_s;
    QTest::newRow("exim-malformed-address-syntaxerror")
        << u"exim"_s << QString() << u"a@b <c@d>: malformed address: <c@d> may not follow a@b"_s << u"syntaxerror"_s;
    QTest::newRow("domino-directory-userunknown")
        << u"Domino"_s << QString() << u"User x (x@example.jp) not listed in Domino Directory"_s << u"userunknown"_s;
    QTest::newRow("googlegroups-default-rejected")
        << u"GoogleGroups"_s << QString() << u"the group you tried to contact may not exist"_s << u"rejected"_s;
    QTest::newRow("office365-status-range-blocked")
        << u"Office365"_s << u"5.7.606"_s << u"550 5.7.606 Access denied, banned sending IP [192.0.2.1]"_s
        << u"blocked"_s;
    QTest::newRow("mail-local-detected-in-rfc3464")
        << u"rfc3464"_s << u"5.5.0"_s << u"mail.local: unknown user: kijitora"_s << u"userunknown"_s;
    QTest::newRow("mail-local-detected-without-family")
        << QString() << QString() << u"mail.local: Disc quota exceeded"_s << u"mailboxfull"_s;
}

void TstReasonClassifier::families()
{
    QFETCH(QString, family);
    QFETCH(QString, status);
    QFETCH(QString, diagnostic);
    QFETCH(QString, reason);
    ReasonInput in;
    in.family = family;
    in.status = status;
    in.diagnostic = diagnostic;
    QCOMPARE(ReasonClassifier::classify(in).reason, reason);
}

void TstReasonClassifier::kinds_data()
{
    QTest::addColumn<MessageKind>("kind");
    QTest::addColumn<QString>("family");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("reason");
    QTest::newRow("feedback-by-kind") << MessageKind::Feedback << QString() << QString() << QString() << u"feedback"_s;
    QTest::newRow("feedback-by-arf-family") << MessageKind::Bounce << u"arf"_s << QString() << QString()
                                            << u"feedback"_s;
    QTest::newRow("vacation-by-kind") << MessageKind::AutoReply << QString() << QString() << QString()
                                      << u"vacation"_s;
    QTest::newRow("vacation-by-rfc3834-family") << MessageKind::Bounce << u"RFC3834"_s << QString() << QString()
                                                << u"vacation"_s;
    QTest::newRow("delivered-by-kind") << MessageKind::Delivered << QString() << u"2.1.5"_s << QString()
                                       << u"delivered"_s;
    QTest::newRow("delivered-by-action") << MessageKind::Bounce << QString() << u"2.6.0"_s << u"delivered"_s
                                         << u"delivered"_s;
    QTest::newRow("delivered-by-2.x-status") << MessageKind::Bounce << QString() << u"2.1.5"_s << u"relayed"_s
                                             << u"delivered"_s;
    QTest::newRow("delay-kind-means-delayed") << MessageKind::Delay << QString() << QString() << QString()
                                              << u"expired"_s;
}

void TstReasonClassifier::kinds()
{
    QFETCH(MessageKind, kind);
    QFETCH(QString, family);
    QFETCH(QString, status);
    QFETCH(QString, action);
    QFETCH(QString, reason);
    ReasonInput in;
    in.kind = kind;
    in.family = family;
    in.status = status;
    in.action = action;
    const ReasonResult r = ReasonClassifier::classify(in);
    QCOMPARE(r.reason, reason);
    QVERIFY(!r.hardBounce);
}

void TstReasonClassifier::statusResult_data()
{
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("reply");
    QTest::addColumn<QString>("diagnostic");
    QTest::addColumn<QString>("resultStatus");
    QTest::addColumn<QString>("resultReply");
    QTest::newRow("given-status-kept") << u"5.2.2"_s << u"552"_s << u"552 5.2.2 full"_s << u"5.2.2"_s << u"552"_s;
    QTest::newRow("pseudo-input-ignored-then-recomputed") << u"5.0.911"_s << QString()
                                                          << u"Unknown Recipient (in reply to RCPT TO command)"_s
                                                          << u"5.0.911"_s << QString();
    QTest::newRow("pseudo-filtered-unknown-user-no-command") << QString() << QString() << u"Unknown user"_s
                                                            << u"5.0.910"_s
                                                   << QString();
    QTest::newRow("pseudo-temporary-from-reply") << QString() << u"452"_s << u"452 Mailbox full"_s << u"4.0.922"_s
                                                 << u"452"_s;
    QTest::newRow("reply-of-other-class-dropped") << u"5.1.1"_s << u"250"_s << u"User unknown"_s << u"5.1.1"_s
                                                  << QString();
    QTest::newRow("status-found-in-text") << QString() << QString() << u"550 5.1.1 no such user"_s << u"5.1.1"_s
                                          << u"550"_s;
}

void TstReasonClassifier::statusResult()
{
    QFETCH(QString, status);
    QFETCH(QString, reply);
    QFETCH(QString, diagnostic);
    QFETCH(QString, resultStatus);
    QFETCH(QString, resultReply);
    const ReasonResult r = ReasonClassifier::classify(inputOf({status, reply, diagnostic}));
    QCOMPARE(r.status, resultStatus);
    QCOMPARE(r.replyCode, resultReply);
}

void TstReasonClassifier::hardBounce_data()
{
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("hard");
    QTest::newRow("userunknown") << u"userunknown"_s << QString() << true;
    QTest::newRow("hostunknown") << u"hostunknown"_s << QString() << true;
    QTest::newRow("hasmoved") << u"hasmoved"_s << QString() << true;
    QTest::newRow("notaccept-5xx") << u"notaccept"_s << u"5.1.10 null MX"_s << true;
    QTest::newRow("notaccept-no-code") << u"notaccept"_s << u"No MX found for domain"_s << true;
    QTest::newRow("notaccept-4xx") << u"notaccept"_s << u"4.3.2 try later"_s << false;
    QTest::newRow("notaccept-temporary-word") << u"notaccept"_s << u"a temporary problem"_s << false;
    QTest::newRow("mailboxfull-soft") << u"mailboxfull"_s << u"5.2.2"_s << false;
    QTest::newRow("blocked-soft") << u"blocked"_s << u"5.7.1"_s << false;
    QTest::newRow("undefined-soft") << u"undefined"_s << QString() << false;
}

void TstReasonClassifier::hardBounce()
{
    QFETCH(QString, reason);
    QFETCH(QString, text);
    QFETCH(bool, hard);
    QCOMPARE(ReasonClassifier::isHardBounce(reason, text), hard);
}

void TstReasonClassifier::kindNames()
{
    const QList<MessageKind> kinds = {MessageKind::Bounce, MessageKind::Delay, MessageKind::Feedback,
                                      MessageKind::AutoReply, MessageKind::Delivered, MessageKind::Other};
    const QStringList names = {u"bounce"_s, u"delay"_s, u"feedback"_s, u"autoreply"_s, u"delivered"_s, u"other"_s};
    for (qsizetype i = 0; i < kinds.size(); ++i) {
        QCOMPARE(kindName(kinds.at(i)), names.at(i));
        QCOMPARE(kindFromName(names.at(i)), kinds.at(i));
    }
    QCOMPARE(kindFromName(u" Delay "_s), MessageKind::Delay);
    QCOMPARE(kindFromName(u"nonsense"_s), MessageKind::Other);
}

void TstReasonClassifier::garbage_data()
{
    QTest::addColumn<QString>("diagnostic");
    QString repeated;
    for (int i = 0; i < 30000; ++i)
        repeated += u"550-5.7.1 user unknown "_s;
    QTest::newRow("huge-multiline-reply-700k") << repeated;
    QTest::newRow("nul-and-controls") << QString::fromUtf16(u"\0\x01 550\0 5.1.1\r\n\t>>> RCPT", 21);
    QTest::newRow("only-spaces") << QString(10000, u' ');
    QTest::newRow("regex-metacharacters") << u"(((((([[[[***+++???\\\\ 550 5.1.1 $^|"_s;
}

void TstReasonClassifier::garbage()
{
    QFETCH(QString, diagnostic);
    QElapsedTimer timer;
    timer.start();
    ReasonInput in;
    in.diagnostic = diagnostic;
    in.replyCode = diagnostic.left(3);
    in.status = diagnostic.left(20);
    in.remoteHost = diagnostic.left(40);
    in.recipient = diagnostic.right(30);
    const ReasonResult r = ReasonClassifier::classify(in);
    QVERIFY(!r.reason.isEmpty());
    QVERIFY(r.status.isEmpty() || StatusCode::isValid(r.status));
    QVERIFY2(timer.elapsed() < 10000, "classification must stay bounded on hostile input");
}

/// Agreement with the labelled corpus (sisimai 5.1 labels), fed from the descriptive fields only.
class TstReasonCorpus : public QObject {
    Q_OBJECT

private slots:
    void agreement();
};

void TstReasonCorpus::agreement()
{
    const QString path = QStringLiteral(BI_SHARED_CORPUS_DIR) + u"/bounces/expected.jsonl"_s;
    QFile file(path);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));

    int records = 0;
    int reasonAgrees = 0;
    int hardAgrees = 0;
    int bothAgree = 0;
    QMap<QString, int> missesByLabel;
    QStringList disagreements;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (line.isEmpty())
            continue;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        QVERIFY2(!o.isEmpty(), line.constData());
        ++records;

        ReasonInput in;
        const QString status = o.value(u"status"_s).toString();
        if (!StatusCode::isPseudo(status))
            in.status = status;
        in.replyCode = o.value(u"replycode"_s).toString();
        in.diagnostic = o.value(u"diagnosticcode"_s).toString();
        in.action = o.value(u"action"_s).toString();
        in.remoteHost = o.value(u"rhost"_s).toString();
        in.reportingHost = o.value(u"lhost"_s).toString();
        in.family = o.value(u"smtpagent"_s).toString();
        in.recipient = o.value(u"recipient"_s).toString();
        const ReasonResult r = ReasonClassifier::classify(in);

        const QString wantReason = o.value(u"reason"_s).toString();
        const bool wantHard = o.value(u"hardbounce"_s).toBool();
        const bool reasonOk = r.reason == wantReason;
        const bool hardOk = r.hardBounce == wantHard;
        reasonAgrees += reasonOk ? 1 : 0;
        hardAgrees += hardOk ? 1 : 0;
        bothAgree += (reasonOk && hardOk) ? 1 : 0;
        if (!reasonOk || !hardOk) {
            missesByLabel[wantReason] += 1;
            disagreements.append(u"  %1#%2 want %3/%4 got %5/%6 [status %7 reply %8 cmd %9] %10"_s
                                     .arg(o.value(u"file"_s).toString())
                                     .arg(o.value(u"index"_s).toInt())
                                     .arg(wantReason, wantHard ? u"hard"_s : u"soft"_s, r.reason,
                                          r.hardBounce ? u"hard"_s : u"soft"_s, in.status, in.replyCode,
                                          r.smtpCommand, in.diagnostic.left(140)));
        }
    }
    QVERIFY(records > 0);

    const auto percent = [records](int n) { return 100.0 * n / records; };
    std::printf("reason agreement: %d/%d (%.1f %%)\nhardbounce agreement: %d/%d (%.1f %%)\n"
                "both: %d/%d (%.1f %%)\n",
                reasonAgrees, records, percent(reasonAgrees), hardAgrees, records, percent(hardAgrees), bothAgree,
                records, percent(bothAgree));
    if (!disagreements.isEmpty()) {
        std::printf("disagreements (%lld):\n%s\n", static_cast<long long>(disagreements.size()),
                    qPrintable(disagreements.join(u'\n')));
        QStringList byLabel;
        for (auto it = missesByLabel.cbegin(); it != missesByLabel.cend(); ++it)
            byLabel.append(u"%1=%2"_s.arg(it.key()).arg(it.value()));
        std::printf("misses by expected reason: %s\n", qPrintable(byLabel.join(u", "_s)));
    }
    std::fflush(stdout);

    // Floors actually reached on sisimai 5.1's labels (see the printed figures); raise them
    // when the rules improve, never lower them to make a change pass.
    QVERIFY2(percent(reasonAgrees) >= 95.0, "reason agreement fell below the floor");
    QVERIFY2(percent(hardAgrees) >= 98.0, "hard-bounce agreement fell below the floor");
}

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments();
    if (args.contains(u"--corpus"_s)) {
        args.removeAll(u"--corpus"_s);
        const QString corpus = QStringLiteral(BI_SHARED_CORPUS_DIR) + u"/bounces/expected.jsonl"_s;
        if (!QFile::exists(corpus)) {
            std::printf("SKIP: shared bounce corpus not found at %s\n", qPrintable(corpus));
            return 77;
        }
        TstReasonCorpus corpusTest;
        return QTest::qExec(&corpusTest, args);
    }
    TstReasonClassifier unitTest;
    return QTest::qExec(&unitTest, args);
}

#include "tst_reason_classifier.moc"
