// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/report/pdf/pdf_layout.h"

#include <algorithm>
#include <cmath>

#include <QDir>
#include <QFileInfo>

#include "core/report/pdf/pdf_document.h"

using namespace Qt::StringLiterals;

namespace bi::core::report::pdf {

namespace {

constexpr int kRegular = 0;
constexpr int kBold = 1;
constexpr double kMarginX = 50;
constexpr double kTop = 64;
constexpr double kBottom = PdfDocument::kA4Height - 58;
constexpr double kWidth = PdfDocument::kA4Width - 2 * kMarginX;
constexpr Rgb kBlack{0.1, 0.1, 0.12};
constexpr Rgb kGrey{0.45, 0.45, 0.48};
constexpr Rgb kRule{0.75, 0.75, 0.78};
constexpr Rgb kHeaderFill{0.88, 0.9, 0.94};
constexpr Rgb kStripe{0.96, 0.965, 0.975};
constexpr Rgb kAccent{0.12, 0.3, 0.55};
constexpr Rgb kPalette[] = {{0.2, 0.58, 0.3},  {0.8, 0.2, 0.2},  {0.94, 0.58, 0.1}, {0.52, 0.3, 0.7},
                            {0.2, 0.42, 0.76}, {0.55, 0.55, 0.58}, {0.1, 0.65, 0.7}};

Rgb palette(int i) { return kPalette[size_t(i) % std::size(kPalette)]; }

class Layout {
public:
    explicit Layout(PdfDocument& pdf) : m_pdf(pdf) { newPage(); }

    void heading(const HeadingBlock& h)
    {
        const double size = h.level <= 1 ? 16 : 12;
        if (h.newPage && m_y > kTop + 1)
            newPage();
        else
            m_y += h.level <= 1 ? 14 : 8;
        // Keep a heading with at least a few lines of what follows it.
        ensure(size * 1.3 + 60);
        for (const QString& line : wrap(h.text, kBold, size, kWidth)) {
            m_y += size * 1.25;
            draw(kMarginX, m_y, kBold, size, line, h.level <= 1 ? kAccent : kBlack);
        }
        if (h.level <= 1) {
            m_y += 5;
            page().line(kMarginX, m_y, kMarginX + kWidth, m_y, 0.8, kAccent);
        }
        m_y += 6;
    }

    void paragraph(const ParagraphBlock& p)
    {
        const double size = p.small ? 8 : 10;
        textLines(wrap(p.text, p.bold ? kBold : kRegular, size, kWidth), p.bold ? kBold : kRegular, size, kMarginX);
        m_y += size * 0.6;
    }

    void bullets(const BulletsBlock& b)
    {
        const double size = 10;
        for (const QString& item : b.items) {
            const QStringList lines = wrap(item, kRegular, size, kWidth - 14);
            ensure(size * 1.35);
            draw(kMarginX + 2, m_y + size * 1.35, kRegular, size, u"\u2022"_s);
            textLines(lines, kRegular, size, kMarginX + 14);
            m_y += 3;
        }
        m_y += 4;
    }

