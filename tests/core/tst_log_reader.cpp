// SPDX-License-Identifier: GPL-3.0-or-later
// LogReader: format sniffing from content, refusing what is not a log, gzip (plain, rotated
// sets across New Year, cut streams), line handling (CRLF, BOM, no final newline, overlong
// lines), diagnostics limits, progress and stop, errors, and the DST fall-back in file order.
#include <stdexcept>

#include <zlib.h>

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "core/logs/journal_json_device.h"
#include "tst_log_support.h"

using namespace bi::test::logs;
using namespace Qt::StringLiterals;

class TstLogReader final : public QObject {
    Q_OBJECT
private slots:
    void sniffsEachFormat_data();
    void sniffsEachFormat();
    void sniffingIgnoresTheFileName();
    void refusesWhatIsNotALog_data();
    void refusesWhatIsNotALog();
    void emptyFileIsAnEmptySuccess();
    void combinedSyslogIsSearchedForItsMailLines();
    void gzipIsReadTransparently();
    void rotatedGzipSetAcrossNewYear();
    void qmailPairingSurvivesRotation();
    void cutGzipStreamKeepsEarlierEvents();
    void crlfBomAndMissingFinalNewline();
    void overlongLineIsCutAndReadingGoesOn();
    void diagnosticsAreCountedButFewAreKept();
    void progressIsReportedAndStopIsHonoured();
    void callbackExceptionBecomesAnError();
    void unreadablePathsAreIoErrors();
    void forcedFormatSkipsSniffing();
    void fallBackHourInSyslogKeepsFileOrder();
    void sniffFileReportsTheFormat();
    void journalJsonExportReadsAsItsSyslogLines();
    void journalExportsOfAWholeLogGiveItsEvents();

private:
    static bool writeGzip(const QString& path, const QByteArray& data);
    static bool setMtime(const QString& path, const QDateTime& when);
    static QByteArray readAll(const QString& path);
};

namespace {

class RecordingSink final : public bi::core::ProgressSink {
public:
    explicit RecordingSink(int stopAfterPolls) : m_stopAfter(stopAfterPolls) {}
    void report(qint64 done, qint64 total, QStringView stage) override
    {
        reports.append({done, total});
        stages.append(stage.toString());
    }
    bool stopRequested() const override { return m_stopAfter >= 0 && ++m_polls > m_stopAfter; }

    QList<QPair<qint64, qint64>> reports;
    QStringList stages;

private:
    int m_stopAfter;
    mutable int m_polls = 0;
};

QByteArray twoDigits(int n)
{
    return QByteArray::number(n).rightJustified(2, '0');
}

// count "removed" lines, one second apart from 10:00:00, with distinct hex queue ids.
QByteArray postfixLines(int count)
{
    QByteArray out;
    for (int i = 0; i < count; ++i) {
        out += "Mar  3 " + twoDigits(10 + i / 3600) + ':' + twoDigits((i / 60) % 60) + ':'
            + twoDigits(i % 60) + " mx postfix/qmgr[1]: " + QByteArray::number(0x10000 + i, 16).toUpper()
            + "A1: removed\n";
    }
    return out;
}

} // namespace

bool TstLogReader::writeGzip(const QString& path, const QByteArray& data)
{
    gzFile gz = gzopen(QFile::encodeName(path).constData(), "wb");
    if (!gz)
        return false;
    const int written = data.isEmpty() ? 0 : gzwrite(gz, data.constData(), unsigned(data.size()));
    return gzclose(gz) == Z_OK && written == data.size();
}

bool TstLogReader::setMtime(const QString& path, const QDateTime& when)
{
    QFile f(path);
    return f.open(QIODevice::ReadWrite) && f.setFileTime(when, QFileDevice::FileModificationTime);
}

