// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/mail/header_decoder.h"

#include <array>
#include <optional>

#include <QList>
#include <QStringDecoder>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

using namespace Qt::StringLiterals;

namespace bi::core::mail {

namespace {

// WHATWG "windows-1252" for 0x80..0x9F. The five holes (0x81, 0x8D, 0x8F, 0x90, 0x9D)
// map to the C1 control of the same value, so every byte still becomes one character.
constexpr std::array<char16_t, 32> kCp1252High = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

QChar cp1252Char(uchar b)
{
    if (b >= 0x80 && b < 0xA0)
        return QChar(kCp1252High[b - 0x80]);
    return QChar(char16_t(b));
}

QString decodeCp1252(QByteArrayView bytes)
{
    QString out(bytes.size(), Qt::Uninitialized); // one unit per byte
    char16_t* w = reinterpret_cast<char16_t*>(out.data());
    for (const char c : bytes)
        *w++ = cp1252Char(uchar(c)).unicode();
    return out;
}

bool isAscii(QByteArrayView bytes)
{
    for (const char c : bytes) {
        if (uchar(c) >= 0x80)
            return false;
    }
    return true;
}

// Length of the well-formed UTF-8 sequence starting at i, or 0 (RFC 3629 §4: no overlong
// forms, no surrogates, nothing above U+10FFFF). *cp receives the code point.
int utf8SequenceAt(QByteArrayView b, qsizetype i, char32_t* cp)
{
    const uchar c0 = uchar(b[i]);
    if (c0 < 0x80) {
        *cp = c0;
        return 1;
    }
    int len = 0;
    char32_t value = 0;
    char32_t min = 0;
    if (c0 >= 0xC2 && c0 <= 0xDF) {
        len = 2;
        value = c0 & 0x1F;
        min = 0x80;
    } else if (c0 >= 0xE0 && c0 <= 0xEF) {
        len = 3;
        value = c0 & 0x0F;
        min = 0x800;
    } else if (c0 >= 0xF0 && c0 <= 0xF4) {
        len = 4;
        value = c0 & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (i + len > b.size())
        return 0;
    for (int k = 1; k < len; ++k) {
        const uchar c = uchar(b[i + k]);
        if ((c & 0xC0) != 0x80)
            return 0;
        value = (value << 6) | (c & 0x3F);
    }
    if (value < min || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
        return 0;
    *cp = value;
    return len;
}

// UTF-8 where well-formed, windows-1252 for each byte that is not: mixed or mislabelled
// text keeps every byte instead of turning into U+FFFD.
QString decodeUtf8Lenient(QByteArrayView bytes)
{
    // No byte gives more than one UTF-16 unit (a 4-byte sequence gives two): written through a
    // pointer into a string of that size, cut at the end. Appending unit by unit cost a call
    // per character of every text part.
    QString out(bytes.size(), Qt::Uninitialized);
    char16_t* w = reinterpret_cast<char16_t*>(out.data());
    const qsizetype n = bytes.size();
    qsizetype i = 0;
    while (i < n) {
        if (uchar(bytes[i]) < 0x80) {
            *w++ = char16_t(uchar(bytes[i++]));
            continue;
        }
        char32_t cp = 0;
        const int len = utf8SequenceAt(bytes, i, &cp);
        if (len == 0) {
            *w++ = cp1252Char(uchar(bytes[i])).unicode();
            ++i;
            continue;
        }
        if (cp < 0x10000) {
            *w++ = char16_t(cp);
        } else {
            *w++ = QChar::highSurrogate(cp);
            *w++ = QChar::lowSurrogate(cp);
        }
        i += len;
    }
    out.truncate(w - reinterpret_cast<const char16_t*>(out.constData()));
    return out;
}

// 7-bit ISO-2022-JP (RFC 1468) sent without any label, common in Japanese bounces:
// ESC $ B / ESC $ @ switch to JIS X 0208.
bool looksLikeIso2022Jp(QByteArrayView bytes)
{
    // Almost no text has an ESC at all: one memchr settles it before the full scans.
    if (!bytes.contains('\x1b') || !isAscii(bytes))
        return false;
    return bytes.contains("\x1b$B") || bytes.contains("\x1b$@") || bytes.contains("\x1b(J");
}

std::optional<QString> decodeWithIcu(QByteArrayView bytes, const char* name)
{
    QStringDecoder decoder(name, QStringDecoder::Flag::Stateless);
    if (!decoder.isValid())
        return std::nullopt;
    QString out = decoder.decode(bytes);
    // A decoding error with bytes that are valid UTF-8 is a mislabelled UTF-8 text
    // (seen with "iso-2022-jp" labels on UTF-8 bodies): keep the UTF-8 reading.
    if (decoder.hasError() && !isAscii(bytes) && HeaderDecoder::isValidUtf8(bytes))
        return QString::fromUtf8(bytes);
    return out;
}

QString decodeUnlabelled(QByteArrayView bytes)
{
    if (looksLikeIso2022Jp(bytes)) {
        if (auto s = decodeWithIcu(bytes, "ISO-2022-JP"))
            return *s;
    }
    return decodeUtf8Lenient(bytes);
}

bool isWsp(char c)
{
    return c == ' ' || c == '\t';
}

bool isLinearSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

// The sextet of each byte of the base64 alphabet, -1 for the others (bodies run through this
// for every byte: a table, not a chain of range tests).
constexpr std::array<qint8, 256> kBase64Values = [] {
    std::array<qint8, 256> t{};
    t.fill(-1);
    for (int i = 0; i < 26; ++i) {
        t[size_t('A' + i)] = qint8(i);
        t[size_t('a' + i)] = qint8(26 + i);
    }
    for (int i = 0; i < 10; ++i)
        t[size_t('0' + i)] = qint8(52 + i);
    t[size_t('+')] = 62;
    t[size_t('/')] = 63;
    return t;
}();

int base64Value(char c)
{
    return kBase64Values[uchar(c)];
}

struct Alias {
    const char* label;
    const char* canonical;
};

// MIME labels seen in real mail that ICU does not know or resolves to a narrower table.
constexpr Alias kAliases[] = {
    {"utf8", "utf-8"}, {"unicode-1-1-utf-8", "utf-8"}, {"unicode-2-0-utf-8", "utf-8"},
    {"x-unicode20utf8", "utf-8"}, {"uft-8", "utf-8"}, {"utf-8", "utf-8"},
    {"us-ascii", "us-ascii"}, {"ascii", "us-ascii"}, {"ansi_x3.4-1968", "us-ascii"},
    {"ansi_x3.4-1986", "us-ascii"}, {"iso646-us", "us-ascii"}, {"iso-ir-6", "us-ascii"},
    {"cp367", "us-ascii"}, {"ibm367", "us-ascii"}, {"csascii", "us-ascii"}, {"us", "us-ascii"},
    {"x-unknown", ""}, {"unknown-8bit", ""}, {"unknown", ""}, {"x-user-defined", ""},
    {"default", ""}, {"none", ""}, {"8bit", ""}, {"7bit", ""}, {"charset", ""},
    {"latin1", "iso-8859-1"}, {"l1", "iso-8859-1"}, {"cp819", "iso-8859-1"}, {"ibm819", "iso-8859-1"},
    {"iso-ir-100", "iso-8859-1"}, {"iso_8859-1:1987", "iso-8859-1"}, {"csisolatin1", "iso-8859-1"},
    {"latin2", "iso-8859-2"}, {"l2", "iso-8859-2"}, {"latin3", "iso-8859-3"}, {"latin4", "iso-8859-4"},
    {"latin5", "iso-8859-9"}, {"latin6", "iso-8859-10"}, {"latin7", "iso-8859-13"},
    {"latin8", "iso-8859-14"}, {"latin9", "iso-8859-15"}, {"latin-9", "iso-8859-15"},
    {"iso-8859-8-i", "iso-8859-8"}, {"iso-8859-8-e", "iso-8859-8"}, {"iso-8859-6-i", "iso-8859-6"},
    {"shift_jis", "shift_jis"}, {"shift-jis", "shift_jis"}, {"sjis", "shift_jis"},
    {"x-sjis", "shift_jis"}, {"ms_kanji", "shift_jis"}, {"csshiftjis", "shift_jis"},
    {"windows-31j", "shift_jis"}, {"cp932", "shift_jis"}, {"ms932", "shift_jis"},
    {"x-ms-cp932", "shift_jis"}, {"x-shift_jis", "shift_jis"}, {"shift_jisx0213", "shift_jis"},
    {"iso-2022-jp", "iso-2022-jp"}, {"csiso2022jp", "iso-2022-jp"}, {"iso-2022-jp-ms", "iso-2022-jp"},
    {"cp50220", "iso-2022-jp"}, {"cp50221", "iso-2022-jp"}, {"cp50222", "iso-2022-jp"},
    {"iso-2022-jp-1", "iso-2022-jp"}, {"iso-2022-jp-3", "iso-2022-jp"},
    {"iso-2022-jp-2", "iso-2022-jp-2"}, {"csiso2022jp2", "iso-2022-jp-2"},
    {"euc-jp", "euc-jp"}, {"x-euc-jp", "euc-jp"}, {"eucjp", "euc-jp"}, {"ujis", "euc-jp"},
    {"cseucpkdfmtjapanese", "euc-jp"}, {"x-euc", "euc-jp"},
    {"gb2312", "gb18030"}, {"gbk", "gb18030"}, {"x-gbk", "gb18030"}, {"cp936", "gb18030"},
    {"ms936", "gb18030"}, {"windows-936", "gb18030"}, {"euc-cn", "gb18030"}, {"x-euc-cn", "gb18030"},
    {"csgb2312", "gb18030"}, {"gb_2312-80", "gb18030"}, {"chinese", "gb18030"},
    {"iso-ir-58", "gb18030"}, {"gb18030", "gb18030"}, {"x-gb2312", "gb18030"},
    {"big5", "big5"}, {"x-big5", "big5"}, {"csbig5", "big5"}, {"cn-big5", "big5"},
    {"big5-hkscs", "big5-hkscs"},
    {"euc-kr", "euc-kr"}, {"ks_c_5601-1987", "euc-kr"}, {"ks_c_5601-1989", "euc-kr"},
    {"ksc5601", "euc-kr"}, {"ksc_5601", "euc-kr"}, {"korean", "euc-kr"}, {"csksc56011987", "euc-kr"},
    {"iso-ir-149", "euc-kr"}, {"windows-949", "euc-kr"}, {"cp949", "euc-kr"},
    {"x-windows-949", "euc-kr"}, {"uhc", "euc-kr"}, {"cseuckr", "euc-kr"},
    {"utf-7", "utf-7"}, {"utf7", "utf-7"}, {"unicode-1-1-utf-7", "utf-7"},
    {"csunicode11utf7", "utf-7"}, {"x-unicode-2-0-utf-7", "utf-7"},
    {"koi8r", "koi8-r"}, {"koi8-r", "koi8-r"}, {"cskoi8r", "koi8-r"}, {"koi8u", "koi8-u"},
    {"tis-620", "windows-874"}, {"iso-8859-11", "windows-874"}, {"cp874", "windows-874"},
    {"x-mac-roman", "macintosh"}, {"mac", "macintosh"},
};

// ICU converter names for our canonical names where they differ from the label.
const char* icuName(const QByteArray& canonical)
{
    if (canonical == "shift_jis")
        return "Shift_JIS"; // ICU's table is the windows-31j superset (NEC/IBM rows)
    if (canonical == "euc-kr")
        return "windows-949"; // superset of EUC-KR, what "ks_c_5601-1987" really means
    if (canonical == "iso-2022-jp")
        return "ISO-2022-JP";
    return nullptr;
}

// Whether a field value needs no decoding: ASCII on one line, with no ESC (ISO-2022) and no
// "=?" (RFC 2047). Header values are most of a bounce's bytes and nearly all of them are
// plain: sixteen bytes are checked at a time, and a block with a CR, LF, ESC, '?' or 8-bit
// byte is looked at byte by byte.
bool isPlainField(QByteArrayView raw)
{
    const char* d = raw.data();
    const qsizetype n = raw.size();
    const auto plainByte = [d](qsizetype i) {
        const auto c = uchar(d[i]);
        return c < 0x80 && c != '\r' && c != '\n' && c != 0x1b && !(c == '?' && i > 0 && d[i - 1] == '=');
    };
    qsizetype i = 0;
#if defined(__SSE2__)
    const __m128i cr = _mm_set1_epi8('\r');
    const __m128i lf = _mm_set1_epi8('\n');
    const __m128i esc = _mm_set1_epi8(0x1b);
    const __m128i question = _mm_set1_epi8('?');
    for (; i + 16 <= n; i += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + i));
        const __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf)),
                                             _mm_or_si128(_mm_cmpeq_epi8(v, esc), _mm_cmpeq_epi8(v, question)));
        // The sign bit of each byte of v is set for 8-bit bytes.
        if (_mm_movemask_epi8(_mm_or_si128(special, v)) == 0)
            continue;
        for (qsizetype k = i; k < i + 16; ++k) {
            if (!plainByte(k))
                return false;
        }
    }
