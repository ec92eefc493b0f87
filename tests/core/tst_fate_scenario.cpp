// SPDX-License-Identifier: GPL-3.0-or-later
// Fates against the truth of a generated scenario: Postfix log + mailbox, Exim log +
// mailbox, and the mailbox alone; also import order and re-import.
#include <cstdio>
#include <map>

#include <QDir>
#include <QFile>
#include <QLocale>
#include <QMap>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include "core/import/import_job.h"
#include "core/store/backscatter_repository.h"
#include "core/store/fate_repository.h"
#include "core/store/project_store.h"
#include "scenario.h"

using namespace Qt::StringLiterals;
using bi::core::store::FateRecord;

class TstFateScenario final : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void postfixLogAndMailbox();
    void eximLogAndMailbox();
    void mailboxAlone();
    void expiredReasonWithAndWithoutLogs();
    void expiryLoggedPerRecipientReadsLikePostfixs();
    void importOrderDoesNotMatter();
    void reimportAddsNothing();
    void inMemoryProjectDecidesAlike();
    void forgedInboundSenderIsNotOurs();
    void windowMatchGoesToTheLatestSendBeforeIt();
    void messageSentTwiceBouncesForTheSendBeforeIt();
    void sendmailNoticesAreNoFates();
    void powerMtaRowsGiveEachRecipientAFate();
    void handOffToAFilterOrLocalMtaIsOneFate();
    void removedWhileDeferredSaysSo();
    void pickupSenderIsTheQualifiedOne();
    void mailboxAloneKeepsDelaysAndTheMailedAddress();
    void messageStepsStayWithTheirRecipient();
    void logStartingAtARetryPassDatesTheArrivalByDelay();
    void recipientOnlyNotTriedIsStillDeferred();
    void redirectedAddressIsOneFateAndAutorepliesNoDelivery();
    void statusIsTheLogsOwn();
    void inboundLocalDeliveriesAreNoFates();
    void eximLocalTransportsAreNoFates();
    void noticeAboutACoRecipientIsThatOnes();
    void messageQueuedBeforeTheLogTakesTheNoticesMessageId();
    void refusalsOfOutsideClientsAreNoFates();
    void sendmailAndExchangeMailboxDeliveriesAreNoFates();
    void backscatterTheLogsConfirmIsNoFate();
    void receivingSidesNoticeGoesToAnAcceptedSend();
    void recipientsTheSmarthostRefusedAreRejected();
    void refusalsThatQueuedNothingAreOursOnlyFromOurClients();
    void copiedLogsYearIsWarnedOfAndSetByTheDayTheLogsEnd();
    void forwardedRecipientsBounceJoinsTheLoggedSend();
    void messageCutByARotationGoesOnInTheNextFile();
    void bounceQuotingOurStampJoinsThatSend();
    void exchangeReportsToTheSenderAreNoFates();
    void handOffToAnotherOfOurHostsIsOneFate();
    void bounceNamingTheReceiversQueueIdJoinsThatSend();
    void bounceNamingItsSendsTimesJoinsThatSend();
    void handedOffWithoutItsContinuationStillGetsItsBounce();
    void acceptingServersBounceIsAsyncAlsoInOurDomains();

private:
    struct Agreement {
        int total = 0;
        int agree = 0;
        QStringList misses;
    };
    QList<FateRecord> importAndRead(const QStringList& files, const QString& name);
    /// importAndRead() as "recipient fate" lines, sorted.
    QStringList fateLines(const QStringList& files, const QString& name);
    /// Writes bytes to scenario/relative (its folder made as needed); false when it could not.
    bool writeScenarioFile(const QString& relative, const QByteArray& bytes);
    /// failedOnly: the mailbox-alone comparison, over the failed recipients whose failure
    /// reached the mailbox (a recipient the smarthost refused at submission left no notice).
    Agreement compare(const QList<FateRecord>& fates, bool failedOnly);

    QTemporaryDir m_dir;
    QList<bi::scenario::TruthRecord> m_truth;
};

void TstFateScenario::initTestCase()
{
    QVERIFY(m_dir.isValid());
    bi::scenario::ScenarioOptions options;
    options.seed = 20261129;
    options.messages = 300;
    QString error;
    m_truth = bi::scenario::ScenarioGenerator(options).writeTo(m_dir.filePath(u"scenario"_s), &error);
    QVERIFY2(!m_truth.isEmpty(), qPrintable(error));
}

