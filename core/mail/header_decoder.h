// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace bi::core::mail {

/// Header and text decoding that mimetic does not do: RFC 2047 encoded words,
/// RFC 2231 parameter values, charsets (ISO-2022-JP, Shift_JIS, windows-125x,
/// ISO-8859-x, ...), quoted-printable and base64 bodies. Thread: any.
class HeaderDecoder final {
public:
    /// Decode a raw header value: encoded words, and 8-bit bytes as UTF-8 when valid,
    /// else in fallbackCharset (default windows-1252). Folding whitespace is unfolded.
    [[nodiscard]] static QString decodeHeader(const QByteArray& raw, const QByteArray& fallbackCharset = {});
    /// Decode bytes in a named charset; unknown charsets fall back to UTF-8-or-Latin-1.
    [[nodiscard]] static QString decodeCharset(const QByteArray& bytes, const QByteArray& charset);
    /// RFC 2231 extended value: "charset'lang'percent-encoded".
    [[nodiscard]] static QString decodeRfc2231(const QByteArray& value);
    [[nodiscard]] static QByteArray decodeQuotedPrintable(const QByteArray& in, bool isHeader = false);
    [[nodiscard]] static QByteArray decodeBase64(const QByteArray& in);
};

} // namespace bi::core::mail