#endif
    for (; i < n; ++i) {
        if (!plainByte(i))
            return false;
    }
    return true;
}

} // namespace

bool HeaderDecoder::isValidUtf8(QByteArrayView bytes)
{
    qsizetype i = 0;
    while (i < bytes.size()) {
        if (uchar(bytes[i]) < 0x80) {
            ++i;
            continue;
        }
        char32_t cp = 0;
        const int len = utf8SequenceAt(bytes, i, &cp);
        if (len == 0)
            return false;
        i += len;
    }
    return true;
}

QByteArray HeaderDecoder::canonicalCharset(QByteArrayView label)
{
    QByteArray name = label.trimmed().toByteArray();
    while (!name.isEmpty() && (name.front() == '"' || name.front() == '\''))
        name.remove(0, 1);
    while (!name.isEmpty() && (name.back() == '"' || name.back() == '\''))
        name.chop(1);
    // RFC 2231 §5: "charset*language" inside encoded words.
    if (const qsizetype star = name.indexOf('*'); star >= 0)
        name.truncate(star);
    name = name.trimmed().toLower();
    if (name.isEmpty() || name.size() > 64)
        return {};
    for (const char c : std::as_const(name)) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
            || c == '.' || c == ':' || c == '+' || c == '(' || c == ')';
        if (!ok)
            return {};
    }
    for (const Alias& a : kAliases) {
        if (name == a.label)
            return QByteArray(a.canonical);
    }
    // iso8859-2, iso_8859-2, iso-8859-2:1987 -> iso-8859-2
    if (name.startsWith("iso") && name.contains("8859")) {
        const qsizetype at = name.indexOf("8859") + 4;
        qsizetype i = at;
        while (i < name.size() && (name[i] == '-' || name[i] == '_'))
            ++i;
        qsizetype j = i;
        while (j < name.size() && name[j] >= '0' && name[j] <= '9')
            ++j;
        if (j > i)
            return "iso-8859-" + name.mid(i, j - i);
    }
    // cp1250, x-cp1250, win-1250 -> windows-1250
    for (const char* prefix : {"x-cp", "cp", "win-", "windows"}) {
        const QByteArray p(prefix);
        if (name.startsWith(p)) {
            QByteArray digits = name.mid(p.size());
            if (digits.startsWith('-'))
                digits.remove(0, 1);
            if (digits.size() == 4 && digits.startsWith("125"))
                return "windows-" + digits;
        }
    }
    return name;
}

