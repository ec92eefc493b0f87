// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <map>
#include <memory>

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QTimeZone>

#include "core/common/diagnostic.h"
#include "core/common/progress_sink.h"
#include "core/common/result.h"
#include "core/logs/log_event.h"

class QIODevice;

namespace bi::core::logs {

class LogParser;

/// How to read a log.
struct LogReaderOptions {
    /// Zone of the logging hosts' wall clocks, for stamps without an offset (syslog, Exim,
    /// tai64nlocal, PowerMTA without offset). Default: this machine's zone.
    QTimeZone sourceTimeZone = QTimeZone::systemTimeZone();
    /// Instant that year-less syslog stamps must not be after. Invalid: the file's
    /// modification time (readFile) or now (readDevice).
    QDateTime yearAnchor;
    /// Format to use; Unknown: sniff it from the content (never from the name).
    LogFormat format = LogFormat::Unknown;
    /// Host for formats that log none (Exim mainlog, PowerMTA), so queue ids stay keyed per host.
    QString defaultHost;
    /// Longer lines are cut to this many bytes (with a diagnostic); bounds memory.
    qint64 maxLineLength = 64 * 1024;
    /// Diagnostics kept in the summary; all are counted.
    int maxKeptDiagnostics = 50;
};

/// What reading one file gave, besides the events.
struct LogReadSummary {
    LogFormat format = LogFormat::Unknown;
    bool compressed = false;  ///< the file was gzip (rotated maillog.1.gz)
    bool stopped = false;     ///< ProgressSink::stopRequested() ended the read early
    bool inputError = false;  ///< reading ended on corrupt/truncated input (see diagnostics)
    qint64 bytes = 0;         ///< (decompressed) bytes read
    qint64 lines = 0;
    qint64 events = 0;
    qint64 ignoredLines = 0;      ///< understood, nothing to report
    qint64 unrecognizedLines = 0; ///< garbage, fragments, other formats
    qint64 malformedLines = 0;    ///< the format's lines, broken
    qint64 diagnosticCount = 0;   ///< all diagnostics, also those not kept
    Diagnostics diagnostics;      ///< the first LogReaderOptions::maxKeptDiagnostics
};

/// Reads smarthost logs: sniffs the format from the content, gunzips transparently, streams
/// lines with bounded memory, dispatches them to the format's parser (ParserRegistry) and
/// hands every event to a callback, in file order.
///
/// Keep one reader for the files of one source and read rotated files oldest first
/// (maillog.2.gz, maillog.1.gz, maillog): parsers carry state across files (qmail delivery
/// numbers, a line split at a file end, a CSV header); each file still gets its own year
/// anchor. reset() forgets that state.
///
/// Errors (Result): the file cannot be opened or read at all (Io), or nothing in it looks like
/// a supported log (Format; binary files too). An empty file is a success with no lines.
/// Everything else — garbage or cut lines, impossible dates, a gzip stream that breaks off —
/// becomes diagnostics and counters in the summary; input never crashes or asserts, and no
/// exception leaves the reader (one thrown by the callback becomes an Error).
/// Progress: ProgressSink::report(bytes done, bytes total, u"bytes") about 10 times a second
/// (compressed bytes for .gz); stopRequested() is polled and ends the read with
/// summary.stopped set (a success: the events so far were delivered).
/// Thread: one thread at a time; may run in a worker thread. The callback runs in that thread.
class LogReader final {
public:
    /// Gets each event; it may move from it (the reader does not use it afterwards).
    using EventHandler = std::function<void(LogEvent&)>;

    explicit LogReader(LogReaderOptions options = {});
    ~LogReader();
    LogReader(const LogReader&) = delete;
    LogReader& operator=(const LogReader&) = delete;

    [[nodiscard]] const LogReaderOptions& options() const { return m_options; }
    void setOptions(const LogReaderOptions& options) { m_options = options; }

    /// Reads one file (plain or gzip).
    [[nodiscard]] Result<LogReadSummary> readFile(const QString& path, const EventHandler& onEvent,
                                                  ProgressSink* progress = nullptr);
    /// Reads from an open device; sourceName is used in diagnostics. totalBytes: the device's
    /// size for progress (-1 unknown).
    [[nodiscard]] Result<LogReadSummary> readDevice(QIODevice& device, const QString& sourceName,
                                                    const EventHandler& onEvent,
                                                    ProgressSink* progress = nullptr,
                                                    qint64 totalBytes = -1);

    /// Forgets the parsers' cross-file state.
    void reset();

    /// Format of the first lines of a (decompressed) text; Unknown when none fits.
    [[nodiscard]] static LogFormat sniff(QByteArrayView head);
    /// Opens path (gunzipping when needed) and sniffs its beginning.
    [[nodiscard]] static Result<LogFormat> sniffFile(const QString& path);

    /// Bytes of a file's beginning used for sniffing.
    static constexpr qint64 kSniffBytes = 64 * 1024;
    /// Lines of that beginning looked at.
    static constexpr int kSniffLines = 200;
    /// How far into a file the reader looks for its first mail line when those decide
    /// nothing (a combined syslog), all lines of it.
    static constexpr qint64 kSniffMoreBytes = 8 * 1024 * 1024;

private:
    [[nodiscard]] Result<LogReadSummary> read(QIODevice& device, const QString& sourceName,
                                              const QDateTime& anchor, qint64 totalBytes,
                                              const EventHandler& onEvent, ProgressSink* progress);
    LogParser* parserFor(LogFormat format);

    LogReaderOptions m_options;
    std::map<LogFormat, std::unique_ptr<LogParser>> m_parsers;
};

} // namespace bi::core::logs
