// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QMap>
#include <QString>

namespace bi::core::mail {

/// Header and text decoding that mimetic does not do: RFC 2047 encoded words,
/// RFC 2231 parameter values, charsets (ISO-2022-JP, Shift_JIS, windows-125x,
/// ISO-8859-x, ...), quoted-printable and base64 bodies.
/// Never throws; malformed input is decoded as far as possible and never loses bytes
/// silently (undecodable bytes fall back to windows-1252, one character per byte).
/// Thread: any (no shared state).
class HeaderDecoder final {
public:
    /// Decode a raw header value: encoded words, and 8-bit bytes as UTF-8 when valid,
    /// else in fallbackCharset (default windows-1252). Folding whitespace is unfolded.
    /// Adjacent encoded words are joined (the blank between them dropped, RFC 2047 §6.2)
    /// and words in the same charset are decoded together, so a multibyte character split
    /// across two words survives. Malformed encoded words stay as written.
    [[nodiscard]] static QString decodeHeader(const QByteArray& raw, const QByteArray& fallbackCharset = {});
    /// Decode bytes in a named charset (MIME names and common aliases: cp932, x-sjis,
    /// ks_c_5601-1987, unicode-1-1-utf-7, ...). Unknown or empty charsets, and us-ascii with
    /// 8-bit bytes: UTF-8 where valid, windows-1252 for the other bytes; 7-bit ISO-2022-JP
    /// escape sequences are recognised even without a label.
    [[nodiscard]] static QString decodeCharset(const QByteArray& bytes, const QByteArray& charset);
    /// RFC 2231 extended value: "charset'lang'percent-encoded".
    [[nodiscard]] static QString decodeRfc2231(const QByteArray& value);
    /// RFC 2045 §6.7 quoted-printable (isHeader: the RFC 2047 "Q" variant, '_' is a space).
    /// Lenient: lower-case hex is accepted, a malformed '=' is kept as written.
    [[nodiscard]] static QByteArray decodeQuotedPrintable(const QByteArray& in, bool isHeader = false);
    /// As above; *clean is set to false when a malformed '=' sequence was met.
    [[nodiscard]] static QByteArray decodeQuotedPrintable(const QByteArray& in, bool isHeader, bool* clean);
    /// RFC 2045 §6.8 base64, tolerant: characters outside the alphabet are skipped, missing
    /// padding is accepted, and decoding continues after '=' (concatenated base64 blocks).
    [[nodiscard]] static QByteArray decodeBase64(const QByteArray& in);
    /// As above; *clean is set to false when junk characters or a dangling sextet were met.
    [[nodiscard]] static QByteArray decodeBase64(const QByteArray& in, bool* clean);

    /// RFC 2231 §3-4 percent-decoding ("%E2%82%AC" -> bytes); a malformed '%' is kept.
    [[nodiscard]] static QByteArray decodePercent(QByteArrayView in);
    /// True when bytes are well-formed UTF-8 (no overlong forms, no surrogates).
    [[nodiscard]] static bool isValidUtf8(QByteArrayView bytes);
    /// Lower-case canonical charset name for a MIME label ("x-sjis" -> "shift_jis",
    /// "\"UTF-8\"" -> "utf-8"); empty for an empty or unusable label.
    [[nodiscard]] static QByteArray canonicalCharset(QByteArrayView label);

    /// Split a parameterised header value (RFC 2045 §5.1 Content-Type, RFC 2183
    /// Content-Disposition) into its leading value, returned lower-cased and without
    /// comments or whitespace, and its parameters (lower-case names). RFC 2231 extended
    /// (`name*`) and continued (`name*0`, `name*1*`) parameters are joined and decoded;
    /// RFC 2047 words inside plain quoted values are decoded too (common in the wild),
    /// except for `boundary`, which is kept byte for byte (as Latin-1).
    [[nodiscard]] static QByteArray splitParameterized(const QByteArray& raw, QMap<QByteArray, QString>* params);
};

} // namespace bi::core::mail
