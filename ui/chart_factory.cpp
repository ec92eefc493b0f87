// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/chart_factory.h"

#include <algorithm>
#include <cmath>

#include <QBarCategoryAxis>
#include <QRegularExpression>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCoreApplication>
#include <QFont>
#include <QGraphicsSimpleTextItem>
#include <QGuiApplication>
#include <QHorizontalStackedBarSeries>
#include <QLegend>
#include <QLegendMarker>
#include <QPieSeries>
#include <QPieSlice>
#include <QStackedBarSeries>
#include <QValueAxis>

using namespace Qt::StringLiterals;

namespace bi::ui {

namespace {

// Qt Charts draws titles, legends, axis and slice labels as rich text: text that comes from
// mail (domains, reasons) or reads like markup ("<1 h") is escaped so it shows as written.
QString plain(const QString& text)
{
    return text.toHtmlEscaped();
}

QChart* newChart(const QString& title)
{
    auto* chart = new QChart;
    chart->setTitle(plain(title));
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignBottom);
    return chart;
}

// The chart follows the application's palette (light or dark), as the widgets around it do;
// the series keep their own colours, chosen to read on both.
void applyPalette(QChart* chart, const QPalette& palette)
{
    const QColor text = palette.color(QPalette::WindowText);
    QColor grid = palette.color(QPalette::Mid);
    grid.setAlpha(110);
    chart->setBackgroundBrush(palette.brush(QPalette::Base));
    chart->setBackgroundPen(QPen(palette.color(QPalette::Mid)));
    chart->setTitleBrush(text);
    chart->legend()->setLabelColor(text);
    chart->legend()->setBrush(Qt::NoBrush);
    for (QAbstractAxis* axis : chart->axes()) {
        axis->setLabelsColor(text);
        axis->setLinePenColor(palette.color(QPalette::Mid));
        axis->setGridLineColor(grid);
        axis->setTitleBrush(text);
    }
    for (QAbstractSeries* series : chart->series()) {
        if (auto* pie = qobject_cast<QPieSeries*>(series)) {
            for (QPieSlice* slice : pie->slices()) {
                slice->setLabelColor(text);
                slice->setBorderColor(palette.color(QPalette::Base));
            }
        }
    }
}

QChartView* newView(QChart* chart, QWidget* parent)
{
    applyPalette(chart, parent ? parent->palette() : QGuiApplication::palette());
    auto* view = new QChartView(chart, parent);
    view->setBackgroundBrush(Qt::NoBrush);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(320, 240);
    return view;
}

// Category labels must be unique for QBarCategoryAxis; blanks become distinct runs of spaces.
QStringList uniqueLabels(const QStringList& labels)
{
    QStringList out;
    int blanks = 0;
    for (const QString& l : labels)
        out << (l.isEmpty() ? QString(++blanks, u' ') : plain(l));
    return out;
}

// Names past 28 letters shortened in the middle ("mail.protection.…tlook.com"), unless that
// would make two alike: the bars keep most of a row chart's width.
QStringList shortNames(const QStringList& names)
{
    QStringList out;
    for (const QString& n : names) {
        const QString s = n.size() > 28 ? n.left(13) + u'\u2026' + n.right(14) : n;
        out << (out.contains(s) ? n : s);
    }
    return out;
}

} // namespace

QStringList ChartFactory::thinLabels(const QStringList& labels, int maxShown)
{
    if (maxShown <= 0 || labels.size() <= maxShown)
        return labels;
    const qsizetype step = (labels.size() + maxShown - 1) / maxShown;
    QStringList out;
    for (qsizetype i = 0; i < labels.size(); ++i)
        out << (i % step == 0 ? labels.at(i) : QString());
    // A label naming its year ("2026-01-01", a new year's first period) is kept wherever it
    // falls, its shown neighbours closer than a step blanked: without it the days after New
    // Year would read as the old year's.
    static const QRegularExpression namesYear(u"^\\d{4}-"_s);
    for (qsizetype i = 1; i < labels.size(); ++i) {
        if (i % step == 0 || !namesYear.match(labels.at(i)).hasMatch())
            continue;
        for (qsizetype j = std::max<qsizetype>(0, i - step + 1); j < std::min(labels.size(), i + step); ++j)
            out[j].clear();
        out[i] = labels.at(i);
    }
    return out;
}

