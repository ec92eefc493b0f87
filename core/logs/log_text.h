// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstring>

#include <QByteArrayView>
#include <QString>

namespace bi::core::logs::text {

/// Small byte-level helpers shared by the format parsers. They scan, never allocate (except
/// str()), and accept any bytes: log lines are untrusted.

/// Decodes log bytes as UTF-8; invalid sequences become U+FFFD (the raw line keeps the bytes).
[[nodiscard]] QString str(QByteArrayView bytes);

[[nodiscard]] inline bool isDigit(char c) { return c >= '0' && c <= '9'; }
[[nodiscard]] inline bool isAlnum(char c)
{
    return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
[[nodiscard]] inline bool isHex(char c)
{
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/// Where needle first occurs in hay at or after from, or -1: QByteArrayView::indexOf without
/// the set-up of its general search, which cost more than the search on the short needles
/// and lines the parsers look at (", " a dozen times a Postfix line).
[[nodiscard]] qsizetype find(QByteArrayView hay, QByteArrayView needle, qsizetype from = 0);

/// Where c first occurs in v at or after from, or -1: QByteArrayView::indexOf(char) as a
/// plain memchr, without the general search it goes through (several times a log line).
[[nodiscard]] inline qsizetype findChar(QByteArrayView v, char c, qsizetype from = 0)
{
    if (from < 0)
        from = from + v.size() < 0 ? 0 : from + v.size();
    if (from >= v.size())
        return -1;
    const void* hit = std::memchr(v.data() + from, c, std::size_t(v.size() - from));
    return hit ? static_cast<const char*>(hit) - v.data() : -1;
}

/// Whether v starts with the literal: inlined, where QByteArrayView::startsWith() is a call
/// into Qt and one to memcmp (a dozen tests a line in the Postfix parser).
template <std::size_t N>
[[nodiscard]] inline bool startsWith(QByteArrayView v, const char (&literal)[N])
{
    return v.size() >= qsizetype(N - 1) && std::memcmp(v.data(), literal, N - 1) == 0;
}
/// Whether v is the literal, inlined likewise.
template <std::size_t N>
[[nodiscard]] inline bool equals(QByteArrayView v, const char (&literal)[N])
{
    return v.size() == qsizetype(N - 1) && std::memcmp(v.data(), literal, N - 1) == 0;
}

/// `<addr>` → `addr`; anything else unchanged (Postfix logs `to=user@host` without brackets too).
[[nodiscard]] QByteArrayView stripAngles(QByteArrayView v);
/// Non-negative decimal integer made only of digits; false otherwise (or on overflow).
[[nodiscard]] bool parseUInt(QByteArrayView v, qint64& out);
/// Decimal with optional fraction ("1.5", "307136"); false otherwise.
[[nodiscard]] bool parseSeconds(QByteArrayView v, double& out);
/// "Jan".."Dec" (case-insensitive) → 1..12, else 0.
[[nodiscard]] int monthFromAbbrev(QByteArrayView v);
/// Sendmail's `hh:mm:ss` or `d+hh:mm:ss` → seconds; -1 when malformed.
[[nodiscard]] double parseClockDuration(QByteArrayView v);
/// OpenSMTPD / Exim style `1h2m3s`, `3s`, `2d` → seconds; -1 when malformed.
[[nodiscard]] double parseUnitDuration(QByteArrayView v);

/// Length of an RFC 3463 enhanced status code (`class.subject.detail`, class 2, 4 or 5) that
/// starts at pos and ends at a word boundary; 0 when there is none.
[[nodiscard]] qsizetype enhancedStatusLengthAt(QByteArrayView v, qsizetype pos);
/// First enhanced status code in v that starts at a word boundary; empty view when none.
[[nodiscard]] QByteArrayView findEnhancedStatus(QByteArrayView v);

/// An SMTP reply split into code, enhanced status and text (RFC 5321 §4.2, RFC 2034).
struct Reply {
    int code = 0;          ///< 0 when v does not start with a reply code
    QByteArrayView dsn;    ///< empty when the reply has none
    QByteArrayView text;   ///< what follows the code and status
};
/// Reads `550 5.1.1 text`, `550-5.1.1 text`, `550 text` or `5.1.1 text` at the start of v.
[[nodiscard]] Reply parseReply(QByteArrayView v);
/// Position of the first plausible SMTP reply code in free text: a 2xx/4xx/5xx number at the
/// start, or after `said: `, `: `, `(`, a quote; or anywhere when an enhanced status follows.
/// -1 when none.
[[nodiscard]] qsizetype findReply(QByteArrayView v);

/// The queue id a next hop's acceptance names, empty when none: "250 2.0.0 Ok: queued as ID"
/// (Postfix and most others; the last one, when a content filter quotes its own next hop's),
/// "ID Message accepted for delivery" (Sendmail, OpenSMTPD). A content filter or signing
/// proxy on the same host queues the message again under that id.
[[nodiscard]] QByteArrayView nextQueueId(QByteArrayView reply);

/// The value of `key=` in a `k=v, k=v` (sep ", ") or `k=v k=v` (sep " ") list, up to the next
/// separator; `<...>` values run to their '>' even when they contain the separator. The key
/// must start the list or follow a separator. Empty view (and found=false) when absent.
[[nodiscard]] QByteArrayView fieldValue(QByteArrayView list, QByteArrayView key,
                                        QByteArrayView sep, bool* found = nullptr);

} // namespace bi::core::logs::text