QString HeaderDecoder::decodeCharset(const QByteArray& bytes, const QByteArray& charset)
{
    if (bytes.isEmpty())
        return {};
    const QByteArray cs = canonicalCharset(charset);
    const bool stateful = cs.startsWith("utf-7") || cs.startsWith("utf-16") || cs.startsWith("utf-32")
        || cs.startsWith("iso-2022") || cs.startsWith("hz");
    if (!stateful && isAscii(bytes) && !looksLikeIso2022Jp(bytes))
        return QString::fromLatin1(bytes);
    if (cs.isEmpty() || cs == "us-ascii")
        return decodeUnlabelled(bytes);
    if (cs == "utf-8")
        return decodeUtf8Lenient(bytes);
    // WHATWG: "iso-8859-1" labels mean windows-1252 in practice (smart quotes, euro sign).
    if (cs == "iso-8859-1" || cs == "windows-1252")
        return decodeCp1252(bytes);
    const char* icu = icuName(cs);
    if (auto s = decodeWithIcu(bytes, icu ? icu : cs.constData()))
        return *s;
    return decodeUnlabelled(bytes);
}

QByteArray HeaderDecoder::decodePercent(QByteArrayView in)
{
    QByteArray out;
    out.reserve(in.size());
    for (qsizetype i = 0; i < in.size(); ++i) {
        if (in[i] == '%' && i + 2 < in.size() && hexValue(in[i + 1]) >= 0 && hexValue(in[i + 2]) >= 0) {
            out.append(char(hexValue(in[i + 1]) * 16 + hexValue(in[i + 2])));
            i += 2;
        } else {
            out.append(in[i]);
        }
    }
    return out;
}

