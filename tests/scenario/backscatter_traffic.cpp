// SPDX-License-Identifier: GPL-3.0-or-later
#include "backscatter_traffic.h"

#include <random>

#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace bi::scenario {

namespace {

class Rng {
public:
    explicit Rng(quint64 seed) : m_engine(seed) {}
    int between(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(m_engine); }
    bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(m_engine) < p; }
    QString hex(int n, bool upper = false)
    {
        static const char digits[] = "0123456789abcdef";
        QString s;
        for (int i = 0; i < n; ++i)
            s += QChar::fromLatin1(digits[between(0, 15)]);
        return upper ? s.toUpper() : s;
    }
    QString alnum(int n)
    {
        static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        QString s;
        for (int i = 0; i < n; ++i)
            s += QChar::fromLatin1(digits[between(0, 61)]);
        return s;
    }
    template<typename T, std::size_t N>
    const T& pick(const T (&items)[N]) { return items[between(0, int(N) - 1)]; }

private:
    std::mt19937_64 m_engine;
};

const QTimeZone kZone(3600);

QString syslogStamp(const QDateTime& utc)
{
    const QDateTime local = utc.toTimeZone(kZone);
    return QLocale::c().toString(local, u"MMM"_s) + u' ' + QString::number(local.date().day()).rightJustified(2, u' ')
        + u' ' + local.toString(u"HH:mm:ss"_s);
}

QString rfc2822(const QDateTime& utc, int offsetSeconds = 3600)
{
    const QDateTime local = utc.toOffsetFromUtc(offsetSeconds);
    const int h = std::abs(offsetSeconds) / 3600, m = (std::abs(offsetSeconds) % 3600) / 60;
    return QLocale::c().toString(local, u"ddd, d MMM yyyy HH:mm:ss "_s) + (offsetSeconds < 0 ? u'-' : u'+')
        + QString::number(h).rightJustified(2, u'0') + QString::number(m).rightJustified(2, u'0');
}

QString asctime(const QDateTime& utc)
{
    return QLocale::c().toString(utc, u"ddd MMM "_s) + QString::number(utc.date().day()).rightJustified(2, u' ')
        + utc.toString(u" HH:mm:ss yyyy"_s);
}

struct Remote {
    const char* domain;
    const char* mx;
};
const Remote kRemotes[] = {
    {"mail.ru", "mxs.mail.ru"},           {"yandex.ru", "mx.yandex.ru"},      {"163.com", "mx.163.com"},
    {"t-online.de", "mx00.t-online.de"}, {"orange.fr", "smtp-in.orange.fr"}, {"libero.it", "smtp-in.libero.it"},
    {"uol.com.br", "mx.uol.com.br"},     {"naver.com", "mx1.naver.com"},     {"wp.pl", "mx.wp.pl"},
    {"seznam.cz", "mx1.seznam.cz"},      {"rediffmail.com", "mx.rediffmail.com"}, {"abv.bg", "mx.abv.bg"},
};
const char* const kSpamSubjects[] = {
    "Cheap pills online - 80% off", "You have won a $1000 gift card", "Hot singles in your area",
    "Bitcoin investment opportunity", "Replica watches, best prices", "Invoice 48213 attached",
    "Re: your order", "Document for review", "Meeting tomorrow", "Urgent reply needed",
    "Your account has been suspended", "Final notice: claim your prize",
};
const char* const kOurSenders[] = {"newsletter", "orders", "support"};
const char* const kCommonLocal[] = {"info", "sales", "admin", "office", "contact", "billing", "hr"};
const char* const kFirstNames[] = {"anna", "boris", "chen", "dario", "elena", "farid", "greta", "hugo"};

QString forgedSender(Rng& rng)
{
    const int roll = rng.between(1, 100);
    if (roll <= 20)
        return QString::fromUtf8(rng.pick(kOurSenders)) + u"@shop.example"_s; // a real sender forged
    if (roll <= 45)
        return QString::fromUtf8(rng.pick(kCommonLocal)) + u"@shop.example"_s;
    if (roll <= 75)
        return QString::fromUtf8(rng.pick(kFirstNames)) + u'.' + QString::number(rng.between(1, 99)) + u"@shop.example"_s;
    return rng.alnum(rng.between(5, 9)).toLower() + u"@shop.example"_s;
}