QByteArray TstLogReader::readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void TstLogReader::sniffsEachFormat_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<LogFormat>("format");
    QTest::newRow("postfix-classic") << u"postfix/smarthost.log"_s << LogFormat::Postfix;
    QTest::newRow("postfix-rfc3339") << u"postfix/interleaved.log"_s << LogFormat::Postfix;
    QTest::newRow("postfix-rfc5424") << u"postfix/rfc5424.log"_s << LogFormat::Postfix;
    QTest::newRow("exim-mainlog") << u"exim/mainlog"_s << LogFormat::Exim;
    QTest::newRow("sendmail-syslog") << u"sendmail/maillog"_s << LogFormat::Sendmail;
    QTest::newRow("qmail-multilog") << u"qmail/current"_s << LogFormat::Qmail;
    QTest::newRow("powermta-csv") << u"powermta/acct-2025-05-12.csv"_s << LogFormat::PowerMta;
    QTest::newRow("exchange-tracking") << u"exchange/MSGTRK2025021009-1.LOG"_s << LogFormat::Exchange;
    QTest::newRow("opensmtpd-syslog") << u"opensmtpd/maillog"_s << LogFormat::OpenSmtpd;
}

void TstLogReader::sniffsEachFormat()
{
    QFETCH(QString, file);
    QFETCH(LogFormat, format);
    QCOMPARE(LogReader::sniff(readAll(fixture(file))), format);
}

void TstLogReader::sniffingIgnoresTheFileName()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // An Exim log named like a Postfix one and a Postfix log named like a CSV file.
    const QString misnamedExim = dir.filePath(u"maillog"_s);
    const QString misnamedPostfix = dir.filePath(u"acct.csv"_s);
    QVERIFY(QFile::copy(fixture(u"exim/mainlog"_s), misnamedExim));
    QVERIFY(QFile::copy(fixture(u"postfix/smarthost.log"_s), misnamedPostfix));
    const Run exim = readPath(misnamedExim);
    QVERIFY2(exim.ok, qPrintable(exim.error));
    QCOMPARE(exim.summary.format, LogFormat::Exim);
    const Run postfix = readPath(misnamedPostfix);
    QVERIFY2(postfix.ok, qPrintable(postfix.error));
    QCOMPARE(postfix.summary.format, LogFormat::Postfix);
}

void TstLogReader::refusesWhatIsNotALog_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("reason");
    QTest::newRow("meeting-notes") << readAll(fixture(u"misc/not-a-log.txt"_s)) << u"no line looks like"_s;
    QByteArray binary;
    for (int i = 0; i < 4096; ++i)
        binary += char((i * 37) & 0xff);
    QTest::newRow("binary") << binary << u"binary"_s;
    QTest::newRow("other-mta-courier")
        << QByteArray("Apr 10 03:47:57 web courieresmtpd: error,relay=::ffff:1.2.3.4,ident=tmf,from=<tmf@example.com>,to=<m@example.com>: 550 User unknown.\n")
        << u"no line looks like"_s;
    QTest::newRow("syslog-without-mail")
        << QByteArray("Jan  2 03:04:05 host kernel: [    0.000000] Linux version 6.1.0\nJan  2 03:04:06 host systemd[1]: Started Journal Service.\n")
        << u"no line looks like"_s;
}

void TstLogReader::refusesWhatIsNotALog()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, reason);
    int calls = 0;
    QBuffer buffer(&content);
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    LogReader reader(options());
    const auto r = reader.readDevice(buffer, u"x"_s, [&](const LogEvent&) { ++calls; });
    QVERIFY(!r.hasValue());
    QCOMPARE(r.error().code, bi::core::ErrorCode::Format);
    QVERIFY2(r.error().message.contains(reason), qPrintable(r.error().message));
    QCOMPARE(calls, 0);
}