bool TstFateScenario::writeScenarioFile(const QString& relative, const QByteArray& bytes)
{
    const QString path = m_dir.filePath(u"scenario/"_s + relative);
    QFile f(path);
    return QDir().mkpath(QFileInfo(path).path()) && f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QStringList TstFateScenario::fateLines(const QStringList& files, const QString& name)
{
    QStringList lines;
    for (const FateRecord& r : importAndRead(files, name))
        lines << r.recipient + u' ' + bi::core::store::fateName(r.fate);
    lines.sort();
    return lines;
}

QList<FateRecord> TstFateScenario::importAndRead(const QStringList& files, const QString& name)
{
    QList<FateRecord> out;
    const QString path = name == u":memory:"_s ? name : m_dir.filePath(name);
    auto store = bi::core::store::ProjectStore::open(path, u"test"_s);
    if (!store) {
        qWarning("%s", qPrintable(store.error().toString()));
        return out;
    }
    bi::core::import::ImportOptions options;
    options.logTimeZone = QTimeZone(3600); // the scenario's smarthosts run on UTC+01:00
    QStringList paths;
    for (const QString& f : files)
        paths << m_dir.filePath(u"scenario/"_s + f);
    bi::core::import::ImportJob job(*store, options);
    auto summary = job.run(paths);
    if (!summary || !summary->errors.isEmpty()) {
        qWarning("import failed: %s", qPrintable(summary ? summary->errors.join(u"; "_s) : summary.error().toString()));
        return out;
    }
    bi::core::store::FateRepository repo(*store);
    (void)repo.forEach([&out](const FateRecord& f) {
        out << f;
        return true;
    });
    return out;
}

TstFateScenario::Agreement TstFateScenario::compare(const QList<FateRecord>& fates, bool failedOnly)
{
    std::map<std::pair<QString, QString>, const FateRecord*> byKey;
    for (const FateRecord& f : fates)
        byKey[{f.messageId, f.recipient}] = &f;
    Agreement a;
    for (const bi::scenario::TruthRecord& t : m_truth) {
        const bool failed = t.fate == u"rejected" || t.fate == u"expired" || t.fate == u"async_bounce";
        if (failedOnly && (!failed || t.bounceStyle == u"refused-at-submission"))
            continue;
        ++a.total;
        const auto it = byKey.find({t.messageId, t.recipient});
        const QString got = it == byKey.end() ? u"(none)"_s : bi::core::store::fateName(it->second->fate);
        if (got == t.fate)
            ++a.agree;
        else if (a.misses.size() < 15)
            a.misses << u"%1 %2: expected %3 (%4), got %5"_s.arg(t.messageId, t.recipient, t.fate, t.bounceStyle, got);
    }
    return a;
}

// A receiving server's late "mailbox full" DSN (552 5.2.2) to news@shop.example about
// recipient, written by reporter at date (UTC). dsnFields go with its Reporting-MTA
// (Arrival-Date, X-Postfix-Queue-ID); quotedHeaders, when given, are the original's headers it
// returns.
static QByteArray mailboxFullNotice(const QByteArray& reporter, const QByteArray& recipient, const QDateTime& date,
                                    const QByteArray& dsnFields = {}, const QByteArray& quotedHeaders = {})
{
    const QLocale c = QLocale::c();
    const QByteArray fromLine = c.toString(date, u"ddd MMM "_s).toLatin1()
        + QByteArray::number(date.date().day()).rightJustified(2, ' ') + c.toString(date, u" hh:mm:ss yyyy"_s).toLatin1();
    QByteArray notice = "From MAILER-DAEMON " + fromLine + "\n"
        "Return-Path: <>\n"
        "From: Mail Delivery System <MAILER-DAEMON@" + reporter + ">\n"
        "To: news@shop.example\n"
        "Subject: Undelivered Mail Returned to Sender\n"
        "Date: " + c.toString(date, u"ddd, d MMM yyyy hh:mm:ss +0000"_s).toLatin1() + "\n"
        "Message-ID: <" + QByteArray::number(date.toSecsSinceEpoch()) + "." + recipient + "@" + reporter + ">\n"
        "MIME-Version: 1.0\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n"
        "\n--B\nContent-Type: text/plain\n\nYour message could not be delivered: mailbox full.\n"
        "\n--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; " + reporter + "\n" + dsnFields +
        "\nFinal-Recipient: rfc822; " + recipient + "\nAction: failed\nStatus: 5.2.2\n"
        "Diagnostic-Code: smtp; 552 5.2.2 Mailbox full\n";
    if (!quotedHeaders.isEmpty())
        notice += "\n--B\nContent-Type: text/rfc822-headers\n\n" + quotedHeaders;
    return notice + "\n--B--\n\n";
}

// A notice mx.abv.bg wrote after it had accepted the message: the recipient's mailbox is full.
// date as its Date field; quoted: the original's header fields it quotes, if any.
static QByteArray abvMailboxFull(const QByteArray& date, const QByteArray& id, const QByteArray& recipient,
                                 const QByteArray& quoted = {})
{
    QByteArray m = "From MAILER-DAEMON Mon Jan 12 09:00:00 2026\n"
                   "Return-Path: <>\n"
                   "From: Mail Delivery System <MAILER-DAEMON@mx.abv.bg>\n"
                   "To: news@shop.example\n"
                   "Subject: Undelivered Mail Returned to Sender\n"
                   "Date: " + date + "\n"
                   "Message-ID: <" + id + "@mx.abv.bg>\n"
                   "MIME-Version: 1.0\n"
                   "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n"
                   "\n"
                   "--B\n"
                   "Content-Type: text/plain\n"
                   "\n"
                   "This is the mail system at host mx.abv.bg. Your message could not be delivered.\n"
                   "\n"
                   "--B\n"
                   "Content-Type: message/delivery-status\n"
                   "\n"
                   "Reporting-MTA: dns; mx.abv.bg\n"
                   "\n"
                   "Final-Recipient: rfc822; " + recipient + "\n"
                   "Action: failed\n"
                   "Status: 5.2.2\n"
                   "Diagnostic-Code: smtp; 552 5.2.2 Mailbox full\n"
                   "\n";
    if (!quoted.isEmpty())
        m += "--B\nContent-Type: text/rfc822-headers\n\n" + quoted + "\n";
    return m + "--B--\n\n";
}

static void report(const char* what, int agree, int total, const QStringList& misses)
{
    std::printf("%s: %d of %d agree (%.2f %%)\n", what, agree, total, total ? 100.0 * agree / total : 0.0);
    for (const QString& m : misses)
        std::printf("  %s\n", qPrintable(m));
}

void TstFateScenario::postfixLogAndMailbox()
{
    int refused = 0;
    for (const bi::scenario::TruthRecord& t : std::as_const(m_truth))
        refused += t.bounceStyle == u"refused-at-submission";
    QVERIFY2(refused >= 5, "the scenario has recipients the smarthost refused at submission");
    const QList<FateRecord> fates = importAndRead({u"postfix.log"_s, u"mailbox-postfix.mbox"_s}, u"postfix.bip"_s);
    const Agreement a = compare(fates, false);
    report("postfix log + mailbox", a.agree, a.total, a.misses);
    QVERIFY(a.total > 300);
    QVERIFY2(a.agree * 1000 >= a.total * 995, "at least 99.5 % of fates must match the truth");
    // A failure Postfix logged with relay=none (no host's address found) reads as such, not "at none".
    int unreached = 0;
    for (const FateRecord& f : fates) {
        const QString why = f.evidence.join(u" | "_s);
        QVERIFY2(!why.contains(u" at none"_s), qPrintable(why));
        unreached += why.contains(u"the smarthost logged a permanent failure before reaching any host: "_s);
    }
    QVERIFY(unreached > 0);
}

void TstFateScenario::eximLogAndMailbox()
{
    const QList<FateRecord> fates = importAndRead({u"exim.log"_s, u"mailbox-exim.mbox"_s}, u"exim.bip"_s);
    const Agreement a = compare(fates, false);
    report("exim log + mailbox", a.agree, a.total, a.misses);
    QVERIFY(a.total > 300);
    QVERIFY2(a.agree * 1000 >= a.total * 995, "at least 99.5 % of fates must match the truth");
}

void TstFateScenario::mailboxAlone()
{
    for (const QString& box : {u"mailbox-postfix.mbox"_s, u"mailbox-exim.mbox"_s}) {
        const QList<FateRecord> fates = importAndRead({box}, box + u".bip"_s);
        const Agreement a = compare(fates, true);
        report(qPrintable(box + u" alone (failed recipients)"_s), a.agree, a.total, a.misses);
        QVERIFY(a.total > 100);
        QVERIFY2(a.agree * 100 >= a.total * 98, "at least 98 % of failed recipients must get the right fate");
        // A bounce alone does not say when the message was accepted: no made-up time to bounce.
        int async = 0;
        for (const FateRecord& f : fates) {
            if (f.fate != bi::core::store::Fate::AsyncBounce)
                continue;
            ++async;
            QVERIFY(f.bounceAt.isValid());
            QVERIFY(!f.finalAt.isValid());
            QCOMPARE(f.secondsToBounce(), qint64(-1));
        }
        QVERIFY(async > 10);
    }
}

// An expired recipient's reason is "expired" with the log imported and from the mailbox
// alone: the smarthost's notice quotes only the last deferral (greylisting, a 421), whose own
// reason (blocked, onhold) must not replace the expiry.
void TstFateScenario::expiredReasonWithAndWithoutLogs()
{
    QSet<std::pair<QString, QString>> expired;
    for (const bi::scenario::TruthRecord& t : std::as_const(m_truth)) {
        if (t.fate == u"expired")
            expired.insert({t.messageId, t.recipient});
    }
    QVERIFY(expired.size() >= 5);
    const QList<std::pair<QStringList, QString>> runs{
        {{u"postfix.log"_s, u"mailbox-postfix.mbox"_s}, u"expired-log.bip"_s},
        {{u"mailbox-postfix.mbox"_s}, u"expired-mailbox.bip"_s},
    };
    for (const auto& [files, name] : runs) {
        int seen = 0;
        for (const FateRecord& f : importAndRead(files, name)) {
            if (f.fate != bi::core::store::Fate::Expired || !expired.contains({f.messageId, f.recipient}))
                continue;
            ++seen;
            QVERIFY2(f.reason == u"expired"_s,
                     qPrintable(u"%1 %2 (%3): reason %4, diagnostic %5"_s.arg(f.messageId, f.recipient, name, f.reason,
                                                                             f.diagnostic)));
        }
        QVERIFY2(seen * 100 >= expired.size() * 98, qPrintable(u"%1: %2 of %3 expired"_s.arg(name).arg(seen).arg(expired.size())));
    }
}

void TstFateScenario::expiryLoggedPerRecipientReadsLikePostfixs()
{
    // Postfix logs an expiry once per message ("from=<...>, status=expired, returned to
    // sender"); some logs write "to=<...>, ..., status=expired, returned to sender" per
    // recipient instead. Both give the same fate: the expiry ends the retries, it is no attempt.
    const QByteArray head =
        "Mar  2 08:00:00 relay postfix/qmgr[700]: 4C0BF8E704E: from=<news@corp.example>, size=900, nrcpt=1 (queue active)\n"
        "Mar  2 08:00:01 relay postfix/smtp[801]: 4C0BF8E704E: to=<u1@mx.example>, relay=mx.mx.example[198.51.100.7]:25, delay=1, delays=0/0/0/1, dsn=4.7.1, status=deferred (host mx.mx.example[198.51.100.7] said: 451 4.7.1 Greylisted (in reply to RCPT TO command))\n"
        "Mar  3 08:00:01 relay postfix/smtp[802]: 4C0BF8E704E: to=<u1@mx.example>, relay=none, delay=86401, delays=86400/0/1/0, dsn=4.4.1, status=deferred (connect to mx.mx.example[198.51.100.7]:25: Connection timed out)\n";
    const QByteArray tail = "Mar  7 08:00:02 relay postfix/qmgr[700]: 4C0BF8E704E: removed\n";
    const QList<std::pair<QString, QByteArray>> logs{
        {u"expiry-message.log"_s,
         head + "Mar  7 08:00:02 relay postfix/qmgr[700]: 4C0BF8E704E: from=<news@corp.example>, status=expired, returned to sender\n" + tail},
        {u"expiry-recipient.log"_s,
         head + "Mar  7 08:00:02 relay postfix/qmgr[700]: 4C0BF8E704E: to=<u1@mx.example>, relay=none, delay=432002, delays=432002/0/0/0, dsn=4.4.1, status=expired, returned to sender\n" + tail},
    };
    QList<FateRecord> fates;
    for (const auto& [name, text] : logs) {
        QVERIFY(writeScenarioFile(name, text));
        const QList<FateRecord> read = importAndRead({name}, name + u".bip"_s);
        QCOMPARE(read.size(), 1);
        fates << read.constFirst();
    }
    for (const FateRecord& f : std::as_const(fates)) {
        QCOMPARE(f.fate, bi::core::store::Fate::Expired);
        QCOMPARE(f.attempts, 2);
        QCOMPARE(f.deferrals, 2);
        QCOMPARE(f.status, u"4.4.1"_s);
        QCOMPARE(f.diagnostic, u"connect to mx.mx.example[198.51.100.7]:25: Connection timed out"_s);
    }
    QCOMPARE(fates.at(1).finalAt, fates.at(0).finalAt);
    QCOMPARE(fates.at(1).reason, fates.at(0).reason);
}

void TstFateScenario::importOrderDoesNotMatter()
{
    auto key = [](const QList<FateRecord>& fates) {
        QStringList out;
        for (const FateRecord& f : fates)
            out << f.messageId + u' ' + f.recipient + u' ' + bi::core::store::fateName(f.fate) + u' ' + f.reason;
        out.sort();
        return out;
    };
    const QStringList logFirst = key(importAndRead({u"postfix.log"_s, u"mailbox-postfix.mbox"_s}, u"a.bip"_s));
    const QStringList mailFirst = key(importAndRead({u"mailbox-postfix.mbox"_s, u"postfix.log"_s}, u"b.bip"_s));
    QVERIFY(!logFirst.isEmpty());
    QCOMPARE(mailFirst, logFirst);
}

// A project file is correlated in two threads (deciding on a second connection, writing on
// the first); ":memory:" has no second connection and does both in one. Same fates.
void TstFateScenario::inMemoryProjectDecidesAlike()
{
    const QStringList files{u"postfix.log"_s, u"mailbox-postfix.mbox"_s};
    const QList<FateRecord> threaded = importAndRead(files, u"threaded.bip"_s);
    const QList<FateRecord> inline_ = importAndRead(files, u":memory:"_s);
    QVERIFY(threaded.size() > 300);
    QCOMPARE(inline_.size(), threaded.size());
    for (qsizetype i = 0; i < threaded.size(); ++i) {
        const FateRecord& a = threaded.at(i);
        const FateRecord& b = inline_.at(i);
        QCOMPARE(b.messageId, a.messageId);
        QCOMPARE(b.recipient, a.recipient);
        QCOMPARE(b.fate, a.fate);
        QCOMPARE(b.reason, a.reason);
        QCOMPARE(b.status, a.status);
        QCOMPARE(b.finalAt, a.finalAt);
        QCOMPARE(b.bounceAt, a.bounceAt);
        QCOMPARE(b.deferrals, a.deferrals);
        QCOMPARE(b.evidence, a.evidence);
        QCOMPARE(b.steps.size(), a.steps.size());
    }
}

// A relay that also takes inbound mail logs the forged senders of the spam it accepts for our
// users. Those domains are not ours: a bounce their server writes after accepting our mail
// is an asynchronous bounce, not a notice of our own smarthost.
void TstFateScenario::forgedInboundSenderIsNotOurs()
{
    QByteArray log;
    // Our message to ivan@abv.bg, accepted with 250.
    log += "2026-01-10T10:00:00+01:00 mx-out1 postfix/cleanup[101]: 1A2B3C4D5E: message-id=<m1@shop.example>\n"
           "2026-01-10T10:00:00+01:00 mx-out1 postfix/qmgr[100]: 1A2B3C4D5E: from=<news@shop.example>, size=1200, "
           "nrcpt=1 (queue active)\n"
           "2026-01-10T10:00:01+01:00 mx-out1 postfix/smtp[102]: 1A2B3C4D5E: to=<ivan@abv.bg>, "
           "relay=mx.abv.bg[192.0.2.44]:25, delay=1, delays=0/0/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: "
           "queued as 9F8E7D)\n"
           "2026-01-10T10:00:01+01:00 mx-out1 postfix/qmgr[100]: 1A2B3C4D5E: removed\n";
    // Spam with forged @abv.bg senders, accepted for our users: more of it than of our own mail.
    for (int i = 0; i < 20; ++i) {
        const QByteArray qid = "2B3C4D5E" + QByteArray::number(10 + i);
        const QByteArray t = "2026-01-10T11:" + QByteArray::number(10 + i) + ":00+01:00 mx-out1 ";
        log += t + "postfix/smtpd[200]: " + qid + ": client=unknown[203.0.113.9]\n";
        log += t + "postfix/cleanup[101]: " + qid + ": message-id=<spam" + QByteArray::number(i) + "@abv.bg>\n";
        log += t + "postfix/qmgr[100]: " + qid + ": from=<sales" + QByteArray::number(i)
            + "@abv.bg>, size=900, nrcpt=1 (queue active)\n";
        log += t + "postfix/local[300]: " + qid + ": to=<info@shop.example>, relay=local, delay=1, "
                   "delays=0/0/0/1, dsn=2.0.0, status=sent (delivered to mailbox)\n";
        log += t + "postfix/qmgr[100]: " + qid + ": removed\n";
    }
    QVERIFY(writeScenarioFile(u"forged/relay.log"_s, log));
    // Two days later abv.bg's server bounces our message: the mailbox was full after all.
    const QByteArray mbox = abvMailboxFull("Mon, 12 Jan 2026 09:00:00 +0200", "b1", "ivan@abv.bg",
                                           "Message-ID: <m1@shop.example>\n"
                                           "From: news@shop.example\n"
                                           "To: ivan@abv.bg\n"
                                           "Subject: News\n"
                                           "Date: Sat, 10 Jan 2026 10:00:00 +0100\n");
    QVERIFY(writeScenarioFile(u"forged/bounces.mbox"_s, mbox));

    const QList<FateRecord> fates = importAndRead({u"forged/relay.log"_s, u"forged/bounces.mbox"_s}, u"forged.bip"_s);
    const FateRecord* ivan = nullptr;
    for (const FateRecord& f : fates) {
        if (f.recipient == u"ivan@abv.bg")
            ivan = &f;
    }
    QVERIFY(ivan);
    QCOMPARE(bi::core::store::fateName(ivan->fate), u"async_bounce"_s);
    QCOMPARE(ivan->reason, u"mailboxfull"_s);
}

// A bounce that quotes nothing of the original can only be joined by recipient and time
// window. The recipient got two messages, each bounced later: each bounce belongs to the
// latest send before it, not to the first message the log streams.
void TstFateScenario::windowMatchGoesToTheLatestSendBeforeIt()
{
    QByteArray log;
    for (const QByteArray& day : {QByteArray("10"), QByteArray("17")}) {
        const QByteArray t = "2026-01-" + day + "T10:00:0";
        const QByteArray qid = "7A" + day + "C4D5E";
        log += t + "0+01:00 mx-out1 postfix/cleanup[101]: " + qid + ": message-id=<m" + day + "@shop.example>\n";
        log += t + "0+01:00 mx-out1 postfix/qmgr[100]: " + qid + ": from=<news@shop.example>, size=1200, nrcpt=1 "
                   "(queue active)\n";
        log += t + "1+01:00 mx-out1 postfix/smtp[102]: " + qid + ": to=<ivan@abv.bg>, relay=mx.abv.bg[192.0.2.44]:25, "
                   "delay=1, delays=0/0/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 9F8E" + day + ")\n";
        log += t + "1+01:00 mx-out1 postfix/qmgr[100]: " + qid + ": removed\n";
    }
    QVERIFY(writeScenarioFile(u"window/relay.log"_s, log));
    // Two bounces written by abv.bg after accepting, neither quoting the original: on the 12th
    // (after the first message only) and on the 20th (after both).
    QByteArray mbox;
    for (const QByteArray& day : {QByteArray("12"), QByteArray("20")})
        mbox += abvMailboxFull(day + " Jan 2026 09:00:00 +0200", "b" + day, "ivan@abv.bg");
    QVERIFY(writeScenarioFile(u"window/bounces.mbox"_s, mbox));

    const QList<FateRecord> fates = importAndRead({u"window/relay.log"_s, u"window/bounces.mbox"_s}, u"window.bip"_s);
    QMap<QString, const FateRecord*> byMessage;
    for (const FateRecord& f : fates)
        byMessage.insert(f.messageId, &f);
    QCOMPARE(fates.size(), 2);
    QVERIFY(byMessage.contains(u"m10@shop.example"_s) && byMessage.contains(u"m17@shop.example"_s));
    for (const QString& id : {u"m10@shop.example"_s, u"m17@shop.example"_s}) {
        const FateRecord& f = *byMessage.value(id);
        QCOMPARE(bi::core::store::fateName(f.fate), u"async_bounce"_s);
        QCOMPARE(f.reason, u"mailboxfull"_s);
        QCOMPARE(f.decidedBy, u"log+mailbox"_s);
        QCOMPARE(f.matchConfidence, 0.6);
    }
    QCOMPARE(byMessage.value(u"m10@shop.example"_s)->bounceAt,
             QDateTime(QDate(2026, 1, 12), QTime(7, 0), Qt::UTC));
    QCOMPARE(byMessage.value(u"m17@shop.example"_s)->bounceAt,
             QDateTime(QDate(2026, 1, 20), QTime(7, 0), Qt::UTC));
}

// One message (one Message-ID, one Date field) sent twice a day apart to the same three
// recipients; the bounces quote its headers and name no queue id. ivan's bounce comes after
// both sends: the later send's (the Date field fits both alike). olga's two bounces after
// both: one each, in order. petr's bounce comes five minutes before the second send: the
// first send's, though the clocks' slack would let the second claim it.
void TstFateScenario::messageSentTwiceBouncesForTheSendBeforeIt()
{
    QByteArray log;
    for (const QByteArray& day : {QByteArray("10"), QByteArray("11")}) {
        const QByteArray t = "2026-01-" + day + "T10:00:0";
        const QByteArray qid = "7A" + day + "C4D5E";
        log += t + "0+00:00 mx-out1 postfix/cleanup[101]: " + qid + ": message-id=<r1@shop.example>\n";
        log += t + "0+00:00 mx-out1 postfix/qmgr[100]: " + qid + ": from=<news@shop.example>, size=1200, nrcpt=3 "
                   "(queue active)\n";
        for (const QByteArray& who : {QByteArray("ivan"), QByteArray("olga"), QByteArray("petr")}) {
            log += t + "1+00:00 mx-out1 postfix/smtp[102]: " + qid + ": to=<" + who + "@abv.bg>, relay=mx.abv.bg[192.0.2.44]:25, "
                       "delay=1, delays=0/0/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok)\n";
        }
        log += t + "2+00:00 mx-out1 postfix/qmgr[100]: " + qid + ": removed\n";
    }
    QVERIFY(writeScenarioFile(u"twice/relay.log"_s, log));
    QByteArray mbox;
    const QList<std::pair<QByteArray, QByteArray>> bounces = {
        {"ivan", "11 Jan 2026 18:00:00"}, {"olga", "11 Jan 2026 18:00:00"},
        {"olga", "12 Jan 2026 09:00:00"}, {"petr", "11 Jan 2026 09:55:00"}};
    int n = 0;
    for (const auto& [who, date] : bounces) {
        mbox += abvMailboxFull(date + " +0000", "b" + QByteArray::number(++n), who + "@abv.bg",
                               "From: news@shop.example\n"
                               "To: " + who + "@abv.bg\n"
                               "Date: Sat, 10 Jan 2026 09:59:00 +0000\n"
                               "Message-ID: <r1@shop.example>\n"
                               "Subject: News\n");
    }
    QVERIFY(writeScenarioFile(u"twice/bounces.mbox"_s, mbox));

    const QList<FateRecord> fates = importAndRead({u"twice/relay.log"_s, u"twice/bounces.mbox"_s}, u"twice.bip"_s);
    QStringList got;
    for (const FateRecord& f : fates) {
        got << f.queueId + u' ' + f.recipient + u' ' + bi::core::store::fateName(f.fate) + u' '
                + f.bounceAt.toString(Qt::ISODate);
    }
    got.sort();
    const QStringList want = {
        u"7A10C4D5E ivan@abv.bg delivered "_s,
        u"7A10C4D5E olga@abv.bg async_bounce 2026-01-11T18:00:00Z"_s,
        u"7A10C4D5E petr@abv.bg async_bounce 2026-01-11T09:55:00Z"_s,
        u"7A11C4D5E ivan@abv.bg async_bounce 2026-01-11T18:00:00Z"_s,
        u"7A11C4D5E olga@abv.bg async_bounce 2026-01-12T09:00:00Z"_s,
        u"7A11C4D5E petr@abv.bg delivered "_s,
    };
    QCOMPARE(got, want);
}

// Sendmail logs no from= line for the notices it makes ("OLDQID: NEWQID: sender notify: ..."
// and "DSN: ..."): their delivery to our sender is no fate, and "Cannot send message for 5
// days" ends the original's retries.
void TstFateScenario::sendmailNoticesAreNoFates()
{
    const QByteArray log =
        "Nov 26 22:30:00 mx1 sm-mta[4800]: 5AQMU0aa004800: from=<news@shop.example>, size=2400, class=0, nrcpts=2, msgid=<n42@shop.example>, proto=ESMTP, daemon=MTA-v4, relay=app.shop.example [192.0.2.5]\n"
        "Nov 26 22:30:05 mx1 sm-mta[4801]: 5AQMU0aa004800: to=<a@far.example>,<c@far.example>, delay=00:00:05, xdelay=00:00:04, mailer=esmtp, pri=120499, relay=mx.far.example. [198.51.100.9], dsn=4.0.0, stat=Deferred: Connection timed out with mx.far.example.\n"
        "Nov 27 22:30:05 mx1 sm-mta[4802]: 5AQMU0aa004800: to=<a@far.example>, delay=1+00:00:05, xdelay=00:00:02, mailer=esmtp, pri=210499, relay=mx.far.example. [198.51.100.9], dsn=2.0.0, stat=Sent (Ok: queued as 4A1B2C)\n"
        "Dec  1 22:36:14 mx1 sm-mta[4811]: 5AQMU0aa004800: to=<c@far.example>, delay=5+00:06:14, xdelay=00:10:18, mailer=esmtp, pri=32250365, relay=mx.far.example. [198.51.100.9], dsn=4.0.0, stat=Deferred: Connection timed out with mx.far.example.\n"
        "Dec  1 22:36:14 mx1 sm-mta[4811]: 5AQMU0aa004800: 5B1MaEbb004811: sender notify: Cannot send message for 5 days\n"
        "Dec  1 22:36:14 mx1 sm-mta[4811]: 5B1MaEbb004811: to=<news@shop.example>, delay=00:00:00, xdelay=00:00:00, mailer=esmtp, pri=30000, relay=app.shop.example. [192.0.2.5], dsn=2.0.0, stat=Sent (ok)\n"
        "Dec  1 22:40:00 mx1 sm-mta[4900]: 5B1Me0cc004900: from=<news@shop.example>, size=2400, class=0, nrcpts=1, msgid=<n43@shop.example>, proto=ESMTP, daemon=MTA-v4, relay=app.shop.example [192.0.2.5]\n"
        "Dec  1 22:40:02 mx1 sm-mta[4901]: 5B1Me0cc004900: to=<nobody@far.example>, delay=00:00:02, xdelay=00:00:02, mailer=esmtp, pri=120499, relay=mx.far.example. [198.51.100.9], dsn=5.1.1, stat=User unknown\n"
        "Dec  1 22:40:02 mx1 sm-mta[4901]: 5B1Me0cc004900: 5B1Me2dd004901: DSN: User unknown\n"
        "Dec  1 22:40:02 mx1 sm-mta[4901]: 5B1Me2dd004901: to=<news@shop.example>, delay=00:00:00, xdelay=00:00:00, mailer=esmtp, pri=30000, relay=app.shop.example. [192.0.2.5], dsn=2.0.0, stat=Sent (ok)\n";
    QVERIFY(writeScenarioFile(u"sendmail/maillog"_s, log));
    const QList<FateRecord> fates = importAndRead({u"sendmail/maillog"_s}, u"sendmail.bip"_s);
    QMap<QString, const FateRecord*> byRecipient;
    for (const FateRecord& r : fates)
        byRecipient.insert(r.recipient, &r);
    QCOMPARE(byRecipient.keys(), QStringList({u"a@far.example"_s, u"c@far.example"_s, u"nobody@far.example"_s}));
    QCOMPARE(bi::core::store::fateName(byRecipient.value(u"a@far.example"_s)->fate), u"delivered"_s);
    const FateRecord& c = *byRecipient.value(u"c@far.example"_s);
    QCOMPARE(bi::core::store::fateName(c.fate), u"expired"_s);
    QCOMPARE(c.deferrals, 2);
    // The year of these syslog stamps depends on the day the test runs: compare the span.
    QCOMPARE(c.queuedAt.secsTo(c.finalAt), qint64(5 * 86400 + 6 * 60 + 14));
    QCOMPARE(bi::core::store::fateName(byRecipient.value(u"nobody@far.example"_s)->fate), u"rejected"_s);
}

// PowerMTA logs no queue id: each recipient's rows (t, then d or b, later rb) are its
// timeline. An rb row after a d row is an asynchronous bounce; a b row with bounceCat
// message-expired an expiry; the queue time comes from timeQueued.
void TstFateScenario::powerMtaRowsGiveEachRecipientAFate()
{
    QFile fixture(QStringLiteral(BI_TEST_DATA_DIR) + u"/logs/powermta/acct-2025-05-12.csv"_s);
    QVERIFY(fixture.open(QIODevice::ReadOnly));
    QVERIFY(writeScenarioFile(u"powermta/acct.csv"_s, fixture.readAll()));
    const QList<FateRecord> fates = importAndRead({u"powermta/acct.csv"_s}, u"powermta.bip"_s);
    QMap<QString, const FateRecord*> byRecipient;
    for (const FateRecord& r : fates)
        byRecipient.insert(r.recipient, &r);
    QCOMPARE(byRecipient.keys(), QStringList({u"alice@gmail.com"_s, u"bob@yahoo.com"_s, u"carol@outlook.com"_s,
                                              u"dave@slow.example"_s, u"gina@example.org"_s}));
    const FateRecord& alice = *byRecipient.value(u"alice@gmail.com"_s);
    QCOMPARE(bi::core::store::fateName(alice.fate), u"async_bounce"_s);
    QCOMPARE(alice.status, u"5.2.2"_s);
    QCOMPARE(alice.reason, u"mailboxfull"_s);
    QCOMPARE(alice.finalAt, QDateTime(QDate(2025, 5, 12), QTime(8, 0, 2), Qt::UTC));
    QCOMPARE(alice.bounceAt, QDateTime(QDate(2025, 5, 12), QTime(9, 30), Qt::UTC));
    QCOMPARE(alice.queueId, u"env-0001/alice@gmail.com"_s);
    const FateRecord& bob = *byRecipient.value(u"bob@yahoo.com"_s);
    QCOMPARE(bi::core::store::fateName(bob.fate), u"deferred"_s);
    QCOMPARE(bob.deferrals, 1);
    QCOMPARE(bi::core::store::fateName(byRecipient.value(u"carol@outlook.com"_s)->fate), u"rejected"_s);
    const FateRecord& dave = *byRecipient.value(u"dave@slow.example"_s);
    QCOMPARE(bi::core::store::fateName(dave.fate), u"expired"_s);
    QCOMPARE(dave.queuedAt, QDateTime(QDate(2025, 5, 12), QTime(8, 0), Qt::UTC));
    QCOMPARE(bi::core::store::fateName(byRecipient.value(u"gina@example.org"_s)->fate), u"delivered"_s);
    QCOMPARE(byRecipient.value(u"gina@example.org"_s)->messageId, u"n-7790@example.net"_s);
}

// A content filter (amavis on 127.0.0.1:10024) takes the message, "queued as" a new id by
// the same Postfix; Sendmail's submission program hands its mail to the local sm-mta. The
// hand-off is no delivery: each recipient has one fate, the continuing message's, with the
// first queue time. In the same second the handing message comes first (log order).
void TstFateScenario::handOffToAFilterOrLocalMtaIsOneFate()
{
    const QByteArray postfix =
        "Mar  4 11:00:01 relay postfix/smtpd[7000]: 1A2B3C4D5E: client=app1.shop.example[192.0.2.5]\n"
        "Mar  4 11:00:01 relay postfix/cleanup[7001]: 1A2B3C4D5E: message-id=<f1@shop.example>\n"
        "Mar  4 11:00:01 relay postfix/qmgr[900]: 1A2B3C4D5E: from=<news@shop.example>, size=2000, nrcpt=2 (queue active)\n"
        "Mar  4 11:00:01 relay postfix/smtpd[7010]: 0F3A1C0456: client=localhost[127.0.0.1]\n"
        "Mar  4 11:00:01 relay postfix/cleanup[7001]: 0F3A1C0456: message-id=<f1@shop.example>\n"
        "Mar  4 11:00:01 relay postfix/qmgr[900]: 0F3A1C0456: from=<news@shop.example>, size=2500, nrcpt=2 (queue active)\n"
        "Mar  4 11:00:01 relay postfix/smtp[7002]: 1A2B3C4D5E: to=<gone@far.example>, relay=127.0.0.1[127.0.0.1]:10024, delay=0.9, delays=0.1/0/0/0.8, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as 0F3A1C0456)\n"
        "Mar  4 11:00:01 relay postfix/smtp[7002]: 1A2B3C4D5E: to=<ok@far.example>, relay=127.0.0.1[127.0.0.1]:10024, delay=0.9, delays=0.1/0/0/0.8, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as 0F3A1C0456)\n"
        "Mar  4 11:00:01 relay postfix/qmgr[900]: 1A2B3C4D5E: removed\n"
        "Mar  4 11:00:02 relay postfix/smtp[7003]: 0F3A1C0456: to=<gone@far.example>, relay=mx.far.example[198.51.100.9]:25, delay=1, delays=0/0/0.5/0.5, dsn=5.1.1, status=bounced (host mx.far.example[198.51.100.9] said: 550 5.1.1 <gone@far.example>: User unknown (in reply to RCPT TO command))\n"
        "Mar  4 11:00:02 relay postfix/smtp[7003]: 0F3A1C0456: to=<ok@far.example>, relay=mx.far.example[198.51.100.9]:25, delay=1, delays=0/0/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 9C8B7A)\n"
        "Mar  4 11:00:02 relay postfix/bounce[7004]: 0F3A1C0456: sender non-delivery notification: 8A9B0C1D2E\n"
        "Mar  4 11:00:02 relay postfix/qmgr[900]: 0F3A1C0456: removed\n"
        // Handed to the filter, and the log ends before the filter's message shows.
        "Mar  4 11:05:00 relay postfix/qmgr[900]: 2B3C4D5E6F: from=<news@shop.example>, size=2000, nrcpt=1 (queue active)\n"
        "Mar  4 11:05:01 relay postfix/smtp[7002]: 2B3C4D5E6F: to=<late@far.example>, relay=127.0.0.1[127.0.0.1]:10024, delay=0.9, delays=0.1/0/0/0.8, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as 3C4D5E6F70)\n";
    const QByteArray sendmail =
        "Mar  4 09:12:01 web sendmail[4101]: 5249C1aB004101: from=alice, size=452, class=0, nrcpts=2, msgid=<s1@shop.example>, relay=alice@localhost\n"
        "Mar  4 09:12:01 web sm-mta[4102]: 5249C1aC004102: from=<alice@shop.example>, size=640, class=0, nrcpts=2, msgid=<s1@shop.example>, proto=ESMTP, daemon=MTA-v4, relay=localhost [127.0.0.1]\n"
        "Mar  4 09:12:01 web sendmail[4101]: 5249C1aB004101: to=bob@gmail.example,nobody@far.example, ctladdr=alice (1000/1000), delay=00:00:00, xdelay=00:00:00, mailer=relay, pri=120452, relay=[127.0.0.1] [127.0.0.1], dsn=2.0.0, stat=Sent (5249C1aC004102 Message accepted for delivery)\n"
        "Mar  4 09:12:02 web sm-mta[4103]: 5249C1aC004102: to=<bob@gmail.example>, delay=00:00:01, xdelay=00:00:01, mailer=esmtp, pri=150640, relay=mx.gmail.example. [192.0.2.30], dsn=2.0.0, stat=Sent (OK 1709543522 gsmtp)\n"
        "Mar  4 09:12:03 web sm-mta[4103]: 5249C1aC004102: to=<nobody@far.example>, delay=00:00:02, xdelay=00:00:01, mailer=esmtp, pri=150640, relay=mx.far.example. [198.51.100.9], dsn=5.1.1, stat=User unknown\n";
    // OpenSMTPD handing its mail to a DKIM-signing proxy on 127.0.0.1, which gives it back.
    const QByteArray opensmtpd =
        "Jun  3 06:00:50 relay1 smtpd[48211]: 9a4c2b1d3e5f6a70 smtp message msgid=a7d3ae84 size=2000 nrcpt=1 proto=ESMTP\n"
        "Jun  3 06:00:50 relay1 smtpd[48211]: 9a4c2b1d3e5f6a70 smtp envelope evpid=a7d3ae84e10c7926 from=<news@shop.example> to=<zoe@far.example>\n"
        "Jun  3 06:00:54 relay1 smtpd[48212]: 7b8c9d0e1f2a3b4c mta delivery evpid=a7d3ae84e10c7926 from=<news@shop.example> to=<zoe@far.example> rcpt=<-> source=\"127.0.0.1\" relay=\"127.0.0.1 (localhost)\" delay=0s result=\"Ok\" stat=\"250 2.0.0: c3f93cc6 Message accepted for delivery\"\n"
        "Jun  3 06:00:54 relay1 smtpd[48211]: c3b243c66545d6a4 smtp message msgid=c3f93cc6 size=2600 nrcpt=1 proto=ESMTP\n"
        "Jun  3 06:00:54 relay1 smtpd[48211]: c3b243c66545d6a4 smtp envelope evpid=c3f93cc61f2e3d4c from=<news@shop.example> to=<zoe@far.example>\n"
        "Jun  3 06:00:56 relay1 smtpd[48212]: 7b8c9d0e1f2a3b4d mta delivery evpid=c3f93cc61f2e3d4c from=<news@shop.example> to=<zoe@far.example> rcpt=<-> source=\"198.51.100.25\" relay=\"198.51.100.9 (mx.far.example)\" delay=2s result=\"PermFail\" stat=\"550 5.1.1 User unknown\"\n";
    for (const auto& [name, text] : {std::pair{u"handoff/maillog"_s, postfix}, std::pair{u"handoff/sendmail.log"_s, sendmail},
                                     std::pair{u"handoff/smtpd.log"_s, opensmtpd}}) {
        QVERIFY(writeScenarioFile(name, text));
    }
    const QList<FateRecord> fates =
        importAndRead({u"handoff/maillog"_s, u"handoff/sendmail.log"_s, u"handoff/smtpd.log"_s}, u"handoff.bip"_s);
    QMap<QString, QList<const FateRecord*>> byRecipient;
    for (const FateRecord& r : fates)
        byRecipient[r.recipient] << &r;
    QCOMPARE(byRecipient.keys(), QStringList({u"bob@gmail.example"_s, u"gone@far.example"_s, u"late@far.example"_s,
                                              u"nobody@far.example"_s, u"ok@far.example"_s, u"zoe@far.example"_s}));
    const FateRecord& zoe = *byRecipient.value(u"zoe@far.example"_s).constFirst();
    QCOMPARE(bi::core::store::fateName(zoe.fate), u"rejected"_s);
    QCOMPARE(zoe.queueId, u"c3f93cc6"_s);
    for (const auto& list : std::as_const(byRecipient))
        QCOMPARE(list.size(), 1);
    const FateRecord& gone = *byRecipient.value(u"gone@far.example"_s).constFirst();
    QCOMPARE(bi::core::store::fateName(gone.fate), u"rejected"_s);
    QCOMPARE(gone.queueId, u"0F3A1C0456"_s);
    QCOMPARE(gone.messageId, u"f1@shop.example"_s);
    QCOMPARE(gone.queuedAt.secsTo(gone.finalAt), qint64(1)); // queued at the first message's arrival
    // Two queue ids in one timeline: each queued and removed step says whose it is.
    QStringList queueSteps;
    for (const bi::core::store::TimelineStep& st : gone.steps) {
        if (st.kind == bi::core::store::TimelineStep::Kind::Queued || st.kind == bi::core::store::TimelineStep::Kind::Removed)
            queueSteps << bi::core::store::TimelineStep::kindName(st.kind) + u' ' + st.text;
    }
    QCOMPARE(queueSteps, (QStringList{u"queued queue id 1A2B3C4D5E"_s, u"removed queue id 1A2B3C4D5E"_s,
                                      u"queued queue id 0F3A1C0456"_s, u"removed queue id 0F3A1C0456"_s}));
    QCOMPARE(bi::core::store::fateName(byRecipient.value(u"ok@far.example"_s).constFirst()->fate), u"delivered"_s);
    QCOMPARE(bi::core::store::fateName(byRecipient.value(u"bob@gmail.example"_s).constFirst()->fate), u"delivered"_s);
    const FateRecord& nobody = *byRecipient.value(u"nobody@far.example"_s).constFirst();
    QCOMPARE(bi::core::store::fateName(nobody.fate), u"rejected"_s);
    QCOMPARE(nobody.queueId, u"5249C1aC004102"_s);
    const FateRecord& late = *byRecipient.value(u"late@far.example"_s).constFirst();
    QCOMPARE(bi::core::store::fateName(late.fate), u"delivered"_s);
    QVERIFY2(late.evidence.join(u' ').contains(u"after the hand-off"_s), qPrintable(late.evidence.join(u" | "_s)));
}

// postsuper -d takes a deferred message out of the queue: no longer retried, never delivered.
// The fate stays deferred (nothing else happened to it), ended at the removal, and says so.
void TstFateScenario::removedWhileDeferredSaysSo()
{
    const QByteArray log =
        "Mar  2 11:00:00 relay postfix/qmgr[900]: 9FFFF1E2F3: from=<news@shop.example>, size=1820, nrcpt=1 (queue active)\n"
        "Mar  2 11:00:30 relay postfix/smtp[2600]: 9FFFF1E2F3: to=<z@slow.example>, relay=mx.slow.example[192.0.2.7]:25, delay=30, delays=0.02/0.01/0.5/29, dsn=4.4.2, status=deferred (lost connection with mx.slow.example[192.0.2.7] while receiving the initial server greeting)\n"
        "Mar  2 12:00:00 relay postfix/postsuper[2700]: 9FFFF1E2F3: removed\n"
        "Mar  2 12:00:00 relay postfix/postsuper[2700]: Deleted: 1 message\n"
        "Mar  2 12:10:00 relay postfix/qmgr[900]: 0AAAA1E2F3: from=<news@shop.example>, size=1820, nrcpt=1 (queue active)\n"
        "Mar  2 12:10:30 relay postfix/smtp[2601]: 0AAAA1E2F3: to=<y@slow.example>, relay=mx.slow.example[192.0.2.7]:25, delay=30, delays=0.02/0.01/0.5/29, dsn=4.4.2, status=deferred (lost connection with mx.slow.example[192.0.2.7] while receiving the initial server greeting)\n";
    QVERIFY(writeScenarioFile(u"removed/maillog"_s, log));
    const QList<FateRecord> fates = importAndRead({u"removed/maillog"_s}, u"removed.bip"_s);
    QCOMPARE(fates.size(), 2);
    for (const FateRecord& r : fates) {
        QCOMPARE(bi::core::store::fateName(r.fate), u"deferred"_s);
        const bool removed = r.recipient == u"z@slow.example"_s;
        QCOMPARE(r.finalAt.isValid(), removed);
        QCOMPARE(r.evidence.join(u' ').contains(u"removed from the queue while still deferred"_s), removed);
        QCOMPARE(r.evidence.join(u' ').contains(u"still deferred at the end of the log"_s), !removed);
    }
}

// Postfix pickup logs the local user, qmgr the address cleanup qualified it to.
void TstFateScenario::pickupSenderIsTheQualifiedOne()
{
    const QByteArray log =
        "Mar  4 09:12:01 relay postfix/pickup[4101]: 3F2A81C012: uid=1000 from=<alice>\n"
        "Mar  4 09:12:01 relay postfix/cleanup[4102]: 3F2A81C012: message-id=<p1@shop.example>\n"
        "Mar  4 09:12:01 relay postfix/qmgr[900]: 3F2A81C012: from=<alice@shop.example>, size=452, nrcpt=1 (queue active)\n"
        "Mar  4 09:12:02 relay postfix/smtp[4120]: 3F2A81C012: to=<bob@gmail.example>, relay=mx.gmail.example[192.0.2.30]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=2.0.0, status=sent (250 2.0.0 OK)\n"
        "Mar  4 09:12:02 relay postfix/qmgr[900]: 3F2A81C012: removed\n";
    QVERIFY(writeScenarioFile(u"pickup/maillog"_s, log));
    const QList<FateRecord> fates = importAndRead({u"pickup/maillog"_s}, u"pickup.bip"_s);
    QCOMPARE(fates.size(), 1);
    QCOMPARE(fates.constFirst().sender, u"alice@shop.example"_s);
}

// With the mailbox alone: the smarthost's delay warning, which comes before its failure
// notice, is a step of that failure's timeline; a bounce for an address the receiving side
// forwarded is about the address the sender mailed (Original-Recipient).
void TstFateScenario::mailboxAloneKeepsDelaysAndTheMailedAddress()
{
    const auto dsn = [](const QByteArray& date, const QByteArray& id, const QByteArray& subject, const QByteArray& fields,
                        const QByteArray& text) {
        return "From MAILER-DAEMON Mon Mar  4 10:00:00 2024\n"
               "Return-Path: <>\n"
               "Date: " + date + "\n"
               "From: MAILER-DAEMON@mail.shop.example (Mail Delivery System)\n"
               "To: news@shop.example\n"
               "Subject: " + subject + "\n"
               "Message-Id: <" + id + "@mail.shop.example>\n"
               "MIME-Version: 1.0\n"
               "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n"
               "--B\nContent-Type: text/plain\n\n" + text + "\n\n"
               "--B\nContent-Type: message/delivery-status\n\n"
               "Reporting-MTA: dns; mail.shop.example\n\n" + fields + "\n"
               "--B\nContent-Type: text/rfc822-headers\n\n"
               "Message-ID: <d1@shop.example>\nFrom: news@shop.example\nTo: x@far.example\nSubject: News\n\n"
               "--B--\n\n";
    };
    const QByteArray mbox =
        dsn("Mon, 4 Mar 2024 14:00:00 +0000", "w1", "Delayed Mail (still being retried)",
            "Final-Recipient: rfc822; slow@far.example\nAction: delayed\nStatus: 4.4.1\n"
            "Diagnostic-Code: X-Postfix; connect to mx.far.example[192.0.2.9]:25: Connection timed out\n",
            "Your message could not be delivered for more than 4 hour(s).")
        + dsn("Sat, 9 Mar 2024 10:00:00 +0000", "f1", "Undelivered Mail Returned to Sender",
              "Final-Recipient: rfc822; slow@far.example\nAction: failed\nStatus: 4.4.1\n"
              "Diagnostic-Code: X-Postfix; delivery temporarily suspended: connect to mx.far.example[192.0.2.9]:25: "
              "Connection timed out\n",
              "I'm sorry to have to inform you that your message could not be delivered.")
        + dsn("Mon, 4 Mar 2024 10:05:00 +0000", "f2", "Undelivered Mail Returned to Sender",
              "Original-Recipient: rfc822; kurt@forward.example\nFinal-Recipient: rfc822; kurt.private@gmail.example\n"
              "Action: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 The email account that you tried to "
              "reach does not exist.\n",
              "host gmail-smtp-in.l.gmail.example[192.0.2.30] said: 550 5.1.1 The email account that you tried to "
              "reach does not exist. (in reply to RCPT TO command)");
    QVERIFY(writeScenarioFile(u"alone/bounces.mbox"_s, mbox));
    const QList<FateRecord> fates = importAndRead({u"alone/bounces.mbox"_s}, u"alone.bip"_s);
    QMap<QString, const FateRecord*> byRecipient;
    for (const FateRecord& r : fates)
        byRecipient.insert(r.recipient, &r);
    QCOMPARE(byRecipient.keys(), QStringList({u"kurt@forward.example"_s, u"slow@far.example"_s}));
    const FateRecord& slow = *byRecipient.value(u"slow@far.example"_s);
    QCOMPARE(bi::core::store::fateName(slow.fate), u"expired"_s);
    QCOMPARE(slow.steps.size(), 2);
    QCOMPARE(slow.steps.at(0).kind, bi::core::store::TimelineStep::Kind::DelayNotice);
    QCOMPARE(slow.steps.at(0).time, QDateTime(QDate(2024, 3, 4), QTime(14, 0), Qt::UTC));
    QCOMPARE(bi::core::store::fateName(byRecipient.value(u"kurt@forward.example"_s)->fate), u"rejected"_s);

    // Two notices years apart that quote no Message-ID: nothing says they are one failure.
    QByteArray twice;
    for (const QByteArray& year : {QByteArray("2017"), QByteArray("2023")}) {
        twice += "From MAILER-DAEMON Mon Mar  4 10:00:00 " + year + "\nReturn-Path: <>\nDate: Mon, 4 Mar " + year
            + " 10:00:00 +0000\nFrom: MAILER-DAEMON@mail.shop.example\nTo: news@shop.example\n"
              "Subject: Undelivered Mail Returned to Sender\nMessage-Id: <n" + year + "@mail.shop.example>\n"
              "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n"
              "--B\nContent-Type: text/plain\n\nUndeliverable.\n\n"
              "--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mail.shop.example\n\n"
              "Final-Recipient: rfc822; twice@far.example\nAction: failed\nStatus: 5.1.1\n"
              "Diagnostic-Code: smtp; 550 5.1.1 User unknown\n\n--B--\n\n";
    }
    QVERIFY(writeScenarioFile(u"alone/twice.mbox"_s, twice));
    int twiceFates = 0;
    for (const FateRecord& r : importAndRead({u"alone/twice.mbox"_s}, u"twice.bip"_s))
        twiceFates += r.recipient == u"twice@far.example"_s;
    QCOMPARE(twiceFates, 2);
}

// A fate's status is what the log says: its DSN code, else its reply's class ("550 NO" is
// 5.0.0, as Exim's own notice has it), not a classifier's pseudo code; an expiry logged with
// its own code (4.4.7) keeps it.
void TstFateScenario::statusIsTheLogsOwn()
{
    const QByteArray exim =
        "2026-05-02 10:00:00 1wCCCC-000CCC-CC <= news@shop.example H=app.shop.example [192.0.2.5] P=esmtpsa S=1000 id=m7@shop.example\n"
        "2026-05-02 10:00:05 1wCCCC-000CCC-CC ** no@far.example R=dnslookup T=remote_smtp H=mx.far.example [192.0.2.7]: SMTP error from remote mail server after RCPT TO:<no@far.example>: 550 NO\n"
        "2026-05-02 10:00:05 1wCCCC-000CCC-CC Completed\n";
    QVERIFY(writeScenarioFile(u"status/mainlog"_s, exim));
    const QList<FateRecord> refused = importAndRead({u"status/mainlog"_s}, u"status.bip"_s);
    QCOMPARE(refused.size(), 1);
    QCOMPARE(bi::core::store::fateName(refused.constFirst().fate), u"rejected"_s);
    QCOMPARE(refused.constFirst().status, u"5.0.0"_s);
    QCOMPARE(refused.constFirst().replyCode, u"550"_s);

    const QByteArray postfix =
        "Mar  2 09:00:00 relay postfix/qmgr[900]: 6C3D4E5F7A: from=<news@shop.example>, size=1820, nrcpt=1 (queue active)\n"
        "Mar  2 09:00:05 relay postfix/smtp[2600]: 6C3D4E5F7A: to=<slow@dead.example>, relay=none, delay=5, delays=0/0/5/0, dsn=4.4.1, status=deferred (connect to mx.dead.example[192.0.2.9]:25: Connection timed out)\n"
        "Mar  7 09:00:07 relay postfix/smtp[2601]: 6C3D4E5F7A: to=<slow@dead.example>, relay=none, delay=432007, delays=432000/0/7/0, dsn=4.4.7, status=bounced (message expired: connect to mx.dead.example[192.0.2.9]:25: Connection timed out)\n"
        "Mar  7 09:00:07 relay postfix/qmgr[900]: 6C3D4E5F7A: removed\n";
    QVERIFY(writeScenarioFile(u"status/maillog"_s, postfix));
    const QList<FateRecord> expired = importAndRead({u"status/maillog"_s}, u"status2.bip"_s);
    QCOMPARE(expired.size(), 1);
    QCOMPARE(bi::core::store::fateName(expired.constFirst().fate), u"expired"_s);
    QCOMPARE(expired.constFirst().status, u"4.4.7"_s);
}

// A recipient the log shows only as not tried (Exim: retry time not reached, deferred before
// the log began) is pending, not absent; a deferred fate carries its reply code; a message
// the administrator expired says so.
void TstFateScenario::recipientOnlyNotTriedIsStillDeferred()
{
    const QByteArray exim =
        "2026-05-02 10:00:00 1wCCCC-000CCC-CC <= news@shop.example H=app.shop.example [192.0.2.5] P=esmtpsa S=1000 id=m3@shop.example\n"
        "2026-05-02 10:00:05 1wCCCC-000CCC-CC == lee@far.example R=dnslookup T=remote_smtp defer (-45) H=mx.far.example [192.0.2.7]: SMTP error from remote mail server after MAIL FROM:<news@shop.example> SIZE=2048: 421 4.7.0 try later\n"
        "2026-05-02 11:00:00 1wHHHH-000HHH-HH == hank@far.example R=dnslookup T=remote_smtp defer (-54): retry time not reached for any host for 'far.example'\n";
    QVERIFY(writeScenarioFile(u"nottried/mainlog"_s, exim));
    QMap<QString, FateRecord> byRecipient;
    for (const FateRecord& r : importAndRead({u"nottried/mainlog"_s}, u"nottried.bip"_s))
        byRecipient.insert(r.recipient, r);
    QCOMPARE(byRecipient.keys(), (QStringList{u"hank@far.example"_s, u"lee@far.example"_s}));
    const FateRecord& hank = byRecipient[u"hank@far.example"_s];
    QCOMPARE(bi::core::store::fateName(hank.fate), u"deferred"_s);
    QCOMPARE(hank.attempts, 0);
    QVERIFY2(hank.evidence.join(u'|').contains(u"not tried while the log ran"_s), qPrintable(hank.evidence.join(u'|')));
    const FateRecord& lee = byRecipient[u"lee@far.example"_s];
    QCOMPARE(bi::core::store::fateName(lee.fate), u"deferred"_s);
    QCOMPARE(lee.replyCode, u"421"_s);

    const QByteArray postfix =
        "Mar  2 09:00:00 relay postfix/qmgr[900]: 5B2C3D4E6F: from=<news@shop.example>, size=1820, nrcpt=1 (queue active)\n"
        "Mar  2 09:00:05 relay postfix/smtp[2600]: 5B2C3D4E6F: to=<slow@dead.example>, relay=none, delay=5, delays=0/0/5/0, dsn=4.4.1, status=deferred (connect to mx.dead.example[192.0.2.9]:25: Connection timed out)\n"
        "Mar  2 11:00:00 relay postfix/qmgr[900]: 5B2C3D4E6F: from=<news@shop.example>, status=force-expired, returned to sender\n"
        "Mar  2 11:00:00 relay postfix/qmgr[900]: 5B2C3D4E6F: removed\n";
    QVERIFY(writeScenarioFile(u"forced/maillog"_s, postfix));
    const QList<FateRecord> forced = importAndRead({u"forced/maillog"_s}, u"forced.bip"_s);
    QCOMPARE(forced.size(), 1);
    QCOMPARE(bi::core::store::fateName(forced.constFirst().fate), u"expired"_s);
    const QString why = forced.constFirst().evidence.join(u'|');
    QVERIFY2(why.contains(u"deferred once until the administrator expired it"_s), qPrintable(why));
    QVERIFY2(!why.contains(u"queue lifetime"_s), qPrintable(why));
}

// Exim defers an address, then delivers it under the address a router redirected it to
// ("=> new <mailed>"): one fate, the deferral counted. A filter's autoreply ("=> >usery
// <userx> T=autoreply") is no delivery, so it neither delivers nor hides a failure.
void TstFateScenario::redirectedAddressIsOneFateAndAutorepliesNoDelivery()
{
    const QByteArray exim =
        "2026-05-02 10:00:00 1wAAAA-000AAA-AA <= news@shop.example H=app.shop.example [192.0.2.5] P=esmtpsa S=1000 id=r1@shop.example\n"
        "2026-05-02 10:00:01 1wAAAA-000AAA-AA == zoe@shop.example R=filter defer (-1): filter said wait\n"
        "2026-05-02 10:00:01 1wAAAA-000AAA-AA => >bot <zoe@shop.example> R=filter T=autoreply\n"
        "2026-05-02 10:30:00 1wAAAA-000AAA-AA => zoe@far.example <zoe@shop.example> R=dnslookup T=remote_smtp H=mx.far.example [192.0.2.7] C=\"250 2.0.0 OK\"\n"
        "2026-05-02 10:30:00 1wAAAA-000AAA-AA Completed\n"
        "2026-05-02 11:00:00 1wBBBB-000BBB-BB <= news@shop.example H=app.shop.example [192.0.2.5] P=esmtpsa S=1000 id=r2@shop.example\n"
        "2026-05-02 11:00:01 1wBBBB-000BBB-BB ** max@shop.example R=filter : subject was \"fail this\" (filter fail)\n"
        "2026-05-02 11:00:01 1wBBBB-000BBB-BB => >bot <max@shop.example> R=filter T=autoreply\n"
        "2026-05-02 11:00:01 1wBBBB-000BBB-BB Completed\n";
    QVERIFY(writeScenarioFile(u"redirected/mainlog"_s, exim));
    QMap<QString, FateRecord> byRecipient;
    for (const FateRecord& r : importAndRead({u"redirected/mainlog"_s}, u"redirected.bip"_s))
        byRecipient.insert(r.recipient, r);
    QCOMPARE(byRecipient.keys(), (QStringList{u"max@shop.example"_s, u"zoe@far.example"_s}));
    const FateRecord& zoe = byRecipient[u"zoe@far.example"_s];
    QCOMPARE(bi::core::store::fateName(zoe.fate), u"delivered"_s);
    QCOMPARE(zoe.originalRecipient, u"zoe@shop.example"_s);
    QCOMPARE(zoe.deferrals, 1);
    QCOMPARE(zoe.attempts, 2);
    const FateRecord& max = byRecipient[u"max@shop.example"_s];
    QCOMPARE(bi::core::store::fateName(max.fate), u"rejected"_s);
    // No code in the line: the status is the outcome's class, not a code nobody gave.
    QCOMPARE(max.status, u"5.0.0"_s);
}

// A log that starts days into a message's life, at a retry pass: the first line seen is not
// its arrival; the delay= of its attempts counts from it. Where the arrival is logged, it stands.
void TstFateScenario::logStartingAtARetryPassDatesTheArrivalByDelay()
{
    const QByteArray log =
        "Dec 27 02:38:54 relay postfix/qmgr[900]: 3F1A2B4C5D: from=<news@shop.example>, size=1820, nrcpt=1 (queue active)\n"
        "Dec 27 02:38:59 relay postfix/smtp[2600]: 3F1A2B4C5D: to=<slow@dead.example>, relay=none, delay=307136, delays=307131/0.01/5/0, dsn=4.4.1, status=deferred (connect to mx.dead.example[192.0.2.9]:25: Connection timed out)\n"
        "Dec 28 10:20:40 relay postfix/qmgr[900]: 3F1A2B4C5D: from=<news@shop.example>, status=expired, returned to sender\n"
        "Dec 28 10:20:40 relay postfix/qmgr[900]: 3F1A2B4C5D: removed\n"
        "Dec 27 03:00:00 relay postfix/smtpd[2700]: 4A2B3C5D6E: client=app.shop.example[192.0.2.5]\n"
        "Dec 27 03:00:00 relay postfix/cleanup[2701]: 4A2B3C5D6E: message-id=<n1@shop.example>\n"
        "Dec 27 03:00:00 relay postfix/qmgr[900]: 4A2B3C5D6E: from=<news@shop.example>, size=1820, nrcpt=1 (queue active)\n"
        "Dec 27 03:00:05 relay postfix/smtp[2601]: 4A2B3C5D6E: to=<fast@near.example>, relay=mx.near.example[192.0.2.5]:25, delay=99, delays=0.02/0.01/0.5/1.4, dsn=2.0.0, status=sent (250 2.0.0 Ok)\n";
    QVERIFY(writeScenarioFile(u"retrypass/maillog"_s, log));
    const QList<FateRecord> fates = importAndRead({u"retrypass/maillog"_s}, u"retrypass.bip"_s);
    QCOMPARE(fates.size(), 2);
    for (const FateRecord& f : fates) {
        if (f.recipient == u"slow@dead.example"_s) {
            QCOMPARE(bi::core::store::fateName(f.fate), u"expired"_s);
            // Arrived 307,136 s before its 02:38:59 attempt (Dec 23, 13:20:03 on its clock),
            // not at the 02:38:54 retry pass; expired on Dec 28 at 10:20:40, 4 d 21 h 00 m 37 s on.
            QCOMPARE(f.queuedAt.secsTo(f.firstAttemptAt), qint64(307136));
            QCOMPARE(f.queuedAt.secsTo(f.finalAt), qint64(4 * 86400 + 21 * 3600 + 37));
            QCOMPARE(f.steps.constFirst().kind, bi::core::store::TimelineStep::Kind::Queued);
            QCOMPARE(f.steps.constFirst().time, f.queuedAt);
        } else {
            QCOMPARE(f.recipient, u"fast@near.example"_s);
            QCOMPARE(f.queuedAt.secsTo(f.finalAt), qint64(5)); // its logged arrival, not delay=99
        }
    }
}

// A message's notices and its removal belong to the recipients they can concern: one refused
// at once has nothing to do with the delay warning and the expiry of another days later, and
// one delivered in the same second as the refusal has nothing to do with its notice.
void TstFateScenario::messageStepsStayWithTheirRecipient()
{
    const QByteArray log =
        "Mar  2 11:00:00 relay postfix/qmgr[900]: 7ABCD1E2F3: from=<news@shop.example>, size=1820, nrcpt=3 (queue active)\n"
        "Mar  2 11:00:02 relay postfix/smtp[2599]: 7ABCD1E2F3: to=<ok@near.example>, relay=mx.near.example[192.0.2.5]:25, delay=2, delays=0.02/0.01/0.5/1.4, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 4FE2)\n"
        "Mar  2 11:00:02 relay postfix/smtp[2600]: 7ABCD1E2F3: to=<gone@far.example>, relay=mx.far.example[192.0.2.7]:25, delay=2, delays=0.02/0.01/0.5/1.4, dsn=5.1.1, status=bounced (host mx.far.example[192.0.2.7] said: 550 5.1.1 User unknown (in reply to RCPT TO command))\n"
        "Mar  2 11:00:02 relay postfix/bounce[2601]: 7ABCD1E2F3: sender non-delivery notification: 8BCDE2F3A4\n"
        "Mar  2 11:00:30 relay postfix/smtp[2602]: 7ABCD1E2F3: to=<slow@dead.example>, relay=none, delay=30, delays=0.02/0.01/30/0, dsn=4.4.1, status=deferred (connect to mx.dead.example[192.0.2.9]:25: Connection timed out)\n"
        "Mar  2 15:00:30 relay postfix/bounce[2603]: 7ABCD1E2F3: sender delay notification: 9CDEF3A4B5\n"
        "Mar  7 11:00:40 relay postfix/qmgr[900]: 7ABCD1E2F3: from=<news@shop.example>, status=expired, returned to sender\n"
        "Mar  7 11:00:40 relay postfix/bounce[2604]: 7ABCD1E2F3: sender non-delivery notification: 0DEF01A2B3\n"
        "Mar  7 11:00:40 relay postfix/qmgr[900]: 7ABCD1E2F3: removed\n";
    QVERIFY(writeScenarioFile(u"steps/maillog"_s, log));
    const QList<FateRecord> fates = importAndRead({u"steps/maillog"_s}, u"steps.bip"_s);
    QCOMPARE(fates.size(), 3);
    for (const FateRecord& f : fates) {
        int notices = 0, removed = 0;
        for (const bi::core::store::TimelineStep& step : f.steps) {
            notices += step.kind == bi::core::store::TimelineStep::Kind::NoticeGenerated;
            removed += step.kind == bi::core::store::TimelineStep::Kind::Removed;
        }
        if (f.recipient == u"gone@far.example"_s) {
            QCOMPARE(bi::core::store::fateName(f.fate), u"rejected"_s);
            QCOMPARE(notices, 1); // its own non-delivery notice, nothing of days later
            QCOMPARE(removed, 0);
        } else if (f.recipient == u"ok@near.example"_s) {
            QCOMPARE(bi::core::store::fateName(f.fate), u"delivered"_s);
            QCOMPARE(notices, 0); // gone@'s notice, written in the same second
        } else {
            QCOMPARE(bi::core::store::fateName(f.fate), u"expired"_s);
            QCOMPARE(notices, 2); // its delay warning and the expiry's notice, not gone@'s before its first try
            QCOMPARE(removed, 1);
        }
    }
}

// A smarthost that is also its domain's MX logs the inbound mail it delivers or refuses
// locally. Mail from someone else to our own domain is not the outbound traffic fates are
// about (and our own addresses belong in no suppression list); our own mail stays. Nor is
// anything only ever put into a mailbox here: cron mail, mail that came in through the
// content filter (its first hop neither), a colleague in copy.
void TstFateScenario::inboundLocalDeliveriesAreNoFates()
{
    const QByteArray log =
        "Mar  2 11:00:00 relay postfix/qmgr[900]: 1AAAA1E2F3: from=<news@shop.example>, size=1820, nrcpt=1 (queue active)\n"
        "Mar  2 11:00:02 relay postfix/smtp[2600]: 1AAAA1E2F3: to=<ann@far.example>, relay=mx.far.example[192.0.2.7]:25, delay=2, delays=0.02/0.01/0.5/1.4, dsn=2.0.0, status=sent (250 2.0.0 Ok)\n"
        "Mar  2 11:00:02 relay postfix/qmgr[900]: 1AAAA1E2F3: removed\n"
        "Mar  2 11:05:00 relay postfix/smtpd[2700]: 2BBBB1E2F3: client=unknown[203.0.113.9]\n"
        "Mar  2 11:05:00 relay postfix/qmgr[900]: 2BBBB1E2F3: from=<dario932@naver.example>, size=900, nrcpt=2 (queue active)\n"
        "Mar  2 11:05:01 relay postfix/local[2701]: 2BBBB1E2F3: to=<nobody875@shop.example>, relay=local, delay=0.2, delays=0.1/0/0/0.1, dsn=5.1.1, status=bounced (unknown user: \"nobody875\")\n"
        "Mar  2 11:05:01 relay postfix/lmtp[2702]: 2BBBB1E2F3: to=<info@shop.example>, relay=relay.shop.example[private/dovecot-lmtp], delay=0.2, delays=0.1/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 <info@shop.example> Saved)\n"
        "Mar  2 11:05:01 relay postfix/qmgr[900]: 2BBBB1E2F3: removed\n"
        // Cron mail to root, delivered here.
        "Mar  2 11:10:00 relay postfix/pickup[2800]: 3CCCC1E2F3: uid=0 from=<root>\n"
        "Mar  2 11:10:00 relay postfix/qmgr[900]: 3CCCC1E2F3: from=<root@relay.shop.example>, size=700, nrcpt=1 (queue active)\n"
        "Mar  2 11:10:00 relay postfix/local[2801]: 3CCCC1E2F3: to=<root@relay.shop.example>, orig_to=<root>, relay=local, delay=0.1, delays=0.1/0/0/0, dsn=2.0.0, status=sent (delivered to mailbox)\n"
        "Mar  2 11:10:00 relay postfix/qmgr[900]: 3CCCC1E2F3: removed\n"
        // Received for one of our users through the content filter, then put into the mailbox.
        "Mar  2 11:20:00 relay postfix/smtpd[2900]: 4DDDD1E2F3: client=mail.far2.example[203.0.113.20]\n"
        "Mar  2 11:20:00 relay postfix/qmgr[900]: 4DDDD1E2F3: from=<x@far2.example>, size=900, nrcpt=1 (queue active)\n"
        "Mar  2 11:20:01 relay postfix/smtp[2901]: 4DDDD1E2F3: to=<sales@shop.example>, relay=127.0.0.1[127.0.0.1]:10024, delay=1, delays=0.1/0/0/0.9, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as 5EEEE1E2F3)\n"
        "Mar  2 11:20:01 relay postfix/qmgr[900]: 4DDDD1E2F3: removed\n"
        "Mar  2 11:20:01 relay postfix/smtpd[2902]: 5EEEE1E2F3: client=localhost[127.0.0.1]\n"
        "Mar  2 11:20:01 relay postfix/qmgr[900]: 5EEEE1E2F3: from=<x@far2.example>, size=1300, nrcpt=1 (queue active)\n"
        "Mar  2 11:20:01 relay postfix/lmtp[2903]: 5EEEE1E2F3: to=<sales@shop.example>, relay=relay.shop.example[private/dovecot-lmtp], delay=0.1, delays=0.1/0/0/0, dsn=2.0.0, status=sent (250 2.0.0 <sales@shop.example> Saved)\n"
        "Mar  2 11:20:01 relay postfix/qmgr[900]: 5EEEE1E2F3: removed\n"
        // Our mail with a colleague in copy: only the recipient outside has a fate.
        "Mar  2 11:30:00 relay postfix/qmgr[900]: 6FFFF1E2F3: from=<news@shop.example>, size=1820, nrcpt=2 (queue active)\n"
        "Mar  2 11:30:01 relay postfix/smtp[3000]: 6FFFF1E2F3: to=<cy@far.example>, relay=mx.far.example[192.0.2.7]:25, delay=1, delays=0.02/0.01/0.5/0.4, dsn=2.0.0, status=sent (250 2.0.0 Ok)\n"
        "Mar  2 11:30:01 relay postfix/lmtp[3001]: 6FFFF1E2F3: to=<boss@shop.example>, relay=relay.shop.example[private/dovecot-lmtp], delay=0.2, delays=0.1/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 <boss@shop.example> Saved)\n"
        "Mar  2 11:30:01 relay postfix/qmgr[900]: 6FFFF1E2F3: removed\n";
    // A bounce addressed to our sender tells that shop.example is ours.
    const QByteArray mbox =
        "From MAILER-DAEMON Mon Mar  2 12:00:00 2026\nReturn-Path: <>\nDate: Mon, 2 Mar 2026 12:00:00 +0000\n"
        "From: MAILER-DAEMON@mx.far.example\nTo: news@shop.example\nSubject: Undelivered Mail Returned to Sender\n"
        "Message-Id: <b1@mx.far.example>\nMIME-Version: 1.0\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n"
        "--B\nContent-Type: text/plain\n\nThe mailbox is full.\n\n"
        "--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.far.example\n\n"
        "Final-Recipient: rfc822; bea@far.example\nAction: failed\nStatus: 5.2.2\nDiagnostic-Code: smtp; 552 5.2.2 Mailbox full\n\n"
        "--B--\n\n";
    QVERIFY(writeScenarioFile(u"inbound/maillog"_s, log));
    QVERIFY(writeScenarioFile(u"inbound/bounces.mbox"_s, mbox));
    QStringList recipients;
    for (const FateRecord& r : importAndRead({u"inbound/maillog"_s, u"inbound/bounces.mbox"_s}, u"inbound.bip"_s))
        recipients << r.recipient;
    recipients.sort();
    QCOMPARE(recipients, QStringList({u"ann@far.example"_s, u"bea@far.example"_s, u"cy@far.example"_s}));
}

// Exim's local deliveries name no host and a transport that is not SMTP ("=> dieter
// <dieter@shop.example> R=local_user T=mail_spool"), or LMTP into the mail store over TCP;
// an unrouteable address names neither and is a refusal of ours.
void TstFateScenario::eximLocalTransportsAreNoFates()
{
    const QByteArray log =
        "2026-03-02 11:00:00 1vwpzD-00Cwsq-Cf <= news@shop.example H=app1.shop.example [10.0.0.5] P=esmtp S=900 id=e1@shop.example\n"
        "2026-03-02 11:00:01 1vwpzD-00Cwsq-Cf => ann@far.example R=dnslookup T=remote_smtp H=mx.far.example [192.0.2.7] C=\"250 2.0.0 Ok\"\n"
        "2026-03-02 11:00:01 1vwpzD-00Cwsq-Cf -> boss@shop.example R=virtual_user T=dovecot_lmtp\n"
        "2026-03-02 11:00:01 1vwpzD-00Cwsq-Cf ** gus@nowhere.invalid: Unrouteable address\n"
        "2026-03-02 11:00:01 1vwpzD-00Cwsq-Cf Completed\n"
        "2026-03-02 11:05:00 1vwq0A-00Cwt0-Ab <= x@far2.example H=mail.far2.example [203.0.113.20] P=esmtps S=1300 id=i1@far2.example\n"
        "2026-03-02 11:05:01 1vwq0A-00Cwt0-Ab => dieter <dieter@shop.example> R=local_user T=mail_spool\n"
        "2026-03-02 11:05:01 1vwq0A-00Cwt0-Ab => kim@shop.example R=dovecot_user T=dovecot_lmtp H=localhost [127.0.0.1] C=\"250 2.0.0 <kim@shop.example> huBslU3Qd8 Saved\"\n"
        "2026-03-02 11:05:01 1vwq0A-00Cwt0-Ab Completed\n"
        "2026-03-02 11:06:00 1vwq1B-00Cwt1-Cd <= root@relay.shop.example U=root P=local S=500 id=c1@relay.shop.example\n"
        "2026-03-02 11:06:00 1vwq1B-00Cwt1-Cd => /var/mail/root <root@relay.shop.example> R=local_user T=address_file\n"
        "2026-03-02 11:06:00 1vwq1B-00Cwt1-Cd Completed\n";
    QVERIFY(writeScenarioFile(u"exim-local/mainlog"_s, log));
    QCOMPARE(fateLines({u"exim-local/mainlog"_s}, u"exim-local.bip"_s), QStringList({u"ann@far.example delivered"_s, u"gus@nowhere.invalid rejected"_s}));
}

// Google's notice about z.klein@gmail.com, whose quoted To was cut short and names only
// m.smith@googlemail.com, looks like a forward from the latter; but both were mailed in this
// very message, so the notice is z.klein's.
void TstFateScenario::noticeAboutACoRecipientIsThatOnes()
{
    const QByteArray log =
        "2026-04-01T16:34:50+02:00 relay postfix/qmgr[900]: 7A1B2C3D4E: from=<gisela@shop.example>, size=36000, nrcpt=2 (queue active)\n"
        "2026-04-01T16:34:50+02:00 relay postfix/cleanup[901]: 7A1B2C3D4E: message-id=<co1@shop.example>\n"
        "2026-04-01T16:34:57+02:00 relay postfix/smtp[902]: 7A1B2C3D4E: to=<m.smith@googlemail.com>, relay=gmail-smtp-in.l.google.com[203.0.113.43]:25, delay=7, delays=0.1/0/1/5.9, dsn=2.0.0, status=sent (250 2.0.0 OK 1774667842 - gsmtp)\n"
        "2026-04-01T16:35:15+02:00 relay postfix/smtp[902]: 7A1B2C3D4E: to=<z.klein@gmail.com>, relay=alt1.gmail-smtp-in.l.google.com[203.0.113.42]:25, delay=25, delays=0.1/0/1/23, dsn=2.0.0, status=sent (250 2.0.0 OK 1774934372 - gsmtp)\n"
        "2026-04-01T16:35:15+02:00 relay postfix/qmgr[900]: 7A1B2C3D4E: removed\n";
    const QByteArray mbox =
        "From mailer-daemon@googlemail.com Wed Apr  1 16:40:00 2026\nReturn-Path: <>\n"
        "Date: Wed, 1 Apr 2026 07:40:00 -0700 (PDT)\nFrom: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n"
        "To: gisela@shop.example\nSubject: Delivery Status Notification (Failure)\nMessage-ID: <g1@mx.google.com>\n"
        "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"G\"\n\n"
        "--G\nContent-Type: text/plain\n\nYour message wasn't delivered to z.klein@gmail.com because the address couldn't be found.\n\n"
        "--G\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; googlemail.com\n\n"
        "Final-Recipient: rfc822; z.klein@gmail.com\nAction: failed\nStatus: 5.1.1\n"
        "Diagnostic-Code: smtp; The email account that you tried to reach does not exist.\n\n"
        "--G\nContent-Type: text/rfc822-headers\n\nFrom: Gisela <gisela@shop.example>\n"
        "To: a@one.example, m.smith@googlemail.com, ...\nSubject: Angebot\nMessage-ID: <co1@shop.example>\n\n--G--\n\n";
    QVERIFY(writeScenarioFile(u"corecipient/maillog"_s, log));
    QVERIFY(writeScenarioFile(u"corecipient/bounces.mbox"_s, mbox));
    QCOMPARE(fateLines({u"corecipient/maillog"_s, u"corecipient/bounces.mbox"_s}, u"corecipient.bip"_s), QStringList({u"m.smith@googlemail.com delivered"_s, u"z.klein@gmail.com async_bounce"_s}));
}

// A message queued before the log begins shows only its retries there, no Message-ID; our
// own notice about it quotes both its queue id and its Message-ID, which the fate then has.
void TstFateScenario::messageQueuedBeforeTheLogTakesTheNoticesMessageId()
{
    const QByteArray log =
        "2026-03-09T10:00:00+01:00 relay postfix/smtp[2600]: 8C1D2E3F4A: to=<ida@slow.example>, relay=none, delay=430000, delays=430000/0/0/0, dsn=4.4.1, status=deferred (connect to mx.slow.example[192.0.2.9]:25: Connection timed out)\n"
        "2026-03-09T12:00:00+01:00 relay postfix/qmgr[900]: 8C1D2E3F4A: from=<news@shop.example>, status=expired, returned to sender\n"
        "2026-03-09T12:00:00+01:00 relay postfix/bounce[2601]: 8C1D2E3F4A: sender non-delivery notification: 9D2E3F4A5B\n"
        "2026-03-09T12:00:00+01:00 relay postfix/qmgr[900]: 8C1D2E3F4A: removed\n";
    const QByteArray mbox =
        "From MAILER-DAEMON Mon Mar  9 12:00:01 2026\nReturn-Path: <>\nDate: Mon, 9 Mar 2026 12:00:01 +0100 (CET)\n"
        "From: MAILER-DAEMON@relay.shop.example (Mail Delivery System)\nTo: news@shop.example\n"
        "Subject: Undelivered Mail Returned to Sender\nMessage-Id: <20260309110001.9D2E3F4A5B@relay.shop.example>\n"
        "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"P\"\n\n"
        "--P\nContent-Type: text/plain\n\nThis is the mail system at host relay.shop.example.\n\n"
        "<ida@slow.example>: connect to mx.slow.example[192.0.2.9]:25: Connection timed out\n\n"
        "--P\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; relay.shop.example\n"
        "X-Postfix-Queue-ID: 8C1D2E3F4A\nX-Postfix-Sender: rfc822; news@shop.example\n\n"
        "Final-Recipient: rfc822; ida@slow.example\nAction: failed\nStatus: 4.4.1\n"
        "Diagnostic-Code: X-Postfix; connect to mx.slow.example[192.0.2.9]:25: Connection timed out\n\n"
        "--P\nContent-Type: text/rfc822-headers\n\nFrom: news@shop.example\nTo: ida@slow.example\n"
        "Subject: Rechnung\nMessage-ID: <inv-2026-0301@shop.example>\n\n--P--\n\n";
    QVERIFY(writeScenarioFile(u"prelog/maillog"_s, log));
    QVERIFY(writeScenarioFile(u"prelog/bounces.mbox"_s, mbox));
    const QList<FateRecord> fates = importAndRead({u"prelog/maillog"_s, u"prelog/bounces.mbox"_s}, u"prelog.bip"_s);
    QCOMPARE(fates.size(), 1);
    QCOMPARE(bi::core::store::fateName(fates.constFirst().fate), u"expired"_s);
    QCOMPARE(fates.constFirst().queueId, u"8C1D2E3F4A"_s);
    QCOMPARE(fates.constFirst().messageId, u"inv-2026-0301@shop.example"_s);
}

// With the log alone our domains are unknown; which clients are ours the log tells (their
// mail goes out to other hosts). A milter's refusal at the end of DATA is a fate for our
// application's message, also when the log shows that client relaying out only later, and
// none for inbound spam from outside.
void TstFateScenario::refusalsOfOutsideClientsAreNoFates()
{
    const QByteArray log =
        "2026-03-05T10:00:00+00:00 relay postfix/smtpd[2001]: 1A0B0C0D0E: client=app1.shop.example[10.0.0.5]\n"
        "2026-03-05T10:00:01+00:00 relay postfix/cleanup[2002]: 1A0B0C0D0E: milter-reject: END-OF-MESSAGE from app1.shop.example[10.0.0.5]: 5.7.1 Message content rejected; from=<news@shop.example> to=<carol@gmail.example> proto=ESMTP helo=<app1>\n"
        "2026-03-05T10:05:00+00:00 relay postfix/smtpd[2101]: 2A0B0C0D0E: client=mail.spam.example[203.0.113.50]\n"
        "2026-03-05T10:05:01+00:00 relay postfix/cleanup[2102]: 2A0B0C0D0E: milter-reject: END-OF-MESSAGE from mail.spam.example[203.0.113.50]: 5.7.1 rejected by DMARC policy for bank.example; from=<noreply@bank.example> to=<buchhaltung@shop.example> proto=ESMTP helo=<x>\n"
        "2026-03-05T10:10:00+00:00 relay postfix/smtpd[2201]: 3A0B0C0D0E: client=app1.shop.example[10.0.0.5]\n"
        "2026-03-05T10:10:00+00:00 relay postfix/qmgr[900]: 3A0B0C0D0E: from=<news@shop.example>, size=900, nrcpt=1 (queue active)\n"
        "2026-03-05T10:10:01+00:00 relay postfix/smtp[2202]: 3A0B0C0D0E: to=<dan@far.example>, relay=mx.far.example[192.0.2.7]:25, delay=1, delays=0.1/0/0.4/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok)\n"
        "2026-03-05T10:10:01+00:00 relay postfix/qmgr[900]: 3A0B0C0D0E: removed\n";
    QVERIFY(writeScenarioFile(u"milter/maillog"_s, log));
    QCOMPARE(fateLines({u"milter/maillog"_s}, u"milter.bip"_s), QStringList({u"carol@gmail.example rejected"_s, u"dan@far.example delivered"_s}));
}

// Sendmail's submission program hands a message to the MTA, which puts one recipient (an
// alias of a local user, "to=gina, ctladdr=<gina.klein@...>") into a mailbox and sends the
// other out; inbound mail goes into the store by LMTP or Cyrus. Exchange 2016 sends every
// message on its Intra-Organization connector to the same server's mailbox transport, whose
// log (MSGTRKMD) delivers it; a full mailbox fails there, in the store driver.
void TstFateScenario::sendmailAndExchangeMailboxDeliveriesAreNoFates()
{
    const QByteArray sendmail =
        "Mar 11 07:08:28 mail sendmail[63033]: 3BR78SUJ063033: from=anna@shop.example, size=800, class=0, nrcpts=2, msgid=<s1@shop.example>, relay=www-data@localhost\n"
        "Mar 11 07:08:28 mail sendmail[63033]: 3BR78SUJ063033: to=tk@far.example,gina.klein@shop.example, ctladdr=anna@shop.example (33/33), delay=00:00:00, xdelay=00:00:00, mailer=relay, pri=110442, relay=[127.0.0.1] [127.0.0.1], dsn=2.0.0, stat=Sent (3BR78Saf012389 Message accepted for delivery)\n"
        "Mar 11 07:08:28 mail sm-mta[12389]: 3BR78Saf012389: from=<anna@shop.example>, size=900, class=0, nrcpts=2, msgid=<s1@shop.example>, proto=ESMTP, daemon=MTA-v4, relay=localhost [127.0.0.1]\n"
        "Mar 11 07:08:29 mail sm-mta[12389]: 3BR78Saf012389: to=gina, ctladdr=<gina.klein@shop.example> (1007/1007), delay=00:00:01, xdelay=00:00:00, mailer=local, pri=110442, dsn=2.0.0, stat=Sent\n"
        "Mar 11 07:08:34 mail sm-mta[43303]: 3BR78Saf012389: to=<tk@far.example>, delay=00:00:06, xdelay=00:00:04, mailer=esmtp, pri=200442, relay=mx.far.example. [203.0.113.25], dsn=2.0.0, stat=Sent (ok)\n"
        "Mar 11 08:00:00 mail sm-mta[500]: 3BR8000a000500: from=<hr@bigcorp.example>, size=100, class=0, nrcpts=2, msgid=<i1@bigcorp.example>, proto=ESMTP, daemon=MTA-v4, relay=mx.bigcorp.example [198.51.100.5]\n"
        "Mar 11 08:00:01 mail sm-mta[501]: 3BR8000a000500: to=<eva@shop.example>, delay=00:00:01, xdelay=00:00:00, mailer=lmtp, pri=66690, relay=localhost, dsn=2.0.0, stat=Sent (<eva@shop.example> Saved)\n"
        "Mar 11 08:00:01 mail sm-mta[501]: 3BR8000a000500: to=<ole@shop.example>, delay=00:00:01, xdelay=00:00:00, mailer=cyrusv2, pri=66690, relay=/var/run/cyrus/socket/lmtp, dsn=2.0.0, stat=Sent\n";
    const QByteArray fields =
        "#Software: Microsoft Exchange Server\n#Version: 15.01.2507.035\n#Log-type: Message Tracking Log\n"
        "#Fields: date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,connector-id,source,event-id,"
        "internal-message-id,message-id,network-message-id,recipient-address,recipient-status,total-bytes,recipient-count,"
        "related-recipient-address,reference,message-subject,sender-address,return-path,message-info,directionality\n";
    const QByteArray transport = fields
        + "2024-05-06T07:07:03.690Z,80.12.242.129,smtp-out.orange.fr,198.51.100.20,EXCH01.corp.shop.example,08DC;0,EXCH01\\Default Frontend EXCH01,SMTP,RECEIVE,61000552280175,<in1@orange.fr>,d826,klara@shop.example,,49009,1,,,Hi,b@orange.fr,b@orange.fr,,Incoming\n"
          "2024-05-06T07:07:04.000Z,10.0.0.30,EXCH01.corp.shop.example,10.0.0.30,EXCH01.corp.shop.example,08DC;250 2.0.0 OK,Intra-Organization SMTP Send Connector,SMTP,SEND,61000552280175,<in1@orange.fr>,d826,klara@shop.example,250 2.1.5 Recipient OK,49009,1,,,Hi,b@orange.fr,b@orange.fr,,Incoming\n"
          "2024-05-06T08:00:00.000Z,10.0.0.5,app1.shop.example,10.0.0.30,EXCH01.corp.shop.example,08DD;0,EXCH01\\Client Proxy EXCH01,SMTP,RECEIVE,61000552280200,<out1@shop.example>,e111,pia@far.example;max@shop.example,,5000,2,,,Offer,news@shop.example,news@shop.example,,Originating\n"
          "2024-05-06T08:00:02.000Z,10.0.0.30,EXCH01.corp.shop.example,192.0.2.7,mx.far.example,08DD;250 2.0.0 OK,Internet,SMTP,SEND,61000552280200,<out1@shop.example>,e111,pia@far.example,250 2.0.0 OK,5000,1,,,Offer,news@shop.example,news@shop.example,,Originating\n"
          "2024-05-06T08:00:02.000Z,10.0.0.30,EXCH01.corp.shop.example,10.0.0.30,EXCH01.corp.shop.example,08DD;250 2.0.0 OK,Intra-Organization SMTP Send Connector,SMTP,SEND,61000552280200,<out1@shop.example>,e111,max@shop.example,250 2.1.5 Recipient OK,5000,1,,,Offer,news@shop.example,news@shop.example,,Originating\n";
    const QByteArray mailboxes = fields
        + "2024-05-06T07:07:04.205Z,,EXCH01,,EXCH01.corp.shop.example,MDB:84ef,,STOREDRIVER,DELIVER,61000552280177,<in1@orange.fr>,d826,klara@shop.example,,49009,1,,,Hi,b@orange.fr,b@orange.fr,,Incoming\n"
          "2024-05-06T08:00:03.000Z,,EXCH01,,EXCH01.corp.shop.example,MDB:84ef,,STOREDRIVER,FAIL,61000552280201,<out1@shop.example>,e111,max@shop.example,554 5.2.2 mailbox full,5000,1,,,Offer,news@shop.example,news@shop.example,,Originating\n";
    QVERIFY(writeScenarioFile(u"local-sendmail/maillog"_s, sendmail));
    QVERIFY(writeScenarioFile(u"local-exchange/MSGTRK2024050606-1.LOG"_s, transport));
    QVERIFY(writeScenarioFile(u"local-exchange/MSGTRKMD2024050606-1.LOG"_s, mailboxes));
    QCOMPARE(fateLines({u"local-sendmail/maillog"_s}, u"local-sendmail.bip"_s), QStringList({u"tk@far.example delivered"_s}));
    QCOMPARE(fateLines({u"local-exchange"_s}, u"local-exchange.bip"_s), QStringList({u"pia@far.example delivered"_s}));
}

// The logs cover the day and show neither send. A bounce of spam that forged our address (a
// bot's stamp, "unknown" to the server that took it) is backscatter the logs confirm and gets
// no fate; one whose original the receiving server took from a relay of ours that it looked
// up by name, whose log is not here, is our mail all the same and keeps its fate.
void TstFateScenario::backscatterTheLogsConfirmIsNoFate()
{
    const QByteArray log =
        "2026-03-05T09:00:00+00:00 relay postfix/qmgr[900]: 1B0B0C0D0E: from=<news@shop.example>, size=900, nrcpt=1 (queue active)\n"
        "2026-03-05T09:00:01+00:00 relay postfix/smtp[2202]: 1B0B0C0D0E: to=<dan@far.example>, relay=mx.far.example[192.0.2.7]:25, delay=1, delays=0.1/0/0.4/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok)\n"
        "2026-03-05T09:00:01+00:00 relay postfix/qmgr[900]: 1B0B0C0D0E: removed\n"
        "2026-03-05T18:00:00+00:00 relay postfix/qmgr[900]: 2B0B0C0D0E: from=<news@shop.example>, size=900, nrcpt=1 (queue active)\n"
        "2026-03-05T18:00:01+00:00 relay postfix/smtp[2203]: 2B0B0C0D0E: to=<eve@far.example>, relay=mx.far.example[192.0.2.7]:25, delay=1, delays=0.1/0/0.4/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok)\n"
        "2026-03-05T18:00:01+00:00 relay postfix/qmgr[900]: 2B0B0C0D0E: removed\n";
    const auto notice = [](const QByteArray& id, const QByteArray& rcpt, const QByteArray& stamp, const QByteArray& original) {
        return "From MAILER-DAEMON Thu Mar  5 12:10:00 2026\nReturn-Path: <>\nDate: Thu, 5 Mar 2026 12:10:00 +0000\n"
               "From: MAILER-DAEMON@mx.remote.example\nTo: news@shop.example\nSubject: Undelivered Mail Returned to Sender\n"
               "Message-Id: <" + id + ">\nMIME-Version: 1.0\n"
               "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n"
               "--B\nContent-Type: text/plain\n\nThe mailbox does not exist.\n\n"
               "--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.remote.example\n\n"
               "Final-Recipient: rfc822; " + rcpt + "\nAction: failed\nStatus: 5.1.1\n"
               "Diagnostic-Code: smtp; 550 5.1.1 user unknown\n\n"
               "--B\nContent-Type: text/rfc822-headers\n\n" + stamp + "From: news@shop.example\nTo: " + rcpt
               + "\nSubject: Hello\nDate: Thu, 5 Mar 2026 12:00:00 +0000\nMessage-ID: <" + original + ">\n\n--B--\n\n";
    };
    const QByteArray mbox =
        notice("n1@mx.remote.example", "ann@remote.example",
               "Received: from smtp-out9.shop.example (smtp-out9.shop.example [198.51.100.20])\n\tby mx.remote.example "
               "with ESMTPS id 4A1; Thu, 5 Mar 2026 12:00:05 +0000\n",
               "20260305120000.A1@app.shop.example")
        + notice("n2@mx.remote.example", "bob@remote.example",
                 "Received: from shop.example (unknown [203.0.113.7])\n\tby mx.remote.example with ESMTP id 4A2; "
                 "Thu, 5 Mar 2026 12:00:05 +0000\n",
                 "8f3a2c@qx81z.info");
    QVERIFY(writeScenarioFile(u"confirmed/maillog"_s, log));
    QVERIFY(writeScenarioFile(u"confirmed/bounces.mbox"_s, mbox));
    QCOMPARE(fateLines({u"confirmed/maillog"_s, u"confirmed/bounces.mbox"_s}, u"confirmed.bip"_s),
             QStringList({u"ann@remote.example async_bounce"_s, u"dan@far.example delivered"_s, u"eve@far.example delivered"_s}));
    // The logs confirm only the second as backscatter: the first left by smtp-out9, a relay of
    // ours whose log is not here, so the logs cannot say it was not sent.
    auto store = bi::core::store::ProjectStore::open(m_dir.filePath(u"confirmed.bip"_s), u"test"_s, false);
    QVERIFY(store);
    auto confirmed = bi::core::store::BackscatterRepository(*store).backscatterTheLogsConfirm();
    QVERIFY(confirmed);
    QCOMPARE(confirmed->size(), 1);
}

// A notice that names only the recipient goes to a send of the window: the receiving side's,
// written after it accepted, to the send it accepted (not to a later one the smarthost saw
// refused on the spot, though that one is nearer).
void TstFateScenario::receivingSidesNoticeGoesToAnAcceptedSend()
{
    const QByteArray log =
        "2024-03-08T10:00:00+00:00 relay postfix/qmgr[900]: 1C0B0C0D0E: from=<news@shop.example>, size=900, nrcpt=1 (queue active)\n"
        "2024-03-08T10:00:01+00:00 relay postfix/smtp[2202]: 1C0B0C0D0E: to=<eve@wayne.example>, relay=mx3.wayne.example[192.0.2.33]:25, delay=1, delays=0.1/0/0.4/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok)\n"
        "2024-03-08T10:00:01+00:00 relay postfix/qmgr[900]: 1C0B0C0D0E: removed\n"
        "2024-03-09T10:00:00+00:00 relay postfix/qmgr[900]: 2C0B0C0D0E: from=<news@shop.example>, size=900, nrcpt=1 (queue active)\n"
        "2024-03-09T10:00:01+00:00 relay postfix/smtp[2203]: 2C0B0C0D0E: to=<eve@wayne.example>, relay=mx3.wayne.example[192.0.2.33]:25, delay=1, delays=0.1/0/0.4/0.5, dsn=5.1.1, status=bounced (host mx3.wayne.example[192.0.2.33] said: 550 5.1.1 no such user (in reply to RCPT TO command))\n"
        "2024-03-09T10:00:01+00:00 relay postfix/qmgr[900]: 2C0B0C0D0E: removed\n";
    const QByteArray mbox =
        "From MAILER-DAEMON Sun Mar 10 12:00:00 2024\nReturn-Path: <>\nDate: Sun, 10 Mar 2024 12:00:00 +0000\n"
        "From: MAILER-DAEMON@mx3.wayne.example\nTo: news@shop.example\nSubject: failure notice\n"
        "Message-ID: <q1@mx3.wayne.example>\n\n"
        "Hi. This is the qmail-send program at mx3.wayne.example.\n"
        "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
        "This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
        "<eve@wayne.example>:\nThe users mailfolder is over the allowed quota (size).\n\n";
    QVERIFY(writeScenarioFile(u"accepted/maillog"_s, log));
    QVERIFY(writeScenarioFile(u"accepted/bounces.mbox"_s, mbox));
    QCOMPARE(fateLines({u"accepted/maillog"_s, u"accepted/bounces.mbox"_s}, u"accepted.bip"_s),
             QStringList({u"eve@wayne.example async_bounce"_s, u"eve@wayne.example rejected"_s}));
}

void TstFateScenario::reimportAddsNothing()
{
    const QString name = u"again.bip"_s;
    const QList<FateRecord> first = importAndRead({u"postfix.log"_s, u"mailbox-postfix.mbox"_s}, name);
    auto store = bi::core::store::ProjectStore::open(m_dir.filePath(name), u"test2"_s);
    QVERIFY(store);
    bi::core::import::ImportOptions options;
    options.logTimeZone = QTimeZone(3600);
    bi::core::import::ImportJob job(*store, options);
    auto summary = job.run({m_dir.filePath(u"scenario/postfix.log"_s), m_dir.filePath(u"scenario/mailbox-postfix.mbox"_s)});
    QVERIFY(summary);
    QCOMPARE(summary->added, 0);
    QCOMPARE(summary->logEvents, 0);
    QVERIFY(summary->logEventsSkipped > 0);
    bi::core::store::FateRepository repo(*store);
    QCOMPARE(*repo.count(), qint64(first.size()));
}

// The smarthost refuses a recipient while its client submits a message it takes for others
// (Postfix "reject: RCPT", with the queue id or NOQUEUE before the session's client= line):
// that recipient's fate is decided on the spot. A 4xx refusal (the client retries), a
// refusal of another transaction's sender and a session that queued nothing give no fate.
void TstFateScenario::recipientsTheSmarthostRefusedAreRejected()
{
    const QByteArray log =
        "Mar  5 10:00:00 relay postfix/smtpd[2001]: connect from app1.shop.example[10.0.0.5]\n"
        "Mar  5 10:00:00 relay postfix/smtpd[2001]: NOQUEUE: reject: RCPT from app1.shop.example[10.0.0.5]: 554 5.1.2 <bob@nx.example>: Recipient address rejected: Domain not found; from=<news@shop.example> to=<bob@nx.example> proto=ESMTP helo=<app1>\n"
        "Mar  5 10:00:00 relay postfix/smtpd[2001]: NOQUEUE: reject: RCPT from app1.shop.example[10.0.0.5]: 450 4.1.2 <dave@slowdns.example>: Recipient address rejected: Domain not found; from=<news@shop.example> to=<dave@slowdns.example> proto=ESMTP helo=<app1>\n"
        "Mar  5 10:00:00 relay postfix/smtpd[2001]: NOQUEUE: reject: RCPT from app1.shop.example[10.0.0.5]: 550 5.1.1 <erin@gmail.example>: Recipient address rejected; from=<other@shop.example> to=<erin@gmail.example> proto=ESMTP helo=<app1>\n"
        "Mar  5 10:00:01 relay postfix/smtpd[2001]: 4B7C91D0A2: client=app1.shop.example[10.0.0.5]\n"
        "Mar  5 10:00:01 relay postfix/smtpd[2001]: 4B7C91D0A2: reject: RCPT from app1.shop.example[10.0.0.5]: 550 5.7.1 <carol@gmail.example>: Recipient address rejected: Access denied; from=<news@shop.example> to=<carol@gmail.example> proto=ESMTP helo=<app1>\n"
        "Mar  5 10:00:01 relay postfix/cleanup[2002]: 4B7C91D0A2: message-id=<r1@shop.example>\n"
        "Mar  5 10:00:01 relay postfix/qmgr[900]: 4B7C91D0A2: from=<news@shop.example>, size=1200, nrcpt=1 (queue active)\n"
        "Mar  5 10:00:02 relay postfix/smtpd[2001]: disconnect from app1.shop.example[10.0.0.5] ehlo=1 mail=2 rcpt=1/5 data=1 quit=1\n"
        "Mar  5 10:00:03 relay postfix/smtp[2003]: 4B7C91D0A2: to=<alice@gmail.example>, relay=mx.gmail.example[192.0.2.30]:25, delay=2, delays=0.1/0/1/0.9, dsn=2.0.0, status=sent (250 2.0.0 OK)\n"
        "Mar  5 10:00:03 relay postfix/qmgr[900]: 4B7C91D0A2: removed\n"
        "Mar  5 10:05:00 relay postfix/smtpd[2010]: connect from spam.example[192.0.2.99]\n"
        "Mar  5 10:05:00 relay postfix/smtpd[2010]: NOQUEUE: reject: RCPT from spam.example[192.0.2.99]: 554 5.7.1 <x@far.example>: Relay access denied; from=<y@spam.example> to=<x@far.example> proto=SMTP helo=<s>\n"
        "Mar  5 10:05:01 relay postfix/smtpd[2010]: disconnect from spam.example[192.0.2.99] ehlo=1 mail=1 rcpt=0/1 quit=1\n"
        "Mar  5 10:06:00 relay postfix/smtpd[2001]: 5C8DA2E1B3: client=app1.shop.example[10.0.0.5]\n"
        "Mar  5 10:06:01 relay postfix/cleanup[2002]: 5C8DA2E1B3: reject: header Subject: Win now from app1.shop.example[10.0.0.5]; from=<news@shop.example> to=<frank@gmail.example> proto=ESMTP helo=<app1>: 5.7.1 message content rejected\n";
    QVERIFY(writeScenarioFile(u"refused/maillog"_s, log));
    const QList<FateRecord> fates = importAndRead({u"refused/maillog"_s}, u"refused.bip"_s);
    QMap<QString, FateRecord> byRecipient;
    for (const FateRecord& f : fates)
        byRecipient.insert(f.recipient, f);
    QCOMPARE(byRecipient.keys(), (QStringList{u"alice@gmail.example"_s, u"bob@nx.example"_s, u"carol@gmail.example"_s,
                                              u"erin@gmail.example"_s, u"frank@gmail.example"_s}));
    // Another transaction of our client (another sender) queued nothing: its refusal is a
    // fate of its own, of no message.
    const FateRecord erin = byRecipient.value(u"erin@gmail.example"_s);
    QCOMPARE(bi::core::store::fateName(erin.fate), u"rejected"_s);
    QVERIFY(erin.messageId.isEmpty());
    QVERIFY(erin.queueId.isEmpty());
    QCOMPARE(erin.sender, u"other@shop.example"_s);
    QVERIFY(erin.evidence.join(u' ').contains(u"the message was not queued"_s));
    // Refused whole by the smarthost's header checks: never queued, the refusal names the sender.
    const FateRecord frank = byRecipient.value(u"frank@gmail.example"_s);
    QCOMPARE(bi::core::store::fateName(frank.fate), u"rejected"_s);
    QCOMPARE(frank.sender, u"news@shop.example"_s);
    QCOMPARE(frank.status, u"5.7.1"_s);
    QCOMPARE(bi::core::store::fateName(byRecipient.value(u"alice@gmail.example"_s).fate), u"delivered"_s);
    for (const QString& refused : {u"bob@nx.example"_s, u"carol@gmail.example"_s}) {
        const FateRecord f = byRecipient.value(refused);
        QCOMPARE(bi::core::store::fateName(f.fate), u"rejected"_s);
        QCOMPARE(f.messageId, u"r1@shop.example"_s);
        QCOMPARE(f.queueId, u"4B7C91D0A2"_s);
        QCOMPARE(f.attempts, 0);
        QVERIFY(!f.firstAttemptAt.isValid());
        QVERIFY(f.finalAt.isValid());
        QVERIFY2(f.evidence.join(u' ').contains(u"the smarthost refused it while app1.shop.example[10.0.0.5] submitted"_s),
                 qPrintable(f.evidence.join(u" | "_s)));
        bool refusedStep = false;
        for (const bi::core::store::TimelineStep& s : f.steps)
            refusedStep = refusedStep || s.kind == bi::core::store::TimelineStep::Kind::Refused;
        QVERIFY(refusedStep);
    }
    QCOMPARE(byRecipient.value(u"bob@nx.example"_s).status, u"5.1.2"_s);
    QCOMPARE(byRecipient.value(u"carol@gmail.example"_s).replyCode, u"550"_s);

    // The same session in Exim's words: no session id, no reply code.
    const QByteArray mainlog =
        "2026-03-05 10:00:00 H=app1.shop.example [10.0.0.5] F=<news@shop.example> rejected RCPT <bob@nx.example>: Unrouteable address\n"
        "2026-03-05 10:00:00 H=app1.shop.example [10.0.0.5] F=<news@shop.example> temporarily rejected RCPT <dave@slowdns.example>: greylisted\n"
        "2026-03-05 10:00:01 1t5AbC-000123-Xy <= news@shop.example H=app1.shop.example [10.0.0.5] P=esmtp S=1200 id=r2@shop.example\n"
        "2026-03-05 10:00:02 1t5AbC-000123-Xy => alice@gmail.example R=dnslookup T=remote_smtp H=mx.gmail.example [192.0.2.30] C=\"250 2.0.0 OK\"\n"
        "2026-03-05 10:00:02 1t5AbC-000123-Xy Completed\n"
        "2026-03-05 10:10:00 H=spam.example [192.0.2.99] F=<y@spam.example> rejected RCPT <x@far.example>: relay not permitted\n";
    QVERIFY(writeScenarioFile(u"refused/mainlog"_s, mainlog));
    QMap<QString, FateRecord> exim;
    for (const FateRecord& f : importAndRead({u"refused/mainlog"_s}, u"refused-exim.bip"_s))
        exim.insert(f.recipient, f);
    QCOMPARE(exim.keys(), (QStringList{u"alice@gmail.example"_s, u"bob@nx.example"_s}));
    QCOMPARE(bi::core::store::fateName(exim.value(u"bob@nx.example"_s).fate), u"rejected"_s);
    QCOMPARE(exim.value(u"bob@nx.example"_s).messageId, u"r2@shop.example"_s);
    QCOMPARE(exim.value(u"bob@nx.example"_s).reason, u"hostunknown"_s);

    // Sendmail names the queue id on the refusal, and no code: its words say permanent.
    const QByteArray sendmail =
        "Mar  5 10:00:00 relay sendmail[3001]: 2A5A0xQ3001: <bob@shop.example>... User unknown\n"
        "Mar  5 10:00:00 relay sendmail[3001]: 2A5A0xQ3001: from=<news@shop.example>, size=1200, class=0, nrcpts=1, msgid=<s1@shop.example>, proto=ESMTP, daemon=MTA, relay=app1.shop.example [10.0.0.5]\n"
        "Mar  5 10:00:01 relay sendmail[3002]: 2A5A0xQ3001: to=<alice@gmail.example>, delay=00:00:01, xdelay=00:00:01, mailer=esmtp, pri=120000, relay=mx.gmail.example. [192.0.2.30], dsn=2.0.0, stat=Sent (OK)\n"
        "Mar  5 10:01:00 relay sendmail[3003]: 2A5A0xQ3002: <x@far.example>... Relaying denied\n"
        "Mar  5 10:01:00 relay sendmail[3003]: 2A5A0xQ3002: from=<y@spam.example>, size=0, class=0, nrcpts=0, proto=ESMTP, daemon=MTA, relay=spam.example [192.0.2.99]\n";
    QVERIFY(writeScenarioFile(u"refused/sendmail.log"_s, sendmail));
    QMap<QString, FateRecord> sm;
    for (const FateRecord& f : importAndRead({u"refused/sendmail.log"_s}, u"refused-sendmail.bip"_s))
        sm.insert(f.recipient, f);
    QCOMPARE(sm.keys(), (QStringList{u"alice@gmail.example"_s, u"bob@shop.example"_s}));
    QCOMPARE(bi::core::store::fateName(sm.value(u"bob@shop.example"_s).fate), u"rejected"_s);
    QCOMPARE(sm.value(u"bob@shop.example"_s).reason, u"userunknown"_s);
}

// A transaction refused whole (its only recipient at a mistyped domain) queues nothing. It is
// our mail when the client is one whose messages the smarthost relayed out; an outside
// client's relay attempt with our sender forged is not.
void TstFateScenario::refusalsThatQueuedNothingAreOursOnlyFromOurClients()
{
    const QByteArray maillog =
        "Mar  6 10:00:01 relay postfix/smtpd[2001]: 4B7C91D0B3: client=app1.shop.example[10.0.0.5]\n"
        "Mar  6 10:00:01 relay postfix/cleanup[2002]: 4B7C91D0B3: message-id=<u1@shop.example>\n"
        "Mar  6 10:00:01 relay postfix/qmgr[900]: 4B7C91D0B3: from=<news@shop.example>, size=1200, nrcpt=1 (queue active)\n"
        "Mar  6 10:00:03 relay postfix/smtp[2003]: 4B7C91D0B3: to=<alice@gmail.example>, relay=mx.gmail.example[192.0.2.30]:25, delay=2, delays=0.1/0/1/0.9, dsn=2.0.0, status=sent (250 2.0.0 OK)\n"
        "Mar  6 10:00:03 relay postfix/qmgr[900]: 4B7C91D0B3: removed\n"
        "Mar  6 11:00:00 relay postfix/smtpd[2005]: connect from app1.shop.example[10.0.0.5]\n"
        "Mar  6 11:00:00 relay postfix/smtpd[2005]: NOQUEUE: reject: RCPT from app1.shop.example[10.0.0.5]: 550 5.1.2 <typo@gmial.example>: Recipient address rejected: Domain not found; from=<orders@shop.example> to=<typo@gmial.example> proto=ESMTP helo=<app1>\n"
        "Mar  6 11:00:00 relay postfix/smtpd[2005]: disconnect from app1.shop.example[10.0.0.5] ehlo=1 mail=1 rcpt=0/1 quit=1\n"
        "Mar  6 11:05:00 relay postfix/smtpd[2010]: NOQUEUE: reject: RCPT from spam.example[192.0.2.99]: 554 5.7.1 <x@far.example>: Relay access denied; from=<orders@shop.example> to=<x@far.example> proto=SMTP helo=<s>\n"
        "Mar  6 11:06:00 relay postfix/smtpd[2011]: NOQUEUE: reject: RCPT from app1.shop.example[10.0.0.5]: 450 4.1.2 <later@slowdns.example>: Recipient address rejected: Domain not found; from=<orders@shop.example> to=<later@slowdns.example> proto=ESMTP helo=<app1>\n";
    const QByteArray mainlog =
        "2026-03-06 10:00:01 1t5AbE-000125-Xy <= news@shop.example H=app1.shop.example [10.0.0.5] P=esmtp S=1200 id=u1@shop.example\n"
        "2026-03-06 10:00:02 1t5AbE-000125-Xy => alice@gmail.example R=dnslookup T=remote_smtp H=mx.gmail.example [192.0.2.30] C=\"250 2.0.0 OK\"\n"
        "2026-03-06 10:00:02 1t5AbE-000125-Xy Completed\n"
        "2026-03-06 11:00:00 H=app1.shop.example [10.0.0.5] F=<orders@shop.example> rejected RCPT <typo@gmial.example>: Unrouteable address\n"
        "2026-03-06 11:05:00 H=spam.example [192.0.2.99] F=<orders@shop.example> rejected RCPT <x@far.example>: relay not permitted\n";
    QVERIFY(writeScenarioFile(u"unqueued/maillog"_s, maillog));
    QVERIFY(writeScenarioFile(u"unqueued/mainlog"_s, mainlog));
    for (const QString& log : {u"unqueued/maillog"_s, u"unqueued/mainlog"_s}) {
        QMap<QString, FateRecord> byRecipient;
        for (const FateRecord& f : importAndRead({log}, QString(log).replace(u'/', u'-') + u".bip"_s))
            byRecipient.insert(f.recipient, f);
        QCOMPARE(byRecipient.keys(), (QStringList{u"alice@gmail.example"_s, u"typo@gmial.example"_s}));
        const FateRecord typo = byRecipient.value(u"typo@gmial.example"_s);
        QCOMPARE(bi::core::store::fateName(typo.fate), u"rejected"_s);
        QCOMPARE(typo.reason, u"hostunknown"_s);
        QCOMPARE(typo.sender, u"orders@shop.example"_s);
        QVERIFY(typo.messageId.isEmpty());
        QCOMPARE(typo.finalAt, QDateTime(QDate(2026, 3, 6), QTime(10, 0), QTimeZone(0)));
        QCOMPARE(typo.steps.size(), 1);
        QCOMPARE(typo.steps.constFirst().kind, bi::core::store::TimelineStep::Kind::Refused);
        QVERIFY(typo.steps.constFirst().logEventRow > 0);
    }
}

// A log copied without its file time (here: two years on) dates its year-less stamps wrong:
// the mailbox's bounces then predate the sends they quote. The import says so, and with the
// day the logs end it joins them as with the original file.
void TstFateScenario::copiedLogsYearIsWarnedOfAndSetByTheDayTheLogsEnd()
{
    const QString original = m_dir.filePath(u"scenario/postfix.log"_s);
    const QDateTime end = QFileInfo(original).lastModified();
    QVERIFY(writeScenarioFile(u"copied/postfix.log"_s, [&original] {
        QFile f(original);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }()));
    const QString copy = m_dir.filePath(u"scenario/copied/postfix.log"_s);
    {
        QFile f(copy);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.setFileTime(end.addYears(2), QFileDevice::FileModificationTime));
    }
    const auto run = [&](const QDate& until, const QString& name) -> std::pair<QStringList, QList<FateRecord>> {
        auto store = bi::core::store::ProjectStore::open(m_dir.filePath(name), u"test"_s);
        if (!store)
            return {};
        bi::core::import::ImportOptions options;
        options.logTimeZone = QTimeZone(3600);
        options.logsUntil = until;
        auto summary = bi::core::import::ImportJob(*store, options)
                           .run({copy, m_dir.filePath(u"scenario/mailbox-postfix.mbox"_s)});
        if (!summary)
            return {};
        QList<FateRecord> fates;
        (void)bi::core::store::FateRepository(*store).forEach([&fates](const FateRecord& f) {
            fates << f;
            return true;
        });
        return {summary->warnings, fates};
    };
    const auto [warned, wrong] = run({}, u"copied.bip"_s);
    QCOMPARE(warned.size(), 1);
    QVERIFY2(warned.constFirst().contains(u"dated before it was sent"_s), qPrintable(warned.constFirst()));
    QVERIFY(compare(wrong, false).agree * 1000 < compare(wrong, false).total * 995);
    const auto [quiet, right] = run(end.toTimeZone(QTimeZone(3600)).date(), u"copied-until.bip"_s);
    QVERIFY2(quiet.isEmpty(), qPrintable(quiet.join(u'\n')));
    const Agreement a = compare(right, false);
    QVERIFY2(a.agree * 1000 >= a.total * 995, qPrintable(u"%1 of %2"_s.arg(a.agree).arg(a.total)));
}

