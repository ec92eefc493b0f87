// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario.h"

#include <algorithm>
#include <map>
#include <random>

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include "backscatter_traffic.h"

using namespace Qt::StringLiterals;

namespace bi::scenario {

namespace {

// ---------------------------------------------------------------------------------------------
// World: who sends, who receives, and what receiving systems say.

struct Receiver {
    const char* domain;
    const char* mx;
    const char* ip;
};

const Receiver kReceivers[] = {
    {"gmail.com", "gmail-smtp-in.l.google.com", "142.250.102.27"},
    {"outlook.com", "outlook-com.olc.protection.outlook.com", "52.101.68.14"},
    {"yahoo.com", "mta7.am0.yahoodns.net", "67.195.204.72"},
    {"web.de", "mx-ha03.web.de", "212.227.17.8"},
    {"example.net", "mx.example.net", "203.0.113.25"},
    {"example.org", "mail.example.org", "203.0.113.40"},
    {"kunden.example", "mx1.kunden.example", "198.51.100.7"},
    {"fabrik.example", "smtp.fabrik.example", "198.51.100.33"},
};

struct Rejection {
    const char* status;
    const char* reply;
    const char* text;     // %1 = recipient
    const char* reason;
    const char* command;  // RCPT or DATA
};

const Rejection kRejections[] = {
    {"5.1.1", "550", "5.1.1 <%1>: Recipient address rejected: User unknown in virtual mailbox table", "userunknown", "RCPT"},
    {"5.1.1", "550", "5.1.1 The email account that you tried to reach does not exist. Please try double-checking "
                     "the recipient's email address for typos or unnecessary spaces. For more information, go to "
                     "https://support.google.com/mail/?p=NoSuchUser a640c23a62f3a-ab7d1c0si1 - gsmtp", "userunknown", "RCPT"},
    {"5.2.2", "552", "5.2.2 <%1>: Recipient address rejected: Mailbox full", "mailboxfull", "RCPT"},
    {"5.7.1", "554", "5.7.1 Service unavailable; Client host [192.0.2.11] blocked using zen.spamhaus.org; "
                     "https://www.spamhaus.org/query/ip/192.0.2.11", "blocked", "RCPT"},
    {"5.7.1", "550", "5.7.1 Message rejected as spam by Content Filtering.", "spamdetected", "DATA"},
    {"5.2.1", "550", "5.2.1 <%1>: Recipient address rejected: this mailbox has been disabled", "suspend", "RCPT"},
};

struct Deferral {
    const char* status;
    const char* text;   // Postfix wording; %1 = mx, %2 = ip
    const char* exim;   // Exim wording
};

const Deferral kDeferrals[] = {
    {"4.4.1", "connect to %1[%2]:25: Connection timed out", "defer (110): Connection timed out"},
    {"4.7.1", "host %1[%2] said: 451 4.7.1 Greylisting in action, please come back later (in reply to RCPT TO command)",
     "defer (-44): SMTP error from remote mail server after RCPT TO:<%3>: 451 4.7.1 Greylisting in action, please come back later"},
    {"4.2.0", "host %1[%2] said: 421 4.2.0 Service temporarily unavailable, closing connection (in reply to MAIL FROM command)",
     "defer (-46): SMTP error from remote mail server after MAIL FROM:<%4>: 421 4.2.0 Service temporarily unavailable"},
};

struct AsyncBounce {
    const char* style;
    const char* status;
    const char* reply;    // may be empty
    const char* diag;     // what the remote wrote; %1 = recipient
    const char* reason;
};

const AsyncBounce kAsyncBounces[] = {
    {"postfix-dsn", "5.1.1", "550", "550 5.1.1 <%1>: Recipient address rejected: User unknown in local recipient table", "userunknown"},
    {"postfix-dsn", "5.2.2", "", "maildrop: maildir over quota.", "mailboxfull"},
    {"qmail", "5.1.1", "", "Sorry, no mailbox here by that name. (#5.1.1)", "userunknown"},
    {"qmail", "5.2.2", "", "The users mailbox is full. (#5.2.2)", "mailboxfull"},
    {"exim", "5.0.0", "550", "550 Unrouteable address", "userunknown"},
    {"exim", "5.2.2", "552", "552 5.2.2 Mailbox quota exceeded", "mailboxfull"},
    {"exchange", "5.1.10", "550", "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup", "userunknown"},
    {"sendmail", "5.1.1", "550", "550 5.1.1 <%1>... User unknown", "userunknown"},
};

const char* const kSenders[] = {"newsletter@shop.example", "orders@shop.example", "support@shop.example"};
const char* const kSubjects[] = {"Winter sale: 30% off outdoor jackets", "Your order has shipped",
                                 "Re: Question about your invoice", "New arrivals for January"};
const char* const kSmarthosts[] = {"mx-out1", "mx-out2"};
const char* const kSmarthostIps[] = {"192.0.2.11", "192.0.2.12"};
const QString kDomain = u"shop.example"_s;
constexpr int kMaxBackoffSeconds = 4000;

QString fmt(const char* pattern, const QString& a1 = {}, const QString& a2 = {}, const QString& a3 = {},
            const QString& a4 = {})
{
    QString s = QString::fromUtf8(pattern);
    s.replace(u"%1"_s, a1).replace(u"%2"_s, a2).replace(u"%3"_s, a3).replace(u"%4"_s, a4);
    return s;
}

// ---------------------------------------------------------------------------------------------
// The plan of one message, decided first; the writers below only render it.

struct Attempt {
    QDateTime at;           // UTC
    QString outcome;        // sent, deferred, bounced
    QString status;
    QString text;           // Postfix status text in parentheses
    QString eximText;
};

struct RecipientPlan {
    QString address;
    const Receiver* receiver = nullptr;
    QString fate;
    QList<Attempt> attempts;
    const Rejection* rejection = nullptr;
    const AsyncBounce* async = nullptr;
    bool localHostUnknown = false;
    /// The smarthost refused it at RCPT while the application submitted the message (its
    /// domain does not exist): no attempt, no notice in the mailbox; the application got the 5xx.
    bool refusedAtSubmission = false;
    QDateTime finalAt;
    QDateTime bounceAt;
    bool autoReply = false;
};

struct MessagePlan {
    int index = 0;
    int host = 0;
    QString queueId;
    QString eximId;
    QString messageId;
    QString sender;
    QString subject;
    qint64 size = 0;
    QDateTime queuedAt;      // UTC
    QList<RecipientPlan> recipients;
    QDateTime expiredAt;     // when qmgr gave up on the still-deferred ones
    QDateTime delayWarningAt;
};

class Rng {
public:
    explicit Rng(quint64 seed) : m_engine(seed) {}
    int between(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(m_engine); }
    bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(m_engine) < p; }
    QString hex(int n)
    {
        static const char digits[] = "0123456789ABCDEF";
        QString s;
        for (int i = 0; i < n; ++i)
            s += QChar::fromLatin1(digits[between(0, 15)]);
        return s;
    }

private:
    std::mt19937_64 m_engine;
};

QString base62(qint64 value, int width)
{
    static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    QString s;
    for (int i = 0; i < width; ++i) {
        s.prepend(QChar::fromLatin1(digits[value % 62]));
        value /= 62;
    }
    return s;
}

// ---------------------------------------------------------------------------------------------

class Builder {
public:
    Builder(const ScenarioOptions& options) : m_opt(options), m_rng(options.seed) {}