// /var/log/syslog or a whole journal: thousands of other programs' lines before the first
// mail line. Small or large, the reader looks past them (and refuses one that has none).
void TstLogReader::combinedSyslogIsSearchedForItsMailLines()
{
    for (const int noise : {300, 40000}) {
        QByteArray content;
        for (int i = 0; i < noise; ++i) {
            content += "Jan  2 03:" + QByteArray::number(10 + i / 1000 % 50) + ":05 host CRON[" + QByteArray::number(1000 + i)
                + "]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)\n";
            content += "Jan  2 03:" + QByteArray::number(10 + i / 1000 % 50) + ":06 host sshd[" + QByteArray::number(2000 + i)
                + "]: Connection closed by 203.0.113.7 port 40022 [preauth]\n";
        }
        QVERIFY(content.size() < LogReader::kSniffMoreBytes);
        const QByteArray noiseOnly = content;
        content += readAll(fixture(u"postfix/smarthost.log"_s));
        QByteArray copy = content;
        QBuffer buffer(&copy);
        QVERIFY(buffer.open(QIODevice::ReadOnly));
        LogReader reader(options());
        int events = 0;
        const auto r = reader.readDevice(buffer, u"syslog"_s, [&](const LogEvent&) { ++events; });
        QVERIFY2(r.hasValue(), qPrintable(r ? QString() : r.error().toString()));
        QCOMPARE(r->format, LogFormat::Postfix);
        QVERIFY(events > 20);
        QCOMPARE(LogReader::sniff(content.first(qMin<qsizetype>(content.size(), LogReader::kSniffBytes))),
                 LogFormat::Unknown);

        QByteArray none = noiseOnly;
        QBuffer noMail(&none);
        QVERIFY(noMail.open(QIODevice::ReadOnly));
        const auto refused = LogReader(options()).readDevice(noMail, u"syslog"_s, [](const LogEvent&) {});
        QVERIFY(!refused.hasValue());
        QCOMPARE(refused.error().code, bi::core::ErrorCode::Format);
    }
}

void TstLogReader::emptyFileIsAnEmptySuccess()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"maillog"_s);
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.close();
    const Run run = readPath(path);
    QVERIFY2(run.ok, qPrintable(run.error));
    QCOMPARE(run.summary.lines, 0);
    QVERIFY(run.events.isEmpty());
}

void TstLogReader::gzipIsReadTransparently()
{
    QTemporaryDir dir;
    const QString gz = dir.filePath(u"maillog.1.gz"_s);
    QVERIFY(writeGzip(gz, readAll(fixture(u"postfix/smarthost.log"_s))));
    const LogReaderOptions o = options(utc(2025, 1, 15, 12, 0, 0));
    const Run plain = readPath(fixture(u"postfix/smarthost.log"_s), o);
    const Run packed = readPath(gz, o);
    QVERIFY2(packed.ok, qPrintable(packed.error));
    QVERIFY(packed.summary.compressed);
    QVERIFY(!plain.summary.compressed);
    QCOMPARE(packed.events.size(), plain.events.size());
    for (qsizetype i = 0; i < plain.events.size(); ++i) {
        QCOMPARE(packed.events[i].rawLine, plain.events[i].rawLine);
        QCOMPARE(packed.events[i].byteOffset, plain.events[i].byteOffset); // offsets are decompressed
        QCOMPARE(packed.events[i].time, plain.events[i].time);
    }
}

