// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

#include "core/common/result.h"

namespace bi::core::report::pdf {

/// A TrueType font read for PDF embedding: glyph ids from the cmap (formats 4 and 12),
/// advance widths from hmtx, and the metrics a PDF font descriptor needs.
/// Thread: any once loaded (glyphId() caches, so one instance per thread).
class TrueTypeFont final {
public:
    /// Reads and checks the font file. Errors: unreadable file (Io), not a TrueType font or
    /// missing tables (Format).
    [[nodiscard]] static Result<TrueTypeFont> load(const QString& path);

    [[nodiscard]] const QByteArray& data() const { return m_data; }
    [[nodiscard]] QString postScriptName() const { return m_name; }
    [[nodiscard]] int unitsPerEm() const { return m_unitsPerEm; }
    [[nodiscard]] int ascent() const { return m_ascent; }     ///< font units
    [[nodiscard]] int descent() const { return m_descent; }   ///< font units, negative
    [[nodiscard]] int capHeight() const { return m_capHeight; }
    [[nodiscard]] int bboxValue(int i) const { return m_bbox[i]; } ///< xMin, yMin, xMax, yMax
    [[nodiscard]] int glyphCount() const { return m_glyphCount; }

    /// The glyph of a code point; 0 (.notdef) when the font has none.
    [[nodiscard]] quint16 glyphId(char32_t codePoint) const;
    /// Advance width of a glyph in font units.
    [[nodiscard]] int advance(quint16 glyph) const;
    /// Width of text in points at the given size.
    [[nodiscard]] double textWidth(QStringView text, double size) const;

private:
    [[nodiscard]] quint16 lookup(char32_t codePoint) const;

    QByteArray m_data;
    QString m_name;
    int m_unitsPerEm = 1000;
    int m_ascent = 0;
    int m_descent = 0;
    int m_capHeight = 0;
    int m_bbox[4] = {0, 0, 0, 0};
    int m_glyphCount = 0;
    int m_hMetricCount = 0;
    qsizetype m_hmtx = 0;
    qsizetype m_cmap4 = -1;   ///< offset of the format 4 subtable
    qsizetype m_cmap12 = -1;  ///< offset of the format 12 subtable
    mutable QHash<char32_t, quint16> m_cache;
};

} // namespace bi::core::report::pdf
