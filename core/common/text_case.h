// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArrayView>
#include <QString>

namespace bi::core {

/// The text in lower case, exactly as QString::toLower() gives it. ASCII text (nearly every
/// bounce) takes a plain table-free loop; any other character sends the whole text through
/// Qt's Unicode case mapping, which may change its length (U+0130 becomes two characters).
/// Thread: any.
[[nodiscard]] QString lowerCase(QStringView text);
/// The same for a QString, which comes back shared, not copied, when it has no upper-case
/// letter: the addresses and ids of stored log events are lower case already, and the fate
/// correlation lowers each of them again on the way. Thread: any.
[[nodiscard]] QString lowerCase(const QString& text);

/// text.simplified(), without a copy when the text is simplified already (most header values
/// and diagnostics): QString::simplified() of a const string always allocates. Thread: any.
[[nodiscard]] QString simplifiedText(const QString& text);

/// text.contains(needle, Qt::CaseInsensitive), with a plain loop while the text is ASCII (every
/// message runs dozens of these) and Qt's case folding once it is not (U+212A KELVIN SIGN is
/// 'k'). Thread: any.
[[nodiscard]] bool containsCaseInsensitive(QStringView text, QStringView needle);

/// The first offset at or after from where text holds the ASCII letter `lower` in either case,
/// or -1: the start of a case-insensitive search of a long body, sixteen bytes at a time.
/// Thread: any.
[[nodiscard]] qsizetype indexOfLetterEitherCase(QByteArrayView text, char lower, qsizetype from = 0);

/// equalsCaseInsensitive() past its inline checks. Thread: any.
[[nodiscard]] bool equalsCaseInsensitiveSlow(QByteArrayView a, QByteArrayView b);

/// a.compare(b, Qt::CaseInsensitive) == 0 for byte strings such as header field names: different
/// lengths and the first differing ASCII byte end it at once (Qt's compare orders, so it reads
/// on); a byte above 0x7f leaves the answer to Qt (Latin-1 folding). Thread: any.
[[nodiscard]] inline bool equalsCaseInsensitive(QByteArrayView a, QByteArrayView b)
{
    // Inline, the checks that settle most calls (a header lookup compares a name with every
    // field): the lengths, and the first bytes ASCII-folded (a difference that folding by 0x20
    // cannot explain is a difference for Latin-1 folding too).
    if (a.size() != b.size())
        return false;
    if (a.isEmpty())
        return true;
    if ((uchar(a.front()) | 0x20) != (uchar(b.front()) | 0x20))
        return false;
    return equalsCaseInsensitiveSlow(a, b);
}

/// text.contains(needle, cs), through containsCaseInsensitive() when cs is Qt::CaseInsensitive
/// (Qt's own case-insensitive search folds every character of the text). Thread: any.
[[nodiscard]] inline bool containsText(QStringView text, QStringView needle, Qt::CaseSensitivity cs)
{
    return cs == Qt::CaseInsensitive ? containsCaseInsensitive(text, needle) : text.contains(needle);
}

} // namespace bi::core