QString HeaderDecoder::decodeRfc2231(const QByteArray& value)
{
    // RFC 2231 §4: charset ' language ' octets; both parts may be empty.
    const qsizetype q1 = value.indexOf('\'');
    const qsizetype q2 = q1 >= 0 ? value.indexOf('\'', q1 + 1) : -1;
    if (q1 < 0 || q2 < 0)
        return decodeCharset(decodePercent(value), {});
    return decodeCharset(decodePercent(QByteArrayView(value).sliced(q2 + 1)), value.left(q1));
}

QByteArray HeaderDecoder::decodeQuotedPrintable(const QByteArray& in, bool isHeader)
{
    return decodeQuotedPrintable(in, isHeader, nullptr);
}

QByteArray HeaderDecoder::decodeQuotedPrintable(const QByteArray& in, bool isHeader, bool* clean)
{
    // The output is never longer than the input: write through a pointer into a buffer of
    // that size and cut it at the end (appending byte by byte cost a call per byte).
    QByteArray out(in.size(), Qt::Uninitialized);
    char* w = out.data();
    const char* d = in.constData();
    const qsizetype n = in.size();
    qsizetype i = 0;
#if defined(__SSE2__)
    const __m128i equals = _mm_set1_epi8('=');
    const __m128i space = _mm_set1_epi8(' ');
    const __m128i tab = _mm_set1_epi8('\t');
#endif
    while (i < n) {
#if defined(__SSE2__)
        // A body is mostly runs of bytes that stand for themselves: copied sixteen at a time up
        // to the next '=' or blank. The output never runs ahead of the input (w <= d + i), so
        // a whole block always fits even when only part of it counts.
        if (!isHeader) {
            while (i + 16 <= n) {
                const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + i));
                const auto special = unsigned(_mm_movemask_epi8(_mm_or_si128(
                    _mm_cmpeq_epi8(v, equals), _mm_or_si128(_mm_cmpeq_epi8(v, space), _mm_cmpeq_epi8(v, tab)))));
                _mm_storeu_si128(reinterpret_cast<__m128i*>(w), v);
                const int plain = special == 0 ? 16 : __builtin_ctz(special);
                w += plain;
                i += plain;
                if (plain < 16)
                    break;
            }
            if (i >= n)
                break;
        }
