// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/common/text_case.h"

#include <algorithm>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace bi::core {

namespace {

char16_t asciiLower(char16_t c)
{
    return c >= u'A' && c <= u'Z' ? char16_t(c + 32) : c;
}

} // namespace

QString lowerCase(QStringView text)
{
    QString out(text.size(), Qt::Uninitialized);
    char16_t* w = reinterpret_cast<char16_t*>(out.data());
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u >= 0x80)
            return text.toString().toLower();
        *w++ = asciiLower(u);
    }
    return out;
}

QString lowerCase(const QString& text)
{
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u >= 0x80 || asciiLower(u) != u)
            return lowerCase(QStringView(text));
    }
    return text;
}

QString simplifiedText(const QString& text)
{
    if (text.isEmpty())
        return text;
    bool previousSpace = true; // a leading blank needs simplifying
    for (const QChar c : text) {
        const bool space = c.isSpace();
        if (space && (previousSpace || c != u' '))
            return text.simplified();
        previousSpace = space;
    }
    return previousSpace ? text.simplified() : text; // a trailing blank too
}

qsizetype indexOfLetterEitherCase(QByteArrayView text, char lower, qsizetype from)
{
    Q_ASSERT(lower >= 'a' && lower <= 'z');
    const char* d = text.data();
    const qsizetype n = text.size();
    qsizetype i = std::max<qsizetype>(from, 0);
#if defined(__SSE2__)
    // A lower-case letter has bit 0x20 set, so the bytes that OR 0x20 turns into it are the
    // letter itself and its upper case, no others.
    const __m128i fold = _mm_set1_epi8(0x20);
    const __m128i letter = _mm_set1_epi8(lower);
    for (; i + 16 <= n; i += 16) {
        const __m128i v = _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(d + i)), fold);
        if (const int mask = _mm_movemask_epi8(_mm_cmpeq_epi8(v, letter)); mask != 0)
            return i + __builtin_ctz(unsigned(mask));
    }
#endif
    for (; i < n; ++i) {
        if ((uchar(d[i]) | 0x20) == uchar(lower))
            return i;
    }
    return -1;
}

bool equalsCaseInsensitiveSlow(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        const auto x = uchar(a[i]);
        const auto y = uchar(b[i]);
        if (x == y)
            continue;
        if ((x | y) >= 0x80)
            return a.compare(b, Qt::CaseInsensitive) == 0;
        // Two different ASCII bytes are the same letter in two cases only when they differ in
        // bit 0x20 alone and are letters.
        const auto folded = uchar(x | 0x20);
        if (folded != (y | 0x20) || folded < 'a' || folded > 'z')
            return false;
    }
    return true;
}

bool containsCaseInsensitive(QStringView text, QStringView needle)
{
    if (needle.isEmpty())
        return true;
    for (const QChar c : needle) {
        if (c.unicode() >= 0x80)
            return text.contains(needle, Qt::CaseInsensitive);
    }
    // An ASCII match is a match whatever else the text holds; only when there is none does
    // a non-ASCII text need Qt's case folding (U+212A KELVIN SIGN is 'k').
    const char16_t* t = text.utf16();
    const char16_t* n = needle.utf16();
    const qsizetype size = text.size();
    const qsizetype width = needle.size();
    const auto matchesAt = [t, n, width](qsizetype i) {
        for (qsizetype k = 0; k < width; ++k) {
            const char16_t c = t[i + k];
            if (c >= 0x80 || asciiLower(c) != asciiLower(n[k]))
                return false;
        }
        return true;
    };
    // Candidates are the positions whose first and last characters match the needle's in
    // either case: ORing 0x20 folds 'A'..'Z' onto 'a'..'z' (and a few other pairs, which the
    // check then rules out).
    const char16_t first = char16_t(n[0] | 0x20);
    const char16_t last = char16_t(n[width - 1] | 0x20);
    const qsizetype positions = size - width + 1; // candidate starts: 0 .. positions - 1
    qsizetype i = 0;
#if defined(__SSE2__)
    const __m128i fold = _mm_set1_epi16(0x20);
    const __m128i firsts = _mm_set1_epi16(short(first));
    const __m128i lasts = _mm_set1_epi16(short(last));
    for (; i + 8 <= positions; i += 8) {
        const __m128i a = _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(t + i)), fold);
        const __m128i b = _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(t + i + width - 1)), fold);
        auto mask = unsigned(_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi16(a, firsts), _mm_cmpeq_epi16(b, lasts))));
        while (mask != 0) {
            const int bit = __builtin_ctz(mask); // two mask bits per character
            if (matchesAt(i + bit / 2))
                return true;
            mask &= ~(3u << bit);
        }
    }
#endif
    for (; i < positions; ++i) {
        if ((t[i] | 0x20) == first && (t[i + width - 1] | 0x20) == last && matchesAt(i))
            return true;
    }
    char16_t bits = 0;
    for (qsizetype k = 0; k < size; ++k)
        bits |= t[k];
    return bits >= 0x80 && text.contains(needle, Qt::CaseInsensitive);
}

} // namespace bi::core
