// SPDX-License-Identifier: GPL-3.0-or-later
// VERP return paths (core/bounce/address.h) and the bounce that names its recipient only
// through one: a notice that quotes nothing of the original, sent to bounces+user=domain@.
#include <QTest>

#include "core/bounce/address.h"
#include "core/bounce/bounce_parser.h"

using namespace Qt::StringLiterals;
using namespace bi::core::bounce;

namespace {

QByteArray notice(const QByteArray& to, const QByteArray& text, const QByteArray& intro = "Your message could not be delivered.")
{
    return "Return-Path: <>\r\n"
           "Date: Mon, 02 Mar 2026 11:28:42 +0000\r\n"
           "From: Mail Administrator <postmaster@kunde.example>\r\n"
           "To: <" + to + ">\r\n"
           "Subject: Undeliverable: Invoice 2\r\n"
           "Auto-Submitted: auto-replied\r\n"
           "\r\n"
           + intro + "\r\n\r\n" + text + "\r\n";
}

} // namespace

class TstVerpNotice final : public QObject {
    Q_OBJECT
private slots:
    void verpRecipient_data()
    {
        QTest::addColumn<QString>("address");
        QTest::addColumn<QString>("recipient");
        QTest::newRow("plus") << u"bounces+u14722=kunde.example@corp.example"_s << u"u14722@kunde.example"_s;
        QTest::newRow("dash, display name") << u"News <news-ann.lee=Mail.Example.NET@lists.example>"_s
                                            << u"ann.lee@mail.example.net"_s;
        QTest::newRow("mailman") << u"list-bounces+bob=example.org@lists.example.org"_s << u"bob@example.org"_s;
        QTest::newRow("plain address") << u"billing@corp.example"_s << QString();
        QTest::newRow("tag without a domain") << u"user+tag@corp.example"_s << QString();
        QTest::newRow("empty local part") << u"bounces+=kunde.example@corp.example"_s << QString();
        QTest::newRow("empty domain") << u"bounces+user=@corp.example"_s << QString();
    }
    void verpRecipient()
    {
        QFETCH(QString, address);
        QFETCH(QString, recipient);
        QCOMPARE(Address::verpRecipient(address), recipient);
    }

    void noticeNamesItsRecipientThroughTheReturnPath()
    {
        const BounceReport report = BounceParser::parse(notice(
            "bounces+u14722=kunde.example@corp.example", "The mailbox is not available: 550 5.1.1 user does not exist here"));
        QCOMPARE(report.recipients.size(), 1);
        const BounceRecipient& r = report.recipients.constFirst();
        QCOMPARE(r.recipient, u"u14722@kunde.example"_s);
        QCOMPARE(r.kind, MessageKind::Bounce);
        QCOMPARE(r.status, u"5.1.1"_s);
        QCOMPARE(r.replyCode, u"550"_s);
        QCOMPARE(r.reason, u"userunknown"_s);
    }

    void failureInWordsAloneIsABounce()
    {
        // No code at all: the words say the delivery failed for good.
        const BounceReport report = BounceParser::parse(notice(
            "bounces+u14722=kunde.example@corp.example",
            "Reason: the recipient's mailbox is over its storage quota.\r\nDelivery attempts have been stopped."));
        QCOMPARE(report.recipients.size(), 1);
        QCOMPARE(report.recipients.constFirst().recipient, u"u14722@kunde.example"_s);
        QCOMPARE(report.recipients.constFirst().kind, MessageKind::Bounce);
        // A warning that it is still being retried is not.
        QVERIFY(BounceParser::parse(notice("bounces+u14722=kunde.example@corp.example",
                                           "This is a warning only: it will be retried for 4 more days.",
                                           "Your message could not be delivered yet."))
                    .recipients.isEmpty());
    }

    void originalNamedInTheNoticesOwnHeader()
    {
        // Quoting nothing of the original, the notice names it in In-Reply-To (or Gmail's
        // X-Original-Message-ID, or a References of one id).
        const QByteArray text = "The mailbox is not available: 550 5.1.1 user does not exist here";
        const QByteArray to = "bounces+u14722=kunde.example@corp.example";
        for (const QByteArray& header : {QByteArray("In-Reply-To: <orig-1@corp.example>"),
                                         QByteArray("X-Original-Message-ID: <orig-1@corp.example>"),
                                         QByteArray("References: <orig-1@corp.example>")}) {
            const BounceReport report = BounceParser::parse(header + "\r\n" + notice(to, text));
            QCOMPARE(report.recipients.size(), 1);
            QCOMPARE(report.original.messageId, u"orig-1@corp.example"_s);
        }
        // A thread's References name other mail too: no guess.
        const BounceReport thread =
            BounceParser::parse("References: <a@corp.example> <b@corp.example>\r\n" + notice(to, text));
        QCOMPARE(thread.recipients.size(), 1);
        QVERIFY(thread.original.messageId.isEmpty());
    }

    void noticeWithoutAFailureDecidesNothing()
    {
        // A VERP return path alone is no bounce: the text must state a failure.
        QVERIFY(BounceParser::parse(notice("bounces+u14722=kunde.example@corp.example", "Thank you for your mail.",
                                           "We have received your message."))
                    .recipients.isEmpty());
        // Nor is a failure sent to an address that encodes no recipient.
        QVERIFY(BounceParser::parse(notice("billing@corp.example", "550 5.1.1 user does not exist here"))
                    .recipients.isEmpty());
    }

    void namedRecipientWinsOverTheReturnPath()
    {
        const BounceReport report = BounceParser::parse(notice(
            "bounces+u14722=kunde.example@corp.example", "Your message could not be delivered to: <other@kunde.example>\r\n"
                                                         "550 5.1.1 user does not exist here"));
        QCOMPARE(report.recipients.size(), 1);
        QCOMPARE(report.recipients.constFirst().recipient, u"other@kunde.example"_s);
    }
};

QTEST_GUILESS_MAIN(TstVerpNotice)
#include "tst_verp_notice.moc"