// billing@kestrel.example accepted the message and forwarded it to web.example, which
// refused; qmail at kestrel.example reports the forward's target. With the log, the bounce
// joins the logged send to billing@ (async_bounce there), and no fate is filed for the target.
void TstFateScenario::forwardedRecipientsBounceJoinsTheLoggedSend()
{
    const QByteArray log =
        "2024-03-07T10:00:00+00:00 relay postfix/smtpd[2001]: 6D1F0A2B3C: client=app1.shop.example[10.0.0.5]\n"
        "2024-03-07T10:00:00+00:00 relay postfix/cleanup[2002]: 6D1F0A2B3C: message-id=<fw1@shop.example>\n"
        "2024-03-07T10:00:00+00:00 relay postfix/qmgr[900]: 6D1F0A2B3C: from=<news@shop.example>, size=1200, nrcpt=2 (queue active)\n"
        "2024-03-07T10:00:02+00:00 relay postfix/smtp[2003]: 6D1F0A2B3C: to=<billing@kestrel.example>, relay=smtp.kestrel.example[192.0.2.40]:25, delay=2, delays=0.1/0/1/0.9, dsn=2.0.0, status=sent (250 ok 1709806802 qp 30594)\n"
        "2024-03-07T10:00:02+00:00 relay postfix/smtp[2003]: 6D1F0A2B3C: to=<peggy@cedar.example>, relay=mx.cedar.example[192.0.2.41]:25, delay=2, delays=0.1/0/1/0.9, dsn=2.0.0, status=sent (250 OK)\n"
        "2024-03-07T10:00:02+00:00 relay postfix/qmgr[900]: 6D1F0A2B3C: removed\n";
    const QByteArray mbox =
        "From MAILER-DAEMON Thu Mar  7 10:20:00 2024\n"
        "Return-Path: <>\n"
        "Date: Thu, 7 Mar 2024 10:20:00 +0000\n"
        "From: MAILER-DAEMON@smtp.kestrel.example\n"
        "To: news@shop.example\n"
        "Subject: failure notice\n"
        "Message-ID: <1709806800.86090.qmail@smtp.kestrel.example>\n\n"
        "Hi. This is the qmail-send program at smtp.kestrel.example.\n"
        "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
        "This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
        "<billing.smith@web.example>:\n"
        "192.0.2.77 does not like recipient.\n"
        "Remote host said: 550 5.1.1 <billing.smith@web.example>: Recipient address rejected: User unknown\n"
        "Giving up on 192.0.2.77.\n\n"
        "--- Below this line is a copy of the message.\n\n"
        "Return-Path: <news@shop.example>\n"
        "Message-ID: <fw1@shop.example>\n"
        "From: news@shop.example\n"
        "To: billing@kestrel.example, peggy@cedar.example\n"
        "Subject: News\n\n"
        "Hello\n\n";
    QVERIFY(writeScenarioFile(u"forward/maillog"_s, log));
    QVERIFY(writeScenarioFile(u"forward/sender.mbox"_s, mbox));
    QMap<QString, FateRecord> byRecipient;
    for (const FateRecord& f : importAndRead({u"forward/maillog"_s, u"forward/sender.mbox"_s}, u"forward.bip"_s))
        byRecipient.insert(f.recipient, f);
    QCOMPARE(byRecipient.keys(), (QStringList{u"billing@kestrel.example"_s, u"peggy@cedar.example"_s}));
    const FateRecord billing = byRecipient.value(u"billing@kestrel.example"_s);
    QCOMPARE(bi::core::store::fateName(billing.fate), u"async_bounce"_s);
    QCOMPARE(billing.messageId, u"fw1@shop.example"_s);
    QVERIFY(billing.bounceAt.isValid());
    QCOMPARE(bi::core::store::fateName(byRecipient.value(u"peggy@cedar.example"_s).fate), u"delivered"_s);
    // The mailbox alone files it under billing@ too, and says where it failed.
    QMap<QString, FateRecord> alone;
    for (const FateRecord& f : importAndRead({u"forward/sender.mbox"_s}, u"forward-alone.bip"_s))
        alone.insert(f.recipient, f);
    QCOMPARE(alone.keys(), QStringList{u"billing@kestrel.example"_s});
    QVERIFY(alone.first().evidence.join(u' ').contains(u"billing.smith@web.example"_s));
}