void TstLogReader::rotatedGzipSetAcrossNewYear()
{
    // maillog.2.gz ends on Dec 31, maillog.1.gz crosses midnight, maillog is Jan 2. Each file is
    // dated by its own mtime; no explicit anchor.
    QTemporaryDir dir;
    const QString f2 = dir.filePath(u"maillog.2.gz"_s);
    const QString f1 = dir.filePath(u"maillog.1.gz"_s);
    const QString f0 = dir.filePath(u"maillog"_s);
    QVERIFY(writeGzip(f2, "Dec 30 10:00:00 mx postfix/qmgr[1]: A1B2C3D4E5: from=<a@example.net>, size=10, nrcpt=1 (queue active)\n"
                          "Dec 31 23:00:00 mx postfix/smtp[2]: A1B2C3D4E5: to=<b@example.org>, relay=none, delay=1, delays=0/0/1/0, dsn=4.4.1, status=deferred (connect to mx.example.org[192.0.2.1]:25: Connection refused)\n"));
    QVERIFY(writeGzip(f1, "Dec 31 23:59:59 mx postfix/smtp[2]: A1B2C3D4E5: to=<b@example.org>, relay=none, delay=2, delays=0/0/1/0, dsn=4.4.1, status=deferred (connect to mx.example.org[192.0.2.1]:25: Connection refused)\n"
                          "Jan  1 00:00:01 mx postfix/smtp[2]: A1B2C3D4E5: to=<b@example.org>, relay=mx.example.org[192.0.2.1]:25, delay=3, delays=0/0/1/1, dsn=2.0.0, status=sent (250 ok)\n"));
    QFile plain(f0);
    QVERIFY(plain.open(QIODevice::WriteOnly));
    plain.write("Jan  2 08:00:00 mx postfix/qmgr[1]: A1B2C3D4E5: removed\n");
    plain.close();
    QVERIFY(setMtime(f2, utc(2024, 12, 31, 23, 59, 0)));
    QVERIFY(setMtime(f1, utc(2025, 1, 1, 6, 0, 0)));
    QVERIFY(setMtime(f0, utc(2025, 1, 2, 12, 0, 0)));

    LogReaderOptions o;
    o.sourceTimeZone = QTimeZone::utc();
    LogReader reader(o);
    QList<LogEvent> events;
    for (const QString& path : {f2, f1, f0}) {
        const auto r = reader.readFile(path, [&](const LogEvent& e) { events.append(e); });
        QVERIFY2(r.hasValue(), qPrintable(r.hasValue() ? QString() : r.error().toString()));
    }
    QCOMPARE(events.size(), 5);
    QCOMPARE(events[0].time, utc(2024, 12, 30, 10, 0, 0));
    QCOMPARE(events[1].time, utc(2024, 12, 31, 23, 0, 0));
    QCOMPARE(events[2].time, utc(2024, 12, 31, 23, 59, 59));
    QCOMPARE(events[3].time, utc(2025, 1, 1, 0, 0, 1));
    QCOMPARE(events[3].outcome, DeliveryOutcome::Sent);
    QCOMPARE(events[4].time, utc(2025, 1, 2, 8, 0, 0));
    QCOMPARE(events[4].type, LogEventType::Removed);
}

void TstLogReader::qmailPairingSurvivesRotation()
{
    QTemporaryDir dir;
    const QString older = dir.filePath(u"@400000006584b0a3054e0d84.s"_s);
    const QString current = dir.filePath(u"current"_s);
    QVERIFY(writeGzip(older, "@400000006584b0a10c8b2f44 starting delivery 201: msg 1193211 to remote alice@gmail.com\n"));
    QFile f(current);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("@400000006584b0a2233b4a6c delivery 201: success: 142.250.27.26_accepted_message./\n");
    f.close();
    LogReader reader(options());
    QList<LogEvent> events;
    for (const QString& path : {older, current})
        QVERIFY(reader.readFile(path, [&](const LogEvent& e) { events.append(e); }).hasValue());
    QCOMPARE(events.size(), 1);
    QCOMPARE(events.front().queueId, u"1193211"_s);
    QCOMPARE(events.front().recipient, u"alice@gmail.com"_s);

    // reset() forgets the pairing: the same result line is now an orphan.
    reader.reset();
    events.clear();
    const auto r = reader.readFile(current, [&](const LogEvent& e) { events.append(e); });
    QVERIFY(r.hasValue());
    QVERIFY(events.isEmpty());
    QCOMPARE(r.value().malformedLines, 1);
}

void TstLogReader::cutGzipStreamKeepsEarlierEvents()
{
    QTemporaryDir dir;
    const QString whole = dir.filePath(u"whole.gz"_s);
    const QByteArray text = postfixLines(20000);
    QVERIFY(writeGzip(whole, text));
    QByteArray packed = readAll(whole);
    packed.truncate(packed.size() / 2);
    const QString cut = dir.filePath(u"maillog.3.gz"_s);
    QFile f(cut);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(packed);
    f.close();
    const Run run = readPath(cut);
    QVERIFY2(run.ok, qPrintable(run.error));
    QVERIFY(run.summary.inputError);
    QVERIFY(run.events.size() > 1000);
    QVERIFY(run.events.size() < 20000);
    bool sawError = false;
    for (const bi::core::Diagnostic& d : run.summary.diagnostics)
        sawError = sawError || d.severity == bi::core::Diagnostic::Severity::Error;
    QVERIFY(sawError);
}