    void table(const TableBlock& t)
    {
        const int columns = int(t.header.size());
        if (columns == 0)
            return;
        const double size = t.small ? 7 : 8.5;
        const double lead = size * 1.3;
        const double pad = 3;
        const QList<double> widths = columnWidths(t, size, pad);
        auto cellLines = [&](const QStringList& row, int font) {
            QList<QStringList> cells;
            int most = 1;
            for (int c = 0; c < columns; ++c) {
                QStringList lines = wrap(c < row.size() ? row[c] : QString(), font, size, widths[c] - 2 * pad);
                if (lines.size() > 40) { // one cell may not outgrow a page
                    lines = lines.mid(0, 40);
                    lines.last() += u" \u2026"_s;
                }
                most = std::max(most, int(lines.size()));
                cells << lines;
            }
            return std::pair{cells, most * lead + 2 * pad};
        };
        const auto [headerCells, headerHeight] = cellLines(t.header, kBold);
        auto drawRow = [&](const QList<QStringList>& cells, double height, int font, const Rgb* fill) {
            if (fill)
                page().fillRect(kMarginX, m_y, kWidth, height, *fill);
            double x = kMarginX;
            for (int c = 0; c < columns; ++c) {
                double y = m_y + pad;
                for (const QString& line : cells[c]) {
                    y += lead;
                    const bool right = c < t.numeric.size() && t.numeric[c];
                    const double w = m_pdf.textWidth(font, line, size);
                    draw(right ? x + widths[c] - pad - w : x + pad, y - lead * 0.25, font, size, line);
                }
                x += widths[c];
            }
            m_y += height;
            page().line(kMarginX, m_y, kMarginX + kWidth, m_y, 0.3, kRule);
        };
        auto header = [&] { drawRow(headerCells, headerHeight, kBold, &kHeaderFill); };
        m_y += 2;
        const auto first = t.rows.isEmpty() ? std::pair{QList<QStringList>{}, 0.0} : cellLines(t.rows.first(), kRegular);
        ensure(headerHeight + first.second);
        header();
        int index = 0;
        for (const QStringList& row : t.rows) {
            const auto [cells, height] = cellLines(row, kRegular);
            if (m_y + height > kBottom) {
                newPage();
                header();
            }
            drawRow(cells, height, kRegular, index++ % 2 ? &kStripe : nullptr);
        }
        m_y += 10;
    }

