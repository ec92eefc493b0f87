// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArrayView>
#include <QString>

#include "core/common/diagnostic.h"
#include "core/logs/log_clock.h"
#include "core/logs/log_event.h"

namespace bi::core::logs {

/// One line as the reader hands it to a parser: bytes without the line ending (CR of CRLF
/// removed), its 1-based number and the offset of its first byte in the decompressed file.
struct LogLine {
    QByteArrayView text;
    qint64 number = 0;
    qint64 offset = 0;
};

/// How a parser judged one line; the reader counts them.
enum class LineStatus {
    Event,        ///< one or more events were emitted
    Ignored,      ///< understood, nothing to report (other programs, TLS chatter, noise)
    Unrecognized, ///< not a line of this format (the reader records a diagnostic)
    Malformed,    ///< looked like this format but was broken (the parser diagnosed it)
};

/// What a parser may use while parsing: the file's clock, where events go, where problems
/// go. Implemented by LogReader (and by tests). Thread: the reading thread only.
class ParseContext {
public:
    virtual ~ParseContext() = default;
    /// Year inference and time zone of the current file.
    [[nodiscard]] virtual LogClock& clock() = 0;
    /// Host to use when the format does not log one (Exim mainlog, PowerMTA); may be empty.
    [[nodiscard]] virtual const QString& defaultHost() const = 0;
    /// Hands one event on. Fills format; lineNumber/byteOffset from the current line when
    /// lineNumber is 0; rawLine from the current line when it is empty and the event belongs
    /// to the current line (a parser holding events back across lines sets them itself).
    virtual void emitEvent(LogEvent&& event) = 0;
    /// Records a problem found in the current line, or in an earlier one (lineNumber > 0).
    virtual void diagnose(Diagnostic::Severity severity, const QString& what,
                          qint64 lineNumber = 0) = 0;
};

/// Parser for one log format. One instance per reader; it may keep state across lines and
/// across the files of one rotation set (qmail delivery numbers, a split line, a CSV header).
/// Parsers never throw and never assert on input. Thread: one thread at a time.
class LogParser {
public:
    virtual ~LogParser() = default;
    [[nodiscard]] virtual LogFormat format() const = 0;
    /// Called before the first line of each file; head is the file's beginning (up to
    /// LogReader::kSniffBytes, its last line possibly cut), for a parser that needs to know
    /// something of the file before its first line (which server logged it).
    virtual void beginFile(ParseContext& context, QByteArrayView head)
    {
        (void)context;
        (void)head;
    }
    /// Parses one line, emitting its events through context.
    [[nodiscard]] virtual LineStatus parseLine(const LogLine& line, ParseContext& context) = 0;
    /// Called after the last line of each file (and when reading stops): flush held events.
    virtual void endFile(ParseContext& context) { (void)context; }
    /// Forgets every cross-line state (a new, unrelated source).
    virtual void reset() {}
};

} // namespace bi::core::logs