void TstLogReader::crlfBomAndMissingFinalNewline()
{
    const QByteArray input = "\xEF\xBB\xBF" "Mar  3 10:00:00 mx postfix/qmgr[1]: ABCDE12345: removed\r\n"
                             "Mar  3 10:00:01 mx postfix/qmgr[1]: ABCDE12346: removed\r\n"
                             "Mar  3 10:00:02 mx postfix/qmgr[1]: ABCDE12347: removed";
    const Run run = readBytes(input);
    QVERIFY2(run.ok, qPrintable(run.error));
    QCOMPARE(run.summary.lines, 3);
    QCOMPARE(run.events.size(), 3);
    QCOMPARE(run.events[0].rawLine, QByteArray("Mar  3 10:00:00 mx postfix/qmgr[1]: ABCDE12345: removed"));
    QCOMPARE(run.events[1].byteOffset, 3 + 57);
    QCOMPARE(run.events[2].queueId, u"ABCDE12347"_s);
    QCOMPARE(run.summary.bytes, input.size());
}

void TstLogReader::overlongLineIsCutAndReadingGoesOn()
{
    QByteArray input = "Mar  3 10:00:00 mx postfix/qmgr[1]: ABCDE12345: removed\n";
    input += "Mar  3 10:00:01 mx postfix/smtp[2]: ABCDE12345: to=<a@b.example>, relay=none, delay=1, delays=0/0/0/0, dsn=5.0.0, status=bounced (";
    input += QByteArray(3 * 1024 * 1024, 'x');
    input += ")\nMar  3 10:00:02 mx postfix/qmgr[1]: ABCDE12346: removed\n";
    LogReaderOptions o = options();
    o.maxLineLength = 4096;
    const Run run = readBytes(input, o);
    QVERIFY2(run.ok, qPrintable(run.error));
    QCOMPARE(run.summary.lines, 3);
    const LogEvent* cut = eventAt(run.events, 2, LogEventType::DeliveryAttempt);
    QVERIFY(cut);
    QVERIFY(cut->truncated);
    QCOMPARE(cut->rawLine.size(), 4096);
    QVERIFY(eventAt(run.events, 3, LogEventType::Removed));
    QCOMPARE(eventAt(run.events, 3, LogEventType::Removed)->byteOffset, input.size() - 56);
    bool sawCut = false;
    for (const bi::core::Diagnostic& d : run.summary.diagnostics)
        sawCut = sawCut || d.what.contains(u"cut"_s);
    QVERIFY(sawCut);
}

void TstLogReader::diagnosticsAreCountedButFewAreKept()
{
    QByteArray input = postfixLines(3);
    for (int i = 0; i < 500; ++i)
        input += "garbage line number " + QByteArray::number(i) + '\n';
    LogReaderOptions o = options();
    o.maxKeptDiagnostics = 10;
    const Run run = readBytes(input, o);
    QVERIFY2(run.ok, qPrintable(run.error));
    QCOMPARE(run.events.size(), 3);
    QCOMPARE(run.summary.unrecognizedLines, 500);
    QVERIFY(run.summary.diagnosticCount >= 500);
    QCOMPARE(run.summary.diagnostics.size(), 10);
    QVERIFY(run.summary.diagnostics.front().where.endsWith(u":4"_s));
}

void TstLogReader::progressIsReportedAndStopIsHonoured()
{
    const QByteArray input = postfixLines(5000);
    {
        RecordingSink sink(-1);
        QBuffer buffer;
        buffer.setData(input);
        buffer.open(QIODevice::ReadOnly);
        LogReader reader(options());
        int events = 0;
        const auto r = reader.readDevice(buffer, u"p"_s, [&](const LogEvent&) { ++events; }, &sink, input.size());
        QVERIFY(r.hasValue());
        QCOMPARE(events, 5000);
        QVERIFY(sink.reports.size() >= 2);
        QCOMPARE(sink.reports.front().first, 0);
        QCOMPARE(sink.reports.back(), qMakePair(qint64(input.size()), qint64(input.size())));
        for (qsizetype i = 1; i < sink.reports.size(); ++i)
            QVERIFY(sink.reports[i].first >= sink.reports[i - 1].first);
        QVERIFY(sink.stages.contains(u"bytes"_s));
    }
    {
        RecordingSink sink(1); // stop at the second poll
        QBuffer buffer;
        buffer.setData(input);
        buffer.open(QIODevice::ReadOnly);
        LogReader reader(options());
        int events = 0;
        const auto r = reader.readDevice(buffer, u"p"_s, [&](const LogEvent&) { ++events; }, &sink, input.size());
        QVERIFY(r.hasValue());
        QVERIFY(r.value().stopped);
        QVERIFY(events > 0);
        QVERIFY(events < 5000);
        QCOMPARE(qint64(events), r.value().events);
    }
}

