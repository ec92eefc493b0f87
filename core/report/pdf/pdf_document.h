// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <map>
#include <vector>

#include <QByteArray>
#include <QString>

#include "core/report/pdf/true_type_font.h"

namespace bi::core::report::pdf {

/// A colour for fills and strokes, components 0..1.
struct Rgb {
    double r = 0;
    double g = 0;
    double b = 0;
};

/// One page's content stream. Coordinates are points from the top-left corner (the page
/// flips them to PDF's bottom-left origin). Text is written as glyph ids of an embedded
/// font, so nothing in it is ever interpreted (no PDF string syntax, no markup).
class PdfPage final {
public:
    PdfPage(double width, double height) : m_width(width), m_height(height) {}

    [[nodiscard]] double width() const { return m_width; }
    [[nodiscard]] double height() const { return m_height; }
    [[nodiscard]] const QByteArray& content() const { return m_content; }

    /// Text starting at x with its baseline at y; font is an index of PdfDocument::addFont.
    void text(double x, double baseline, int font, double size, const QByteArray& glyphHex, Rgb colour = {});
    void fillRect(double x, double y, double w, double h, Rgb colour);
    void strokeRect(double x, double y, double w, double h, double lineWidth, Rgb colour);
    void line(double x1, double y1, double x2, double y2, double lineWidth, Rgb colour);
    /// An open polyline (a line chart's series).
    void polyline(const std::vector<std::pair<double, double>>& points, double lineWidth, Rgb colour);

private:
    [[nodiscard]] double flip(double y) const { return m_height - y; }
    QByteArray m_content;
    double m_width;
    double m_height;
};

/// A PDF 1.4 file in memory: pages, embedded TrueType fonts (Type0/CIDFontType2, Identity-H,
/// W widths from hmtx, ToUnicode CMap so text can be extracted), Flate-compressed streams,
/// cross-reference table. Thread: one thread at a time.
class PdfDocument final {
public:
    static constexpr double kA4Width = 595.276;
    static constexpr double kA4Height = 841.89;

    /// Embeds a font (the whole file); returns its index for PdfPage::text.
    int addFont(TrueTypeFont font);
    [[nodiscard]] const TrueTypeFont& font(int index) const { return m_fonts.at(index).font; }
    /// Characters no other font has are drawn from this one (a CJK font beside DejaVu). It is
    /// embedded only when a page uses it.
    void setFallback(int font) { m_fallback = font; }
    /// A piece of text in one font: its glyph ids as hex, and its width in points.
    struct Run {
        int font = 0;
        QByteArray glyphs;
        double width = 0;
    };
    /// The text as runs of glyphs of font, or of the fallback where font has none, remembering
    /// the glyphs for the widths and the ToUnicode map.
    [[nodiscard]] QList<Run> shape(int font, QStringView text, double size);
    /// The width shape() gives the text, in points.
    [[nodiscard]] double textWidth(int font, QStringView text, double size) const;

    PdfPage& addPage(double width = kA4Width, double height = kA4Height);
    [[nodiscard]] int pageCount() const { return int(m_pages.size()); }
    [[nodiscard]] PdfPage& page(int index) { return m_pages.at(index); }

    /// The whole file.
    [[nodiscard]] QByteArray toBytes(const QString& title, const QString& subject) const;

private:
    struct EmbeddedFont {
        TrueTypeFont font;
        std::map<quint16, char32_t> used; ///< glyph → the code point it was first used for
    };
    /// The font that draws c for font: font itself, or the fallback when only it has a glyph.
    [[nodiscard]] int fontFor(int font, char32_t c) const;

    std::vector<EmbeddedFont> m_fonts;
    int m_fallback = -1;
    std::vector<PdfPage> m_pages;
};

/// zlib (RFC 1950) compression of data, as PDF's FlateDecode expects.
[[nodiscard]] QByteArray flate(const QByteArray& data);

} // namespace bi::core::report::pdf