QTEST_GUILESS_MAIN(TstFateScenario)
// A rotation between two lines of one message: qmail's "starting delivery 7" in the older
// file and its result in the newer; an Exchange server's next daily file opening with the
// retries of the day before, before any row of its own names the server. Given newest first,
// the files are still read oldest first, by one reader: each message stays one fate.
void TstFateScenario::messageCutByARotationGoesOnInTheNextFile()
{
    QVERIFY(writeScenarioFile(u"rotation/qmail/current.1"_s,
                              "@4000000065e563e408426bd1 new msg 1180714\n"
                              "@4000000065e563e40865714a info msg 1180714: bytes 3587 from <news@shop.example> qp 19199 uid 1002\n"
                              "@4000000065e563e40886dbd2 starting delivery 7: msg 1180714 to remote ann@far.example\n"));
    QVERIFY(writeScenarioFile(u"rotation/qmail/current"_s,
                              "@4000000065e563e7076b0729 delivery 7: success: 203.0.113.25_accepted_message./Remote_host_said:_250_2.0.0_Ok/\n"
                              "@4000000065e563e808b69ce2 end msg 1180714\n"));
    // The same in daemontools' layout: multilog's archived @<tai64n>.s files and current.
    QVERIFY(writeScenarioFile(u"rotation/multilog/@4000000065e563e40886dbd3.s"_s,
                              "@4000000065e563e408426bd1 new msg 1180715\n"
                              "@4000000065e563e40865714a info msg 1180715: bytes 3587 from <news@shop.example> qp 19200 uid 1002\n"
                              "@4000000065e563e40886dbd2 starting delivery 8: msg 1180715 to remote cid@far.example\n"));
    QVERIFY(writeScenarioFile(u"rotation/multilog/current"_s,
                              "@4000000065e563e7076b0729 delivery 8: success: 203.0.113.25_accepted_message./Remote_host_said:_250_2.0.0_Ok/\n"
                              "@4000000065e563e808b69ce2 end msg 1180715\n"));
    QVERIFY(writeScenarioFile(u"rotation/multilog/lock"_s, ""));
    const QString header = u"#Software: Microsoft Exchange Server\n#Version: 15.01.2507.035\n#Log-type: Message Tracking Log\n"
                           u"#Date: 2024-05-06T00:00:00.000Z\n#Fields: date-time,client-ip,client-hostname,server-ip,"
                           u"server-hostname,source-context,connector-id,source,event-id,internal-message-id,message-id,"
                           u"network-message-id,recipient-address,recipient-status,total-bytes,recipient-count,"
                           u"related-recipient-address,reference,message-subject,sender-address\n"_s;
    QVERIFY(writeScenarioFile(u"rotation/exchange/MSGTRK2024050623-1.LOG"_s,
                              (header
                               + u"2024-05-06T23:50:00.000Z,10.0.0.11,app1.shop.example,10.0.0.30,EXCH01,,Relay,SMTP,RECEIVE,"
                                 u"6100,<x1@shop.example>,,bob@far.example,,3000,1,,,Order,news@shop.example\n"
                                 u"2024-05-06T23:50:05.000Z,,,203.0.113.9,mx.far.example,,Internet,SMTP,DEFER,6100,"
                                 u"<x1@shop.example>,,bob@far.example,451 4.4.0 Greylisted,3000,1,,,Order,news@shop.example\n"_s)
                                  .toUtf8()));
    QVERIFY(writeScenarioFile(u"rotation/exchange/MSGTRK2024050700-1.LOG"_s,
                              (header
                               + u"2024-05-07T00:05:05.000Z,,,203.0.113.9,mx.far.example,,Internet,SMTP,DEFER,6100,"
                                 u"<x1@shop.example>,,bob@far.example,451 4.4.0 Greylisted,3000,1,,,Order,news@shop.example\n"
                                 u"2024-05-07T00:20:05.000Z,10.0.0.30,EXCH01.corp.shop.example,203.0.113.9,mx.far.example,,"
                                 u"Internet,SMTP,SEND,6100,<x1@shop.example>,,bob@far.example,250 2.0.0 Ok,3000,1,,,Order,"
                                 u"news@shop.example\n"_s)
                                  .toUtf8()));
    const QList<FateRecord> fates =
        importAndRead({u"rotation/qmail/current"_s, u"rotation/qmail/current.1"_s, u"rotation/exchange"_s,
                       u"rotation/multilog"_s},
                      u"rotation.bip"_s);
    QMap<QString, QList<const FateRecord*>> byRecipient;
    for (const FateRecord& f : fates)
        byRecipient[f.recipient] << &f;
    QCOMPARE(byRecipient.keys(), QStringList({u"ann@far.example"_s, u"bob@far.example"_s, u"cid@far.example"_s}));
    for (const QString& qmail : {u"ann@far.example"_s, u"cid@far.example"_s}) {
        QCOMPARE(byRecipient.value(qmail).size(), 1);
        QCOMPARE(bi::core::store::fateName(byRecipient.value(qmail).constFirst()->fate), u"delivered"_s);
    }
    QCOMPARE(byRecipient.value(u"bob@far.example"_s).size(), 1);
    const FateRecord& bob = *byRecipient.value(u"bob@far.example"_s).constFirst();
    QCOMPARE(bi::core::store::fateName(bob.fate), u"delivered"_s);
    QCOMPARE(bob.deferrals, 2);
    QCOMPARE(bob.host, u"EXCH01"_s);
    // The newer Exchange file on its own (another run, or imported first): its retries before
    // its own SEND row are still the server's that wrote the file.
    const QList<FateRecord> alone = importAndRead({u"rotation/exchange/MSGTRK2024050700-1.LOG"_s}, u"rotation-alone.bip"_s);
    QCOMPARE(alone.size(), 1);
    QCOMPARE(alone.constFirst().host, u"EXCH01"_s);
    QCOMPARE(bi::core::store::fateName(alone.constFirst().fate), u"delivered"_s);
}

