// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

class QIODevice;

namespace bi::core::logs {

/// Streams lines from a device in fixed-size chunks: LF or CRLF endings (the CR is dropped),
/// a last line without an ending, and lines longer than a limit, which are cut (the rest up to
/// the next line ending is skipped) so memory stays bounded whatever the input.
/// Ownership: the device is not owned and must stay open while reading.
/// Thread: one thread at a time.
class LineReader final {
public:
    struct Line {
        QByteArrayView text; ///< valid until the next call to next()
        qint64 number = 0;   ///< 1-based
        qint64 offset = 0;   ///< of the first byte, from the start of the stream
        bool cut = false;    ///< longer than the limit; text holds its beginning
    };

    static constexpr qint64 kChunkSize = 256 * 1024;

    /// initial: bytes already read from the device (the sniffing head); they come first.
    LineReader(QIODevice* device, qint64 maxLineLength, QByteArray initial = {});

    /// The next line; false at the end of the input or after a read error (see hasError()).
    [[nodiscard]] bool next(Line& out);

    /// Bytes consumed so far (up to the end of the last line returned).
    [[nodiscard]] qint64 position() const { return m_bufferOffset + m_pos; }
    [[nodiscard]] bool hasError() const { return m_error; }
    [[nodiscard]] QString errorString() const { return m_errorString; }

private:
    [[nodiscard]] bool fill();

    QIODevice* m_device = nullptr;
    qint64 m_maxLine = 0;
    QByteArray m_buffer;
    qsizetype m_pos = 0;
    qint64 m_bufferOffset = 0; // stream offset of m_buffer[0]
    qint64 m_number = 0;
    bool m_eof = false;
    bool m_error = false;
    bool m_skipping = false; // inside the rest of a cut line
    int m_emptyReads = 0;
    QByteArray m_cutLine;    // beginning of a cut line whose bytes left the buffer
    QString m_errorString;
};

} // namespace bi::core::logs
