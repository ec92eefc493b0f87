// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/logs/log_reader.h"

#include <algorithm>
#include <exception>
#include <limits>
#include <optional>

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

#include "core/logs/journal_json_device.h"
#include "core/logs/line_reader.h"
#include "core/logs/log_clock.h"
#include "core/logs/log_parser.h"
#include "core/logs/log_text.h"
#include "core/logs/parser_registry.h"
#include "core/logs/stamp_parser.h"
#include "core/logs/syslog/syslog_line.h"
#include "core/logs/syslog/year_tracker.h"
#include "core/mail/gzip_device.h"
#include "core/mail/mail_reader.h"

using namespace Qt::StringLiterals;

namespace bi::core::logs {

namespace {

constexpr qint64 kProgressIntervalMs = 100; // STYLE §7: about ten reports a second
constexpr int kPollEveryLines = 256;
// Bytes looked at to tell a journal export in JSON: its first entry (a few KB at most).
constexpr qint64 kJournalPeekBytes = 64 * 1024;

// A journal export in JSON is read as the syslog lines it stands for: device then reads
// through journal. False for anything else, device left as it was.
Result<bool> throughJournal(QIODevice*& device, JournalJsonDevice& journal, const QString& context)
{
    if (!JournalJsonDevice::looksLikeJournalJson(device->peek(kJournalPeekBytes)))
        return false;
    if (!journal.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Io, u"cannot read the journal export"_s, context);
    device = &journal;
    return true;
}

QByteArrayView withoutBom(QByteArrayView v)
{
    return text::startsWith(v, "\xEF\xBB\xBF") ? v.sliced(3) : v;
}

// Reads up to max bytes (a gzip device hands out less than asked per call).
QByteArray readHead(QIODevice& device, qint64 max)
{
    QByteArray head;
    head.resize(qsizetype(max));
    qsizetype filled = 0;
    while (filled < head.size()) {
        const qint64 got = device.read(head.data() + filled, head.size() - filled);
        if (got <= 0)
            break;
        filled += qsizetype(got);
    }
    head.resize(filled);
    return head;
}

QList<QByteArrayView> headLines(QByteArrayView head, bool mayBeCut, qsizetype maxLines = LogReader::kSniffLines)
{
    QList<QByteArrayView> lines;
    qsizetype start = 0;
    while (start < head.size() && lines.size() < maxLines) {
        qsizetype nl = head.indexOf('\n', start);
        if (nl < 0) {
            if (mayBeCut)
                break; // the last line of a full head is probably cut in the middle
            nl = head.size();
        }
        QByteArrayView line = head.sliced(start, nl - start);
        if (line.endsWith('\r'))
            line.chop(1);
        lines.append(start == 0 ? withoutBom(line) : line);
        start = nl + 1;
    }
    return lines;
}

bool looksBinary(QByteArrayView head)
{
    const QByteArrayView probe = head.first(qMin<qsizetype>(head.size(), 8192));
    qsizetype odd = 0;
    for (char c : probe) {
        const unsigned char u = static_cast<unsigned char>(c);
        if (u == 0)
            return true;
        if (u < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f')
            ++odd;
    }
    return odd * 20 > probe.size();
}

// Whether most of the head's first lines have a syslog header: a combined syslog, worth
// looking further into (a mailbox or a document is not, and is not read further).
bool looksLikeSyslog(QByteArrayView head, bool mayBeCut)
{
    const QList<QByteArrayView> lines = headLines(head, mayBeCut);
    qsizetype syslog = 0;
    SyslogLine sl;
    for (const QByteArrayView line : lines) {
        if (SyslogLine::parse(line, sl))
            ++syslog;
    }
    return syslog >= 10 && 2 * syslog >= lines.size();
}

// The format of what device holds, from its first kSniffBytes (left in head, with what more
// was read). A combined syslog (/var/log/syslog, a whole journal) can hold thousands of cron,
// sshd and kernel lines before the first mail line: when the first lines decide nothing and
// look like syslog, the reader takes up to kSniffMoreBytes in all and looks at every line of
// it, once.
LogFormat sniffDevice(QIODevice& device, QByteArray& head)
{
    head = readHead(device, LogReader::kSniffBytes);
    const LogFormat format = LogReader::sniff(head);
    const bool full = head.size() == LogReader::kSniffBytes;
    if (format != LogFormat::Unknown || !looksLikeSyslog(head, full && !head.endsWith('\n')))
        return format;
    bool atEnd = !full;
    if (full) {
        const qint64 more = LogReader::kSniffMoreBytes - head.size();
        head += readHead(device, more);
        atEnd = head.size() < LogReader::kSniffMoreBytes;
    }
    const bool mayBeCut = !atEnd && !head.endsWith('\n');
    return ParserRegistry::sniff(headLines(head, mayBeCut, std::numeric_limits<qsizetype>::max())).format;
}

QString formatList()
{
    QStringList names;
    for (const ParserRegistry::Entry& e : ParserRegistry::entries())
        names << logFormatName(e.format);
    return names.join(u", "_s);
}

class ReaderContext final : public ParseContext {
public:
    ReaderContext(LogClock& clock, const LogReaderOptions& options, const QString& source,
                  LogFormat format, LogReadSummary& summary, const LogReader::EventHandler& handler)
        : m_clock(clock)
        , m_options(options)
        , m_source(source)
        , m_format(format)
        , m_summary(summary)
        , m_handler(handler)
    {
    }

    void setLine(const LineReader::Line& line)
    {
        m_line = line;
        m_raw = QByteArray();
    }

    LogClock& clock() override { return m_clock; }
    const QString& defaultHost() const override { return m_options.defaultHost; }

    void emitEvent(LogEvent&& event) override
    {
        event.format = m_format;
        if (event.lineNumber == 0) {
            event.lineNumber = m_line.number;
            event.byteOffset = m_line.offset;
        }
        if (event.lineNumber == m_line.number) {
            if (event.rawLine.isEmpty()) {
                if (m_raw.isNull())
                    m_raw = m_line.text.toByteArray();
                event.rawLine = m_raw;
            }
            if (m_line.cut)
                event.truncated = true;
        }
        ++m_summary.events;
        if (m_handler)
            m_handler(event);
    }

    void diagnose(Diagnostic::Severity severity, const QString& what, qint64 lineNumber) override
    {
        ++m_summary.diagnosticCount;
        if (m_summary.diagnostics.size() >= m_options.maxKeptDiagnostics)
            return;
        const qint64 n = lineNumber > 0 ? lineNumber : m_line.number;
        Diagnostic d;
        d.severity = severity;
        d.where = u"log@"_s + m_source + u':' + QString::number(n);
        d.what = what;
        m_summary.diagnostics.append(d);
    }

private:
    LogClock& m_clock;
    const LogReaderOptions& m_options;
    QString m_source;
    LogFormat m_format;
    LogReadSummary& m_summary;
    const LogReader::EventHandler& m_handler;
    LineReader::Line m_line;
    QByteArray m_raw;
};

QString preview(QByteArrayView line)
{
    QString s = text::str(line.first(qMin<qsizetype>(line.size(), 80)));
    for (QChar& c : s) {
        if (c.unicode() < 0x20)
            c = u'?';
    }
    return line.size() > 80 ? s + u"..."_s : s;
}

// The year-less syslog stamps that start the lines of text, read forward.
YearTracker::Span stampSpan(QByteArrayView text)
{
    YearTracker::Span span;
    for (qsizetype at = 0; at < text.size();) {
        qsizetype end = text.indexOf('\n', at);
        if (end < 0)
            end = text.size();
        WallTime w;
        qsizetype pos = 0;
        if (StampParser::classic(text.sliced(at, end - at), pos, w) && w.year == 0)
            span.see({w.month, w.day, w.secsOfDay});
        at = end + 1;
    }
    return span;
}

// The anchor of a plain syslog file's year-less stamps, from its first and last 64 KiB (a
// compressed file is left to its own anchor: only reading it whole would find its end).
QDateTime spanAnchorOf(QFile& file, const QDateTime& anchor, const QTimeZone& zone)
{
    constexpr qint64 kPeek = 64 * 1024;
    const qint64 size = file.size();
    const QByteArray head = file.peek(kPeek);
    if (head.isEmpty() || mail::GzipDevice::hasGzipMagic(head.first(qMin<qsizetype>(2, head.size()))))
        return anchor;
    YearTracker::Span span = stampSpan(size <= kPeek ? head : head.first(head.lastIndexOf('\n') + 1));
    if (span.isEmpty())
        return anchor;
    if (size > kPeek) {
        const qint64 from = std::max(kPeek, size - kPeek);
        if (!file.seek(from))
            return anchor;
        QByteArray tail = file.read(size - from);
        if (!file.seek(0))
            return anchor;
        const qsizetype cut = tail.indexOf('\n');
        tail = cut < 0 ? QByteArray() : tail.sliced(cut + 1); // the first line may be a part
        span.append(stampSpan(tail));
    }
    return YearTracker::spanAnchor(anchor, zone, span);
}

} // namespace

LogReader::LogReader(LogReaderOptions options)
    : m_options(std::move(options))
{
}

LogReader::~LogReader() = default;

void LogReader::reset()
{
    for (auto& [format, parser] : m_parsers)
        parser->reset();
}

LogParser* LogReader::parserFor(LogFormat format)
{
    auto it = m_parsers.find(format);
    if (it == m_parsers.end()) {
        std::unique_ptr<LogParser> p = ParserRegistry::create(format);
        if (!p)
            return nullptr;
        it = m_parsers.emplace(format, std::move(p)).first;
    }
    return it->second.get();
}

LogFormat LogReader::sniff(QByteArrayView head)
{
    const bool mayBeCut = head.size() >= kSniffBytes && !head.endsWith('\n');
    return ParserRegistry::sniff(headLines(head, mayBeCut)).format;
}

Result<LogFormat> LogReader::sniffFile(const QString& path)
{
    try {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return makeError(ErrorCode::Io, file.errorString(), path);
        QIODevice* device = &file;
        mail::GzipDevice gzip(&file);
        if (mail::GzipDevice::hasGzipMagic(file.peek(2))) {
            if (!gzip.open(QIODevice::ReadOnly))
                return makeError(ErrorCode::Io, u"cannot read gzip data"_s, path);
            device = &gzip;
        }
        // A tar archive (logs.tar.gz) has a 512-byte header, "ustar" at 257, before each
        // member's text: read as one log it would repeat logs imported as files.
        if (mail::MailReader::isTarArchive(device->peek(512)))
            return makeError(ErrorCode::Format, u"a tar archive: unpack it and import its files"_s, path);
        JournalJsonDevice journal(device, LogReaderOptions().maxLineLength);
        if (auto json = throughJournal(device, journal, path); !json)
            return json.error();
        QByteArray head;
        const LogFormat f = sniffDevice(*device, head);
        if (f == LogFormat::Unknown)
            return makeError(ErrorCode::Format, u"not a supported mail log"_s, path);
        return f;
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Io, QString::fromLocal8Bit(e.what()), path);
    }
}

Result<LogReadSummary> LogReader::readFile(const QString& path, const EventHandler& onEvent,
                                           ProgressSink* progress)
{
    const QFileInfo info(path);
    if (info.isDir())
        return makeError(ErrorCode::Io, u"is a directory"_s, path);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Io, file.errorString(), path);
    const QDateTime anchor = spanAnchorOf(
        file, m_options.yearAnchor.isValid() ? m_options.yearAnchor : info.lastModified(), m_options.sourceTimeZone);
    Result<LogReadSummary> r = read(file, info.fileName(), anchor, info.size(), onEvent, progress);
    if (!r)
        return makeError(r.error().code, r.error().message, path);
    // A log cut short while it was read (copytruncate rotation, a clean-up) just ends early: say
    // so, as the mail readers do, instead of passing the shortened read off as the whole file.
    // The caller keeps what it committed; importing again resumes after it.
    const QFileInfo now(path);
    if (!r->stopped && now.exists() && now.size() < info.size()) {
        return makeError(ErrorCode::Io,
                         u"the file shrank from %1 to %2 bytes while it was read; what was already stored is kept, "
                         u"import it again to read the rest"_s.arg(info.size()).arg(now.size()),
                         path);
    }
    return r;
}