// qmail and OpenSMTPD log no Message-ID. A late bounce for a recipient mailed twice names its
// send by our smarthost's stamp in the quoted original: qmail's "(qmail 16552 invoked from
// network)" (the info msg line's qp) and OpenSMTPD's "by relay1.shop.example (OpenSMTPD) with
// ESMTP id 7c53ee83". It joins that send, not the later one the time window would pick.
void TstFateScenario::bounceQuotingOurStampJoinsThatSend()
{
    // 2024-03-04 10:00 and 2024-03-05 10:00 UTC (tai64n), both delivered to ann@far.example.
    QVERIFY(writeScenarioFile(u"stamp/qmail/current"_s,
                              "@4000000065e59c1800000000 new msg 1180001\n"
                              "@4000000065e59c1800000001 info msg 1180001: bytes 2000 from <news@shop.example> qp 16552 uid 1002\n"
                              "@4000000065e59c1800000002 starting delivery 1: msg 1180001 to remote ann@far.example\n"
                              "@4000000065e59c1900000000 delivery 1: success: 203.0.113.25_accepted_message./Remote_host_said:_250_2.0.0_Ok/\n"
                              "@4000000065e59c1900000001 end msg 1180001\n"
                              "@4000000065e6ed9800000000 new msg 1180002\n"
                              "@4000000065e6ed9800000001 info msg 1180002: bytes 2000 from <news@shop.example> qp 17001 uid 1002\n"
                              "@4000000065e6ed9800000002 starting delivery 2: msg 1180002 to remote ann@far.example\n"
                              "@4000000065e6ed9900000000 delivery 2: success: 203.0.113.25_accepted_message./Remote_host_said:_250_2.0.0_Ok/\n"
                              "@4000000065e6ed9900000001 end msg 1180002\n"));
    QVERIFY(writeScenarioFile(u"stamp/smtpd.log"_s,
                              "2024-03-04T10:00:00+00:00 relay1 smtpd[48211]: 9a4c2b1d3e5f6a70 smtp message msgid=7c53ee83 size=2000 nrcpt=1 proto=ESMTP\n"
                              "2024-03-04T10:00:01+00:00 relay1 smtpd[48212]: 7b8c9d0e1f2a3b4c mta delivery evpid=7c53ee83aaaa0001 from=<news@shop.example> to=<bob@far.example> rcpt=<-> source=\"198.51.100.25\" relay=\"198.51.100.9 (mx.far.example)\" delay=1s result=\"Ok\" stat=\"250 2.0.0 Ok\"\n"
                              "2024-03-05T10:00:00+00:00 relay1 smtpd[48211]: 9a4c2b1d3e5f6a71 smtp message msgid=c889a9a3 size=2000 nrcpt=1 proto=ESMTP\n"
                              "2024-03-05T10:00:01+00:00 relay1 smtpd[48212]: 7b8c9d0e1f2a3b4d mta delivery evpid=c889a9a3bbbb0001 from=<news@shop.example> to=<bob@far.example> rcpt=<-> source=\"198.51.100.25\" relay=\"198.51.100.9 (mx.far.example)\" delay=1s result=\"Ok\" stat=\"250 2.0.0 Ok\"\n"));
    // Both bounces arrive after the second send, each quoting the first one's stamp.
    const QDateTime arrived(QDate(2024, 3, 6), QTime(9, 0), Qt::UTC);
    auto quoted = [](const QByteArray& recipient, const QByteArray& stamp) {
        return "Received: from relay1.shop.example (relay1.shop.example [198.51.100.25]) by mx.far.example with ESMTP id "
               "77AA; Mon, 4 Mar 2024 10:00:01 +0000\n"
               + stamp + "From: news@shop.example\nTo: " + recipient + "\nSubject: News\nDate: Mon, 4 Mar 2024 10:00:00 +0000\n";
    };
    QVERIFY(writeScenarioFile(
        u"stamp/sender.mbox"_s,
        mailboxFullNotice("mx.far.example", "ann@far.example", arrived, {},
                          quoted("ann@far.example", "Received: (qmail 16552 invoked from network); 4 Mar 2024 10:00:00 -0000\n"))
            + mailboxFullNotice("mx.far.example", "bob@far.example", arrived, {},
                                quoted("bob@far.example", "Received: from app1 (app1 [192.0.2.10]) by relay1.shop.example "
                                                          "(OpenSMTPD) with ESMTP id 7c53ee83; Mon, 4 Mar 2024 10:00:00 +0000\n"))));
    const QList<FateRecord> fates = importAndRead(
        {u"stamp/qmail/current"_s, u"stamp/smtpd.log"_s, u"stamp/sender.mbox"_s}, u"stamp.bip"_s);
    QMap<QString, QString> fateOf; // queue id -> fate
    for (const FateRecord& f : fates)
        fateOf.insert(f.queueId, bi::core::store::fateName(f.fate));
    QCOMPARE(fateOf.value(u"1180001"_s), u"async_bounce"_s);
    QCOMPARE(fateOf.value(u"1180002"_s), u"delivered"_s);
    QCOMPARE(fateOf.value(u"7c53ee83"_s), u"async_bounce"_s);
    QCOMPARE(fateOf.value(u"c889a9a3"_s), u"delivered"_s);
}

