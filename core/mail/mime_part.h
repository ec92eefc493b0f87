// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include "core/common/diagnostic.h"

namespace bi::core::mail {

/// One header field: its name as written, the raw value (unfolded, undecoded) and the
/// value decoded to Unicode (RFC 2047 encoded words, 8-bit text in the part's charset).
struct HeaderField {
    QByteArray name;
    QByteArray rawValue;
    QString value;
};

/// Our own MIME tree, built from mimetic by MimeAdapter; nothing else sees mimetic types.
/// A value type: safe to copy and to hand to other threads.
struct MimePart {
    QByteArray type = "text";        ///< lower case; text/plain when Content-Type is missing
    QByteArray subtype = "plain";    ///< lower case
    QMap<QByteArray, QString> params; ///< lower-case names; RFC 2231 continuations and charsets decoded
    QList<HeaderField> headers;      ///< every field in order, duplicates kept
    QByteArray rawHeader;            ///< the header fields exactly as in the source, line ends included,
                                     ///< without the empty line that ends them
    QByteArray rawBody;              ///< body bytes as in the source (still transfer-encoded); may be
                                     ///< left empty for a container nested in other containers when
                                     ///< the message is huge (bounded memory, with a diagnostic)
    QByteArray body;                 ///< body with Content-Transfer-Encoding undone (leaf parts, and
                                     ///< multiparts whose boundary never occurs); empty for containers
    QList<MimePart> children;        ///< multipart children; the one embedded message of
                                     ///< message/rfc822 and message/global; for text/rfc822-headers
                                     ///< one child holding the headers parsed from the body (no body)
    Diagnostics diagnostics;         ///< problems met while parsing this part; the root's list also
                                     ///< holds every descendant's, so one list per message suffices

    [[nodiscard]] QByteArray mimeType() const { return type + '/' + subtype; }
    [[nodiscard]] bool isMultipart() const { return type == "multipart"; }
    /// First value of a header (case-insensitive name), decoded; empty when absent.
    [[nodiscard]] QString header(QByteArrayView name) const;
    /// Every value of a header, decoded, in order.
    [[nodiscard]] QStringList headerAll(QByteArrayView name) const;
    /// First raw value of a header (unfolded, not decoded); empty when absent.
    [[nodiscard]] QByteArray rawHeaderValue(QByteArrayView name) const;
    [[nodiscard]] bool hasHeader(QByteArrayView name) const;
    /// The body decoded to text with the part's charset (leaf text parts).
    [[nodiscard]] QString text() const;
    /// This part and every descendant whose mimeType() equals mimeType (lower case), in
    /// document order. The pointers stay valid while this tree is not modified.
    [[nodiscard]] QList<const MimePart*> findAll(QByteArrayView mimeType) const;
};

} // namespace bi::core::mail
