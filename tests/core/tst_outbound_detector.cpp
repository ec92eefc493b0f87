// SPDX-License-Identifier: GPL-3.0-or-later
// OutboundDetector on hand-made logged messages: notices joined to their originals by the
// original's announcement or by the notice's own parent id, many originals at once, and
// notices the log announced without showing their delivery.
#include <QHash>
#include <QTest>

#include "core/backscatter/outbound_detector.h"

using namespace Qt::StringLiterals;
using bi::core::backscatter::OutboundDetector;
using bi::core::fate::LoggedAttempt;
using bi::core::fate::LoggedNotice;
using bi::core::fate::LoggedRecipient;
using bi::core::fate::LogMessage;
using bi::core::fate::OwnIdentity;
using bi::core::logs::DeliveryOutcome;
using bi::core::logs::NotificationKind;
using bi::core::store::OutboundBackscatterRecord;

namespace {

const QDateTime kT0 = QDateTime::fromMSecsSinceEpoch(1767225600000, Qt::UTC);

// A message of sender that bounced for recipient and announced a notice with noticeId.
LogMessage original(const QString& host, const QString& queueId, const QString& sender, const QString& recipient,
                    const QString& noticeId, qint64 row)
{
    LogMessage m;
    m.host = host;
    m.queueId = queueId;
    m.hasSender = true;
    m.sender = sender;
    m.messageId = queueId + u"@app.example"_s;
    m.queuedAt = kT0.addSecs(row);
    m.firstEventRow = row;
    LoggedRecipient r;
    r.address = recipient;
    LoggedAttempt a;
    a.outcome = DeliveryOutcome::Bounced;
    a.time = kT0.addSecs(row + 1);
    a.dsn = u"5.1.1"_s;
    a.smtpCode = 550;
    a.text = u"user unknown"_s;
    r.attempts << a;
    m.recipients << r;
    if (!noticeId.isEmpty()) {
        LoggedNotice n;
        n.kind = NotificationKind::NonDelivery;
        n.newQueueId = noticeId;
        n.time = kT0.addSecs(row + 2);
        n.eventRow = row + 2;
        m.notices << n;
    }
    return m;
}

// The notice message itself (null sender), delivered to `to`.
LogMessage notice(const QString& host, const QString& queueId, const QString& to, const QString& parent, qint64 row)
{
    LogMessage m;
    m.host = host;
    m.queueId = queueId;
    m.hasSender = true;
    m.parentQueueId = parent;
    m.queuedAt = kT0.addSecs(row);
    m.firstEventRow = row;
    LoggedRecipient r;
    r.address = to;
    LoggedAttempt a;
    a.outcome = DeliveryOutcome::Sent;
    a.time = kT0.addSecs(row + 1);
    a.relay = u"mx.elsewhere.example[192.0.2.9]:25"_s;
    r.attempts << a;
    m.recipients << r;
    return m;
}

struct Log {
    QHash<QString, QList<LogMessage>> lives; // "host\nqueue id" → messages
    void add(OutboundDetector& d, const LogMessage& m)
    {
        lives[m.host + u'\n' + m.queueId] << m;
        d.add(m);
    }
    OutboundDetector::Lookup lookup() const
    {
        return [this](const QString& host, const QString& queueId) {
            return bi::core::Result<QList<LogMessage>>(lives.value(host + u'\n' + queueId));
        };
    }
};

OwnIdentity ours()
{
    OwnIdentity own;
    own.addDomain(u"shop.example"_s);
    return own;
}

} // namespace

class TstOutboundDetector final : public QObject {
    Q_OBJECT
private slots:
    void noticeToOwnSenderIsNotBackscatter()
    {
        OutboundDetector d;
        Log log;
        log.add(d, original(u"mx1"_s, u"A1"_s, u"orders@shop.example"_s, u"nobody@kunden.example"_s, u"N1"_s, 10));
        log.add(d, notice(u"mx1"_s, u"N1"_s, u"orders@shop.example"_s, {}, 20));
        auto found = d.notices(ours(), log.lookup());
        QVERIFY(found);
        QVERIFY(found->isEmpty());
    }