#endif
        const char c = d[i];
        if (c == '=') {
            if (i + 2 < n && hexValue(d[i + 1]) >= 0 && hexValue(d[i + 2]) >= 0) {
                *w++ = char(hexValue(d[i + 1]) * 16 + hexValue(d[i + 2]));
                i += 3;
                continue;
            }
            if (!isHeader) {
                // RFC 2045 §6.7 rule 5: soft line break; transports may have added blanks
                // after the '='.
                qsizetype j = i + 1;
                while (j < n && isWsp(d[j]))
                    ++j;
                if (j == n) {
                    i = n;
                    continue;
                }
                if (d[j] == '\n' || d[j] == '\r') {
                    i = j + 1;
                    if (d[j] == '\r' && i < n && d[i] == '\n')
                        ++i;
                    continue;
                }
            }
            if (clean)
                *clean = false;
            *w++ = c;
            ++i;
            continue;
        }
        if (isHeader) {
            *w++ = c == '_' ? ' ' : c;
            ++i;
            continue;
        }
        if (isWsp(c)) {
            // RFC 2045 §6.7 rule 3: trailing blanks were added in transport; drop them.
            qsizetype j = i;
            while (j < n && isWsp(d[j]))
                ++j;
            if (j == n || d[j] == '\r' || d[j] == '\n') {
                i = j;
                continue;
            }
            while (i < j)
                *w++ = d[i++];
            continue;
        }
        *w++ = c;
        ++i;
    }
    out.truncate(w - out.constData());
    return out;
}

