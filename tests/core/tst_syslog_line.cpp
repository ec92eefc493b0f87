// SPDX-License-Identifier: GPL-3.0-or-later
// The syslog header shared by the syslog-based formats: stamp styles, host and program forms,
// collector prefixes, the syslog daemon's own lines, and what is not a syslog line at all.
#include <QTest>
#include <QTimeZone>

#include "core/logs/syslog/syslog_line.h"

using namespace bi::core::logs;
using namespace Qt::StringLiterals;

class TstSyslogLine final : public QObject {
    Q_OBJECT
private slots:
    void header_data();
    void header();
    void notSyslog_data();
    void notSyslog();
    void daemonIsLastPathPart_data();
    void daemonIsLastPathPart();
    void collectorEpochGivesUtcAndOffset();
    void rfc3339OffsetWinsOverZone();
    void journalctlStamps_data();
    void journalctlStamps();
};

void TstSyslogLine::header_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("program");
    QTest::addColumn<QString>("pid");
    QTest::addColumn<QString>("message");
    QTest::addColumn<bool>("noise");

    QTest::newRow("classic-with-pid")
        << QByteArray("Jan 31 09:50:08 raptor postfix/smtpd[15802]: 4B80DE08044: client=x[1.2.3.4]")
        << u"raptor"_s << u"postfix/smtpd"_s << u"15802"_s << u"4B80DE08044: client=x[1.2.3.4]"_s << false;
    QTest::newRow("classic-without-pid")
        << QByteArray("Nov 22 03:47:13 mx dovecot: lda(inovv@domain.com): saved mail to INBOX")
        << u"mx"_s << u"dovecot"_s << QString() << u"lda(inovv@domain.com): saved mail to INBOX"_s << false;
    QTest::newRow("multi-instance-service")
        << QByteArray("Mar 11 23:27:54 server postfix-smo/submission/smtpd[22427]: NOQUEUE: reject: x")
        << u"server"_s << u"postfix-smo/submission/smtpd"_s << u"22427"_s << u"NOQUEUE: reject: x"_s << false;
    QTest::newRow("rfc3339")
        << QByteArray("2016-03-20T13:30:53.574978+01:00 tron postfix/smtpd[32655]: too many errors")
        << u"tron"_s << u"postfix/smtpd"_s << u"32655"_s << u"too many errors"_s << false;
    QTest::newRow("iso-with-space")
        << QByteArray("2019-10-22 03:39:17 mx1.fqdn.local exim[29786]: dovecot_login authenticator failed")
        << u"mx1.fqdn.local"_s << u"exim"_s << u"29786"_s << u"dovecot_login authenticator failed"_s << false;
    QTest::newRow("no-host")
        << QByteArray("Jan  2 03:04:05 postfix/qmgr[12]: ABCDE12345: removed")
        << QString() << u"postfix/qmgr"_s << u"12"_s << u"ABCDE12345: removed"_s << false;
    QTest::newRow("loghub-collector-prefix")
        << QByteArray("- 1131566491 2005.11.09 eadmin1 Nov 9 12:01:31 src@eadmin1 sendmail[4306]: jA9J1UvC004306: from=root")
        << u"eadmin1"_s << u"sendmail"_s << u"4306"_s << u"jA9J1UvC004306: from=root"_s << false;
    QTest::newRow("wire-priority")
        << QByteArray("<22>Jan  2 03:04:05 mx postfix/qmgr[12]: ABCDE12345: removed")
        << u"mx"_s << u"postfix/qmgr"_s << u"12"_s << u"ABCDE12345: removed"_s << false;
    QTest::newRow("rfc5424-nil-msgid-and-data")
        << QByteArray("<22>1 2025-03-04T09:12:01.311027+01:00 relay1 postfix/cleanup 4107 - - 4QyVtS1kM3z9rxB: message-id=<a@b>")
        << u"relay1"_s << u"postfix/cleanup"_s << u"4107"_s << u"4QyVtS1kM3z9rxB: message-id=<a@b>"_s << false;
    QTest::newRow("rfc5424-structured-data-and-bom")
        << QByteArray("<22>1 2025-03-04T09:12:01Z relay1 postfix/qmgr 1201 ID47 [origin ip=\"192.0.2.5\"][x note=\"a \\\"q\\\" \\] b\"] \xEF\xBB\xBF" "ABC: removed")
        << u"relay1"_s << u"postfix/qmgr"_s << u"1201"_s << u"ABC: removed"_s << false;
    QTest::newRow("rfc5424-nil-host-and-procid")
        << QByteArray("<166>1 2025-03-04T09:12:01Z - sm-mta - - - 524ACx1M002201: from=www-data")
        << QString() << u"sm-mta"_s << QString() << u"524ACx1M002201: from=www-data"_s << false;
    QTest::newRow("wire-priority-with-iso-stamp")
        << QByteArray("<22>2025-03-04T09:12:01+01:00 mx postfix/qmgr[12]: ABCDE12345: removed")
        << u"mx"_s << u"postfix/qmgr"_s << u"12"_s << u"ABCDE12345: removed"_s << false;
    QTest::newRow("facility-priority-before-host")
        << QByteArray("Jun 17 14:37:39 <mail.notice> robin sm-mta[2794]: 55HIbcGI002794: <b@y.example>... User unknown")
        << u"robin"_s << u"sm-mta"_s << u"2794"_s << u"55HIbcGI002794: <b@y.example>... User unknown"_s << false;
    QTest::newRow("last-message-repeated")
        << QByteArray("Jan  2 03:04:05 mx last message repeated 3 times")
        << u"mx"_s << QString() << QString() << u"last message repeated 3 times"_s << true;
    QTest::newRow("mark")
        << QByteArray("Jan  2 03:04:05 mx -- MARK --") << u"mx"_s << QString() << QString() << u"-- MARK --"_s << true;
    QTest::newRow("rsyslog-repeated")
        << QByteArray("Jan  2 03:04:05 mx postfix/smtpd[1]: message repeated 2 times: [ warning: hostname x does not resolve]")
        << u"mx"_s << u"postfix/smtpd"_s << u"1"_s << u"message repeated 2 times: [ warning: hostname x does not resolve]"_s << true;
    QTest::newRow("journalctl-boot-marker")
        << QByteArray("-- Boot 7b3c1f0d2e4a4b5c8d9e0f1a2b3c4d5e --") << QString() << QString() << QString()
        << u"-- Boot 7b3c1f0d2e4a4b5c8d9e0f1a2b3c4d5e --"_s << true;
    QTest::newRow("journalctl-begins-marker")
        << QByteArray("-- Journal begins at Mon 2026-11-02 10:00:00 CET, ends at Mon 2026-11-30 11:00:00 CET. --")
        << QString() << QString() << QString()
        << u"-- Journal begins at Mon 2026-11-02 10:00:00 CET, ends at Mon 2026-11-30 11:00:00 CET. --"_s << true;
    QTest::newRow("journalctl-short-unix")
        << QByteArray("1772507100.123456 relay1 postfix/qmgr[902]: 3F2A81C0A1: removed")
        << u"relay1"_s << u"postfix/qmgr"_s << u"902"_s << u"3F2A81C0A1: removed"_s << false;
    QTest::newRow("journalctl-short-full")
        << QByteArray("Tue 2026-03-03 04:05:01 CET relay1 postfix/qmgr[902]: 3F2A81C0A1: removed")
        << u"relay1"_s << u"postfix/qmgr"_s << u"902"_s << u"3F2A81C0A1: removed"_s << false;
    QTest::newRow("empty-message")
        << QByteArray("Jan  2 03:04:05 mx postfix/smtpd[1]:") << u"mx"_s << u"postfix/smtpd"_s << u"1"_s << QString() << false;
}