// Exchange's NDR for a failed recipient is delivered to our sender as a message of its own;
// its envelope sender (return-path) is <> while sender-address is the server's
// MicrosoftExchange... mailbox: a notice, no fate of its own.
void TstFateScenario::exchangeReportsToTheSenderAreNoFates()
{
    const QString header = u"#Software: Microsoft Exchange Server\n#Version: 15.01.2507.035\n#Log-type: Message Tracking Log\n"
                           u"#Date: 2024-05-06T00:00:00.000Z\n#Fields: date-time,client-ip,client-hostname,server-ip,"
                           u"server-hostname,source-context,connector-id,source,event-id,internal-message-id,message-id,"
                           u"network-message-id,recipient-address,recipient-status,total-bytes,recipient-count,"
                           u"related-recipient-address,reference,message-subject,sender-address,return-path\n"_s;
    const QString rows =
        u"2024-05-06T06:00:23.790Z,10.0.0.11,app1.shop.example,10.0.0.30,EXCH01,,Relay,SMTP,RECEIVE,6200,<x2@shop.example>,,"
        u"gone@far.example,,3000,1,,,Order,news@shop.example,news@shop.example\n"
        u"2024-05-06T06:00:25.000Z,10.0.0.30,EXCH01.corp.shop.example,203.0.113.9,mx.far.example,,Internet,SMTP,FAIL,6200,"
        u"<x2@shop.example>,,gone@far.example,550 5.1.1 User unknown,3000,1,,,Order,news@shop.example,news@shop.example\n"
        u"2024-05-06T06:00:26.000Z,,,10.0.0.30,EXCH01,,,DSN,DSN,6201,<ndr1@EXCH01.corp.shop.example>,,news@shop.example,,"
        u"1800,1,gone@far.example,<x2@shop.example>,Undeliverable: Order,"
        u"MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@shop.example,<>\n"
        u"2024-05-06T06:00:26.500Z,,,10.0.0.31,EXCH02,,,STOREDRIVER,DELIVER,6201,<ndr1@EXCH01.corp.shop.example>,,"
        u"news@shop.example,250 2.0.0 Delivered,1800,1,,,Undeliverable: Order,"
        u"MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@shop.example,<>\n"_s;
    QVERIFY(writeScenarioFile(u"exchange-ndr/MSGTRK2024050606-1.LOG"_s, (header + rows).toUtf8()));
    const QList<FateRecord> fates = importAndRead({u"exchange-ndr/MSGTRK2024050606-1.LOG"_s}, u"exchange-ndr.bip"_s);
    QCOMPARE(fates.size(), 1);
    QCOMPARE(fates.constFirst().recipient, u"gone@far.example"_s);
    QCOMPARE(bi::core::store::fateName(fates.constFirst().fate), u"rejected"_s);
    QCOMPARE(fates.constFirst().sender, u"news@shop.example"_s);
}