QByteArray HeaderDecoder::decodeBase64(const QByteArray& in)
{
    return decodeBase64(in, nullptr);
}

QByteArray HeaderDecoder::decodeBase64(const QByteArray& in, bool* clean)
{
    // At most 3 bytes per 4 input characters, plus one cut quantum: written through a pointer.
    QByteArray out(in.size() / 4 * 3 + 3, Qt::Uninitialized);
    char* w = out.data();
    quint32 acc = 0;
    int count = 0;
    const auto flush = [&] {
        // A quantum cut short by '=' or by the end: 2 sextets -> 1 byte, 3 -> 2 bytes.
        if (count == 2) {
            *w++ = char((acc >> 4) & 0xFF);
        } else if (count == 3) {
            *w++ = char((acc >> 10) & 0xFF);
            *w++ = char((acc >> 2) & 0xFF);
        } else if (count == 1 && clean) {
            *clean = false;
        }
        acc = 0;
        count = 0;
    };
    for (const char c : in) {
        const int v = base64Value(c);
        if (v >= 0) {
            acc = (acc << 6) | quint32(v);
            if (++count == 4) {
                *w++ = char((acc >> 16) & 0xFF);
                *w++ = char((acc >> 8) & 0xFF);
                *w++ = char(acc & 0xFF);
                acc = 0;
                count = 0;
            }
        } else if (c == '=') {
            flush();
        } else if (!isLinearSpace(c) && clean) {
            *clean = false;
        }
    }
    flush();
    out.truncate(w - out.constData());
    return out;
}

