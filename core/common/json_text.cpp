// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/common/json_text.h"

#include <charconv>
#include <cmath>
#include <cstring>

#include <QLocale>

namespace bi::core::json {

namespace {

constexpr char kHex[] = "0123456789abcdef";

// \u and four hex digits at d; returns where they end.
char* putUnicodeEscape(char* d, char16_t c)
{
    const char esc[] = {'\\', 'u', kHex[(c >> 12) & 0xf], kHex[(c >> 8) & 0xf], kHex[(c >> 4) & 0xf], kHex[c & 0xf]};
    std::memcpy(d, esc, sizeof esc);
    return d + sizeof esc;
}

char* putDigits(char* d, int value, int width)
{
    for (int i = width - 1; i >= 0; --i, value /= 10)
        d[i] = char('0' + value % 10);
    return d + width;
}

} // namespace

void appendString(QByteArray& out, QStringView s)
{
    const auto* p = reinterpret_cast<const char16_t*>(s.data());
    const qsizetype n = s.size();
    // Written in place (one append per character was most of the work): room for the quotes
    // and six bytes a unit, the longest escape; UTF-8 takes at most three.
    const qsizetype start = out.size();
    out.resize(start + 2 + 6 * n);
    char* const base = out.data();
    char* d = base + start;
    *d++ = '"';
    qsizetype i = 0;
    while (i < n) {
        // The plain run up to the next character to escape or encode, narrowed in one loop.
        qsizetype plain = i;
        while (plain < n && p[plain] >= 0x20 && p[plain] < 0x80 && p[plain] != u'"' && p[plain] != u'\\')
            ++plain;
        for (qsizetype k = i; k < plain; ++k)
            d[k - i] = char(p[k]);
        d += plain - i;
        i = plain;
        if (i == n)
            break;
        const char16_t c = p[i];
        if (c >= 0x80) {
            if (c < 0x800) {
                *d++ = char(0xc0 | (c >> 6));
                *d++ = char(0x80 | (c & 0x3f));
            } else if (QChar::isHighSurrogate(c) && i + 1 < n && QChar::isLowSurrogate(p[i + 1])) {
                const char32_t u = QChar::surrogateToUcs4(c, p[i + 1]);
                *d++ = char(0xf0 | (u >> 18));
                *d++ = char(0x80 | ((u >> 12) & 0x3f));
                *d++ = char(0x80 | ((u >> 6) & 0x3f));
                *d++ = char(0x80 | (u & 0x3f));
                ++i;
            } else if (QChar::isSurrogate(c)) {
                d = putUnicodeEscape(d, c); // not text: as QJsonDocument writes it
            } else {
                *d++ = char(0xe0 | (c >> 12));
                *d++ = char(0x80 | ((c >> 6) & 0x3f));
                *d++ = char(0x80 | (c & 0x3f));
            }
            ++i;
            continue;
        }
        *d++ = '\\';
        switch (c) {
        case u'"': *d++ = '"'; break;
        case u'\\': *d++ = '\\'; break;
        case u'\b': *d++ = 'b'; break;
        case u'\f': *d++ = 'f'; break;
        case u'\n': *d++ = 'n'; break;
        case u'\r': *d++ = 'r'; break;
        case u'\t': *d++ = 't'; break;
        default:
            d = putUnicodeEscape(d - 1, c); // RFC 8259 §7: other control characters
            break;
        }
        ++i;
    }
    *d++ = '"';
    out.resize(d - base);
}

void appendStringArray(QByteArray& out, const QStringList& items)
{
    out.append('[');
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (i > 0)
            out.append(',');
        appendString(out, items.at(i));
    }
    out.append(']');
}

void appendIsoUtc(QByteArray& out, const QDateTime& t)
{
    if (!t.isValid()) {
        out.append("\"\"");
        return;
    }
    const QDateTime utc = t.toUTC();
    const QDate date = utc.date();
    if (date.year() < 1 || date.year() > 9999) { // Qt's own rules for the rare rest
        appendString(out, utc.toString(Qt::ISODate));
        return;
    }
    const QTime time = utc.time();
    char buf[24];
    char* d = buf;
    *d++ = '"';
    d = putDigits(d, date.year(), 4);
    *d++ = '-';
    d = putDigits(d, date.month(), 2);
    *d++ = '-';
    d = putDigits(d, date.day(), 2);
    *d++ = 'T';
    d = putDigits(d, time.hour(), 2);
    *d++ = ':';
    d = putDigits(d, time.minute(), 2);
    *d++ = ':';
    d = putDigits(d, time.second(), 2);
    *d++ = 'Z';
    *d++ = '"';
    out.append(buf, d - buf);
}

void appendDouble(QByteArray& out, double v)
{
    if (!std::isfinite(v)) {
        out.append("null");
        return;
    }
    // An integral value a double holds exactly (up to 2^53) becomes an integer in the
    // QJsonValue: 1e6 is "1000000", where 'g' would give "1e+06".
    if (v == std::trunc(v) && std::abs(v) <= 0x1p53) {
        appendInt(out, qint64(v));
        return;
    }
    out.append(QByteArray::number(v, 'g', QLocale::FloatingPointShortest));
}

void appendInt(QByteArray& out, qint64 v)
{
    char buf[24];
    const auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
    out.append(buf, end - buf);
}

} // namespace bi::core::json
