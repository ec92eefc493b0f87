// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>

#include <QByteArray>
#include <QString>

#include "core/common/diagnostic.h"
#include "core/mail/raw_message.h"

class QIODevice;

namespace bi::core::mail {

/// Streaming splitter: turns an mbox (mboxo, mboxrd, mboxcl, mboxcl2; LF, CRLF or mixed) read
/// from a QIODevice into RawMessages, one at a time.
///
/// Rules: a separator is a line starting with `From ` at the start of the input or after an
/// empty line, or one that clearly looks like `From <sender> <asctime date>` without the empty
/// line. The single empty line before each separator is dropped (also the one ending the input,
/// when the file showed that convention before). One `>` is removed from lines matching
/// `^>+From ` (mboxrd). A `Content-Length:` header is trusted when the body it describes ends
/// exactly on a separator or the end of input (mboxcl2: the body may hold unquoted `From `
/// lines); otherwise it is ignored with a diagnostic.
///
/// In Mode::SingleMessage the whole input is one message, returned byte for byte (.eml files),
/// with the same size cap and checks.
///
/// Memory: reads chunkSize() bytes at a time and keeps one message (at most maxMessageSize()
/// bytes; a longer message is cut with a diagnostic and reading goes on at the next separator).
/// Problems in the input (truncation, NUL bytes, overlong header lines, garbage, bad
/// Content-Length, read errors) become diagnostics on the message they concern; nothing throws.
/// Ownership: the device is not owned; it must be open for reading and outlive the reader.
/// Thread: one thread at a time.
class MboxReader final {
public:
    enum class Mode { Mbox, SingleMessage };

    static constexpr qint64 kDefaultChunkSize = 1024 * 1024;
    static constexpr qint64 kDefaultMaxMessageSize = 256LL * 1024 * 1024;
    /// RFC 5322 §2.1.1: lines must not exceed 998 characters (CRLF excluded).
    static constexpr qint64 kMaxHeaderLineLength = 998;

    MboxReader(QIODevice* device, QString sourcePath, Mode mode = Mode::Mbox);
    ~MboxReader();
    MboxReader(const MboxReader&) = delete;
    MboxReader& operator=(const MboxReader&) = delete;

    /// Bytes read from the device per call (at least 4 KiB). Set before the first next().
    void setChunkSize(qint64 bytes);
    [[nodiscard]] qint64 chunkSize() const { return m_chunkSize; }
    /// Largest message kept in memory (at least 1 KiB); longer ones are cut with a diagnostic.
    void setMaxMessageSize(qint64 bytes);
    [[nodiscard]] qint64 maxMessageSize() const { return m_maxMessageSize; }

    /// Reads the next message into out. Returns false when there is none left (end of input, or
    /// a read error: see hasReadError()). A read error in the middle of a message still returns
    /// that message first, with a diagnostic.
    [[nodiscard]] bool next(RawMessage& out);

    /// Bytes of (decompressed) input consumed so far.
    [[nodiscard]] qint64 position() const;
    /// Messages returned so far.
    [[nodiscard]] int messageCount() const { return m_count; }
    /// True when the device reported an error; readErrorString() says which.
    [[nodiscard]] bool hasReadError() const { return m_readError; }
    [[nodiscard]] QString readErrorString() const { return m_readErrorString; }
    /// Problems that belong to no message (garbage in an input with no message at all, a read
    /// error between two messages). Cleared by the call.
    [[nodiscard]] Diagnostics takeInputDiagnostics();

    /// True when the line looks like an RFC 5322 header field (`name:`; §3.6.8 field-name, with
    /// the obsolete white space before the colon of §4.5.3).
    [[nodiscard]] static bool isHeaderFieldLine(const char* data, qsizetype size);
    /// True when the line (without line ending) is a classic envelope line:
    /// `From <sender> <asctime date>` (e.g. `From MAILER-DAEMON Thu Apr 29 23:34:45 2008`).
    [[nodiscard]] static bool looksLikeEnvelope(const char* data, qsizetype size);

private:
    struct Segment;
    struct Pending;

    [[nodiscard]] bool nextSegment(Segment& seg);
    [[nodiscard]] bool ensureAvailable(qsizetype bytes);
    [[nodiscard]] bool readChunk();
    [[nodiscard]] bool contentLengthLands();
    void appendToMessage(const char* data, qsizetype size, qint64 endOffset, bool endsLine);
    void flushRun();
    void flushBlank();
    void noteHeaderLine(const char* data, qsizetype size, const Segment& seg);
    void finishMessage(RawMessage& out, bool atEnd);
    void startMessage(qint64 offset, QByteArray envelope);
    void addDiagnostic(Diagnostic::Severity severity, qint64 offset, QString what);

    QIODevice* m_device = nullptr;
    QString m_sourcePath;
    Mode m_mode = Mode::Mbox;
    qint64 m_chunkSize = kDefaultChunkSize;
    qint64 m_maxMessageSize = kDefaultMaxMessageSize;

    // Input window: m_buf[m_bufPos..] is unread; m_bufOffset is the input offset of m_buf[0].
    QByteArray m_buf;
    qsizetype m_bufPos = 0;
    qint64 m_bufOffset = 0;
    bool m_eof = false;
    bool m_readError = false;
    QString m_readErrorString;
    bool m_readErrorReported = false;
    bool m_atLineStart = true;

    int m_count = 0;
    bool m_started = false;           // the first separator (or first byte, SingleMessage) was seen
    bool m_messageOpen = false;
    bool m_blankBeforeSeparator = false; // the writer put an empty line before a separator
    bool m_expectSeparator = false;   // a trusted Content-Length body just ended
    qint64 m_skippedBeforeFirst = 0;  // garbage before the first separator
    std::unique_ptr<Pending> m_cur;
    Diagnostics m_inputDiagnostics;
};

} // namespace bi::core::mail
