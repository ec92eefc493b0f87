// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <variant>

#include <QList>
#include <QString>
#include <QStringList>

namespace bi::core::report {

/// A report as a list of blocks, independent of the output format: the composer fills it from
/// ReportData, the PDF layout (core/report/pdf/pdf_layout.h) paints it. All text is plain text.

struct HeadingBlock {
    int level = 1;   ///< 1 = section (starts a new page when asked), 2 = subsection
    QString text;
    bool newPage = false;
};

struct ParagraphBlock {
    QString text;
    bool small = false;
    bool bold = false;
};

struct BulletsBlock {
    QStringList items;
};

/// A table whose header row repeats on every page it spans.
struct TableBlock {
    QStringList header;
    QList<double> widths;       ///< relative column widths (one per column)
    QList<bool> numeric;        ///< right-aligned columns
    QList<QStringList> rows;
    bool small = false;         ///< smaller type for wide tables
};

/// One data series of a chart.
struct ChartSeries {
    QString name;
    QList<double> values;       ///< one per category
    int colour = 0;             ///< index into the layout's palette
};

/// A chart drawn as vector paths.
struct ChartBlock {
    enum class Kind { StackedBars, Bars, Lines };
    Kind kind = Kind::Bars;
    QString title;
    QStringList categories;     ///< x-axis labels
    QList<ChartSeries> series;
    QString yLabel;
};

struct PageBreakBlock {};

using Block = std::variant<HeadingBlock, ParagraphBlock, BulletsBlock, TableBlock, ChartBlock, PageBreakBlock>;

/// The whole report: running header text and the blocks in order.
struct ReportDocument {
    QString title;          ///< document title (PDF metadata, title page)
    QString runningHeader;  ///< printed at the top of every page after the first
    QList<Block> blocks;

    void heading(const QString& text, int level = 1, bool newPage = false)
    {
        blocks.append(HeadingBlock{level, text, newPage});
    }
    void paragraph(const QString& text, bool small = false, bool bold = false)
    {
        blocks.append(ParagraphBlock{text, small, bold});
    }
    void bullets(const QStringList& items) { blocks.append(BulletsBlock{items}); }
    void table(TableBlock t) { blocks.append(std::move(t)); }
    void chart(ChartBlock c) { blocks.append(std::move(c)); }
    void pageBreak() { blocks.append(PageBreakBlock{}); }
};

} // namespace bi::core::report