    QList<MessagePlan> plan();
    QDateTime logEnd() const { return m_logEnd; }

private:
    void planRecipient(MessagePlan& m, RecipientPlan& r);
    QDateTime nextRetry(const QDateTime& queuedAt, const QDateTime& last);

    const ScenarioOptions& m_opt;
    Rng m_rng;
    QDateTime m_logEnd;
    QStringList m_usedQueueIds[2];
};

QDateTime Builder::nextRetry(const QDateTime& queuedAt, const QDateTime& last)
{
    // Postfix: the backoff doubles with the message's age, from 300 s up to 4000 s.
    const qint64 age = queuedAt.secsTo(last);
    const qint64 backoff = std::clamp<qint64>(age, 300, kMaxBackoffSeconds);
    return last.addSecs(backoff + m_rng.between(0, 59));
}

void Builder::planRecipient(MessagePlan& m, RecipientPlan& r)
{
    const int roll = m_rng.between(1, 100);
    r.fate = roll <= 52 ? u"delivered"_s : roll <= 70 ? u"rejected"_s : roll <= 80 ? u"expired"_s : u"async_bounce"_s;
    QDateTime t = m.queuedAt.addSecs(m_rng.between(1, 4));
    const QString mx = QString::fromUtf8(r.receiver->mx);
    const QString ip = QString::fromUtf8(r.receiver->ip);
    auto defer = [&](const QDateTime& at) {
        const Deferral& d = kDeferrals[m_rng.between(0, int(std::size(kDeferrals)) - 1)];
        r.attempts.append({at, u"deferred"_s, QString::fromUtf8(d.status), fmt(d.text, mx, ip),
                           fmt(d.exim, mx, ip, r.address, m.sender)});
    };

    if (r.fate == u"delivered" || r.fate == u"async_bounce" || r.fate == u"rejected") {
        const int deferrals = m_rng.chance(0.25) ? m_rng.between(1, 3) : 0;
        for (int i = 0; i < deferrals; ++i) {
            defer(t);
            t = nextRetry(m.queuedAt, t);
        }
    }
    if (r.fate == u"delivered" || r.fate == u"async_bounce") {
        const QString remoteId = m_rng.hex(10);
        r.attempts.append({t, u"sent"_s, u"2.0.0"_s, u"250 2.0.0 Ok: queued as "_s + remoteId,
                           u"C=\"250 2.0.0 Ok: queued as "_s + remoteId + u'"'});
        r.finalAt = t;
        if (r.fate == u"async_bounce") {
            r.async = &kAsyncBounces[m_rng.between(0, int(std::size(kAsyncBounces)) - 1)];
            // Receiving systems notice hours to weeks later (forwarding, quota, mailbox clean-up).
            const int minutes = m_rng.chance(0.5) ? m_rng.between(20, 12 * 60) : m_rng.between(12 * 60, 21 * 24 * 60);
            r.bounceAt = t.addSecs(qint64(minutes) * 60 + m_rng.between(0, 59));
        } else {
            r.autoReply = m_rng.chance(0.04);
        }
        return;
    }
    if (r.fate == u"rejected") {
        r.localHostUnknown = m_rng.chance(0.12);
        if (r.localHostUnknown) {
            r.address = r.address.section(u'@', 0, 0) + u"@no-such-host-"_s + m_rng.hex(4).toLower() + u".example"_s;
            r.attempts.append({t, u"bounced"_s, u"5.4.4"_s,
                               u"Host or domain name not found. Name service error for name="_s
                                   + r.address.section(u'@', 1) + u" type=A: Host not found"_s,
                               u"Unrouteable address"_s});
        } else {
            r.rejection = &kRejections[m_rng.between(0, int(std::size(kRejections)) - 1)];
            const QString text = fmt(r.rejection->text, r.address);
            const QString command = QString::fromUtf8(r.rejection->command) == u"RCPT"
                ? u"RCPT TO command"_s : u"end of DATA command"_s;
            const QString eximAfter = QString::fromUtf8(r.rejection->command) == u"RCPT"
                ? u"RCPT TO:<"_s + r.address + u'>' : u"end of data"_s;
            r.attempts.append({t, u"bounced"_s, QString::fromUtf8(r.rejection->status),
                               u"host "_s + mx + u'[' + ip + u"] said: "_s + QString::fromUtf8(r.rejection->reply)
                                   + u' ' + text + u" (in reply to "_s + command + u')',
                               u"H="_s + mx + u" ["_s + ip + u"]: SMTP error from remote mail server after "_s
                                   + eximAfter + u": "_s + QString::fromUtf8(r.rejection->reply) + u' ' + text});
        }
        r.finalAt = t;
        return;
    }
    // expired: deferred on every attempt until the queue lifetime runs out, or until the log ends.
    const QDateTime lifetimeEnd = m.queuedAt.addDays(m_opt.queueLifetimeDays);
    while (t < lifetimeEnd && t < m_logEnd) {
        defer(t);
        t = nextRetry(m.queuedAt, t);
    }
    if (t >= m_logEnd || lifetimeEnd >= m_logEnd) {
        r.fate = u"deferred"_s;
        return;
    }
    r.finalAt = t; // the first queue run after the lifetime: qmgr returns it to the sender
}

QList<MessagePlan> Builder::plan()
{
    const QDateTime startUtc = m_opt.start.toUTC();
    m_logEnd = startUtc.addDays(m_opt.days + 1);
    const qint64 span = qint64(m_opt.days) * 86400;
    QList<qint64> offsets;
    for (int i = 0; i < m_opt.messages; ++i)
        offsets << qint64(m_rng.between(0, int(span - 1)));
    std::sort(offsets.begin(), offsets.end());

    QList<MessagePlan> plans;
    for (int i = 0; i < m_opt.messages; ++i) {
        MessagePlan m;
        m.index = i;
        m.host = m_rng.between(0, 1);
        m.queuedAt = startUtc.addSecs(offsets.at(i));
        // Queue ids are unique per host only: now and then the other host hands out the same id.
        const int other = 1 - m.host;
        if (!m_usedQueueIds[other].isEmpty() && m_rng.chance(0.03))
            m.queueId = m_usedQueueIds[other].at(m_rng.between(0, int(m_usedQueueIds[other].size()) - 1));
        else
            m.queueId = m_rng.hex(m_rng.between(10, 11));
        m_usedQueueIds[m.host] << m.queueId;
        m.eximId = base62(m.queuedAt.toSecsSinceEpoch(), 6) + u'-' + base62(10000 + i, 6) + u'-'
            + base62(m_rng.between(0, 3843), 2);
        m.messageId = m.queuedAt.toString(u"yyyyMMddHHmmss"_s) + u'.' + m_rng.hex(8).toLower() + u"@app.shop.example"_s;
        m.sender = QString::fromUtf8(kSenders[m_rng.between(0, int(std::size(kSenders)) - 1)]);
        m.subject = QString::fromUtf8(kSubjects[m_rng.between(0, int(std::size(kSubjects)) - 1)]);
        m.size = m_rng.between(2000, 90000);
        const int count = m_rng.chance(0.7) ? 1 : m_rng.between(2, 3);
        QStringList used;
        for (int k = 0; k < count; ++k) {
            RecipientPlan r;
            r.receiver = &kReceivers[m_rng.between(0, int(std::size(kReceivers)) - 1)];
            do {
                r.address = u"user%1.%2@"_s.arg(i).arg(m_rng.between(1, 999)) + QString::fromUtf8(r.receiver->domain);
            } while (used.contains(r.address));
            used << r.address;
            planRecipient(m, r);
            // Now and then the smarthost itself refuses a later recipient of a message it takes
            // (a mistyped domain). Decided without a random draw: the rest of the traffic is
            // the same with or without it.
            if (k > 0 && r.fate == u"rejected" && !r.localHostUnknown && i % 3 == 0) {
                r.refusedAtSubmission = true;
                r.rejection = nullptr;
                r.attempts.clear();
                r.address = r.address.section(u'@', 0, 0) + u"@no-such-domain-"_s + QString::number(i) + u".example"_s;
                r.finalAt = m.queuedAt;
            }
            m.recipients << r;
        }
        bool anyExpired = false;
        QDateTime lastDeferral;
        for (const RecipientPlan& r : m.recipients) {
            if (r.fate == u"expired") {
                anyExpired = true;
                m.expiredAt = std::max(m.expiredAt.isValid() ? m.expiredAt : r.finalAt, r.finalAt);
            }
            if (r.fate == u"expired" || r.fate == u"deferred")
                lastDeferral = r.attempts.constLast().at;
        }
        // One queue pass returns every still-deferred recipient at once.
        if (anyExpired) {
            for (RecipientPlan& r : m.recipients) {
                if (r.fate == u"expired")
                    r.finalAt = m.expiredAt;
            }
        }
        if ((anyExpired || lastDeferral.isValid()) && m_rng.chance(0.5)) {
            const QDateTime warn = m.queuedAt.addSecs(4 * 3600 + m_rng.between(0, 600));
            if (warn < m_logEnd && (!m.expiredAt.isValid() || warn < m.expiredAt))
                m.delayWarningAt = warn;
        }
        plans << m;
    }
    return plans;
}

// ---------------------------------------------------------------------------------------------
// Writers.

QString syslogStamp(const QDateTime& utc, const QTimeZone& zone)
{
    const QDateTime local = utc.toTimeZone(zone);
    return QLocale::c().toString(local, u"MMM"_s) + u' '
        + QString::number(local.date().day()).rightJustified(2, u' ') + u' ' + local.toString(u"HH:mm:ss"_s);
}

QString eximStamp(const QDateTime& utc, const QTimeZone& zone)
{
    return utc.toTimeZone(zone).toString(u"yyyy-MM-dd HH:mm:ss"_s);
}

QString rfc2822(const QDateTime& utc, const QTimeZone& zone)
{
    return QLocale::c().toString(utc.toTimeZone(zone), u"ddd, d MMM yyyy HH:mm:ss"_s) + u" +0100"_s;
}

QString asctime(const QDateTime& utc)
{
    return QLocale::c().toString(utc, u"ddd MMM "_s) + QString::number(utc.date().day()).rightJustified(2, u' ')
        + utc.toString(u" HH:mm:ss yyyy"_s);
}

struct LogLine {
    QDateTime at;
    int seq;
    QString text;
};

struct MailItem {
    QDateTime at;
    int seq;
    QString envelope;
    QString text;
};

class Writer {
public:
    Writer(const ScenarioOptions& opt, quint64 seed) : m_opt(opt), m_rng(seed ^ 0x5bd1e995ULL), m_zone(3600) {}