void TstLogReader::callbackExceptionBecomesAnError()
{
    QBuffer buffer;
    buffer.setData(postfixLines(10));
    buffer.open(QIODevice::ReadOnly);
    LogReader reader(options());
    const auto r = reader.readDevice(buffer, u"x"_s, [](const LogEvent&) { throw std::runtime_error("database is locked"); });
    QVERIFY(!r.hasValue());
    QVERIFY(r.error().message.contains(u"database is locked"_s));
}

void TstLogReader::unreadablePathsAreIoErrors()
{
    QTemporaryDir dir;
    const Run missing = readPath(dir.filePath(u"no-such-maillog"_s));
    QVERIFY(!missing.ok);
    QVERIFY(missing.error.contains(u"no-such-maillog"_s));
    LogReader reader;
    const auto r = reader.readFile(dir.path(), [](const LogEvent&) {});
    QVERIFY(!r.hasValue());
    QCOMPARE(r.error().code, bi::core::ErrorCode::Io);
}

void TstLogReader::forcedFormatSkipsSniffing()
{
    // Two Exim lines that are too few for sniffing to be sure still parse when told.
    const QByteArray input = "2024-01-02 03:04:05 Start queue run: pid=1\n";
    LogReaderOptions o = options();
    o.format = LogFormat::Exim;
    const Run forced = readBytes(input, o);
    QVERIFY2(forced.ok, qPrintable(forced.error));
    QCOMPARE(forced.summary.format, LogFormat::Exim);
    QCOMPARE(forced.summary.ignoredLines, 1);
    QVERIFY(!readBytes(input).ok);
}

void TstLogReader::fallBackHourInSyslogKeepsFileOrder()
{
    const QByteArray input = "Oct 27 02:59:30 mx postfix/qmgr[1]: ABCDE12345: from=<a@b.example>, size=1, nrcpt=1 (queue active)\n"
                             "Oct 27 02:10:00 mx postfix/smtp[2]: ABCDE12345: to=<c@d.example>, relay=none, delay=1, delays=0/0/1/0, dsn=4.4.1, status=deferred (connect to x[192.0.2.1]:25: Connection refused)\n"
                             "Oct 27 03:05:00 mx postfix/qmgr[1]: ABCDE12345: removed\n";
    const Run run = readBytes(input, options(utc(2024, 11, 1, 0, 0, 0), QTimeZone("Europe/Berlin")));
    QVERIFY2(run.ok, qPrintable(run.error));
    QCOMPARE(run.events.size(), 3);
    QCOMPARE(run.events[0].time, utc(2024, 10, 27, 0, 59, 30));
    QCOMPARE(run.events[1].time, utc(2024, 10, 27, 1, 10, 0)); // the second 02:10, in CET
    QCOMPARE(run.events[1].utcOffsetSeconds, 3600);
    QCOMPARE(run.events[2].time, utc(2024, 10, 27, 2, 5, 0));
}