Result<LogReadSummary> LogReader::readDevice(QIODevice& device, const QString& sourceName,
                                             const EventHandler& onEvent, ProgressSink* progress,
                                             qint64 totalBytes)
{
    if (!device.isOpen() || !device.isReadable())
        return makeError(ErrorCode::InvalidArgument, u"device is not open for reading"_s, sourceName);
    const QDateTime anchor = m_options.yearAnchor.isValid() ? m_options.yearAnchor
                                                            : QDateTime::currentDateTimeUtc();
    return read(device, sourceName, anchor, totalBytes, onEvent, progress);
}

Result<LogReadSummary> LogReader::read(QIODevice& raw, const QString& sourceName,
                                       const QDateTime& anchor, qint64 totalBytes,
                                       const EventHandler& onEvent, ProgressSink* progress)
{
    try {
        LogReadSummary summary;
        QIODevice* device = &raw;
        mail::GzipDevice gzip(&raw);
        if (mail::GzipDevice::hasGzipMagic(raw.peek(2))) {
            if (!gzip.open(QIODevice::ReadOnly))
                return makeError(ErrorCode::Io, u"cannot read gzip data"_s, sourceName);
            device = &gzip;
            summary.compressed = true;
        }
        JournalJsonDevice journal(device, m_options.maxLineLength);
        auto json = throughJournal(device, journal, sourceName);
        if (!json)
            return json.error();
        const bool fromJournal = *json;
        auto consumed = [&](const LineReader* lines) -> qint64 {
            if (summary.compressed)
                return gzip.compressedPosition();
            if (fromJournal)
                return journal.sourcePosition();
            return lines ? lines->position() : 0;
        };

        QByteArray head;
        LogFormat format = m_options.format;
        if (format == LogFormat::Unknown)
            format = sniffDevice(*device, head);
        else
            head = readHead(*device, kSniffBytes);
        if (head.isEmpty()) {
            if (summary.compressed && gzip.hasError())
                return makeError(ErrorCode::Io, gzip.errorString(), sourceName);
            summary.format = m_options.format;
            return summary; // an empty (freshly rotated) log
        }

        if (m_options.format == LogFormat::Unknown) {
            if (format == LogFormat::Unknown) {
                if (looksBinary(head))
                    return makeError(ErrorCode::Format, u"binary data, not a mail log"_s, sourceName);
                return makeError(ErrorCode::Format,
                                 u"no line looks like a supported mail log (%1)"_s.arg(formatList()),
                                 sourceName);
            }
        }
        LogParser* parser = parserFor(format);
        if (!parser)
            return makeError(ErrorCode::Unsupported, u"no parser for this format"_s, sourceName);
        summary.format = format;

        LogClock clock(m_options.sourceTimeZone, anchor);
        ReaderContext context(clock, m_options, sourceName, format, summary, onEvent);
        const QByteArray fileHead = head; // shared, not copied
        LineReader lines(device, m_options.maxLineLength, std::move(head));

        QElapsedTimer timer;
        timer.start();
        qint64 lastReport = -kProgressIntervalMs;
        if (progress)
            progress->report(0, totalBytes, u"bytes");

        parser->beginFile(context, fileHead);
        LineReader::Line line;
        while (lines.next(line)) {
            ++summary.lines;
            if (line.number == 1)
                line.text = withoutBom(line.text);
            context.setLine(line);
            if (line.cut) {
                context.diagnose(Diagnostic::Severity::Warning,
                                 u"line longer than %1 bytes was cut"_s.arg(m_options.maxLineLength), 0);
            }
            const LineStatus status = parser->parseLine(
                LogLine{line.text, line.number, line.offset}, context);
            switch (status) {
            case LineStatus::Event:
                break;
            case LineStatus::Ignored:
                ++summary.ignoredLines;
                break;
            case LineStatus::Unrecognized:
                ++summary.unrecognizedLines;
                if (!line.text.trimmed().isEmpty()) {
                    context.diagnose(Diagnostic::Severity::Warning,
                                     u"unrecognised line: %1"_s.arg(preview(line.text)), 0);
                }
                break;
            case LineStatus::Malformed:
                ++summary.malformedLines;
                break;
            }
            if (summary.lines % kPollEveryLines == 0 && progress) {
                if (progress->stopRequested()) {
                    summary.stopped = true;
                    break;
                }
                if (timer.elapsed() - lastReport >= kProgressIntervalMs) {
                    lastReport = timer.elapsed();
                    progress->report(consumed(&lines), totalBytes, u"bytes");
                }
            }
        }
        parser->endFile(context);

        summary.bytes = lines.position();
        QString inputProblem;
        if (lines.hasError())
            inputProblem = lines.errorString();
        else if (summary.compressed && gzip.hasError())
            inputProblem = gzip.errorString();
        if (!inputProblem.isEmpty() && !summary.stopped) {
            summary.inputError = true;
            context.diagnose(Diagnostic::Severity::Error,
                             u"reading stopped early: %1"_s.arg(inputProblem), summary.lines + 1);
        }
        if (summary.compressed && gzip.hasTrailingGarbage()) {
            context.diagnose(Diagnostic::Severity::Warning,
                             u"bytes after the end of the gzip data were ignored"_s,
                             summary.lines);
        }
        if (progress)
            progress->report(consumed(&lines), totalBytes, u"bytes");
        return summary;
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Io, u"log reading failed: "_s + QString::fromLocal8Bit(e.what()),
                         sourceName);
    } catch (...) {
        return makeError(ErrorCode::Io, u"log reading failed"_s, sourceName);
    }
}

} // namespace bi::core::logs