    void chart(const ChartBlock& c)
    {
        const double height = 200;
        m_y += 6;
        ensure(height + 40);
        m_y += 11;
        draw(kMarginX, m_y, kBold, 10, c.title);
        m_y += 8;
        const double axisLabel = 7;
        const int n = int(c.categories.size());
        // The y scale: a 1-2-5 step so grid lines fall on round numbers.
        double top = 0;
        for (int i = 0; i < n; ++i) {
            double stack = 0;
            for (const ChartSeries& s : c.series) {
                const double v = i < s.values.size() ? s.values[i] : 0;
                stack = c.kind == ChartBlock::Kind::StackedBars ? stack + v : std::max(stack, v);
            }
            top = std::max(top, stack);
        }
        double step = 1;
        if (top > 0) {
            const double raw = top / 5;
            const double mag = std::pow(10.0, std::floor(std::log10(raw)));
            step = raw / mag <= 1 ? mag : raw / mag <= 2 ? 2 * mag : raw / mag <= 5 ? 5 * mag : 10 * mag;
            step = std::max(step, 1.0);
        }
        const int steps = std::max(1, int(std::ceil(top / step)));
        top = steps * step;
        QString widest = QString::number(top, 'f', 0);
        const double left = kMarginX + m_pdf.textWidth(kRegular, widest, axisLabel) + 8;
        const double right = kMarginX + kWidth;
        const double plotTop = m_y + 6;
        const double plotBottom = m_y + height - 52;
        const double plotH = plotBottom - plotTop;
        for (int s = 0; s <= steps; ++s) {
            const double y = plotBottom - plotH * s / steps;
            page().line(left, y, right, y, s == 0 ? 0.8 : 0.3, s == 0 ? kBlack : kRule);
            const QString label = QString::number(s * step, 'f', 0);
            draw(left - 4 - m_pdf.textWidth(kRegular, label, axisLabel), y + axisLabel * 0.35, kRegular, axisLabel, label,
                 kGrey);
        }
        page().line(left, plotTop, left, plotBottom, 0.8, kBlack);
        if (!c.yLabel.isEmpty())
            draw(left, plotTop - 4, kRegular, axisLabel, c.yLabel, kGrey);
        const double slot = n > 0 ? (right - left) / n : 0;
        std::vector<std::vector<std::pair<double, double>>> lines(size_t(c.series.size()));
        for (int i = 0; i < n; ++i) {
            const double x0 = left + slot * i;
            double base = 0;
            const int groups = c.kind == ChartBlock::Kind::Bars ? std::max<int>(1, int(c.series.size())) : 1;
            const double barW = slot * 0.72 / groups;
            for (int si = 0; si < c.series.size(); ++si) {
                const ChartSeries& s = c.series[si];
                const double v = i < s.values.size() ? s.values[i] : 0;
                if (c.kind == ChartBlock::Kind::Lines) {
                    lines[size_t(si)].emplace_back(x0 + slot / 2, plotBottom - plotH * v / top);
                    continue;
                }
                const double h = plotH * v / top;
                const double x = c.kind == ChartBlock::Kind::StackedBars ? x0 + slot * 0.14 : x0 + slot * 0.14 + barW * si;
                const double y = plotBottom - plotH * base / top - h;
                if (h > 0)
                    page().fillRect(x, y, barW, h, palette(s.colour));
                if (c.kind == ChartBlock::Kind::StackedBars)
                    base += v;
            }
        }
        for (size_t si = 0; si < lines.size(); ++si)
            page().polyline(lines[si], 1.4, palette(c.series[int(si)].colour));
        // x labels: as many as fit without touching, evenly spaced.
        double widestLabel = 0;
        for (const QString& label : c.categories)
            widestLabel = std::max(widestLabel, m_pdf.textWidth(kRegular, label, axisLabel));
        const int every = slot > 0 ? std::max(1, int(std::ceil((widestLabel + 6) / slot))) : 1;
        for (int i = 0; i < n; i += every) {
            const double w = m_pdf.textWidth(kRegular, c.categories[i], axisLabel);
            const double x = std::clamp(left + slot * i + slot / 2 - w / 2, kMarginX, right - w);
            draw(x, plotBottom + 10, kRegular, axisLabel, c.categories[i], kGrey);
        }
        // Legend below the axis, wrapping when the names do not fit on one line.
        double lx = left;
        double ly = plotBottom + 26;
        for (const ChartSeries& s : c.series) {
            const double w = 12 + m_pdf.textWidth(kRegular, s.name, 8) + 14;
            if (lx + w > right && lx > left) {
                lx = left;
                ly += 12;
            }
            page().fillRect(lx, ly - 7, 8, 8, palette(s.colour));
            draw(lx + 12, ly, kRegular, 8, s.name);
            lx += w;
        }
        m_y = std::max(m_y + height - 12, ly + 10);
    }

    void pageBreak()
    {
        if (m_y > kTop + 1)
            newPage();
    }

    /// Running header (not on the title page) and "Page N of M" footers, once M is known.
    void finish(const QString& title, const QString& runningHeader)
    {
        const int count = m_pdf.pageCount();
        for (int i = 0; i < count; ++i) {
            m_page = i;
            if (i > 0) {
                const QString head = elide(runningHeader, kRegular, 8, kWidth);
                draw(kMarginX, 38, kRegular, 8, head, kGrey);
                page().line(kMarginX, 44, kMarginX + kWidth, 44, 0.5, kRule);
            }
            const double fy = PdfDocument::kA4Height - 32;
            page().line(kMarginX, fy - 12, kMarginX + kWidth, fy - 12, 0.5, kRule);
            const QString number = u"Page %1 of %2"_s.arg(i + 1).arg(count);
            const double nw = m_pdf.textWidth(kRegular, number, 8);
            draw(kMarginX + kWidth - nw, fy, kRegular, 8, number, kGrey);
            draw(kMarginX, fy, kRegular, 8, elide(title, kRegular, 8, kWidth - nw - 20), kGrey);
        }
    }

private:
    PdfPage& page() { return m_pdf.page(m_page); }

    void newPage()
    {
        m_pdf.addPage();
        m_page = m_pdf.pageCount() - 1;
        m_y = kTop;
    }