    void render(const QList<MessagePlan>& plans);
    QList<LogLine> postfix, exim;
    QList<MailItem> postfixBox, eximBox;

private:
    void renderPostfix(const MessagePlan& m);
    void renderExim(const MessagePlan& m);
    void renderMail(const MessagePlan& m);
    QString originalHeaders(const MessagePlan& m, const RecipientPlan* only = nullptr) const;
    QString inboundReceived(const QString& fromHost, const QString& fromIp, const QDateTime& at);
    void addPostfix(const QDateTime& at, int host, const QString& program, const QString& text, QString pid = {});
    void addExim(const QDateTime& at, const QString& text) { exim << LogLine{at, m_seq++, eximStamp(at, m_zone) + u' ' + text}; }
    void addMail(QList<MailItem>& box, const QDateTime& at, const QString& envelopeFrom, const QString& text)
    {
        box << MailItem{at, m_seq++, u"From "_s + envelopeFrom + u"  "_s + asctime(at), text};
    }
    QString pid() { return QString::number(m_rng.between(1000, 32000)); }
    QString ndrQueueId() { return m_rng.hex(10); }

    const ScenarioOptions& m_opt;
    Rng m_rng;
    QTimeZone m_zone;
    int m_seq = 0;
};

void Writer::addPostfix(const QDateTime& at, int host, const QString& program, const QString& text, QString pid)
{
    if (pid.isEmpty())
        pid = this->pid();
    postfix << LogLine{at, m_seq++,
                       syslogStamp(at, m_zone) + u' ' + QString::fromUtf8(kSmarthosts[host]) + u' ' + program + u'['
                           + pid + u"]: "_s + text};
}

QString Writer::originalHeaders(const MessagePlan& m, const RecipientPlan* only) const
{
    QStringList to;
    for (const RecipientPlan& r : m.recipients) {
        if (!only || &r == only)
            to << r.address;
    }
    const QString host = QString::fromUtf8(kSmarthosts[m.host]) + u'.' + kDomain;
    return u"Received: from app.shop.example (app.shop.example [192.0.2.20])\n"
           u"\tby "_s + host + u" (Postfix) with ESMTPSA id "_s + m.queueId + u"\n\tfor <"_s + to.constFirst()
        + u">; "_s + rfc2822(m.queuedAt, m_zone) + u"\nFrom: Shop Example <"_s + m.sender + u">\nTo: "_s
        + to.join(u", "_s) + u"\nSubject: "_s + m.subject + u"\nDate: "_s + rfc2822(m.queuedAt, m_zone)
        + u"\nMessage-ID: <"_s + m.messageId + u">\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"_s;
}

QString Writer::inboundReceived(const QString& fromHost, const QString& fromIp, const QDateTime& at)
{
    return u"Received: from "_s + fromHost + u" ("_s + fromHost + u" ["_s + fromIp + u"])\n\tby mx-in.shop.example "
           u"(Postfix) with ESMTPS id "_s + m_rng.hex(10) + u"\n\tfor <bounces@shop.example>; "_s + rfc2822(at, m_zone)
        + u'\n';
}

void Writer::renderPostfix(const MessagePlan& m)
{
    const QString q = m.queueId;
    const QString smtpd = u"postfix/submission/smtpd"_s;
    const QString session = pid();
    // Refused recipients: NOQUEUE before the first accepted one (odd messages), with the
    // queue id after it (even ones).
    const auto refusal = [&](const RecipientPlan& r, const QString& id) {
        addPostfix(m.queuedAt, m.host, smtpd,
                   id + u": reject: RCPT from app.shop.example[192.0.2.20]: 550 5.1.2 <"_s + r.address
                       + u">: Recipient address rejected: Domain not found; from=<"_s + m.sender + u"> to=<"_s
                       + r.address + u"> proto=ESMTP helo=<app.shop.example>"_s,
                   session);
    };
    for (const RecipientPlan& r : m.recipients) {
        if (r.refusedAtSubmission && m.index % 2 == 1)
            refusal(r, u"NOQUEUE"_s);
    }
    addPostfix(m.queuedAt, m.host, smtpd, q + u": client=app.shop.example[192.0.2.20], sasl_method=PLAIN, sasl_username="_s
                                               + m.sender.section(u'@', 0, 0), session);
    for (const RecipientPlan& r : m.recipients) {
        if (r.refusedAtSubmission && m.index % 2 == 0)
            refusal(r, q);
    }
    addPostfix(m.queuedAt, m.host, u"postfix/cleanup"_s, q + u": message-id=<"_s + m.messageId + u'>');
    addPostfix(m.queuedAt, m.host, u"postfix/qmgr"_s,
               q + u": from=<"_s + m.sender + u">, size="_s + QString::number(m.size) + u", nrcpt="_s
                   + QString::number(m.recipients.size()) + u" (queue active)"_s);
    std::map<QDateTime, QStringList> bouncedAt; // NDR per queue pass
    QDateTime last = m.queuedAt;
    for (const RecipientPlan& r : m.recipients) {
        for (const Attempt& a : r.attempts) {
            const double delay = double(m.queuedAt.msecsTo(a.at)) / 1000.0;
            const QString relay = a.outcome == u"deferred" && a.status == u"4.4.1"
                ? u"none"_s
                : r.localHostUnknown ? u"none"_s
                                     : QString::fromUtf8(r.receiver->mx) + u'[' + QString::fromUtf8(r.receiver->ip) + u"]:25"_s;
            addPostfix(a.at, m.host, u"postfix-out/smtp"_s,
                       q + u": to=<"_s + r.address + u">, relay="_s + relay + u", delay="_s
                           + QString::number(delay, 'f', delay < 10 ? 1 : 0) + u", delays=0.1/0/0.4/0.6, dsn="_s
                           + a.status + u", status="_s + a.outcome + u" ("_s + a.text + u')');
            last = std::max(last, a.at);
            if (a.outcome == u"bounced")
                bouncedAt[a.at] << r.address;
        }
    }
    auto ndr = [&](const QDateTime& at, const QString& kind) {
        const QString id = ndrQueueId();
        addPostfix(at, m.host, u"postfix/bounce"_s, q + u": sender "_s + kind + u" notification: "_s + id);
        addPostfix(at, m.host, u"postfix/cleanup"_s,
                   id + u": message-id=<"_s + at.toString(u"yyyyMMddHHmmss"_s) + u'.' + id + u'@'
                       + QString::fromUtf8(kSmarthosts[m.host]) + u'.' + kDomain + u'>');
        addPostfix(at, m.host, u"postfix/qmgr"_s, id + u": from=<>, size=4211, nrcpt=1 (queue active)"_s);
        addPostfix(at.addSecs(1), m.host, u"postfix-out/smtp"_s,
                   id + u": to=<"_s + m.sender + u">, relay=mx-in.shop.example[192.0.2.30]:25, delay=0.2, "
                        u"delays=0/0/0.1/0.1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as "_s + m_rng.hex(10) + u')');
        addPostfix(at.addSecs(1), m.host, u"postfix/qmgr"_s, id + u": removed"_s);
        return id;
    };
    if (m.delayWarningAt.isValid())
        ndr(m.delayWarningAt, u"delay"_s);
    for (const auto& [at, rcpts] : bouncedAt)
        ndr(at, u"non-delivery"_s);
    if (m.expiredAt.isValid()) {
        addPostfix(m.expiredAt, m.host, u"postfix/qmgr"_s, q + u": from=<"_s + m.sender + u">, status=expired, returned to sender"_s);
        ndr(m.expiredAt, u"non-delivery"_s);
        last = std::max(last, m.expiredAt);
    }
    bool pending = false;
    for (const RecipientPlan& r : m.recipients)
        pending |= r.fate == u"deferred";
    if (!pending)
        addPostfix(last, m.host, u"postfix/qmgr"_s, q + u": removed"_s);
}

void Writer::renderExim(const MessagePlan& m)
{
    const QString id = m.eximId;
    for (const RecipientPlan& r : m.recipients) {
        if (r.refusedAtSubmission)
            addExim(m.queuedAt, u"H=app.shop.example [192.0.2.20] P=esmtpsa A=plain:"_s + m.sender.section(u'@', 0, 0)
                                    + u" F=<"_s + m.sender + u"> rejected RCPT <"_s + r.address + u">: Unrouteable address"_s);
    }
    addExim(m.queuedAt, id + u" <= "_s + m.sender + u" H=app.shop.example [192.0.2.20] P=esmtpsa A=plain:"_s
                            + m.sender.section(u'@', 0, 0) + u" S="_s + QString::number(m.size) + u" id="_s + m.messageId
                            + u" T=\""_s + m.subject + u'"');
    QDateTime last = m.queuedAt;
    std::map<QDateTime, bool> failedAt;
    for (const RecipientPlan& r : m.recipients) {
        for (const Attempt& a : r.attempts) {
            const QString mx = QString::fromUtf8(r.receiver->mx);
            const QString ip = QString::fromUtf8(r.receiver->ip);
            if (a.outcome == u"sent") {
                addExim(a.at, id + u" => "_s + r.address + u" R=dnslookup T=remote_smtp H="_s + mx + u" ["_s + ip
                                  + u"] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes "_s + a.eximText);
            } else if (a.outcome == u"deferred") {
                addExim(a.at, id + u" == "_s + r.address + u" R=dnslookup T=remote_smtp "_s + a.eximText);
            } else if (r.localHostUnknown) {
                addExim(a.at, id + u" ** "_s + r.address + u": Unrouteable address"_s);
                failedAt[a.at] = true;
            } else {
                addExim(a.at, id + u" ** "_s + r.address + u" R=dnslookup T=remote_smtp "_s + a.eximText);
                failedAt[a.at] = true;
            }
            last = std::max(last, a.at);
        }
    }
    if (m.expiredAt.isValid()) {
        for (const RecipientPlan& r : m.recipients) {
            if (r.fate == u"expired")
                addExim(m.expiredAt, id + u" ** "_s + r.address + u" R=dnslookup T=remote_smtp: retry timeout exceeded"_s);
        }
        failedAt[m.expiredAt] = true;
        last = std::max(last, m.expiredAt);
    }
    auto bounceMessage = [&](const QDateTime& at) {
        const QString bid = base62(at.toSecsSinceEpoch(), 6) + u'-' + base62(m_rng.between(100, 60000), 6) + u'-'
            + base62(m_rng.between(0, 3843), 2);
        addExim(at, bid + u" <= <> R="_s + id + u" U=Debian-exim P=local S=3512"_s);
        addExim(at.addSecs(1), bid + u" => "_s + m.sender + u" R=dnslookup T=remote_smtp H=mx-in.shop.example [192.0.2.30] C=\"250 OK\""_s);
        addExim(at.addSecs(1), bid + u" Completed"_s);
    };
    if (m.delayWarningAt.isValid())
        bounceMessage(m.delayWarningAt);
    for (const auto& [at, unused] : failedAt)
        bounceMessage(at);
    bool pending = false;
    for (const RecipientPlan& r : m.recipients)
        pending |= r.fate == u"deferred";
    if (!pending)
        addExim(last, id + u" Completed"_s);
}

void Writer::renderMail(const MessagePlan& m)
{
    const QString host = QString::fromUtf8(kSmarthosts[m.host]) + u'.' + kDomain;
    const QString hostIp = QString::fromUtf8(kSmarthostIps[m.host]);

    // --- The smarthost's own notices: rejections and expiries (one per queue pass), delay warnings.
    std::map<QDateTime, QList<const RecipientPlan*>> failures;
    for (const RecipientPlan& r : m.recipients) {
        if ((r.fate == u"rejected" && !r.refusedAtSubmission) || r.fate == u"expired")
            failures[r.finalAt] << &r;
    }
    auto postfixNotice = [&](const QDateTime& at, const QList<const RecipientPlan*>& rcpts, bool warning) {
        const QString id = m_rng.hex(10);
        QString human, groups;
        for (const RecipientPlan* r : rcpts) {
            const Attempt& a = r->attempts.constLast();
            const bool expired = r->fate == u"expired" || r->fate == u"deferred";
            human += u'<' + r->address + u">: "_s + a.text + u"\n\n"_s;
            groups += u"Final-Recipient: rfc822; "_s + r->address + u"\nOriginal-Recipient: rfc822;"_s + r->address
                + u"\nAction: "_s + (warning ? u"delayed"_s : u"failed"_s) + u"\nStatus: "_s + a.status + u'\n';
            if (!r->localHostUnknown && !(expired && a.status == u"4.4.1"))
                groups += u"Remote-MTA: dns; "_s + QString::fromUtf8(r->receiver->mx) + u'\n';
            groups += u"Diagnostic-Code: "_s
                + (a.text.startsWith(u"host "_s) ? u"smtp; "_s + a.text.section(u" said: "_s, 1).section(u" (in reply"_s, 0, 0)
                                                 : u"X-Postfix; "_s + a.text)
                + u'\n';
            if (warning)
                groups += u"Will-Retry-Until: "_s + rfc2822(m.queuedAt.addDays(m_opt.queueLifetimeDays), m_zone) + u'\n';
            groups += u'\n';
        }
        const QString boundary = id + u'.' + QString::number(at.toSecsSinceEpoch()) + u'/' + host;
        const QString intro = warning
            ? u"####################################################################\n"
              u"# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n"
              u"####################################################################\n\n"
              u"Your message could not be delivered for more than 4 hour(s).\nIt will be retried until it is "_s
                + QString::number(m_opt.queueLifetimeDays) + u" day(s) old.\n\n"_s
            : u"I'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients. "
              u"It's attached below.\n\n"_s;
        const QString text = u"Return-Path: <>\nReceived: by "_s + host + u" (Postfix)\n\tid "_s + id + u"; "_s
            + rfc2822(at, m_zone) + u"\nDate: "_s + rfc2822(at, m_zone) + u"\nFrom: MAILER-DAEMON@"_s + host
            + u" (Mail Delivery System)\nSubject: "_s
            + (warning ? u"Delayed Mail (still being retried)"_s : u"Undelivered Mail Returned to Sender"_s)
            + u"\nTo: "_s + m.sender + u"\nAuto-Submitted: auto-replied\nMIME-Version: 1.0\n"
              u"Content-Type: multipart/report; report-type=delivery-status;\n\tboundary=\""_s + boundary
            + u"\"\nContent-Transfer-Encoding: 8bit\nMessage-Id: <"_s + at.toString(u"yyyyMMddHHmmss"_s) + u'.' + id
            + u'@' + host + u">\n\nThis is a MIME-encapsulated message.\n\n--"_s + boundary
            + u"\nContent-Description: Notification\nContent-Type: text/plain; charset=us-ascii\n\n"
              u"This is the mail system at host "_s + host + u".\n\n"_s + intro
            + u"For further assistance, please send mail to postmaster.\n\n"
              u"If you do so, please include this problem report. You can\ndelete your own text from the attached "
              u"returned message.\n\n                   The mail system\n\n"_s + human + u"--"_s + boundary
            + u"\nContent-Description: Delivery report\nContent-Type: message/delivery-status\n\n"
              u"Reporting-MTA: dns; "_s + host + u"\nX-Postfix-Queue-ID: "_s + m.queueId + u"\nX-Postfix-Sender: rfc822; "_s
            + m.sender + u"\nArrival-Date: "_s + rfc2822(m.queuedAt, m_zone) + u"\n\n"_s + groups + u"--"_s + boundary
            + u"\nContent-Description: Undelivered Message Headers\nContent-Type: text/rfc822-headers\n\n"_s
            + originalHeaders(m) + u"\n--"_s + boundary + u"--\n"_s;
        addMail(postfixBox, at.addSecs(2), u"MAILER-DAEMON"_s, text);
    };
    auto eximNotice = [&](const QDateTime& at, const QList<const RecipientPlan*>& rcpts, bool warning) {
        QStringList addresses;
        QString body;
        for (const RecipientPlan* r : rcpts) {
            addresses << r->address;
            const Attempt& a = r->attempts.constLast();
            body += u"  "_s + r->address + u'\n';
            if (r->fate == u"expired")
                body += u"    retry timeout exceeded\n"_s;
            else if (r->localHostUnknown)
                body += u"    Unrouteable address\n"_s;
            else
                body += u"    host "_s + QString::fromUtf8(r->receiver->mx) + u" ["_s + QString::fromUtf8(r->receiver->ip)
                    + u"]\n    "_s + a.eximText.section(u"]: "_s, 1) + u'\n';
        }
        const QString id = base62(at.toSecsSinceEpoch(), 6) + u'-' + base62(m_rng.between(100, 60000), 6) + u'-'
            + base62(m_rng.between(0, 3843), 2);
        QString text = u"Return-path: <>\nReceived: from Debian-exim by "_s + host + u" with local (Exim 4.96)\n\tid "_s
            + id + u"\n\tfor "_s + m.sender + u"; "_s + rfc2822(at, m_zone) + u"\n"_s;
        if (warning) {
            text += u"X-Failed-Recipients: "_s.left(0) + u"Auto-Submitted: auto-replied\nFrom: Mail Delivery System "
                    u"<Mailer-Daemon@"_s + host + u">\nTo: "_s + m.sender + u"\nReferences: <"_s + m.messageId
                + u">\nSubject: Warning: message "_s + m.eximId + u" delayed 4 hours\nMessage-Id: <E"_s + id + u'@'
                + host + u">\nDate: "_s + rfc2822(at, m_zone)
                + u"\n\nThis message was created automatically by mail delivery software.\n"
                  u"A message that you sent has not yet been delivered to one or more of its\nrecipients after more "
                  u"than 4 hours on the queue on "_s + host + u".\n\nThe message identifier is:     "_s + m.eximId
                + u"\nThe subject of the message is: "_s + m.subject + u"\n\nThe address to which the message has not yet "
                  u"been delivered is:\n\n"_s + body + u"\nNo action is required on your part. Delivery attempts will "
                  u"continue for\nsome time, and this warning may be repeated at intervals if the message\nremains "
                  u"undelivered. Eventually the mail delivery software will give up,\nand when that happens, the "
                  u"message will be returned to you.\n"_s;
        } else {
            text += u"X-Failed-Recipients: "_s + addresses.join(u", "_s) + u"\nAuto-Submitted: auto-replied\n"
                    u"From: Mail Delivery System <Mailer-Daemon@"_s + host + u">\nTo: "_s + m.sender + u"\nReferences: <"_s
                + m.messageId + u">\nContent-Type: text/plain; charset=us-ascii\nSubject: Mail delivery failed: "
                  u"returning message to sender\nMessage-Id: <E"_s + id + u'@' + host + u">\nDate: "_s
                + rfc2822(at, m_zone)
                + u"\n\nThis message was created automatically by mail delivery software.\n\nA message that you sent "
                  u"could not be delivered to one or more of its\nrecipients. This is a permanent error. The following "
                  u"address(es) failed:\n\n"_s + body
                + u"\n------ This is a copy of the message, including all the headers. ------\n\n"_s
                + originalHeaders(m) + u"\nThe full text of the message follows.\n"_s;
        }
        addMail(eximBox, at.addSecs(2), u"MAILER-DAEMON"_s, text);
    };
    for (const auto& [at, rcpts] : failures) {
        postfixNotice(at, rcpts, false);
        eximNotice(at, rcpts, false);
    }
    if (m.delayWarningAt.isValid()) {
        QList<const RecipientPlan*> waiting;
        for (const RecipientPlan& r : m.recipients) {
            if (r.fate == u"expired" || r.fate == u"deferred")
                waiting << &r;
        }
        if (!waiting.isEmpty()) {
            postfixNotice(m.delayWarningAt, waiting, true);
            eximNotice(m.delayWarningAt, waiting, true);
        }
    }

    // --- Written by the receiving side, long after it accepted the message.
    for (const RecipientPlan& r : m.recipients) {
        if (r.async) {
            const QString remote = QString::fromUtf8(r.receiver->mx);
            const QString remoteIp = QString::fromUtf8(r.receiver->ip);
            const QString diag = fmt(r.async->diag, r.address);
            const QString style = QString::fromUtf8(r.async->style);
            const QString mid = m_rng.hex(12).toLower() + u'@' + remote;
            const QDateTime at = r.bounceAt;
            const QString head = inboundReceived(remote, remoteIp, at) + u"Date: "_s + rfc2822(at, m_zone) + u'\n';
            QString text;
            if (style == u"postfix-dsn" || style == u"sendmail" || style == u"exchange") {
                const QString boundary = u"=_"_s + m_rng.hex(16);
                QString subject = u"Undelivered Mail Returned to Sender"_s;
                QString from = u"MAILER-DAEMON@"_s + remote + u" (Mail Delivery System)"_s;
                QString human = u"This is the mail system at host "_s + remote + u".\n\nI'm sorry to have to inform you "
                                u"that your message could not\nbe delivered to one or more recipients.\n\n<"_s
                    + r.address + u">: "_s + diag + u'\n';
                QString extra;
                if (style == u"sendmail") {
                    subject = u"Returned mail: see transcript for details"_s;
                    from = u"Mail Delivery Subsystem <MAILER-DAEMON@"_s + remote + u'>';
                    human = u"The original message was received at "_s + rfc2822(r.finalAt, m_zone) + u"\nfrom "_s
                        + host + u" ["_s + hostIp + u"]\n\n   ----- The following addresses had permanent fatal errors "
                                                     u"-----\n<"_s + r.address + u">\n    (reason: "_s + diag
                        + u")\n\n   ----- Transcript of session follows -----\n... while talking to "
                          u"mailstore.internal:\n>>> RCPT To:<"_s + r.address + u">\n<<< "_s + diag + u'\n';
                } else if (style == u"exchange") {
                    subject = u"Undeliverable: "_s + m.subject;
                    from = u"postmaster@"_s + r.address.section(u'@', 1);
                    extra = u"X-MS-Exchange-Message-Is-Ndr: \n"_s;
                    human = u"Delivery has failed to these recipients or groups:\n\n"_s + r.address
                        + u"\nThe email address you entered couldn't be found.\n\nDiagnostic information for "
                          u"administrators:\n\nGenerating server: "_s + remote + u"\n\n"_s + r.address
                        + u"\nRemote Server returned '"_s + diag + u"'\n"_s;
                }
                text = head + u"From: "_s + from + u"\nTo: "_s + m.sender + u"\nSubject: "_s + subject
                    + u"\nMessage-ID: <"_s + mid + u">\nAuto-Submitted: auto-replied\n"_s + extra
                    + u"MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status;\n\tboundary=\""_s
                    + boundary + u"\"\n\n--"_s + boundary + u"\nContent-Type: text/plain; charset=us-ascii\n\n"_s + human
                    + u"\n--"_s + boundary + u"\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; "_s + remote
                    + u"\nArrival-Date: "_s + rfc2822(r.finalAt, m_zone) + u"\n\nFinal-Recipient: rfc822; "_s + r.address
                    + u"\nAction: failed\nStatus: "_s + QString::fromUtf8(r.async->status) + u"\nDiagnostic-Code: "_s
                    + (QString::fromUtf8(r.async->reply).isEmpty() ? u"x-unix; "_s : u"smtp; "_s) + diag + u"\n\n--"_s
                    + boundary + u"\nContent-Type: message/rfc822\n\n"_s
                    + u"Received: from "_s + host + u" ("_s + host + u" ["_s + hostIp + u"])\n\tby "_s + remote
                    + u" with ESMTPS id "_s + m_rng.hex(8) + u"; "_s + rfc2822(r.finalAt, m_zone) + u'\n'
                    + originalHeaders(m, &r) + u"\nHello from the shop.\n\n--"_s + boundary + u"--\n"_s;
            } else if (style == u"qmail") {
                text = head + u"From: MAILER-DAEMON@"_s + remote + u"\nTo: "_s + m.sender
                    + u"\nSubject: failure notice\nMessage-ID: <"_s + mid + u">\n\nHi. This is the qmail-send program at "_s
                    + remote + u".\nI'm afraid I wasn't able to deliver your message to the following addresses.\n"
                               u"This is a permanent error; I've given up. Sorry it didn't work out.\n\n<"_s
                    + r.address + u">:\n"_s + diag + u"\n\n--- Below this line is a copy of the message.\n\n"_s
                    + u"Return-Path: <"_s + m.sender + u">\nReceived: (qmail 4711 invoked from network); "_s
                    + rfc2822(r.finalAt, m_zone) + u'\n' + originalHeaders(m, &r) + u"\nHello from the shop.\n"_s;
            } else { // exim on the receiving side
                text = head + u"X-Failed-Recipients: "_s + r.address + u"\nAuto-Submitted: auto-replied\nFrom: Mail "
                                                                            u"Delivery System <Mailer-Daemon@"_s
                    + remote + u">\nTo: "_s + m.sender + u"\nSubject: Mail delivery failed: returning message to sender\n"
                                                          u"Message-Id: <E"_s + mid + u">\n\nThis message was created "
                                                                                     u"automatically by mail delivery "
                                                                                     u"software.\n\nA message that you "
                                                                                     u"sent could not be delivered to "
                                                                                     u"one or more of its\nrecipients. "
                                                                                     u"This is a permanent error. The "
                                                                                     u"following address(es) failed:"
                                                                                     u"\n\n  "_s
                    + r.address + u"\n    local delivery failed: "_s + diag
                    + u"\n\n------ This is a copy of the message, including all the headers. ------\n\n"_s
                    + originalHeaders(m, &r) + u"\nHello from the shop.\n"_s;
            }
            addMail(postfixBox, at, u"MAILER-DAEMON"_s, text);
            addMail(eximBox, at, u"MAILER-DAEMON"_s, text);
        }
        if (r.autoReply) {
            const QDateTime at = r.finalAt.addSecs(m_rng.between(30, 600));
            const QString text = inboundReceived(QString::fromUtf8(r.receiver->mx), QString::fromUtf8(r.receiver->ip), at)
                + u"Date: "_s + rfc2822(at, m_zone) + u"\nFrom: "_s + r.address + u"\nTo: "_s + m.sender
                + u"\nSubject: Automatic reply: "_s + m.subject + u"\nAuto-Submitted: auto-replied\nMessage-ID: <oof."_s
                + m_rng.hex(10).toLower() + u'@' + QString::fromUtf8(r.receiver->domain)
                + u">\nIn-Reply-To: <"_s + m.messageId + u">\nContent-Type: text/plain; charset=utf-8\n\n"
                  u"I am out of the office until January 12 with limited access to e-mail.\n"_s;
            addMail(postfixBox, at, r.address, text);
            addMail(eximBox, at, r.address, text);
        }
    }
}

void Writer::render(const QList<MessagePlan>& plans)
{
    for (const MessagePlan& m : plans) {
        renderPostfix(m);
        renderExim(m);
        renderMail(m);
        // Ordinary mail to the sender's mailbox now and then: a customer's reply.
        if (m_rng.chance(0.05)) {
            const QDateTime at = m.queuedAt.addSecs(m_rng.between(600, 86400));
            const QString text = inboundReceived(u"mail.example.org"_s, u"203.0.113.40"_s, at) + u"Date: "_s
                + rfc2822(at, m_zone) + u"\nFrom: A Customer <customer"_s + QString::number(m.index)
                + u"@example.org>\nTo: "_s + m.sender + u"\nSubject: Re: "_s + m.subject + u"\nMessage-ID: <reply."_s
                + m_rng.hex(10).toLower() + u"@example.org>\nIn-Reply-To: <"_s + m.messageId
                + u">\nContent-Type: text/plain; charset=utf-8\n\nThanks, that helps.\n\n> From the shop team:\n> "
                  u"see the attached catalogue.\n"_s;
            addMail(postfixBox, at, u"customer@example.org"_s, text);
            addMail(eximBox, at, u"customer@example.org"_s, text);
        }
    }
    auto byTime = [](const auto& a, const auto& b) { return a.at != b.at ? a.at < b.at : a.seq < b.seq; };
    std::stable_sort(postfix.begin(), postfix.end(), byTime);
    std::stable_sort(exim.begin(), exim.end(), byTime);
    std::stable_sort(postfixBox.begin(), postfixBox.end(), byTime);
    std::stable_sort(eximBox.begin(), eximBox.end(), byTime);
}

bool writeFile(const QString& path, const QByteArray& data, const QDateTime& mtime, QString* error)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(data) != data.size()) {
        if (error)
            *error = path + u": "_s + f.errorString();
        return false;
    }
    f.close();
    if (mtime.isValid()) {
        // Year-less syslog stamps are anchored on the file's mtime, as with real rotated logs.
        f.open(QIODevice::ReadWrite);
        f.setFileTime(mtime, QFileDevice::FileModificationTime);
    }
    return true;
}