void TstLogReader::sniffFileReportsTheFormat()
{
    QTemporaryDir dir;
    const QString gz = dir.filePath(u"acct.csv.gz"_s);
    QVERIFY(writeGzip(gz, readAll(fixture(u"powermta/acct-2025-05-12.csv"_s))));
    const auto f = LogReader::sniffFile(gz);
    QVERIFY(f.hasValue());
    QCOMPARE(f.value(), LogFormat::PowerMta);
    const auto notLog = LogReader::sniffFile(fixture(u"misc/not-a-log.txt"_s));
    QVERIFY(!notLog.hasValue());
    QCOMPARE(notLog.error().code, bi::core::ErrorCode::Format);
    // A tar of logs (logs.tar.gz): its members' text after 512-byte headers is no log to read
    // whole, it would repeat the files imported on their own.
    QByteArray tar(512, '\0');
    tar.replace(0, 9, "maillog.1");
    tar.replace(257, 6, QByteArray("ustar\0", 6));
    tar += readAll(fixture(u"postfix/smarthost.log"_s));
    tar += QByteArray(1024, '\0');
    const QString tgz = dir.filePath(u"logs.tar.gz"_s);
    QVERIFY(writeGzip(tgz, tar));
    const auto archive = LogReader::sniffFile(tgz);
    QVERIFY(!archive.hasValue());
    QCOMPARE(archive.error().code, bi::core::ErrorCode::Format);
    QVERIFY2(archive.error().message.contains(u"tar archive"_s), qPrintable(archive.error().message));
}

// `journalctl -o json` (and json-seq): each entry read as the syslog line journalctl would
// print for it (short-unix), so the same events come out as from the text export. A MESSAGE
// stored as bytes (not UTF-8), a message with a line break, _COMM and _PID where the syslog
// fields are missing; entries without a message and lines that are no JSON give no line.
void TstLogReader::journalJsonExportReadsAsItsSyslogLines()
{
    const QByteArray json =
        "{\"__CURSOR\":\"s=1\",\"__REALTIME_TIMESTAMP\":\"1772507100123456\",\"_HOSTNAME\":\"relay1\","
        "\"SYSLOG_IDENTIFIER\":\"postfix/cleanup\",\"SYSLOG_PID\":\"901\",\"MESSAGE\":\"3F2A81C0A1: message-id=<m1@shop.example>\"}\n"
        "\x1e{\"__REALTIME_TIMESTAMP\":\"1772507101000000\",\"_HOSTNAME\":\"relay1\",\"SYSLOG_IDENTIFIER\":\"postfix/qmgr\","
        "\"SYSLOG_PID\":\"902\",\"MESSAGE\":\"3F2A81C0A1: from=<news@shop.example>, size=1200, nrcpt=1 (queue active)\"}\n"
        "{\"__REALTIME_TIMESTAMP\":\"1772507101500000\",\"_HOSTNAME\":\"relay1\",\"SYSLOG_IDENTIFIER\":\"kernel\"}\n"
        "not json at all\n"
        "{\"__REALTIME_TIMESTAMP\":\"1772507103000000\",\"_HOSTNAME\":\"relay1\",\"_COMM\":\"smtp\",\"_PID\":\"2003\","
        "\"SYSLOG_IDENTIFIER\":\"postfix/smtp\",\"MESSAGE\":[51,70,50,65,56,49,67,48,65,49,58,32,116,111,61,60,"
        "106,252,114,103,64,103,109,97,105,108,46,101,120,97,109,112,108,101,62,44,32,114,101,108,97,121,61,110,"
        "111,110,101,44,32,100,115,110,61,53,46,49,46,49,44,32,115,116,97,116,117,115,61,98,111,117,110,99,101,100,"
        "32,40,117,115,101,114,10,117,110,107,110,111,119,110,41]}\n"
        "{\"__REALTIME_TIMESTAMP\":\"1772507104000000\",\"_HOSTNAME\":\"relay1\",\"_COMM\":\"qmgr\",\"_PID\":\"902\","
        "\"MESSAGE\":\"3F2A81C0A1: removed\"}\n";
    const QByteArray text = "1772507100.123456 relay1 postfix/cleanup[901]: 3F2A81C0A1: message-id=<m1@shop.example>\n"
                            "1772507101.000000 relay1 postfix/qmgr[902]: 3F2A81C0A1: from=<news@shop.example>, size=1200, nrcpt=1 (queue active)\n"
                            "1772507103.000000 relay1 postfix/smtp[2003]: 3F2A81C0A1: to=<j\xfcrg@gmail.example>, relay=none, dsn=5.1.1, status=bounced (user unknown)\n"
                            "1772507104.000000 relay1 qmgr[902]: 3F2A81C0A1: removed\n";
    QCOMPARE(bi::core::logs::JournalJsonDevice::syslogLine(json.left(json.indexOf('\n'))), text.left(text.indexOf('\n')));
    QTemporaryDir dir;
    const QString jsonPath = dir.filePath(u"postfix.json.gz"_s);
    const QString textPath = dir.filePath(u"postfix.txt"_s);
    QVERIFY(writeGzip(jsonPath, json));
    QFile t(textPath);
    QVERIFY(t.open(QIODevice::WriteOnly) && t.write(text) == text.size());
    t.close();
    const auto sniffed = LogReader::sniffFile(jsonPath);
    QVERIFY(sniffed.hasValue());
    QCOMPARE(sniffed.value(), LogFormat::Postfix);
    const Run fromJson = readPath(jsonPath);
    const Run fromText = readPath(textPath);
    QVERIFY2(fromJson.ok, qPrintable(fromJson.error));
    QVERIFY(fromText.ok);
    QCOMPARE(fromJson.summary.lines, 4);
    QCOMPARE(fromJson.events.size(), fromText.events.size());
    QCOMPARE(fromJson.events.size(), 3); // qmgr's "removed" under _COMM "qmgr" is no Postfix line
    QVERIFY(fromJson.events[2].rawLine.contains("to=<j\xfcrg@gmail.example>")); // the bytes as stored
    for (qsizetype i = 0; i < fromText.events.size(); ++i) {
        QCOMPARE(fromJson.events[i].type, fromText.events[i].type);
        QCOMPARE(fromJson.events[i].queueId, fromText.events[i].queueId);
        QCOMPARE(fromJson.events[i].recipient, fromText.events[i].recipient);
        QCOMPARE(fromJson.events[i].time, fromText.events[i].time);
        QCOMPARE(fromJson.events[i].rawLine, fromText.events[i].rawLine);
    }
    QCOMPARE(fromJson.events.constFirst().time, QDateTime(QDate(2026, 3, 3), QTime(3, 5, 0, 123), Qt::UTC));
}