    void ensure(double height)
    {
        if (m_y + height > kBottom && m_y > kTop + 1)
            newPage();
    }

    void draw(double x, double baseline, int font, double size, const QString& text, Rgb colour = kBlack)
    {
        for (const PdfDocument::Run& run : m_pdf.shape(font, text, size)) {
            page().text(x, baseline, run.font, size, run.glyphs, colour);
            x += run.width;
        }
    }

    void textLines(const QStringList& lines, int font, double size, double x)
    {
        for (const QString& line : lines) {
            ensure(size * 1.35);
            m_y += size * 1.35;
            draw(x, m_y - size * 0.3, font, size, line);
        }
    }

    QString elide(const QString& text, int font, double size, double width) const
    {
        if (m_pdf.textWidth(font, text, size) <= width)
            return text;
        QString cut = text;
        while (!cut.isEmpty() && m_pdf.textWidth(font, cut + u"\u2026"_s, size) > width)
            cut.chop(1);
        return cut + u"\u2026"_s;
    }

    // The table's column widths: its relative widths, except that no header word, no number
    // ("100.0 %") and no word of a text cell up to a third of the page (a domain) is broken
    // while other columns have room to give.
    QList<double> columnWidths(const TableBlock& t, double size, double pad) const
    {
        const int columns = int(t.header.size());
        QList<double> weight, need;
        for (int c = 0; c < columns; ++c) {
            weight << (c < t.widths.size() ? t.widths[c] : 1);
            double widest = 0;
            for (const QString& word : t.header[c].split(u' ', Qt::SkipEmptyParts))
                widest = std::max(widest, m_pdf.textWidth(kBold, word, size));
            const bool numeric = c < t.numeric.size() && t.numeric[c];
            for (const QStringList& row : t.rows) {
                if (c >= row.size())
                    continue;
                if (numeric) {
                    widest = std::max(widest, m_pdf.textWidth(kRegular, row[c], size));
                    continue;
                }
                for (const QString& word : row[c].split(u' ', Qt::SkipEmptyParts))
                    widest = std::max(widest, std::min(m_pdf.textWidth(kRegular, word, size), kWidth / 3));
            }
            need << widest + 2 * pad + 0.5;
        }
        // Columns under their need get it, from the others in proportion to their weights;
        // again while that pushes another under its own. Without room for all, as weighed.
        QList<double> widths(columns, 0);
        QList<bool> fixed(columns, false);
        for (int round = 0; round <= columns; ++round) {
            double room = kWidth, total = 0;
            for (int c = 0; c < columns; ++c) {
                if (fixed[c])
                    room -= need[c];
                else
                    total += weight[c];
            }
            if (room <= 0 || total <= 0)
                break;
            bool changed = false;
            for (int c = 0; c < columns; ++c) {
                widths[c] = fixed[c] ? need[c] : room * weight[c] / total;
                if (!fixed[c] && widths[c] < need[c]) {
                    fixed[c] = true;
                    changed = true;
                }
            }
            if (!changed)
                return widths;
        }
        double total = 0;
        for (double w : weight)
            total += w;
        for (int c = 0; c < columns; ++c)
            widths[c] = kWidth * weight[c] / total;
        return widths;
    }

    // Greedy word wrap by glyph widths; a word wider than the line is broken between
    // characters (message ids, long addresses), so nothing runs past the margin.
    QStringList wrap(const QString& text, int font, double size, double width) const
    {
        QStringList out;
        for (const QString& para : text.split(u'\n')) {
            QString line;
            for (const QString& word : para.split(u' ', Qt::SkipEmptyParts)) {
                const QString candidate = line.isEmpty() ? word : line + u' ' + word;
                if (m_pdf.textWidth(font, candidate, size) <= width) {
                    line = candidate;
                    continue;
                }
                if (!line.isEmpty())
                    out << line;
                line.clear();
                for (QChar ch : word) {
                    if (!line.isEmpty() && m_pdf.textWidth(font, line + ch, size) > width) {
                        out << line;
                        line.clear();
                    }
                    line += ch;
                }
            }
            out << line;
        }
        return out;
    }