// Both hosts of a relay chain logged: the application server's Postfix hands the message to
// our smarthost "mail" (mail.shop.example, queued as 5D5D5D5D5D), which delivers it. Each
// recipient is one fate, decided on the smarthost; a remote MX that happens to be called
// "mail" too (mail.far.example) is not ours, and its later bounce still joins.
void TstFateScenario::handOffToAnotherOfOurHostsIsOneFate()
{
    QVERIFY(writeScenarioFile(u"chain/maillog"_s,
        "2024-03-04T10:00:00+00:00 app1 postfix/pickup[100]: 1A1A1A1A1A: uid=33 from=<news>\n"
        "2024-03-04T10:00:00+00:00 app1 postfix/cleanup[101]: 1A1A1A1A1A: message-id=<m5@shop.example>\n"
        "2024-03-04T10:00:00+00:00 app1 postfix/qmgr[102]: 1A1A1A1A1A: from=<news@shop.example>, size=900, nrcpt=2 (queue active)\n"
        "2024-03-04T10:00:01+00:00 app1 postfix/smtp[103]: 1A1A1A1A1A: to=<a@far.example>, relay=mail.shop.example[192.0.2.7]:25, delay=1, delays=0/0/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 5D5D5D5D5D)\n"
        "2024-03-04T10:00:01+00:00 app1 postfix/smtp[103]: 1A1A1A1A1A: to=<b@far.example>, relay=mail.shop.example[192.0.2.7]:25, delay=1, delays=0/0/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 5D5D5D5D5D)\n"
        "2024-03-04T10:00:01+00:00 app1 postfix/qmgr[102]: 1A1A1A1A1A: removed\n"
        "2024-03-04T10:00:01+00:00 mail postfix/smtpd[200]: 5D5D5D5D5D: client=app1.shop.example[192.0.2.5]\n"
        "2024-03-04T10:00:01+00:00 mail postfix/cleanup[201]: 5D5D5D5D5D: message-id=<m5@shop.example>\n"
        "2024-03-04T10:00:01+00:00 mail postfix/qmgr[202]: 5D5D5D5D5D: from=<news@shop.example>, size=1200, nrcpt=2 (queue active)\n"
        "2024-03-04T10:00:02+00:00 mail postfix/smtp[203]: 5D5D5D5D5D: to=<a@far.example>, relay=mx.far.example[198.51.100.9]:25, delay=1, delays=0/0/0.5/0.5, dsn=5.1.1, status=bounced (host mx.far.example[198.51.100.9] said: 550 5.1.1 <a@far.example>: User unknown (in reply to RCPT TO command))\n"
        "2024-03-04T10:00:02+00:00 mail postfix/smtp[203]: 5D5D5D5D5D: to=<b@far.example>, relay=mail.far.example[198.51.100.10]:25, delay=1, delays=0/0/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 77AA)\n"
        "2024-03-04T10:00:02+00:00 mail postfix/qmgr[202]: 5D5D5D5D5D: removed\n"));
    QVERIFY(writeScenarioFile(u"chain/sender.mbox"_s,
                              mailboxFullNotice("mail.far.example", "b@far.example", QDateTime(QDate(2024, 3, 6), QTime(9, 0), Qt::UTC),
                                                {},
                                                "From: news@shop.example\nTo: a@far.example, b@far.example\nSubject: News\n"
                                                "Message-ID: <m5@shop.example>\nDate: Mon, 4 Mar 2024 10:00:00 +0000\n")));
    const QList<FateRecord> fates = importAndRead({u"chain/maillog"_s, u"chain/sender.mbox"_s}, u"chain.bip"_s);
    QMap<QString, QList<const FateRecord*>> byRecipient;
    for (const FateRecord& f : fates)
        byRecipient[f.recipient] << &f;
    QCOMPARE(byRecipient.keys(), QStringList({u"a@far.example"_s, u"b@far.example"_s}));
    QCOMPARE(byRecipient.value(u"a@far.example"_s).size(), 1);
    QCOMPARE(byRecipient.value(u"b@far.example"_s).size(), 1);
    const FateRecord& a = *byRecipient.value(u"a@far.example"_s).constFirst();
    QCOMPARE(bi::core::store::fateName(a.fate), u"rejected"_s);
    QCOMPARE(a.host, u"mail"_s);
    QCOMPARE(a.queuedAt, QDateTime(QDate(2024, 3, 4), QTime(10, 0), Qt::UTC)); // the first host's arrival
    const FateRecord& b = *byRecipient.value(u"b@far.example"_s).constFirst();
    QCOMPARE(bi::core::store::fateName(b.fate), u"async_bounce"_s);
    QCOMPARE(b.queueId, u"5D5D5D5D5D"_s);
    // The first hop's 250 is shown as handed on, not as the receiving side's acceptance.
    QVERIFY(std::any_of(a.steps.cbegin(), a.steps.cend(),
                        [](const bi::core::store::TimelineStep& s) { return s.kind == bi::core::store::TimelineStep::Kind::HandedOn; }));
    // The log alone (no mailbox to learn our domains from): the smarthost is in the sender's
    // organisation, so still one fate per recipient.
    const QList<FateRecord> logOnly = importAndRead({u"chain/maillog"_s}, u"chain-log.bip"_s);
    QCOMPARE(logOnly.size(), 2);
    for (const FateRecord& f : logOnly)
        QCOMPARE(f.host, u"mail"_s);
}

