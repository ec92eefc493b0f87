// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/common/text_case.h"

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

bool containsCaseInsensitive(QStringView text, QStringView needle)
{
    if (needle.isEmpty())
        return true;
    for (const QChar c : needle) {
        if (c.unicode() >= 0x80)
            return text.contains(needle, Qt::CaseInsensitive);
    }
    // One pass: candidates by their first character, and Qt's path as soon as the text turns
    // out not to be ASCII.
    const char16_t first = asciiLower(needle.front().unicode());
    const char16_t* t = text.utf16();
    const char16_t* n = needle.utf16();
    const qsizetype size = text.size();
    const qsizetype last = size - needle.size();
    for (qsizetype i = 0; i < size; ++i) {
        const char16_t c = t[i];
        if (c >= 0x80)
            return text.contains(needle, Qt::CaseInsensitive);
        if (i > last || asciiLower(c) != first)
            continue;
        qsizetype k = 1;
        while (k < needle.size() && t[i + k] < 0x80 && asciiLower(t[i + k]) == asciiLower(n[k]))
            ++k;
        if (k == needle.size())
            return true;
    }
    return false;
}

} // namespace bi::core
