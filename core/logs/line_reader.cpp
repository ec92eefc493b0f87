// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/logs/line_reader.h"

#include <QIODevice>

#include "core/logs/log_text.h"

namespace bi::core::logs {

LineReader::LineReader(QIODevice* device, qint64 maxLineLength, QByteArray initial)
    : m_device(device)
    , m_maxLine(qMax<qint64>(maxLineLength, 256))
    , m_buffer(std::move(initial))
{
}

bool LineReader::fill()
{
    if (m_eof)
        return false;
    if (m_pos > 0) {
        m_buffer.remove(0, m_pos);
        m_bufferOffset += m_pos;
        m_pos = 0;
    }
    const qsizetype old = m_buffer.size();
    m_buffer.resize(old + kChunkSize);
    const qint64 got = m_device ? m_device->read(m_buffer.data() + old, kChunkSize) : 0;
    if (got < 0) {
        m_buffer.resize(old);
        m_error = true;
        m_errorString = m_device->errorString();
        m_eof = true;
        return false;
    }
    m_buffer.resize(old + qsizetype(got));
    if (got == 0) {
        // A device that keeps handing out nothing without saying atEnd() must not spin us.
        if (!m_device || m_device->atEnd() || !m_device->isOpen() || ++m_emptyReads > 3) {
            m_eof = true;
            return false;
        }
    } else {
        m_emptyReads = 0;
    }
    return true;
}

bool LineReader::next(Line& out)
{
    for (;;) {
        const qsizetype nl = text::findChar(m_buffer, '\n', m_pos);
        if (nl >= 0) {
            const qsizetype start = m_pos;
            m_pos = nl + 1;
            if (m_skipping) {
                m_skipping = false;
                continue;
            }
            qsizetype len = nl - start;
            if (len > 0 && m_buffer[start + len - 1] == '\r')
                --len;
            out.cut = len > m_maxLine;
            out.text = QByteArrayView(m_buffer.constData() + start, out.cut ? m_maxLine : len);
            out.number = ++m_number;
            out.offset = m_bufferOffset + start;
            return true;
        }
        const qsizetype remaining = m_buffer.size() - m_pos;
        if (remaining > m_maxLine) {
            // No line end within the limit: hand out the beginning, drop the rest up to the
            // next line end, so the buffer never grows past limit + one chunk.
            const bool first = !m_skipping;
            const qint64 offset = m_bufferOffset + m_pos;
            if (first)
                m_cutLine = QByteArray(m_buffer.constData() + m_pos, qsizetype(m_maxLine));
            m_bufferOffset += m_buffer.size();
            m_buffer.clear();
            m_pos = 0;
            m_skipping = true;
            if (first) {
                out.cut = true;
                out.text = QByteArrayView(m_cutLine);
                out.number = ++m_number;
                out.offset = offset;
                return true;
            }
            continue;
        }
        if (!fill()) {
            if (remaining > 0 && !m_skipping) {
                const qsizetype start = m_pos;
                m_pos = m_buffer.size();
                qsizetype len = remaining;
                if (m_buffer[start + len - 1] == '\r')
                    --len;
                out.cut = false;
                out.text = QByteArrayView(m_buffer.constData() + start, len);
                out.number = ++m_number;
                out.offset = m_bufferOffset + start;
                return true;
            }
            return false;
        }
    }
}

} // namespace bi::core::logs