void TstSyslogLine::header()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, host);
    QFETCH(QString, program);
    QFETCH(QString, pid);
    QFETCH(QString, message);
    QFETCH(bool, noise);
    SyslogLine sl;
    QVERIFY(SyslogLine::parse(line, sl));
    QCOMPARE(QString::fromUtf8(sl.host), host);
    QCOMPARE(QString::fromUtf8(sl.program), program);
    QCOMPARE(QString::fromUtf8(sl.pid), pid);
    QCOMPARE(QString::fromUtf8(sl.message), message);
    QCOMPARE(sl.isNoise, noise);
}

void TstSyslogLine::notSyslog_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("continuation-fragment") << QByteArray("on-delivery notification: 7C8DA3E131");
    QTest::newRow("exim-native") << QByteArray("2024-01-02 03:04:05 1Ov4tU-0000Nz-Rm Completed");
    QTest::newRow("tai64n") << QByteArray("@40000000433225833b6e1a8c tcpserver: status: 5/30");
    QTest::newRow("stamp-only") << QByteArray("Jan  2 03:04:05");
    QTest::newRow("host-only") << QByteArray("Jan  2 03:04:05 mx");
    QTest::newRow("unclosed-pid") << QByteArray("Jan  2 03:04:05 mx postfix/smtpd[1: x");
    QTest::newRow("csv") << QByteArray("d,2025-05-12 08:00:02+0000,news@example.net");
    QTest::newRow("nul-bytes") << QByteArray(64, '\0');
    QTest::newRow("rfc5424-nil-timestamp") << QByteArray("<22>1 - relay1 postfix/qmgr 1201 - - ABC: removed");
    QTest::newRow("rfc5424-unclosed-data") << QByteArray("<22>1 2025-03-04T09:12:01Z relay1 postfix/qmgr 1201 - [a b=\"c] ABC: removed");
    QTest::newRow("rfc5424-nil-app-name") << QByteArray("<22>1 2025-03-04T09:12:01Z relay1 - 1201 - - ABC: removed");
    QTest::newRow("epoch-too-short") << QByteArray("17725071.5 relay1 postfix/qmgr[902]: ABC: removed");
    QTest::newRow("weekday-without-time") << QByteArray("Tue 2026-03-03 relay1 postfix/qmgr[902]: ABC: removed");
    QTest::newRow("weekday-lower-zone") << QByteArray("Tue 2026-03-03 04:05:01 relay1 postfix/qmgr[902]: ABC: removed");
    QTest::newRow("rfc5424-header-only") << QByteArray("<22>1 2025-03-04T09:12:01Z relay1 postfix/qmgr 1201 -");
}

