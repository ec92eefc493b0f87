// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QRectF>
#include <QWidget>

#include "core/store/fate_record.h"

namespace bi::ui {

/// Paints one recipient's timeline on a horizontal axis: queued, each deferral, the final
/// outcome and the asynchronous bounce, with the span between neighbours written above the
/// axis. Gaps are log-compressed so seconds and weeks both stay readable. Hovering a marker
/// shows its reply code and text. Steps without a time are not drawn (the table lists them).
/// Thread: GUI.
class TimelineView final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimelineView)
public:
    explicit TimelineView(QWidget* parent = nullptr);
    ~TimelineView() override;

    void setSteps(const QList<core::store::TimelineStep>& steps);
    void clear();

    /// Steps drawn (those with a time), in time order.
    [[nodiscard]] const QList<core::store::TimelineStep>& drawnSteps() const { return m_steps; }
    /// Centre of marker i in widget coordinates (after layout).
    [[nodiscard]] QPointF markerCenter(int i) const;
    /// The duration labels between neighbouring markers, in order.
    [[nodiscard]] QStringList gapLabels() const;
    /// Index of the marker under pos, or -1.
    [[nodiscard]] int markerAt(const QPointF& pos) const;

    [[nodiscard]] QSize sizeHint() const override;
    [[nodiscard]] QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void layoutMarkers();

    QList<core::store::TimelineStep> m_steps;
    qsizetype m_undated = 0; ///< steps without a time: listed in the table, not drawn
    QList<qreal> m_x; ///< marker x positions
};

} // namespace bi::ui
