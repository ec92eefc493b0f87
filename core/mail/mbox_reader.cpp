// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/mail/mbox_reader.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>

#include <QIODevice>

using namespace Qt::StringLiterals;

namespace bi::core::mail {

namespace {

constexpr qsizetype kMaxEnvelopeLength = 4096;
constexpr std::string_view kFrom = "From ";

bool startsWithFrom(const char* data, qsizetype size)
{
    return size >= 5 && std::memcmp(data, kFrom.data(), 5) == 0;
}

bool isBlankLine(const char* data, qsizetype size)
{
    return size == 1 ? data[0] == '\n' : (size == 2 && data[0] == '\r' && data[1] == '\n');
}

qsizetype withoutLineEnding(const char* data, qsizetype size)
{
    while (size > 0 && (data[size - 1] == '\n' || data[size - 1] == '\r'))
        --size;
    return size;
}

bool isDigits(std::string_view s, size_t min, size_t max)
{
    return s.size() >= min && s.size() <= max
        && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool isWeekday(std::string_view s)
{
    static constexpr std::array<std::string_view, 7> days{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    return std::find(days.begin(), days.end(), s) != days.end();
}

bool isMonth(std::string_view s)
{
    static constexpr std::array<std::string_view, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    return std::find(months.begin(), months.end(), s) != months.end();
}

bool isTime(std::string_view s)
{
    // hh:mm or hh:mm:ss; one-digit fields occur in hand-edited samples ("00:0:00").
    size_t pos = 0;
    int fields = 0;
    while (pos <= s.size()) {
        const size_t colon = s.find(':', pos);
        const std::string_view part = s.substr(pos, colon == std::string_view::npos ? s.npos : colon - pos);
        if (!isDigits(part, 1, 2))
            return false;
        ++fields;
        if (colon == std::string_view::npos)
            break;
        pos = colon + 1;
    }
    return fields == 2 || fields == 3;
}

QString sizeText(qint64 bytes)
{
    if (bytes >= 1024 * 1024)
        return QString::number(bytes / (1024.0 * 1024.0), 'f', 1) + u" MiB"_s;
    return QString::number(bytes) + u" bytes"_s;
}

} // namespace

struct MboxReader::Segment {
    qsizetype start = 0; // index in m_buf
    qsizetype size = 0;
    qint64 offset = 0;   // input offset of the first byte
    bool atLineStart = false;
    bool endsLine = false;
};

struct MboxReader::Pending {
    QByteArray bytes;
    QByteArray envelope;
    Diagnostics diagnostics;
    qint64 offset = 0;        // input offset of the first byte
    qint64 end = 0;           // input offset after the last byte that belongs to the message
    qsizetype blankSize = 0;  // an empty line held back: it is dropped if a separator follows
    qint64 blankOffset = 0;
    qint64 headerLineStart = 0;
    qint64 headerLineLength = 0;
    qint64 contentLength = -1;
    // Lines that follow each other in the read buffer are copied to `bytes` in one go: the
    // run [runStart, runStart + runSize) of m_buf not yet copied.
    qsizetype runStart = 0;
    qsizetype runSize = 0;
    bool inHeader = true;
    bool contentLengthChecked = false;
    bool contentLengthTrusted = false;
    bool lastEndsLine = true;
    bool cut = false;
    bool sawNul = false;
    bool sawLongHeaderLine = false;
};

MboxReader::MboxReader(QIODevice* device, QString sourcePath, Mode mode)
    : m_device(device), m_sourcePath(std::move(sourcePath)), m_mode(mode)
{
}

MboxReader::~MboxReader() = default;

void MboxReader::setChunkSize(qint64 bytes)
{
    m_chunkSize = std::max<qint64>(bytes, 4096);
}

void MboxReader::setMaxMessageSize(qint64 bytes)
{
    m_maxMessageSize = std::max<qint64>(bytes, 1024);
}

qint64 MboxReader::position() const
{
    return m_bufOffset + m_bufPos;
}

Diagnostics MboxReader::takeInputDiagnostics()
{
    return std::exchange(m_inputDiagnostics, {});
}

bool MboxReader::isHeaderFieldLine(const char* data, qsizetype size)
{
    // RFC 5322 §3.6.8: field-name = 1*ftext, ftext = %d33-57 / %d59-126.
    qsizetype i = 0;
    while (i < size && data[i] >= 33 && data[i] <= 126 && data[i] != ':')
        ++i;
    if (i == 0)
        return false;
    while (i < size && (data[i] == ' ' || data[i] == '\t'))
        ++i;
    return i < size && data[i] == ':';
}

bool MboxReader::looksLikeEnvelope(const char* data, qsizetype size)
{
    if (!startsWithFrom(data, size))
        return false;
    const std::string_view line(data + 5, static_cast<size_t>(withoutLineEnding(data, size) - 5));
    std::array<std::string_view, 10> tokens;
    size_t count = 0;
    size_t pos = 0;
    while (pos < line.size()) {
        while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t'))
            ++pos;
        if (pos >= line.size())
            break;
        size_t end = pos;
        while (end < line.size() && line[end] != ' ' && line[end] != '\t')
            ++end;
        if (count == tokens.size())
            return false;
        tokens[count++] = line.substr(pos, end - pos);
        pos = end;
    }
    // sender, weekday, month, day, time, then the year with an optional zone before or after
    // (asctime(3) as written by sendmail, procmail, mutt; "remote from" UUCP suffixes excluded).
    if (count < 6 || count > 8)
        return false;
    if (!isWeekday(tokens[1]) || !isMonth(tokens[2]) || !isDigits(tokens[3], 1, 2) || !isTime(tokens[4]))
        return false;
    for (size_t i = 5; i < count; ++i) {
        if (isDigits(tokens[i], 4, 4))
            return true;
    }
    return false;
}

void MboxReader::addDiagnostic(Diagnostic::Severity severity, qint64 offset, QString what)
{
    Diagnostic d{severity, (m_mode == Mode::Mbox ? u"mbox@"_s : u"message@"_s) + QString::number(offset),
                 std::move(what)};
    if (m_cur && m_messageOpen)
        m_cur->diagnostics.append(std::move(d));
    else
        m_inputDiagnostics.append(std::move(d));
}

bool MboxReader::readChunk()
{
    if (m_eof)
        return false;
    flushRun(); // the buffer is about to move
    if (m_bufPos > 0) {
        m_buf.remove(0, m_bufPos);
        m_bufOffset += m_bufPos;
        m_bufPos = 0;
        // A trusted Content-Length may have grown the window to a whole message; give it back.
        if (m_buf.capacity() > 4 * m_chunkSize && m_buf.size() < m_chunkSize)
            m_buf.squeeze();
    }
    const qsizetype old = m_buf.size();
    m_buf.resize(old + m_chunkSize);
    const qint64 got = m_device->read(m_buf.data() + old, m_chunkSize);
    m_buf.resize(old + std::max<qint64>(got, 0));
    if (got < 0) {
        m_eof = true;
        m_readError = true;
        m_readErrorString = m_device->errorString();
        if (m_readErrorString.isEmpty())
            m_readErrorString = u"read error"_s;
        return false;
    }
    if (got == 0) {
        m_eof = true;
        return false;
    }
    return true;
}

bool MboxReader::ensureAvailable(qsizetype bytes)
{
    while (m_buf.size() - m_bufPos < bytes) {
        if (!readChunk())
            return false;
    }
    return true;
}

bool MboxReader::nextSegment(Segment& seg)
{
    for (;;) {
        const qsizetype avail = m_buf.size() - m_bufPos;
        const qsizetype limit = std::min<qsizetype>(avail, m_chunkSize);
        const char* start = m_buf.constData() + m_bufPos;
        const void* nl = limit > 0 ? std::memchr(start, '\n', static_cast<size_t>(limit)) : nullptr;
        qsizetype size = 0;
        bool endsLine = false;
        if (nl) {
            size = static_cast<const char*>(nl) - start + 1;
            endsLine = true;
        } else if (avail >= m_chunkSize) {
            size = m_chunkSize; // overlong line: hand it out in pieces to keep memory bounded
        } else if (m_eof) {
            if (avail == 0)
                return false;
            size = avail;
        } else {
            (void)readChunk();
            continue;
        }
        seg.start = m_bufPos;
        seg.size = size;
        seg.offset = m_bufOffset + m_bufPos;
        seg.atLineStart = m_atLineStart;
        seg.endsLine = endsLine;
        m_bufPos += size;
        m_atLineStart = endsLine;
        return true;
    }
}

void MboxReader::startMessage(qint64 offset, QByteArray envelope)
{
    m_cur = std::make_unique<Pending>();
    m_cur->offset = offset;
    m_cur->end = offset;
    m_cur->envelope = std::move(envelope);
    // Content-Length only delimits messages inside an mbox; a lone message file ends at its end.
    m_cur->contentLengthChecked = m_mode == Mode::SingleMessage;
    m_messageOpen = true;
}

void MboxReader::appendToMessage(const char* data, qsizetype size, qint64 endOffset, bool endsLine)
{
    Pending& c = *m_cur;
    if (!c.sawNul) {
        if (const void* nul = std::memchr(data, 0, static_cast<size_t>(size))) {
            c.sawNul = true;
            addDiagnostic(Diagnostic::Severity::Warning,
                          endOffset - size + (static_cast<const char*>(nul) - data),
                          u"message contains NUL bytes (not allowed by RFC 5322 §2.1)"_s);
        }
    }
    if (!c.cut) {
        const qint64 room = m_maxMessageSize - c.bytes.size() - c.runSize;
        const char* buf = m_buf.constData();
        const bool inBuffer = data >= buf && data < buf + m_buf.size();
        if (size <= room && inBuffer && (c.runSize == 0 || buf + c.runStart + c.runSize == data)) {
            if (c.runSize == 0)
                c.runStart = data - buf;
            c.runSize += size;
        } else if (size <= room) {
            flushRun();
            c.bytes.append(data, size);
        } else {
            flushRun();
            c.bytes.append(data, static_cast<qsizetype>(room));
            c.cut = true;
            addDiagnostic(Diagnostic::Severity::Error, endOffset - size + room,
                          u"message larger than the limit of "_s + sizeText(m_maxMessageSize)
                              + u": only its first "_s + QString::number(m_maxMessageSize)
                              + u" bytes were kept"_s);
        }
    }
    c.end = endOffset;
    c.lastEndsLine = endsLine;
}

void MboxReader::flushRun()
{
    if (!m_cur || m_cur->runSize == 0)
        return;
    Pending& c = *m_cur;
    c.bytes.append(m_buf.constData() + c.runStart, c.runSize);
    c.runSize = 0;
}

void MboxReader::flushBlank()
{
    Pending& c = *m_cur;
    if (c.blankSize == 0)
        return;
    const qsizetype size = std::exchange(c.blankSize, 0);
    appendToMessage(size == 1 ? "\n" : "\r\n", size, c.blankOffset + size, true);
    c.inHeader = false;
}

void MboxReader::noteHeaderLine(const char* data, qsizetype size, const Segment& seg)
{
    Pending& c = *m_cur;
    if (seg.atLineStart) {
        c.headerLineStart = seg.offset;
        c.headerLineLength = 0;
        static constexpr std::string_view kName = "content-length";
        if (c.contentLength < 0 && !c.contentLengthChecked && seg.endsLine && size > qsizetype(kName.size())
            && qstrnicmp(data, kName.data(), kName.size()) == 0) {
            QByteArrayView rest(data + kName.size(), withoutLineEnding(data, size) - qsizetype(kName.size()));
            rest = rest.trimmed();
            if (rest.startsWith(':')) {
                const QByteArrayView value = rest.sliced(1).trimmed();
                const std::string_view digits(value.data(), static_cast<size_t>(value.size()));
                if (isDigits(digits, 1, 15)) {
                    c.contentLength = value.toLongLong();
                } else {
                    c.contentLengthChecked = true;
                    addDiagnostic(Diagnostic::Severity::Warning, seg.offset,
                                  u"invalid Content-Length header ignored: "_s
                                      + QString::fromLatin1(value.first(std::min<qsizetype>(value.size(), 40))));
                }
            }
        }
    }
    c.headerLineLength += seg.endsLine ? withoutLineEnding(data, size) : size;
    if (seg.endsLine && !c.sawLongHeaderLine && c.headerLineLength > kMaxHeaderLineLength) {
        c.sawLongHeaderLine = true;
        addDiagnostic(Diagnostic::Severity::Warning, c.headerLineStart,
                      u"header line of "_s + QString::number(c.headerLineLength)
                          + u" bytes (RFC 5322 §2.1.1 allows 998)"_s);
    }
}

bool MboxReader::contentLengthLands()
{
    // mboxcl/mboxcl2 (Solaris mail, mutt, qmail's mbox): Content-Length counts the body bytes,
    // and an mboxcl2 body is not quoted. Other writers copy the sender's Content-Length, which
    // is often wrong; trust it only when it ends exactly where a message may end.
    Pending& c = *m_cur;
    c.contentLengthChecked = true;
    const qint64 n = c.contentLength;
    const qint64 at = position();
    if (n > m_maxMessageSize) {
        addDiagnostic(Diagnostic::Severity::Warning, at,
                      u"Content-Length: "_s + QString::number(n) + u" ignored: larger than the message limit"_s);
        return false;
    }
    (void)ensureAvailable(static_cast<qsizetype>(n) + 7);
    const qsizetype avail = m_buf.size() - m_bufPos;
    bool lands = false;
    if (avail >= n) {
        const char* body = m_buf.constData() + m_bufPos;
        const char* q = body + n;
        const qsizetype rest = avail - static_cast<qsizetype>(n);
        const bool cleanEnd = m_eof && !m_readError;
        if (n == 0 || q[-1] == '\n') {
            lands = (rest == 0 && cleanEnd) || startsWithFrom(q, rest)
                || (rest >= 1 && q[0] == '\n' && (startsWithFrom(q + 1, rest - 1) || (rest == 1 && cleanEnd)))
                || (rest >= 2 && q[0] == '\r' && q[1] == '\n'
                    && (startsWithFrom(q + 2, rest - 2) || (rest == 2 && cleanEnd)));
        }
    }
    // Many MTAs keep the sender's Content-Length, which quoting or a gateway made stale: worth
    // noting, not alarming. One that runs past the end hints at a truncated file.
    if (!lands && avail < n)
        addDiagnostic(Diagnostic::Severity::Warning, at,
                      u"Content-Length: "_s + QString::number(n) + u" runs past the end of the input; ignored"_s);
    else if (!lands)
        addDiagnostic(Diagnostic::Severity::Info, at,
                      u"Content-Length: "_s + QString::number(n) + u" does not end at a message boundary; ignored"_s);
    c.contentLengthTrusted = lands;
    return lands;
}

void MboxReader::finishMessage(RawMessage& out, bool atEnd)
{
    flushRun();
    Pending& c = *m_cur;
    if (c.blankSize > 0 && atEnd && !m_blankBeforeSeparator && !c.contentLengthTrusted) {
        // Writers add an empty line after each message; without having seen that convention in
        // this input (one-message files such as a saved .eml with its From line), keep the line.
        // A trusted Content-Length already said where the message ends.
        flushBlank();
    }
    c.blankSize = 0;
    if (atEnd && m_mode == Mode::Mbox && !c.lastEndsLine)
        addDiagnostic(Diagnostic::Severity::Warning, c.end,
                      u"input ends in the middle of a line: the message may be truncated"_s);
    if (atEnd && m_readError && !m_readErrorReported) {
        m_readErrorReported = true;
        addDiagnostic(Diagnostic::Severity::Error, c.end,
                      u"read error, the message may be incomplete: "_s + m_readErrorString);
    }
    if (c.contentLength > 0 && !c.contentLengthChecked)
        addDiagnostic(Diagnostic::Severity::Warning, c.offset,
                      u"Content-Length: "_s + QString::number(c.contentLength)
                          + u" ignored: the message has no body"_s);
    if (c.bytes.isEmpty()) {
        addDiagnostic(Diagnostic::Severity::Warning, c.offset, u"empty message"_s);
    } else {
        const char* nl = static_cast<const char*>(std::memchr(c.bytes.constData(), '\n', size_t(c.bytes.size())));
        const qsizetype firstLine = nl ? nl - c.bytes.constData() : c.bytes.size();
        if (!isHeaderFieldLine(c.bytes.constData(), firstLine))
            addDiagnostic(Diagnostic::Severity::Warning, c.offset,
                          u"message does not start with a header field (garbage in the mailbox?)"_s);
    }

    out = RawMessage{};
    out.bytes = std::move(c.bytes);
    out.sourcePath = m_sourcePath;
    out.index = ++m_count;
    out.offset = c.offset;
    out.length = c.end - c.offset;
    out.envelopeLine = std::move(c.envelope);
    out.diagnostics = std::move(c.diagnostics);
    m_cur.reset();
    m_messageOpen = false;
    m_expectSeparator = false;
}

bool MboxReader::next(RawMessage& out)
{
    Segment seg;
    for (;;) {
        if (!nextSegment(seg)) {
            if (m_messageOpen) {
                finishMessage(out, true);
                return true;
            }
            if (!m_started && m_skippedBeforeFirst > 0) {
                addDiagnostic(Diagnostic::Severity::Warning, 0,
                              QString::number(m_skippedBeforeFirst)
                                  + u" bytes without a \"From \" separator line: no message found"_s);
                m_skippedBeforeFirst = 0;
            }
            if (m_readError && !m_readErrorReported) {
                m_readErrorReported = true;
                addDiagnostic(Diagnostic::Severity::Error, position(), u"read error: "_s + m_readErrorString);
            }
            return false;
        }
        const char* p = m_buf.constData() + seg.start;

        if (m_mode == Mode::SingleMessage) {
            if (!m_messageOpen) {
                m_started = true;
                startMessage(seg.offset, {});
            }
            if (m_cur->inHeader) {
                if (seg.atLineStart && seg.endsLine && isBlankLine(p, seg.size))
                    m_cur->inHeader = false;
                else
                    noteHeaderLine(p, seg.size, seg);
            }
            appendToMessage(p, seg.size, seg.offset + seg.size, seg.endsLine);
            continue;
        }

        if (m_messageOpen && m_cur->blankSize > 0 && m_cur->inHeader && m_cur->contentLength >= 0
            && !m_cur->contentLengthChecked) {
            // The empty line after the header section: measure the body from its first byte
            // before deciding anything else (an mboxcl2 body may start with "From ").
            m_bufPos = seg.start;
            m_atLineStart = true;
            if (contentLengthLands()) {
                const qsizetype n = static_cast<qsizetype>(m_cur->contentLength);
                flushBlank();
                appendToMessage(m_buf.constData() + m_bufPos, n, position() + n, true);
                m_bufPos += n;
                m_expectSeparator = true;
            }
            continue;
        }
        const bool isFrom = seg.atLineStart && startsWithFrom(p, seg.size);
        if (isFrom) {
            const bool afterBlank = m_messageOpen && m_cur->blankSize > 0;
            const bool isSeparator = !m_started || afterBlank || m_expectSeparator
                || (seg.endsLine && looksLikeEnvelope(p, seg.size));
            if (isSeparator) {
                QByteArray envelope(p, std::min(withoutLineEnding(p, seg.size), kMaxEnvelopeLength));
                bool lineDone = seg.endsLine;
                Segment rest;
                while (!lineDone && nextSegment(rest))
                    lineDone = rest.endsLine;
                const qint64 bodyOffset = position();
                const bool hadMessage = m_messageOpen;
                if (hadMessage) {
                    if (afterBlank)
                        m_blankBeforeSeparator = true;
                    else if (!m_expectSeparator)
                        addDiagnostic(Diagnostic::Severity::Info, seg.offset,
                                      u"next \"From \" separator is not preceded by an empty line"_s);
                    finishMessage(out, false);
                }
                startMessage(bodyOffset, std::move(envelope));
                if (!m_started) {
                    m_started = true;
                    if (m_skippedBeforeFirst > 0)
                        addDiagnostic(Diagnostic::Severity::Warning, 0,
                                      QString::number(m_skippedBeforeFirst)
                                          + u" bytes before the first \"From \" line were skipped"_s);
                }
                if (hadMessage)
                    return true;
                continue;
            }
        }
        if (!m_started) {
            m_skippedBeforeFirst += seg.size;
            continue;
        }

        Pending& c = *m_cur;
        flushBlank();
        m_expectSeparator = false;
        if (seg.atLineStart && seg.endsLine && isBlankLine(p, seg.size)) {
            c.blankSize = seg.size;
            c.blankOffset = seg.offset;
            continue;
        }
        if (c.inHeader)
            noteHeaderLine(p, seg.size, seg);
        if (seg.atLineStart && p[0] == '>') {
            // mboxrd (and mboxo for one level): ">From " and ">>From " lose one '>'.
            qsizetype q = 1;
            while (q < seg.size && p[q] == '>')
                ++q;
            if (startsWithFrom(p + q, seg.size - q)) {
                appendToMessage(p + 1, seg.size - 1, seg.offset + seg.size, seg.endsLine);
                continue;
            }
        }
        appendToMessage(p, seg.size, seg.offset + seg.size, seg.endsLine);
    }
}

} // namespace bi::core::mail