void TstSyslogLine::notSyslog()
{
    QFETCH(QByteArray, line);
    SyslogLine sl;
    QVERIFY(!SyslogLine::parse(line, sl));
}

void TstSyslogLine::daemonIsLastPathPart_data()
{
    QTest::addColumn<QByteArray>("program");
    QTest::addColumn<QString>("daemon");
    QTest::newRow("plain") << QByteArray("postfix/smtp") << u"smtp"_s;
    QTest::newRow("instance") << QByteArray("postfix-out/smtp") << u"smtp"_s;
    QTest::newRow("service") << QByteArray("postfix/submission/smtpd") << u"smtpd"_s;
    QTest::newRow("no-slash") << QByteArray("sm-mta") << u"sm-mta"_s;
}

void TstSyslogLine::daemonIsLastPathPart()
{
    QFETCH(QByteArray, program);
    QFETCH(QString, daemon);
    SyslogLine sl;
    QVERIFY(SyslogLine::parse("Jan  2 03:04:05 mx " + program + "[1]: x", sl));
    QCOMPARE(QString::fromUtf8(sl.daemon()), daemon);
}

void TstSyslogLine::collectorEpochGivesUtcAndOffset()
{
    // FORMATS.md §3: 1131566491 is 2005-11-09 20:01:31 UTC; the host's clock said 12:01:31.
    SyslogLine sl;
    QVERIFY(SyslogLine::parse("- 1131566491 2005.11.09 eadmin1 Nov 9 12:01:31 src@eadmin1 sendmail[4306]: x", sl));
    LogClock clock(QTimeZone::utc(), QDateTime(QDate(2030, 1, 1), QTime(0, 0), Qt::UTC));
    LogClock::Stamp s;
    QVERIFY(sl.resolveTime(clock, s));
    QCOMPARE(s.utc, QDateTime(QDate(2005, 11, 9), QTime(20, 1, 31), Qt::UTC));
    QCOMPARE(s.offsetSeconds, -8 * 3600);
}