// The receiving server named its queue id when it took the message ("250 2.0.0 Ok: queued as
// 4T19e9f4", in PowerMTA's dsnDiag here, which has no Message-ID column) and its bounce days
// later carries the same id (X-Postfix-Queue-ID): it joins that send, not the later one to
// the same recipient that the time window would pick.
void TstFateScenario::bounceNamingTheReceiversQueueIdJoinsThatSend()
{
    QVERIFY(writeScenarioFile(u"remote-id/acct.csv"_s,
        "type,timeLogged,timeQueued,orig,rcpt,orcpt,dsnAction,dsnStatus,dsnDiag,dsnMta,bounceCat,vmta,jobId,envId\n"
        "d,2024-04-09 10:40:03+0000,2024-04-09 10:39:59+0000,news@shop.example,sven@bigcorp.example,,relayed,2.0.0 (success),"
        "smtp;250 2.0.0 Ok: queued as 4T19e9f4,mail-in.bigcorp.example (192.0.2.45),,vmta1,news-1,ENV1\n"
        "d,2024-04-10 10:40:03+0000,2024-04-10 10:39:59+0000,news@shop.example,sven@bigcorp.example,,relayed,2.0.0 (success),"
        "smtp;250 2.0.0 Ok: queued as 4T2aa001,mail-in.bigcorp.example (192.0.2.45),,vmta1,news-2,ENV2\n"));
    QVERIFY(writeScenarioFile(u"remote-id/sender.mbox"_s,
                              mailboxFullNotice("mail-in.bigcorp.example", "sven@bigcorp.example",
                                                QDateTime(QDate(2024, 4, 11), QTime(9, 0), Qt::UTC),
                                                "X-Postfix-Queue-ID: 4T19e9f4\n")));
    const QList<FateRecord> fates = importAndRead({u"remote-id/acct.csv"_s, u"remote-id/sender.mbox"_s}, u"remote-id.bip"_s);
    QMap<QString, QString> fateOf; // queued at -> fate (PowerMTA logs no queue id)
    for (const FateRecord& f : fates)
        fateOf.insert(f.queuedAt.toString(Qt::ISODate), bi::core::store::fateName(f.fate));
    QCOMPARE(fateOf.value(u"2024-04-09T10:39:59Z"_s), u"async_bounce"_s);
    QCOMPARE(fateOf.value(u"2024-04-10T10:39:59Z"_s), u"delivered"_s);
}

// A recipient mailed on the 10th and the 17th, two bounces after both that name no id: one
// gives the reporting server's Arrival-Date of the 10th, the other quotes an original dated
// the 10th too. Both join the send of the 10th, not the latest one before them.
void TstFateScenario::bounceNamingItsSendsTimesJoinsThatSend()
{
    QByteArray log;
    for (const QByteArray& day : {QByteArray("10"), QByteArray("17")}) {
        const QByteArray t = "2026-01-" + day + "T10:00:0";
        const QByteArray qid = "8B" + day + "C4D5E";
        log += t + "0+01:00 mx-out1 postfix/qmgr[100]: " + qid + ": from=<news@shop.example>, size=1200, nrcpt=2 (queue active)\n";
        for (const QByteArray& rcpt : {QByteArray("ivan"), QByteArray("olga")}) {
            log += t + "1+01:00 mx-out1 postfix/smtp[102]: " + qid + ": to=<" + rcpt + "@abv.bg>, relay=mx.abv.bg[192.0.2.44]:25, "
                       "delay=1, delays=0/0/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok)\n";
        }
        log += t + "1+01:00 mx-out1 postfix/qmgr[100]: " + qid + ": removed\n";
    }
    QVERIFY(writeScenarioFile(u"named-times/relay.log"_s, log));
    const QDateTime arrived(QDate(2026, 1, 20), QTime(9, 0), Qt::UTC);
    QVERIFY(writeScenarioFile(u"named-times/bounces.mbox"_s,
                              mailboxFullNotice("mx.abv.bg", "ivan@abv.bg", arrived, "Arrival-Date: Sat, 10 Jan 2026 09:00:02 +0000\n")
                                  + mailboxFullNotice("mx.abv.bg", "olga@abv.bg", arrived, {},
                                                      "From: news@shop.example\nTo: olga@abv.bg\nSubject: News\n"
                                                      "Date: Sat, 10 Jan 2026 09:59:40 +0100\n")));
    const QList<FateRecord> fates =
        importAndRead({u"named-times/relay.log"_s, u"named-times/bounces.mbox"_s}, u"named-times.bip"_s);
    QCOMPARE(fates.size(), 4);
    for (const FateRecord& f : fates) {
        const bool first = f.queueId == u"8B10C4D5E"_s;
        QCOMPARE(bi::core::store::fateName(f.fate), first ? u"async_bounce"_s : u"delivered"_s);
    }
}

// Handed to a content filter, and the log ends (or the filter's host is not imported) before
// the message goes on: the bounce that came back for it is still its, one fate.
void TstFateScenario::handedOffWithoutItsContinuationStillGetsItsBounce()
{
    QVERIFY(writeScenarioFile(u"handoff-end/maillog"_s,
        "2024-03-04T11:05:00+00:00 relay postfix/cleanup[7001]: 2B3C4D5E6F: message-id=<f2@shop.example>\n"
        "2024-03-04T11:05:00+00:00 relay postfix/qmgr[900]: 2B3C4D5E6F: from=<news@shop.example>, size=2000, nrcpt=1 (queue active)\n"
        "2024-03-04T11:05:01+00:00 relay postfix/smtp[7002]: 2B3C4D5E6F: to=<late@far.example>, relay=127.0.0.1[127.0.0.1]:10024, delay=0.9, delays=0.1/0/0/0.8, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as 3C4D5E6F70)\n"
        "2024-03-04T11:05:01+00:00 relay postfix/qmgr[900]: 2B3C4D5E6F: removed\n"));
    QVERIFY(writeScenarioFile(u"handoff-end/sender.mbox"_s,
                              mailboxFullNotice("mx.far.example", "late@far.example", QDateTime(QDate(2024, 3, 6), QTime(9, 0), Qt::UTC),
                                                {},
                                                "From: news@shop.example\nTo: late@far.example\nSubject: News\n"
                                                "Message-ID: <f2@shop.example>\n")));
    const QList<FateRecord> fates =
        importAndRead({u"handoff-end/maillog"_s, u"handoff-end/sender.mbox"_s}, u"handoff-end.bip"_s);
    QCOMPARE(fates.size(), 1);
    const FateRecord& late = fates.constFirst();
    QCOMPARE(late.recipient, u"late@far.example"_s);
    QCOMPARE(bi::core::store::fateName(late.fate), u"async_bounce"_s);
    QCOMPARE(late.queueId, u"2B3C4D5E6F"_s);
    QVERIFY2(late.evidence.join(u' ').contains(u"after the hand-off"_s), qPrintable(late.evidence.join(u" | "_s)));
}

// The receiving server took the message with 250 and bounced it a day later, by a DSN it
// wrote itself. Its domain is one of ours as far as the mailbox tells (another bounce was
// addressed there: a colleague at the client's other domain sends mail too), so the notice
// reads as written by us; still only the side that accepted it can have written it: an
// asynchronous bounce, not a delivery that the notice "confirms". A notice of our own relay
// that quotes a third host's refusal after our hop accepted it is that refusal.
void TstFateScenario::acceptingServersBounceIsAsyncAlsoInOurDomains()
{
    QVERIFY(writeScenarioFile(u"ours-accepted/maillog"_s,
        "2024-03-04T11:05:00+00:00 relay postfix/cleanup[7001]: 4B3C4D5E6F: message-id=<w1@shop.example>\n"
        "2024-03-04T11:05:00+00:00 relay postfix/qmgr[900]: 4B3C4D5E6F: from=<news@shop.example>, size=2000, nrcpt=2 (queue active)\n"
        "2024-03-04T11:05:01+00:00 relay postfix/smtp[7002]: 4B3C4D5E6F: to=<eve@wayne.example>, relay=mx.wayne.example[192.0.2.33]:25, delay=0.9, delays=0.1/0/0/0.8, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 77AA)\n"
        "2024-03-04T11:05:01+00:00 relay postfix/smtp[7003]: 4B3C4D5E6F: to=<ian@far.example>, relay=gw.wayne.example[192.0.2.34]:25, delay=0.9, delays=0.1/0/0/0.8, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 77AB)\n"
        "2024-03-04T11:05:01+00:00 relay postfix/qmgr[900]: 4B3C4D5E6F: removed\n"));
    const QByteArray quoted = "From: news@shop.example\nTo: eve@wayne.example, ian@far.example\nSubject: News\n"
                              "Message-ID: <w1@shop.example>\n";
    QByteArray mbox = mailboxFullNotice("mx.wayne.example", "eve@wayne.example",
                                        QDateTime(QDate(2024, 3, 5), QTime(9, 0), Qt::UTC), {}, quoted);
    // Our gateway at wayne.example could not pass ian's copy on: mx.far.example refused it.
    QByteArray relayed = mailboxFullNotice("gw.wayne.example", "ian@far.example",
                                           QDateTime(QDate(2024, 3, 4), QTime(11, 6), Qt::UTC),
                                           {}, quoted);
    relayed.replace("Action: failed\n", "Action: failed\nRemote-MTA: dns; mx.far.example\n");
    relayed.replace("Diagnostic-Code: smtp; 552 5.2.2 Mailbox full",
                    "Diagnostic-Code: smtp; 550 5.1.1 <ian@far.example>: Recipient address rejected: User unknown");
    relayed.replace("Status: 5.2.2", "Status: 5.1.1");
    mbox += relayed;
    // Unrelated: a bounce to a colleague at wayne.example makes it one of our domains.
    mbox += mailboxFullNotice("mx.other.example", "zoe@other.example", QDateTime(QDate(2024, 3, 6), QTime(9, 0), Qt::UTC))
                .replace("To: news@shop.example", "To: sales@wayne.example");
    QVERIFY(writeScenarioFile(u"ours-accepted/sender.mbox"_s, mbox));
    QHash<QString, FateRecord> byRecipient;
    for (const FateRecord& f : importAndRead({u"ours-accepted/maillog"_s, u"ours-accepted/sender.mbox"_s}, u"ours-accepted.bip"_s))
        byRecipient.insert(f.recipient, f);
    QVERIFY(byRecipient.contains(u"eve@wayne.example"_s));
    const FateRecord& eve = byRecipient.value(u"eve@wayne.example"_s);
    QCOMPARE(bi::core::store::fateName(eve.fate), u"async_bounce"_s);
    QCOMPARE(eve.reason, u"mailboxfull"_s);
    QCOMPARE(eve.bounceAt, QDateTime(QDate(2024, 3, 5), QTime(9, 0), Qt::UTC));
    QVERIFY2(eve.evidence.join(u' ').contains(u"mx.wayne.example"_s), qPrintable(eve.evidence.join(u" | "_s)));
    QVERIFY(byRecipient.contains(u"ian@far.example"_s));
    const FateRecord& ian = byRecipient.value(u"ian@far.example"_s);
    QCOMPARE(bi::core::store::fateName(ian.fate), u"rejected"_s);
    QCOMPARE(ian.status, u"5.1.1"_s);
}

#include "tst_fate_scenario.moc"
