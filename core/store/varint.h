// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace bi::core::store {

// The stored encodings (log chunks, raw line blocks, the recipient index) write unsigned
// integers as LEB128 varints: 7 bits a byte, low bits first, the high bit set on all but
// the last byte.
/// Writes v at p, which has room for 10 bytes; returns the end of what it wrote.
inline char* putVarint(char* p, quint64 v)
{
    while (v >= 0x80) {
        *p++ = char(v | 0x80);
        v >>= 7;
    }
    *p++ = char(v);
    return p;
}

inline void putVarint(QByteArray& out, quint64 v)
{
    char buf[10];
    out.append(buf, putVarint(buf, v) - buf);
}

/// Bounds-checked reading of stored bytes; any inconsistency makes ok() false (a damaged
/// file must give an error, not a crash).
class ByteReader {
public:
    explicit ByteReader(QByteArrayView v) : m_p(v.data()), m_end(v.data() + v.size()) {}
    [[nodiscard]] bool ok() const { return m_ok; }
    [[nodiscard]] bool atEnd() const { return m_p >= m_end; }
    quint8 byte()
    {
        if (m_p >= m_end) {
            m_ok = false;
            return 0;
        }
        return quint8(*m_p++);
    }
    quint64 varint()
    {
        quint64 v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            const quint8 b = byte();
            v |= quint64(b & 0x7f) << shift;
            if (!(b & 0x80))
                return v;
        }
        m_ok = false;
        return 0;
    }
    QByteArrayView bytes(quint64 n)
    {
        if (n > quint64(m_end - m_p)) {
            m_ok = false;
            m_p = m_end;
            return {};
        }
        QByteArrayView v(m_p, qsizetype(n));
        m_p += n;
        return v;
    }

private:
    const char* m_p;
    const char* m_end;
    bool m_ok = true;
};

} // namespace bi::core::store