QWidget* ChartFactory::barChart(const QString& title, const QStringList& categories, const QList<BarSet>& sets,
                                BarStyle style, const BarClicked& onBar, const LegendClicked& onLegend,
                                QWidget* parent)
{
    QChart* chart = newChart(title);
    const bool rows = style == BarStyle::StackedRows;
    QAbstractBarSeries* series = nullptr;
    if (rows)
        series = new QHorizontalStackedBarSeries;
    else if (style == BarStyle::StackedColumns)
        series = new QStackedBarSeries;
    else
        series = new QBarSeries;
    // Rows are drawn from the bottom up: reversed, the first category is the top one.
    const qsizetype count = categories.size();
    auto drawn = [rows, count](qsizetype i) { return rows ? count - 1 - i : i; };
    qreal max = 0;
    QList<qreal> stackedTotals(count, 0);
    QList<QBarSet*> barSets;
    for (const BarSet& s : sets) {
        auto* set = new QBarSet(plain(s.name));
        QList<qreal> values = s.values;
        if (rows)
            std::reverse(values.begin(), values.end());
        set->append(values); // the whole list at once (STYLE §10)
        if (s.color.isValid())
            set->setColor(s.color);
        for (qsizetype i = 0; i < values.size() && i < stackedTotals.size(); ++i) {
            stackedTotals[i] += values.at(i);
            max = std::max(max, values.at(i));
        }
        barSets << set;
    }
    series->append(barSets);
    if (style != BarStyle::Columns) {
        for (qreal t : std::as_const(stackedTotals))
            max = std::max(max, t);
    }
    chart->addSeries(series);

    auto* x = new QBarCategoryAxis;
    QStringList labels = rows ? uniqueLabels(shortNames(categories)) : uniqueLabels(thinLabels(categories, 16));
    if (rows) {
        std::reverse(labels.begin(), labels.end());
        // A row per name, however many: Qt hides every label that would touch its neighbour.
        QFont font = x->labelsFont();
        font.setPointSizeF(font.pointSizeF() * 0.85);
        x->setLabelsFont(font);
    }
    x->append(labels);
    if (!rows && count > 8)
        x->setLabelsAngle(-60);
    // Short rotated labels (days, hours) fit in the height even where the bar is too narrow:
    // eliding them to "…" hid every day. Long ones (domains) would run into the legend.
    // An ISO date ("2025-12-29", the year on a run's first day) counts as short.
    qsizetype longest = 0;
    for (const QString& c : categories)
        longest = std::max(longest, c.size());
    constexpr qsizetype kShortLabel = 10;
    // Rows give names the width they need (Qt would elide every one to "..." there), shortened
    // in the middle past 28 letters so the bars keep most of the width.
    x->setTruncateLabels(!rows && longest > kShortLabel);
    chart->addAxis(x, rows ? Qt::AlignLeft : Qt::AlignBottom);
    series->attachAxis(x);
    auto* y = new QValueAxis;
    y->setLabelFormat(u"%d"_s);
    if (max <= 10) {
        // Counts: one tick per whole number, where nice numbers gave 0.2 steps printed "0 0 0 0 0 1".
        const int top = std::max(1, int(std::ceil(max)));
        y->setRange(0, top);
        y->setTickCount(top + 1);
    } else {
        y->setRange(0, max * 1.08);
        y->applyNiceNumbers();
    }
    chart->addAxis(y, rows ? Qt::AlignBottom : Qt::AlignLeft);
    series->attachAxis(y);
    if (max <= 0) {
        // An empty chart says so, in the middle of its plot area.
        auto* note = new QGraphicsSimpleTextItem(QCoreApplication::translate("ChartFactory", "Nothing to show in this project"),
                                                 chart);
        note->setBrush(QGuiApplication::palette().color(QPalette::PlaceholderText));
        QObject::connect(chart, &QChart::plotAreaChanged, chart, [note](const QRectF& area) {
            const QRectF box = note->boundingRect();
            note->setPos(area.center() - QPointF(box.width() / 2, box.height() / 2));
        });
    }
    chart->legend()->setVisible(sets.size() > 1);

    QChartView* view = newView(chart, parent);
    if (onBar) {
        for (int i = 0; i < barSets.size(); ++i) {
            QObject::connect(barSets.at(i), &QBarSet::clicked, view,
                             [onBar, i, drawn](int category) { onBar(int(drawn(category)), i); });
        }
    }
    if (onLegend) {
        const QList<QLegendMarker*> markers = chart->legend()->markers(series);
        for (int i = 0; i < markers.size(); ++i)
            QObject::connect(markers.at(i), &QLegendMarker::clicked, view, [onLegend, i] { onLegend(i); });
    }
    return view;
}

QWidget* ChartFactory::donutChart(const QString& title, const QList<Slice>& inner, const QList<Slice>& outer,
                                  const SliceClicked& onSlice, QWidget* parent)
{
    QChart* chart = newChart(title);
    const QList<Slice>* rings[] = {&inner, &outer};
    QList<QPieSeries*> series;
    for (int ring = 0; ring < 2; ++ring) {
        if (rings[ring]->isEmpty())
            continue;
        auto* pie = new QPieSeries;
        QList<QPieSlice*> slices;
        for (const Slice& s : *rings[ring]) {
            auto* slice = new QPieSlice(plain(s.label), s.value);
            if (s.color.isValid())
                slice->setColor(s.color);
            slices << slice;
        }
        pie->append(slices);
        if (ring == 0) {
            pie->setHoleSize(outer.isEmpty() ? 0.35 : 0.22);
            pie->setPieSize(outer.isEmpty() ? 0.8 : 0.44);
        } else {
            pie->setHoleSize(0.45);
            pie->setPieSize(0.7); // room above and below for the outside labels
            // Only the large outer slices carry labels; the legend shows the inner ring.
            for (QPieSlice* slice : std::as_const(slices)) {
                slice->setLabelVisible(slice->percentage() >= 0.04);
                slice->setLabelPosition(QPieSlice::LabelOutside);
            }
        }
        chart->addSeries(pie);
        series << pie;
        if (onSlice) {
            const int r = ring;
            for (int i = 0; i < slices.size(); ++i)
                QObject::connect(slices.at(i), &QPieSlice::clicked, chart, [onSlice, r, i] { onSlice(r, i); });
        }
    }
    // The legend lists the inner ring only (the outer one is labelled on the chart).
    for (qsizetype i = 1; i < series.size(); ++i) {
        for (QLegendMarker* m : chart->legend()->markers(series.at(i)))
            m->setVisible(false);
    }
    chart->legend()->setAlignment(Qt::AlignRight);
    return newView(chart, parent);
}

} // namespace bi::ui