// Spammers' Message-IDs, in the shapes real spam carries (or none).
QString spamMessageId(Rng& rng, const QString& forgedDomain, const QDateTime& at)
{
    switch (rng.between(0, 5)) {
    case 0:
        return rng.hex(12, true) + u'@' + forgedDomain;
    case 1:
        return at.toString(u"yyyyMMddHHmmss"_s) + u'.' + QString::number(rng.between(1000, 99999)) + u"@localhost"_s;
    case 2:
        return u"CA+"_s + rng.alnum(30) + u"@mail.gmail.com"_s;
    case 3:
        return rng.hex(8) + u'-' + rng.hex(4) + u'-' + rng.hex(4) + u'-' + rng.hex(4) + u'-' + rng.hex(12) + u'@'
            + rng.alnum(6).toLower() + u".info"_s;
    case 4:
        return QString::number(rng.between(100000, 999999)) + u'.' + rng.alnum(10) + u"@desktop-"_s
            + rng.alnum(7).toUpper();
    default:
        return {};
    }
}

QString botIp(Rng& rng)
{
    return u"%1.%2.%3.%4"_s.arg(rng.between(31, 223)).arg(rng.between(0, 255)).arg(rng.between(0, 255)).arg(
        rng.between(1, 254));
}

// The spam as the receiving MX got it: its own Received line, maybe a forged one below.
QString spamHeaders(Rng& rng, const QString& sender, const QString& rcpt, const QString& mx, const QString& subject,
                    const QString& mid, const QDateTime& at)
{
    const QString ip = botIp(rng);
    const QString helo = rng.chance(0.4) ? u"shop.example"_s : u"["_s + ip + u']';
    QString h = u"Received: from "_s + helo + u" (unknown ["_s + ip + u"])\n\tby "_s + mx + u" with ESMTP id "_s
        + rng.hex(10, true) + u"\n\tfor <"_s + rcpt + u">; "_s + rfc2822(at, 0) + u'\n';
    if (rng.chance(0.3))
        h += u"Received: from User (["_s + botIp(rng) + u"]) by "_s + helo + u"; "_s + rfc2822(at.addSecs(-30), -18000)
            + u'\n';
    h += u"From: \""_s + sender.section(u'@', 0, 0) + u"\" <"_s + sender + u">\nTo: "_s + rcpt + u"\nSubject: "_s
        + subject + u"\nDate: "_s + rfc2822(at.addSecs(-rng.between(5, 120)), rng.chance(0.5) ? -18000 : 28800) + u'\n';
    if (!mid.isEmpty())
        h += u"Message-ID: <"_s + mid + u">\n"_s;
    return h + u"MIME-Version: 1.0\nContent-Type: text/html; charset=\"utf-8\"\n"_s;
}

} // namespace