QByteArray mbox(const QList<MailItem>& items)
{
    QByteArray out;
    for (const MailItem& item : items) {
        out += item.envelope.toUtf8() + '\n';
        for (const QString& line : item.text.split(u'\n')) {
            // mboxrd: quote every ^>*From line.
            QStringView v(line);
            while (v.startsWith(u'>'))
                v = v.mid(1);
            if (v.startsWith(u"From "))
                out += '>';
            out += line.toUtf8() + '\n';
        }
        if (!out.endsWith("\n\n"))
            out += '\n';
    }
    return out;
}

QByteArray lines(const QList<LogLine>& lines)
{
    QByteArray out;
    for (const LogLine& l : lines)
        out += l.text.toUtf8() + '\n';
    return out;
}

QString iso(const QDateTime& utc)
{
    return utc.isValid() ? utc.toUTC().toString(Qt::ISODate) : QString();
}

} // namespace

ScenarioGenerator::ScenarioGenerator(ScenarioOptions options) : m_options(std::move(options)) {}

QList<TruthRecord> ScenarioGenerator::writeTo(const QString& directory, QString* error)
{
    Builder builder(m_options);
    const QList<MessagePlan> plans = builder.plan();
    Writer writer(m_options, m_options.seed);
    writer.render(plans);
    BackscatterTraffic backscatter;
    if (m_options.backscatter > 0 || m_options.outboundBackscatter > 0) {
        backscatter = BackscatterTraffic::generate(m_options.seed, m_options.backscatter, m_options.outboundBackscatter,
                                                   m_options.start.toUTC(), builder.logEnd());
        int seq = 1 << 30;
        for (const auto& mail : std::as_const(backscatter.mailbox)) {
            writer.postfixBox << MailItem{mail.at, seq++, mail.envelope, mail.text};
            writer.eximBox << MailItem{mail.at, seq++, mail.envelope, mail.text};
        }
        for (const auto& line : std::as_const(backscatter.postfix))
            writer.postfix << LogLine{line.at, seq++, line.text};
        for (const auto& line : std::as_const(backscatter.exim))
            writer.exim << LogLine{line.at, seq++, line.text};
        auto byTime = [](const auto& a, const auto& b) { return a.at != b.at ? a.at < b.at : a.seq < b.seq; };
        std::stable_sort(writer.postfix.begin(), writer.postfix.end(), byTime);
        std::stable_sort(writer.exim.begin(), writer.exim.end(), byTime);
        std::stable_sort(writer.postfixBox.begin(), writer.postfixBox.end(), byTime);
        std::stable_sort(writer.eximBox.begin(), writer.eximBox.end(), byTime);
    }

    QList<TruthRecord> truth;
    QByteArray truthJsonl;
    for (const MessagePlan& m : plans) {
        for (const RecipientPlan& r : m.recipients) {
            TruthRecord t;
            t.messageId = m.messageId;
            t.postfixQueueId = m.queueId;
            t.eximId = m.eximId;
            t.host = QString::fromUtf8(kSmarthosts[m.host]);
            t.sender = m.sender;
            t.recipient = r.address;
            t.fate = r.fate;
            t.queuedAt = m.queuedAt;
            t.finalAt = r.finalAt;
            t.bounceAt = r.bounceAt;
            t.attempts = int(r.attempts.size());
            for (const Attempt& a : r.attempts)
                t.deferrals += a.outcome == u"deferred";
            if (r.rejection) {
                t.reason = QString::fromUtf8(r.rejection->reason);
                t.status = QString::fromUtf8(r.rejection->status);
                t.replyCode = QString::fromUtf8(r.rejection->reply);
            } else if (r.localHostUnknown) {
                t.reason = u"hostunknown"_s;
                t.status = u"5.4.4"_s;
            } else if (r.refusedAtSubmission) {
                t.reason = u"hostunknown"_s;
                t.status = u"5.1.2"_s;
                t.replyCode = u"550"_s;
                t.bounceStyle = u"refused-at-submission"_s;
            } else if (r.async) {
                t.reason = QString::fromUtf8(r.async->reason);
                t.status = QString::fromUtf8(r.async->status);
                t.replyCode = QString::fromUtf8(r.async->reply);
                t.bounceStyle = QString::fromUtf8(r.async->style);
            } else if (r.fate == u"expired") {
                t.reason = u"expired"_s;
                t.status = r.attempts.constLast().status;
            }
            truth << t;
            QJsonObject o{{u"message_id"_s, t.messageId}, {u"queue_id"_s, t.postfixQueueId}, {u"exim_id"_s, t.eximId},
                          {u"host"_s, t.host}, {u"sender"_s, t.sender}, {u"recipient"_s, t.recipient},
                          {u"fate"_s, t.fate}, {u"reason"_s, t.reason}, {u"status"_s, t.status},
                          {u"replycode"_s, t.replyCode}, {u"queued_at"_s, iso(t.queuedAt)},
                          {u"final_at"_s, iso(t.finalAt)}, {u"bounce_at"_s, iso(t.bounceAt)},
                          {u"attempts"_s, t.attempts}, {u"deferrals"_s, t.deferrals}, {u"style"_s, t.bounceStyle}};
            truthJsonl += QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
        }
    }
    QDir().mkpath(directory);
    const QDir dir(directory);
    const QDateTime end = builder.logEnd();
    if (!writeFile(dir.filePath(u"postfix.log"_s), lines(writer.postfix), end, error)
        || !writeFile(dir.filePath(u"exim.log"_s), lines(writer.exim), end, error)
        || !writeFile(dir.filePath(u"mailbox-postfix.mbox"_s), mbox(writer.postfixBox), {}, error)
        || !writeFile(dir.filePath(u"mailbox-exim.mbox"_s), mbox(writer.eximBox), {}, error)
        || !writeFile(dir.filePath(u"truth.jsonl"_s), truthJsonl, {}, error))
        return {};
    if ((m_options.backscatter > 0 && !writeFile(dir.filePath(u"backscatter.jsonl"_s), backscatter.backscatterJsonl, {}, error))
        || (m_options.outboundBackscatter > 0
            && !writeFile(dir.filePath(u"outbound-backscatter.jsonl"_s), backscatter.outboundJsonl, {}, error)))
        return {};
    return truth;
}

} // namespace bi::scenario