// The smarthost fixture as journalctl would export it (journal-export.json: -o json, some
// MESSAGEs as byte arrays; journal-short-unix.log: -o short-unix; both with microseconds, the
// split line whole, the lines that are no log entry left out): the same events, across New
// Year, with the year from the stamps and not from the anchor.
void TstLogReader::journalExportsOfAWholeLogGiveItsEvents()
{
    const Run classic = readPath(fixture(u"postfix/smarthost.log"_s), options(utc(2025, 1, 15, 12, 0, 0)));
    QVERIFY(classic.ok);
    QVERIFY(classic.events.size() > 30);
    for (const QString& file : {u"postfix/journal-export.json"_s, u"postfix/journal-short-unix.log"_s}) {
        const auto sniffed = LogReader::sniffFile(fixture(file));
        QVERIFY(sniffed.hasValue());
        QCOMPARE(sniffed.value(), LogFormat::Postfix);
        const Run journal = readPath(fixture(file), options(utc(2031, 6, 1, 0, 0, 0)));
        QVERIFY2(journal.ok, qPrintable(file + u": "_s + journal.error));
        QCOMPARE(journal.events.size(), classic.events.size());
        for (qsizetype i = 0; i < classic.events.size(); ++i) {
            const LogEvent& a = classic.events.at(i);
            const LogEvent& b = journal.events.at(i);
            QCOMPARE(b.type, a.type);
            QCOMPARE(b.outcome, a.outcome);
            QCOMPARE(b.queueId, a.queueId);
            QCOMPARE(b.recipient, a.recipient);
            QCOMPARE(b.originalRecipient, a.originalRecipient);
            QCOMPARE(b.messageId, a.messageId);
            QCOMPARE(b.dsn, a.dsn);
            QCOMPARE(b.replyText, a.replyText);
            QCOMPARE(b.newQueueId, a.newQueueId);
            QCOMPARE(b.time.toSecsSinceEpoch(), a.time.toSecsSinceEpoch());
        }
        QCOMPARE(journal.events.constFirst().time.date(), QDate(2024, 12, 31));
        QCOMPARE(journal.events.constLast().time.date().year(), 2025);
    }
}

QTEST_GUILESS_MAIN(TstLogReader)
#include "tst_log_reader.moc"
