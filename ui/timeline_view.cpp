// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/timeline_view.h"

#include <algorithm>
#include <cmath>

#include <QHelpEvent>
#include <QLineF>
#include <QPainter>
#include <QToolTip>

#include "ui/step_style.h"

using namespace Qt::StringLiterals;
using bi::core::store::TimelineStep;

namespace bi::ui {

namespace {

constexpr qreal kMargin = 70;      // room for the first and last labels
constexpr qreal kMarkerRadius = 6;
constexpr qreal kMinGapWeight = 0.6; // same-second steps still get apart

// Log-compressed width of a gap: a minute and a week differ by ~10x, not 10,000x.
qreal gapWeight(qint64 seconds)
{
    return kMinGapWeight + std::log1p(double(std::max<qint64>(seconds, 0)) / 60.0);
}

} // namespace

TimelineView::TimelineView(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setAttribute(Qt::WA_OpaquePaintEvent, false);
}

TimelineView::~TimelineView() = default;

void TimelineView::setSteps(const QList<TimelineStep>& steps)
{
    m_steps.clear();
    m_undated = 0;
    for (const TimelineStep& s : steps) {
        if (s.time.isValid())
            m_steps << s;
        else
            ++m_undated;
    }
    std::stable_sort(m_steps.begin(), m_steps.end(),
                     [](const TimelineStep& a, const TimelineStep& b) { return a.time < b.time; });
    layoutMarkers();
    update();
}

void TimelineView::clear()
{
    setSteps({});
}

QPointF TimelineView::markerCenter(int i) const
{
    if (i < 0 || i >= m_x.size())
        return {};
    return {m_x.at(i), height() * 0.5};
}

QStringList TimelineView::gapLabels() const
{
    QStringList out;
    for (qsizetype i = 1; i < m_steps.size(); ++i)
        out << StepStyle::duration(core::store::TimelineStep::shownGap(m_steps.at(i - 1).time, m_steps.at(i).time));
    return out;
}

int TimelineView::markerAt(const QPointF& pos) const
{
    int best = -1;
    qreal bestDistance = kMarkerRadius + 4;
    for (int i = 0; i < m_x.size(); ++i) {
        const qreal d = QLineF(pos, markerCenter(i)).length();
        if (d <= bestDistance) {
            best = i;
            bestDistance = d;
        }
    }
    return best;
}

QSize TimelineView::sizeHint() const
{
    return {800, 130};
}

QSize TimelineView::minimumSizeHint() const
{
    return {300, 130};
}

void TimelineView::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    layoutMarkers();
}

void TimelineView::layoutMarkers()
{
    m_x.clear();
    if (m_steps.isEmpty())
        return;
    const qreal left = kMargin;
    const qreal right = std::max<qreal>(left + 1, width() - kMargin);
    if (m_steps.size() == 1) {
        m_x << (left + right) / 2;
        return;
    }
    QList<qreal> cumulative{0};
    for (qsizetype i = 1; i < m_steps.size(); ++i)
        cumulative << cumulative.last() + gapWeight(core::store::TimelineStep::shownGap(m_steps.at(i - 1).time, m_steps.at(i).time));
    const qreal total = cumulative.last();
    for (qreal c : std::as_const(cumulative))
        m_x << left + (right - left) * c / total;
}

void TimelineView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), palette().base());
    const qreal axisY = height() * 0.5;
    if (m_steps.isEmpty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter,
                   m_undated > 0 ? tr("No dated events to place on a time axis: the table lists them")
                                 : tr("No timeline to show"));
        return;
    }
    const QColor textColor = palette().color(QPalette::Text);
    p.setPen(QPen(palette().color(QPalette::Mid), 2));
    p.drawLine(QPointF(m_x.first(), axisY), QPointF(m_x.last(), axisY));

    QFont small = font();
    small.setPointSizeF(std::max(6.0, small.pointSizeF() * 0.85));
    const QFontMetricsF fm(small);
    p.setFont(small);

    // Spans between neighbours, just above the axis; skipped when the gap is too narrow.
    for (qsizetype i = 1; i < m_steps.size(); ++i) {
        const QString label = StepStyle::duration(core::store::TimelineStep::shownGap(m_steps.at(i - 1).time, m_steps.at(i).time));
        const qreal mid = (m_x.at(i - 1) + m_x.at(i)) / 2;
        const qreal room = m_x.at(i) - m_x.at(i - 1) - 2 * kMarkerRadius;
        if (fm.horizontalAdvance(label) > room)
            continue;
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(QPointF(mid - fm.horizontalAdvance(label) / 2, axisY - 6), label);
    }

    // Markers; titles alternate above and below so close neighbours do not overwrite each other.
    qreal lastTitleEnd[2] = {-1e9, -1e9};
    for (qsizetype i = 0; i < m_steps.size(); ++i) {
        const TimelineStep& s = m_steps.at(i);
        const QPointF c(m_x.at(i), axisY);
        p.setPen(QPen(palette().color(QPalette::Base), 1.5));
        p.setBrush(StepStyle::color(s.kind));
        p.drawEllipse(c, kMarkerRadius, kMarkerRadius);

        const QString title = StepStyle::title(s.kind);
        const QString when = s.time.toUTC().toString(u"MM-dd HH:mm"_s);
        const qreal w = std::max(fm.horizontalAdvance(title), fm.horizontalAdvance(when));
        const int lane = int(i % 2);
        if (c.x() - w / 2 < lastTitleEnd[lane])
            continue; // crowded: the table and the tooltip still have it
        lastTitleEnd[lane] = c.x() + w / 2 + 4;
        p.setPen(textColor);
        const qreal top = lane == 0 ? axisY - 2 * fm.height() - 18 : axisY + 14;
        p.drawText(QRectF(c.x() - w / 2, top, w, fm.height()), Qt::AlignCenter, title);
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(QRectF(c.x() - w / 2, top + fm.height(), w, fm.height()), Qt::AlignCenter, when);
    }
}

bool TimelineView::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int i = markerAt(help->pos());
        if (i >= 0)
            QToolTip::showText(help->globalPos(), StepStyle::toolTip(m_steps.at(i)), this);
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

} // namespace bi::ui