    PdfDocument& m_pdf;
    int m_page = 0;
    double m_y = kTop;
};

} // namespace

Result<QString> PdfLayout::fontDirectory()
{
    QStringList places;
    const QString fromEnv = qEnvironmentVariable("BI_FONT_DIR");
    if (!fromEnv.isEmpty())
        places << fromEnv;
    places << u"/usr/share/fonts/truetype/dejavu"_s << u"/usr/share/fonts/dejavu"_s
           << u"/usr/share/fonts/dejavu-sans-fonts"_s << u"/usr/local/share/fonts/dejavu"_s
           << u"/opt/homebrew/share/fonts"_s << u"/usr/local/share/fonts"_s;
    for (const QString& dir : places) {
        if (QFileInfo::exists(QDir(dir).filePath(u"DejaVuSans.ttf"_s))
            && QFileInfo::exists(QDir(dir).filePath(u"DejaVuSans-Bold.ttf"_s)))
            return dir;
    }
    return makeError(ErrorCode::Io,
                     u"the fonts DejaVuSans.ttf and DejaVuSans-Bold.ttf were not found (install fonts-dejavu-core, "
                     u"or set BI_FONT_DIR); searched %1"_s.arg(places.join(u", "_s)));
}

QString PdfLayout::fallbackFont()
{
    QStringList places;
    const QString fromEnv = qEnvironmentVariable("BI_FONT_DIR");
    if (!fromEnv.isEmpty())
        places << fromEnv;
    places << u"/usr/share/fonts/truetype/droid"_s << u"/usr/share/fonts/google-droid-sans-fonts"_s;
    for (const QString& dir : places) {
        const QString path = QDir(dir).filePath(u"DroidSansFallbackFull.ttf"_s);
        if (QFileInfo::exists(path))
            return path;
    }
    return {};
}

Result<QByteArray> PdfLayout::render(const ReportDocument& document)
{
    auto dir = fontDirectory();
    if (!dir)
        return dir.error();
    auto regular = TrueTypeFont::load(QDir(*dir).filePath(u"DejaVuSans.ttf"_s));
    if (!regular)
        return regular.error();
    auto bold = TrueTypeFont::load(QDir(*dir).filePath(u"DejaVuSans-Bold.ttf"_s));
    if (!bold)
        return bold.error();
    PdfDocument pdf;
    pdf.addFont(std::move(*regular));
    pdf.addFont(std::move(*bold));
    // Optional: without it (or with a damaged copy) such letters are empty boxes, as before.
    if (const QString path = fallbackFont(); !path.isEmpty()) {
        if (auto fallback = TrueTypeFont::load(path))
            pdf.setFallback(pdf.addFont(std::move(*fallback)));
    }
    Layout layout(pdf);
    for (const Block& block : document.blocks) {
        std::visit(
            [&layout](const auto& b) {
                using T = std::decay_t<decltype(b)>;
                if constexpr (std::is_same_v<T, HeadingBlock>)
                    layout.heading(b);
                else if constexpr (std::is_same_v<T, ParagraphBlock>)
                    layout.paragraph(b);
                else if constexpr (std::is_same_v<T, BulletsBlock>)
                    layout.bullets(b);
                else if constexpr (std::is_same_v<T, TableBlock>)
                    layout.table(b);
                else if constexpr (std::is_same_v<T, ChartBlock>)
                    layout.chart(b);
                else
                    layout.pageBreak();
            },
            block);
    }
    layout.finish(document.title, document.runningHeader);
    return pdf.toBytes(document.title, document.runningHeader);
}

} // namespace bi::core::report::pdf