QString HeaderDecoder::decodeHeader(const QByteArray& raw, const QByteArray& fallbackCharset)
{
    // Most fields are plain ASCII on one line: no unfolding, no encoded words, no ESC, nothing
    // to decode. One pass over the bytes recognises them.
    if (isPlainField(raw))
        return QString::fromLatin1(raw).trimmed();

    // RFC 5322 §2.2.3 unfolding: the line breaks go, the blanks after them stay.
    QByteArray s;
    s.reserve(raw.size());
    for (const char c : raw) {
        if (c != '\r' && c != '\n')
            s.append(c);
    }

    const auto decodeText = [&fallbackCharset](QByteArrayView text) -> QString {
        if (looksLikeIso2022Jp(text))
            return decodeCharset(text.toByteArray(), "iso-2022-jp"_ba);
        if (isAscii(text))
            return QString::fromLatin1(text);
        if (isValidUtf8(text))
            return QString::fromUtf8(text);
        return decodeCharset(text.toByteArray(), fallbackCharset);
    };

    struct Word {
        qsizetype begin = 0;
        qsizetype end = 0;
        QByteArray charset;
        QByteArray bytes;
    };
    // RFC 2047 §2: =?charset?encoding?encoded-text?= ; no blanks inside.
    // A long run of words repeats one label; look it up once.
    QByteArray lastLabel;
    QByteArray lastCanonical;
    const auto parseWord = [&s, &lastLabel, &lastCanonical](qsizetype p) -> std::optional<Word> {
        const qsizetype n = s.size();
        qsizetype i = p + 2;
        const qsizetype csBegin = i;
        while (i < n && s[i] != '?' && !isWsp(s[i]) && i - csBegin <= 64)
            ++i;
        if (i >= n || s[i] != '?' || i == csBegin)
            return std::nullopt;
        const QByteArray charset = s.mid(csBegin, i - csBegin);
        if (i + 2 >= n || s[i + 2] != '?')
            return std::nullopt;
        const char enc = s[i + 1];
        if (enc != 'B' && enc != 'b' && enc != 'Q' && enc != 'q')
            return std::nullopt;
        i += 3;
        const qsizetype textBegin = i;
        while (i < n && s[i] != '?' && !isWsp(s[i]))
            ++i;
        if (i + 1 >= n || s[i] != '?' || s[i + 1] != '=')
            return std::nullopt;
        const QByteArray text = s.mid(textBegin, i - textBegin);
        Word w;
        w.begin = p;
        w.end = i + 2;
        if (charset != lastLabel) {
            lastLabel = charset;
            lastCanonical = canonicalCharset(charset);
        }
        w.charset = lastCanonical;
        if (enc == 'B' || enc == 'b') {
            for (const char c : text) {
                if (base64Value(c) < 0 && c != '=')
                    return std::nullopt; // malformed: keep the word as written
            }
            bool clean = true;
            w.bytes = decodeBase64(text, &clean);
            if (!clean)
                return std::nullopt;
        } else {
            w.bytes = decodeQuotedPrintable(text, true);
        }
        return w;
    };

    QString out;
    out.reserve(s.size());
    qsizetype pos = 0;          // start of the text not yet emitted
    qsizetype scan = 0;
    // A plain flag rather than std::optional: GCC 12 -O2 reports a false "may be used
    // uninitialized" for an optional of this struct (fatal with -Werror).
    Word pending; // run of adjacent words in one charset, not yet decoded
    bool hasPending = false;
    const auto flushPending = [&] {
        if (hasPending) {
            out += decodeCharset(pending.bytes, pending.charset);
            pending = Word();
            hasPending = false;
        }
    };
    while (true) {
        const qsizetype at = s.indexOf("=?", scan);
        if (at < 0)
            break;
        std::optional<Word> w = parseWord(at);
        if (!w) {
            scan = at + 2;
            continue;
        }
        const QByteArrayView between = QByteArrayView(s).sliced(pos, at - pos);
        bool onlyBlanks = true;
        for (const char c : between) {
            if (!isWsp(c)) {
                onlyBlanks = false;
                break;
            }
        }
        if (hasPending && onlyBlanks) {
            // RFC 2047 §6.2: blanks between adjacent encoded words are not displayed.
            if (pending.charset == w->charset) {
                pending.bytes += w->bytes;
                pending.end = w->end;
            } else {
                flushPending();
                pending = std::move(*w);
                hasPending = true;
            }
        } else {
            flushPending();
            out += decodeText(between);
            pending = std::move(*w);
            hasPending = true;
        }
        pos = pending.end;
        scan = pos;
    }
    flushPending();
    out += decodeText(QByteArrayView(s).sliced(pos));
    return out.trimmed();
}

