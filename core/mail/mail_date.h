// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>

namespace bi::core::mail {

/// Dates as found in mail: RFC 5322 §3.3 (with the obsolete forms of §4.3 and common
/// violations), ISO 8601, and asctime() as in mbox "From " lines.
/// Thread: any. Never throws; unparsable input gives nullopt and the caller keeps the raw text.
class MailDate final {
public:
    /// Parse a date. The result keeps the original UTC offset (Qt::OffsetFromUTC; Qt::UTC
    /// for +0000). "-0000", a missing zone (asctime, ISO without offset) and unknown zone
    /// names mean "offset unknown" (RFC 5322 §3.3, §4.3): the time is returned as UTC.
    /// Accepted: comments, GMT/UT/UTC/Z and the US zone names, military letters, a few
    /// unambiguous zone names (JST, CET, ...), two- and three-digit years (<50 -> 20xx),
    /// missing seconds or weekday, a wrong weekday, extra blanks, lower case, full month names.
    [[nodiscard]] static std::optional<QDateTime> parse(QByteArrayView raw);
    /// As parse(); *offsetKnown is false when the offset was unknown (see above).
    [[nodiscard]] static std::optional<QDateTime> parse(QByteArrayView raw, bool* offsetKnown);
    /// The canonical RFC 2822 text handed to Qt::RFC2822Date ("29 Apr 2009 00:00:00 +0900"),
    /// or empty when no date was recognised. Meant for diagnostics and tests.
    [[nodiscard]] static QByteArray normalize(QByteArrayView raw);
};

} // namespace bi::core::mail
