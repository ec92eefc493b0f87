// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>

#include <QColor>
#include <QList>
#include <QString>
#include <QStringList>

class QWidget;

namespace bi::ui {

/// The only code that touches Qt Charts (STYLE §10: GPL-3.0, maintenance mode upstream, so a
/// later move to Qt Graphs stays here). Builds finished chart views from plain values:
/// whole point lists at once, animations off, axis ranges set explicitly. The returned
/// widget is a QChartView owned by parent.
class ChartFactory final {
public:
    struct BarSet {
        QString name;
        QList<qreal> values; ///< one per category
        QColor color;
    };
    struct Slice {
        QString label;
        qreal value = 0;
        QColor color;
    };
    /// A bar was clicked: category index, set index.
    using BarClicked = std::function<void(int category, int set)>;
    /// A legend marker was clicked: set (or ring) index.
    using LegendClicked = std::function<void(int set)>;
    /// A slice was clicked: ring (0 inner, 1 outer) and slice index.
    using SliceClicked = std::function<void(int ring, int slice)>;

    /// How the bars of several sets stand: side by side, stacked in columns (categories along
    /// the bottom: days, hours), or stacked in rows (categories down the left, first at the top:
    /// names too long to stand under a column, such as domains).
    enum class BarStyle { Columns, StackedColumns, StackedRows };
    /// One bar per category and set, as style says; onBar gets the category's index in
    /// categories whatever the style.
    [[nodiscard]] static QWidget* barChart(const QString& title, const QStringList& categories,
                                           const QList<BarSet>& sets, BarStyle style, const BarClicked& onBar,
                                           const LegendClicked& onLegend, QWidget* parent);
    /// A donut: inner ring and an optional outer ring (its slices must nest in the inner ones'
    /// order and sum to the same total).
    [[nodiscard]] static QWidget* donutChart(const QString& title, const QList<Slice>& inner,
                                             const QList<Slice>& outer, const SliceClicked& onSlice,
                                             QWidget* parent);
    /// Axis labels for many categories: every nth kept, the rest blank, so labels never overlap.
    [[nodiscard]] static QStringList thinLabels(const QStringList& labels, int maxShown);
};

} // namespace bi::ui
