// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <span>

#include <QString>
#include <QStringList>
#include <QStringView>

#include "core/bounce/bounce_decoder.h"

namespace bi::core::bounce {

/// One row of a vendor's phrase table: text the MTA writes and the reason it stands for.
struct ReasonPhrase {
    QStringView reason;
    QStringView phrase;
};

/// Text helpers shared by the MTA decoders: the bounce's own text as lines, cut where the
/// quoted original starts, and the small string operations the vendor formats need.
/// Thread: any; every function is pure. Untrusted text of any size never throws.
class MtaText final {
public:
    MtaText() = delete;

    /// The bounce's own text as the vendor formats are read: for a multipart message every
    /// text/* and message/*delivery-status leaf outside the embedded original (message/rfc822,
    /// text/rfc822-headers), decoded with its charset, in order, joined by newlines; HTML is
    /// reduced to text and skipped when a plain alternative exists. For a single-part message
    /// its decoded body. Carriage returns are removed.
    /// Built once per message and kept in \a ctx.
    [[nodiscard]] static const QString& bounceText(const DecodeContext& ctx);

    /// sweep(bounceText(ctx)) in lower case, kept in \a ctx.
    [[nodiscard]] static QString sweptLowerBounceText(const DecodeContext& ctx);

    /// \a text split into lines (no line-end characters).
    [[nodiscard]] static QStringList lines(const QString& text);

    /// Index of the first line that starts with one of \a markers, -1 when none does.
    /// Leading blanks of the line are skipped when \a ignoreIndent.
    [[nodiscard]] static qsizetype findLine(const QStringList& lines, std::span<const QStringView> markers,
                                            qsizetype from = 0, bool ignoreIndent = false);

    /// The lines before the first line starting with one of \a markers (the start of a quoted
    /// original in single-part bounces); all lines when no marker is found.
    [[nodiscard]] static QStringList linesBefore(const QStringList& lines, std::span<const QStringView> markers,
                                                 bool ignoreIndent = false);

    /// The lines after the first line starting with one of \a markers; empty when none does.
    [[nodiscard]] static QStringList linesAfter(const QStringList& lines, std::span<const QStringView> markers,
                                                bool ignoreIndent = false);

    /// Blanks, tabs and line breaks collapsed to one blank, trimmed, and a trailing MIME boundary ("text --abc...")
    /// cut off: the form diagnostics are compared in.
    [[nodiscard]] static QString sweep(const QString& text);

    /// True when \a text contains one of \a phrases.
    [[nodiscard]] static bool containsAny(QStringView text, std::span<const QStringView> phrases,
                                          Qt::CaseSensitivity cs = Qt::CaseSensitive);

    /// The reason of the first row whose phrase occurs in \a text; empty when none does.
    [[nodiscard]] static QString reasonFor(QStringView text, std::span<const ReasonPhrase> table,
                                           Qt::CaseSensitivity cs = Qt::CaseSensitive);

    /// The value of the first "Name: value" line of \a lines (case-insensitive name, leading
    /// blanks allowed), continuation lines joined; empty when absent.
    [[nodiscard]] static QString fieldValue(const QStringList& lines, QStringView name);

    /// True for a Subject of a forwarded message ("Fwd: Returned mail: ...").
    [[nodiscard]] static bool isForwarded(const QString& subject);

    /// One level of "> " quoting removed from each line (a bounce forwarded inline by a person).
    [[nodiscard]] static QStringList unquote(const QStringList& lines);

    /// HTML reduced to text: tags dropped (<br>, </p>, </div>, </tr> become line breaks) and the
    /// common entities decoded.
    [[nodiscard]] static QString htmlToText(const QString& html);

    /// A header of the quoted original: from the embedded message part when there is one,
    /// else from the "Name: value" lines of \a inlineOriginal.
    [[nodiscard]] static QString originalHeader(const DecodeContext& ctx, const QStringList& inlineOriginal,
                                                QByteArrayView name);
};

} // namespace bi::core::bounce