BackscatterTraffic BackscatterTraffic::generate(quint64 seed, int inbound, int outbound, const QDateTime& start,
                                                const QDateTime& end)
{
    BackscatterTraffic t;
    Rng rng(seed ^ 0x9e3779b97f4a7c15ULL);
    const qint64 span = std::max<qint64>(1, start.secsTo(end) - 3600);

    for (int i = 0; i < inbound; ++i) {
        const Remote& remote = rng.pick(kRemotes);
        const QString mx = QString::fromUtf8(remote.mx);
        const QString sender = forgedSender(rng);
        const QString rcpt = QString::fromUtf8(rng.pick(kFirstNames)) + QString::number(rng.between(100, 9999)) + u'@'
            + QString::fromUtf8(remote.domain);
        const QDateTime spamAt = start.addSecs(rng.between(0, int(span)));
        const QDateTime at = spamAt.addSecs(rng.between(2, 3 * 3600));
        const QString subject = QString::fromUtf8(rng.pick(kSpamSubjects));
        const QString mid = spamMessageId(rng, u"shop.example"_s, spamAt);
        const QString original = spamHeaders(rng, sender, rcpt, mx, subject, mid, spamAt);
        const QString bounceId = rng.hex(16) + u'@' + mx;
        const QString received = u"Received: from "_s + mx + u" ("_s + mx + u" ["_s + botIp(rng)
            + u"])\n\tby mx-in.shop.example (Postfix) with ESMTP id "_s + rng.hex(10, true) + u"\n\tfor <"_s + sender
            + u">; "_s + rfc2822(at) + u'\n';
        const int style = rng.between(0, 6);
        QString text;
        const QString boundary = u"=_"_s + rng.hex(16);
        auto dsn = [&](const QString& from, const QString& subjectLine, const QString& human, const QString& status,
                       const QString& diag, bool quoteOriginal = true) {
            return received + u"Date: "_s + rfc2822(at) + u"\nFrom: "_s + from + u"\nTo: "_s + sender + u"\nSubject: "_s
                + subjectLine + u"\nMessage-ID: <"_s + bounceId + u">\nAuto-Submitted: auto-replied\nMIME-Version: 1.0\n"
                  u"Content-Type: multipart/report; report-type=delivery-status;\n\tboundary=\""_s + boundary
                + u"\"\n\n--"_s + boundary + u"\nContent-Type: text/plain; charset=us-ascii\n\n"_s + human + u"\n--"_s
                + boundary + u"\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; "_s + mx
                + u"\nArrival-Date: "_s + rfc2822(spamAt) + u"\n\nFinal-Recipient: rfc822; "_s + rcpt
                + u"\nAction: failed\nStatus: "_s + status + u"\nDiagnostic-Code: smtp; "_s + diag + u"\n\n--"_s
                + boundary
                + (quoteOriginal ? u"\nContent-Type: text/rfc822-headers\n\n"_s + original + u"\n--"_s + boundary : QString())
                + u"--\n"_s;
        };
        QString styleName;
        if (style == 0) {
            styleName = u"postfix-dsn"_s;
            const QString diag = u"550 5.1.1 <"_s + rcpt + u">: Recipient address rejected: User unknown"_s;
            text = dsn(u"MAILER-DAEMON@"_s + mx + u" (Mail Delivery System)"_s, u"Undelivered Mail Returned to Sender"_s,
                       u"This is the mail system at host "_s + mx + u".\n\nI'm sorry to have to inform you that your "
                       u"message could not\nbe delivered to one or more recipients.\n\n<"_s + rcpt + u">: "_s + diag + u'\n',
                       u"5.1.1"_s, diag);
        } else if (style == 1) {
            styleName = u"spam-reject"_s;
            const QString diag = u"550 5.7.1 Our system has detected that this message is likely unsolicited mail. "
                                 u"To reduce the amount of spam, this message has been blocked."_s;
            text = dsn(u"Mail Delivery Subsystem <mailer-daemon@"_s + mx + u'>', u"Delivery Status Notification (Failure)"_s,
                       u"Your message wasn't delivered to "_s + rcpt + u" because it was rejected as spam.\n\n"_s + diag + u'\n',
                       u"5.7.1"_s, diag);
        } else if (style == 2) {
            styleName = u"exchange"_s;
            const QString diag = u"550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup"_s;
            text = dsn(u"postmaster@"_s + QString::fromUtf8(remote.domain), u"Undeliverable: "_s + subject,
                       u"Delivery has failed to these recipients or groups:\n\n"_s + rcpt
                           + u"\nThe email address you entered couldn't be found.\n\nRemote Server returned '"_s + diag
                           + u"'\n"_s,
                       u"5.1.10"_s, diag);
        } else if (style == 3) {
            styleName = u"qmail"_s;
            text = received + u"Date: "_s + rfc2822(at) + u"\nFrom: MAILER-DAEMON@"_s + mx + u"\nTo: "_s + sender
                + u"\nSubject: failure notice\nMessage-ID: <"_s + bounceId + u">\n\nHi. This is the qmail-send program at "_s
                + mx + u".\nI'm afraid I wasn't able to deliver your message to the following addresses.\nThis is a "
                       u"permanent error; I've given up. Sorry it didn't work out.\n\n<"_s
                + rcpt + u">:\nSorry, no mailbox here by that name. (#5.1.1)\n\n--- Below this line is a copy of the "
                          u"message.\n\nReturn-Path: <"_s
                + sender + u">\n"_s + original + u"\nBuy now!\n"_s;
        } else if (style == 4) {
            styleName = u"exim"_s;
            text = received + u"Date: "_s + rfc2822(at) + u"\nX-Failed-Recipients: "_s + rcpt
                + u"\nAuto-Submitted: auto-replied\nFrom: Mail Delivery System <Mailer-Daemon@"_s + mx + u">\nTo: "_s
                + sender + u"\nSubject: Mail delivery failed: returning message to sender\nMessage-Id: <"_s + bounceId
                + u">\n\nThis message was created automatically by mail delivery software.\n\nA message that you sent "
                  u"could not be delivered to one or more of its\nrecipients. This is a permanent error. The following "
                  u"address(es) failed:\n\n  "_s
                + rcpt + u"\n    No Such User Here\n\n------ This is a copy of the message, including all the headers. "
                         u"------\n\n"_s
                + u"Return-path: <"_s + sender + u">\n"_s + original + u"\nBuy now!\n"_s;
        } else if (style == 6) {
            // A report without the original (RFC 3464 makes the third part optional): only the
            // logs and the bounce address can tell.
            styleName = u"dsn-no-original"_s;
            const QString diag = u"550 5.1.1 "_s + rcpt + u": mailbox unavailable"_s;
            text = dsn(u"Mail Delivery System <postmaster@"_s + mx + u'>', u"Delivery Status Notification (Failure)"_s,
                       u"Delivery to the following recipient failed permanently:\n\n     "_s + rcpt + u"\n"_s, u"5.1.1"_s,
                       diag, false);
        } else {
            styleName = u"sendmail"_s;
            const QString diag = u"550 5.1.1 <"_s + rcpt + u">... User unknown"_s;
            text = dsn(u"Mail Delivery Subsystem <MAILER-DAEMON@"_s + mx + u'>', u"Returned mail: see transcript for details"_s,
                       u"The original message was received at "_s + rfc2822(spamAt) + u"\nfrom unknown ["_s + botIp(rng)
                           + u"]\n\n   ----- The following addresses had permanent fatal errors -----\n<"_s + rcpt
                           + u">\n    (reason: "_s + diag + u")\n"_s,
                       u"5.1.1"_s, diag);
        }
        t.mailbox << Mail{at, u"From MAILER-DAEMON  "_s + asctime(at), text};
        t.backscatterJsonl += QJsonDocument(QJsonObject{{u"bounce_message_id"_s, bounceId},
                                                        {u"forged_sender"_s, sender},
                                                        {u"style"_s, styleName}})
                                  .toJson(QJsonDocument::Compact)
            + '\n';
    }

    // Outbound: spam to unknown users of ours, accepted, then bounced to the forged sender.
    for (int i = 0; i < outbound; ++i) {
        const Remote& remote = rng.pick(kRemotes);
        const QString forged = QString::fromUtf8(rng.pick(kFirstNames)) + QString::number(rng.between(1, 999)) + u'@'
            + QString::fromUtf8(remote.domain);
        const QString local = u"nobody"_s + QString::number(rng.between(100, 999));
        const QString rcpt = local + u"@shop.example"_s;
        const QDateTime at = start.addSecs(rng.between(0, int(span)));
        const QString ip = botIp(rng);
        const QString mid = spamMessageId(rng, QString::fromUtf8(remote.domain), at);
        const int host = rng.between(0, 1);
        const QString hostName = host ? u"mx-out2"_s : u"mx-out1"_s;
        const QString q = rng.hex(10, true), nq = rng.hex(10, true);
        auto pf = [&](const QDateTime& when, const QString& program, const QString& line) {
            t.postfix << Line{when, syslogStamp(when) + u' ' + hostName + u' ' + program + u'['
                                       + QString::number(rng.between(1000, 32000)) + u"]: "_s + line};
        };
        pf(at, u"postfix/smtpd"_s, q + u": client=unknown["_s + ip + u']');
        pf(at, u"postfix/cleanup"_s, q + u": message-id=<"_s + mid + u'>');
        pf(at, u"postfix/qmgr"_s, q + u": from=<"_s + forged + u">, size="_s + QString::number(rng.between(900, 9000))
                                      + u", nrcpt=1 (queue active)"_s);
        const QDateTime d = at.addSecs(1);
        pf(d, u"postfix/local"_s, q + u": to=<"_s + rcpt + u">, relay=local, delay=0.2, delays=0.1/0/0/0.1, dsn=5.1.1, "
                                      u"status=bounced (unknown user: \""_s + local + u"\")"_s);
        pf(d, u"postfix/bounce"_s, q + u": sender non-delivery notification: "_s + nq);
        pf(d, u"postfix/cleanup"_s, nq + u": message-id=<"_s + d.toString(u"yyyyMMddHHmmss"_s) + u'.' + nq + u'@'
                                        + hostName + u".shop.example>"_s);
        pf(d, u"postfix/qmgr"_s, nq + u": from=<>, size=3120, nrcpt=1 (queue active)"_s);
        pf(d, u"postfix/qmgr"_s, q + u": removed"_s);
        const QDateTime s = d.addSecs(2);
        const bool delivered = rng.chance(0.6);
        pf(s, u"postfix-out/smtp"_s, nq + u": to=<"_s + forged + u">, relay="_s + QString::fromUtf8(remote.mx) + u'['
                                         + botIp(rng) + u"]:25, delay=2.1, delays=0/0/1/1.1, dsn="_s
                                         + (delivered ? u"2.0.0, status=sent (250 2.0.0 OK)"_s
                                                      : u"5.1.1, status=bounced (host said: 550 5.1.1 no such user)"_s));
        pf(s, u"postfix/qmgr"_s, nq + u": removed"_s);

        const QString eid = rng.alnum(6) + u'-' + rng.alnum(6) + u'-' + rng.alnum(2);
        const QString nid = rng.alnum(6) + u'-' + rng.alnum(6) + u'-' + rng.alnum(2);
        auto ex = [&](const QDateTime& when, const QString& line) {
            t.exim << Line{when, when.toTimeZone(kZone).toString(u"yyyy-MM-dd HH:mm:ss"_s) + u' ' + line};
        };
        ex(at, eid + u" <= "_s + forged + u" H=(["_s + ip + u"]) ["_s + ip + u"] P=esmtp S="_s
                   + QString::number(rng.between(900, 9000)) + (mid.isEmpty() ? QString() : u" id="_s + mid));
        ex(d, eid + u" ** "_s + rcpt + u": Unrouteable address"_s);
        ex(d, nid + u" <= <> R="_s + eid + u" U=Debian-exim P=local S=2456"_s);
        ex(d, eid + u" Completed"_s);
        ex(s, nid + (delivered ? u" => "_s + forged + u" R=dnslookup T=remote_smtp H="_s + QString::fromUtf8(remote.mx)
                                     + u" ["_s + botIp(rng) + u"] C=\"250 OK\""_s
                               : u" ** "_s + forged + u" R=dnslookup T=remote_smtp H="_s + QString::fromUtf8(remote.mx)
                                     + u" ["_s + botIp(rng) + u"]: SMTP error from remote mail server after RCPT TO:<"_s
                                     + forged + u">: 550 5.1.1 no such user"_s));
        ex(s, nid + u" Completed"_s);
        t.outboundJsonl += QJsonDocument(QJsonObject{{u"host"_s, hostName}, {u"queue_id"_s, q}, {u"notice_queue_id"_s, nq},
                                                     {u"exim_id"_s, eid}, {u"exim_notice_id"_s, nid},
                                                     {u"notice_to"_s, forged}, {u"recipient"_s, rcpt}})
                               .toJson(QJsonDocument::Compact)
            + '\n';
    }
    return t;
}

} // namespace bi::scenario