    void noticeOutsideIsJoinedToItsOriginal()
    {
        // Postfix: the original announces the notice's queue id.
        OutboundDetector d;
        Log log;
        log.add(d, original(u"MX-Out1"_s, u"A1"_s, u"victim@forged.example"_s, u"user@shop.example"_s, u"N1"_s, 10));
        log.add(d, notice(u"MX-Out1"_s, u"N1"_s, u"Victim@Forged.example"_s, {}, 20));
        auto found = d.notices(ours(), log.lookup());
        QVERIFY(found);
        QCOMPARE(found->size(), 1);
        const OutboundBackscatterRecord& r = found->constFirst();
        QCOMPARE(r.host, u"MX-Out1"_s);
        QCOMPARE(r.noticeQueueId, u"N1"_s);
        QCOMPARE(r.noticeTo, u"victim@forged.example"_s);
        QCOMPARE(r.noticeDomain, u"forged.example"_s);
        QCOMPARE(r.noticeResult, u"sent"_s);
        QCOMPARE(r.origQueueId, u"A1"_s);
        QCOMPARE(r.origMessageId, u"A1@app.example"_s);
        QCOMPARE(r.origRecipient, u"user@shop.example"_s);
        QCOMPARE(r.status, u"5.1.1"_s);
        QCOMPARE(r.replyCode, u"550"_s);
        QCOMPARE(r.logEvent, 20);
    }

    void noticeNamingItsParent()
    {
        // Exim and qmail: the notice's own arrival names the message it reports on, which
        // announced nothing.
        OutboundDetector d;
        Log log;
        log.add(d, original(u"mx1"_s, u"1abcde-000001-AB"_s, u"x@forged.example"_s, u"u@shop.example"_s, {}, 10));
        log.add(d, notice(u"mx1"_s, u"1abcdf-000002-CD"_s, u"x@forged.example"_s, u"1abcde-000001-AB"_s, 20));
        auto found = d.notices(ours(), log.lookup());
        QVERIFY(found);
        QCOMPARE(found->size(), 1);
        QCOMPARE(found->constFirst().origQueueId, u"1abcde-000001-AB"_s);
        QCOMPARE(found->constFirst().origRecipient, u"u@shop.example"_s);
    }

    void manyOriginalsEachFindTheirOwn()
    {
        // Thousands of originals and notices at once, interleaved, on two hosts: every notice
        // is joined to the original that announced it, none to another.
        OutboundDetector d;
        Log log;
        constexpr int kCount = 3000;
        for (int i = 0; i < kCount; ++i) {
            const QString host = i % 2 ? u"mx2"_s : u"mx1"_s;
            log.add(d, original(host, u"Q%1"_s.arg(i), u"s%1@forged%2.example"_s.arg(i).arg(i % 7),
                                u"r%1@shop.example"_s.arg(i), u"N%1"_s.arg(i), 100 + 10 * i));
        }
        for (int i = kCount - 1; i >= 0; --i) {
            const QString host = i % 2 ? u"mx2"_s : u"mx1"_s;
            log.add(d, notice(host, u"N%1"_s.arg(i), u"s%1@forged%2.example"_s.arg(i).arg(i % 7), {}, 100000 + i));
        }
        auto found = d.notices(ours(), log.lookup());
        QVERIFY(found);
        QCOMPARE(found->size(), kCount);
        for (const OutboundBackscatterRecord& r : std::as_const(*found)) {
            const QString n = r.noticeQueueId.mid(1);
            QCOMPARE(r.origQueueId, u"Q"_s + n);
            QCOMPARE(r.origRecipient, u"r%1@shop.example"_s.arg(n));
            QCOMPARE(r.host, n.toInt() % 2 ? u"mx2"_s : u"mx1"_s);
        }
    }

    void announcedNoticeWithoutItsDelivery()
    {
        // qmail without the bounce's own lines: the notice goes to the original's sender.
        OutboundDetector d;
        Log log;
        log.add(d, original(u"mx1"_s, u"77"_s, u"spoofed@forged.example"_s, u"u@shop.example"_s, u"78"_s, 10));
        // An original of ours, and one whose notice message was logged: neither is listed.
        log.add(d, original(u"mx1"_s, u"80"_s, u"orders@shop.example"_s, u"v@kunden.example"_s, u"81"_s, 30));
        log.add(d, original(u"mx1"_s, u"90"_s, u"other@forged.example"_s, u"w@shop.example"_s, u"91"_s, 50));
        log.add(d, notice(u"mx1"_s, u"91"_s, u"postmaster@shop.example"_s, {}, 60));
        auto found = d.notices(ours(), log.lookup());
        QVERIFY(found);
        QCOMPARE(found->size(), 1);
        const OutboundBackscatterRecord& r = found->constFirst();
        QCOMPARE(r.noticeQueueId, u"78"_s);
        QCOMPARE(r.noticeTo, u"spoofed@forged.example"_s);
        QCOMPARE(r.origQueueId, u"77"_s);
        QCOMPARE(r.logEvent, 12);
    }
};

QTEST_GUILESS_MAIN(TstOutboundDetector)
#include "tst_outbound_detector.moc"