QByteArray HeaderDecoder::splitParameterized(const QByteArray& raw, QMap<QByteArray, QString>* params)
{
    const qsizetype n = raw.size();
    qsizetype i = 0;

    const auto skipComment = [&] {
        // RFC 5322 §3.2.2: comments nest and may contain quoted-pairs.
        int depth = 0;
        while (i < n) {
            const char c = raw[i];
            if (c == '\\') {
                i += 2;
                continue;
            }
            ++i;
            if (c == '(') {
                ++depth;
            } else if (c == ')') {
                if (--depth == 0)
                    return;
            }
        }
    };
    const auto skipCfws = [&] {
        while (i < n) {
            if (isLinearSpace(raw[i]))
                ++i;
            else if (raw[i] == '(')
                skipComment();
            else
                break;
        }
    };
    const auto readQuoted = [&]() -> QByteArray {
        QByteArray v;
        ++i; // opening quote
        while (i < n && raw[i] != '"') {
            if (raw[i] == '\\' && i + 1 < n)
                ++i;
            if (raw[i] != '\r' && raw[i] != '\n')
                v.append(raw[i]);
            ++i;
        }
        if (i < n)
            ++i; // closing quote (absent when the value is cut short)
        return v;
    };
    const auto readToken = [&](bool allowSlash) -> QByteArray {
        const qsizetype b = i;
        while (i < n) {
            const char c = raw[i];
            if (c == ';' || c == '=' || c == '(' || c == '"' || isLinearSpace(c) || (!allowSlash && c == '/'))
                break;
            ++i;
        }
        return raw.mid(b, i - b);
    };

    // Leading value: "type/subtype" (tolerating blanks and comments around the slash and
    // a quoted "text/plain") or a bare token such as "attachment".
    skipCfws();
    QByteArray value;
    if (i < n && raw[i] == '"') {
        value = readQuoted().trimmed();
    } else {
        value = readToken(false);
        skipCfws();
        if (i < n && raw[i] == '/') {
            ++i;
            skipCfws();
            value += '/' + readToken(true);
        }
    }
    value = value.toLower();
    if (!params)
        return value;

    struct RawParam {
        QByteArray name;
        QByteArray value;
    };
    QList<RawParam> rawParams;
    while (i < n) {
        skipCfws();
        if (i < n && raw[i] == ';') {
            ++i;
            continue;
        }
        if (i >= n)
            break;
        const qsizetype before = i;
        const QByteArray name = readToken(true).toLower();
        skipCfws();
        if (i < n && raw[i] == '=') {
            ++i;
            skipCfws();
            QByteArray v;
            if (i < n && raw[i] == '"') {
                v = readQuoted();
            } else {
                // Unquoted values with blanks ("name=my file.pdf") are common; read up to the
                // next ';' or comment and trim.
                const qsizetype b = i;
                while (i < n && raw[i] != ';' && raw[i] != '(')
                    ++i;
                v = raw.mid(b, i - b).trimmed();
            }
            if (!name.isEmpty())
                rawParams.append({name, v});
        } else if (i == before) {
            ++i; // a stray character that starts no token: skip it
        }
    }

    // RFC 2231 §3 continuations and §4 extended values.
    struct Section {
        QByteArray value;
        bool encoded = false;
    };
    QMap<QByteArray, QMap<int, Section>> continued;
    QMap<QByteArray, QString> extended;
    for (const RawParam& p : std::as_const(rawParams)) {
        const qsizetype star = p.name.indexOf('*');
        if (star < 0) {
            if (!params->contains(p.name)) {
                params->insert(p.name, p.name == "boundary" ? QString::fromLatin1(p.value)
                                                             : decodeHeader(p.value));
            }
            continue;
        }
        const QByteArray base = p.name.left(star);
        const QByteArray rest = p.name.mid(star + 1);
        if (base.isEmpty())
            continue;
        if (rest.isEmpty()) {
            if (!extended.contains(base))
                extended.insert(base, decodeRfc2231(p.value));
            continue;
        }
        QByteArray digits = rest;
        bool encoded = false;
        if (digits.endsWith('*')) {
            digits.chop(1);
            encoded = true;
        }
        bool ok = false;
        const int index = digits.size() <= 4 ? digits.toInt(&ok) : -1;
        if (!ok || index < 0)
            continue;
        QMap<int, Section>& sections = continued[base];
        if (!sections.contains(index))
            sections.insert(index, Section{p.value, encoded});
    }
    for (auto it = continued.cbegin(); it != continued.cend(); ++it) {
        QByteArray bytes;
        QByteArray charset;
        bool first = true;
        for (const Section& sec : it.value()) {
            QByteArray v = sec.value;
            if (first && sec.encoded) {
                // Only the first section carries charset'language' (RFC 2231 §4.1).
                const qsizetype q1 = v.indexOf('\'');
                const qsizetype q2 = q1 >= 0 ? v.indexOf('\'', q1 + 1) : -1;
                if (q1 >= 0 && q2 >= 0) {
                    charset = v.left(q1);
                    v = v.mid(q2 + 1);
                }
            }
            first = false;
            bytes += sec.encoded ? decodePercent(v) : v;
        }
        if (!extended.contains(it.key())) {
            extended.insert(it.key(), charset.isEmpty() ? decodeHeader(bytes) : decodeCharset(bytes, charset));
        }
    }
    for (auto it = extended.cbegin(); it != extended.cend(); ++it)
        params->insert(it.key(), it.value());
    return value;
}

} // namespace bi::core::mail