void TstSyslogLine::rfc3339OffsetWinsOverZone()
{
    SyslogLine sl;
    QVERIFY(SyslogLine::parse("2016-03-20T13:30:53.574978+01:00 tron postfix/smtpd[1]: x", sl));
    LogClock clock(QTimeZone("America/New_York"), QDateTime(QDate(2030, 1, 1), QTime(0, 0), Qt::UTC));
    LogClock::Stamp s;
    QVERIFY(sl.resolveTime(clock, s));
    QCOMPARE(s.utc, QDateTime(QDate(2016, 3, 20), QTime(12, 30, 53, 574), Qt::UTC));
    QCOMPARE(s.offsetSeconds, 3600);

    // The same in an RFC 5424 header.
    QVERIFY(SyslogLine::parse("<22>1 2016-03-20T13:30:53.574978+01:00 tron postfix/smtpd 1 - - x", sl));
    QVERIFY(sl.resolveTime(clock, s));
    QCOMPARE(s.utc, QDateTime(QDate(2016, 3, 20), QTime(12, 30, 53, 574), Qt::UTC));
    QCOMPARE(s.offsetSeconds, 3600);
}

// journalctl's other text outputs: short-unix gives UTC seconds; short-full gives the wall
// time of the machine that ran journalctl with an abbreviation, which only names an offset
// for UTC/GMT or in digits; otherwise the source's zone applies.
void TstSyslogLine::journalctlStamps_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QDateTime>("utc");
    QTest::addColumn<int>("offset");
    const QDateTime at(QDate(2026, 3, 3), QTime(3, 5, 1, 123), Qt::UTC);
    QTest::newRow("short-unix") << QByteArray("1772507101.123456 relay1 postfix/qmgr[9]: x") << at << 0;
    QTest::newRow("short-full-abbreviation") << QByteArray("Tue 2026-03-03 04:05:01.123 CET relay1 postfix/qmgr[9]: x")
                                             << at << 3600;
    QTest::newRow("short-full-utc") << QByteArray("Tue 2026-03-03 03:05:01.123 UTC relay1 postfix/qmgr[9]: x") << at << 0;
    QTest::newRow("short-full-digits") << QByteArray("Tue 2026-03-03 08:35:01.123 +0530 relay1 postfix/qmgr[9]: x")
                                       << at << 19800;
}

void TstSyslogLine::journalctlStamps()
{
    QFETCH(QByteArray, line);
    QFETCH(QDateTime, utc);
    QFETCH(int, offset);
    SyslogLine sl;
    QVERIFY(SyslogLine::parse(line, sl));
    QCOMPARE(QString::fromUtf8(sl.host), u"relay1"_s);
    QCOMPARE(QString::fromUtf8(sl.message), u"x"_s);
    LogClock clock(QTimeZone("Europe/Berlin"), QDateTime(QDate(2030, 1, 1), QTime(0, 0), Qt::UTC));
    LogClock::Stamp s;
    QVERIFY(sl.resolveTime(clock, s));
    QCOMPARE(s.utc, utc);
    QCOMPARE(s.offsetSeconds, offset);
}

QTEST_GUILESS_MAIN(TstSyslogLine)
#include "tst_syslog_line.moc"
