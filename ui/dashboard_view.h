// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFutureWatcher>
#include <QString>
#include <QWidget>

#include "core/common/result.h"
#include "core/report/dashboard_data.h"

class QGridLayout;
class QLabel;

namespace bi::ui {

/// The project overview: backscatter volume over time, fates per receiving provider, failure
/// reasons by group, time to asynchronous bounce and deferrals over time. The numbers come from
/// core/report (DashboardDataBuilder, shared with the PDF report), loaded in a worker with its
/// own connection; charts are built through ChartFactory. Clicking a bar or slice asks for a
/// filter: filterRequested(field, value) with field one of "fate", "reason", "reason_group",
/// "domain", "provider", "verdict" (value "ours", "backscatter", "uncertain", or "outbound" for
/// notices our smarthosts sent), "day" (value "YYYY-MM-DD", or "YYYY-MM-DD/YYYY-MM-DD" for the
/// bar of a week or month: the time charts show days, weeks or months by the project's span,
/// quiet ones included, see core::report::CalendarPeriods), "bounce_hours_min_max"
/// (value "min,max" in hours, max empty for the open-ended last bin). Thread: GUI.
class DashboardView final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DashboardView)
public:
    enum Chart { VolumeChart, ProviderChart, ReasonChart, TimeToBounceChart, DeferralChart, ChartCount };

    explicit DashboardView(QWidget* parent = nullptr);
    ~DashboardView() override;

    /// The project to read from; clears the charts (call refresh() to load).
    void setProjectPath(const QString& dbPath);
    /// Reloads the numbers in a worker; stale results are dropped.
    void refresh();

    /// The chart widget (a chart view) at a slot, for embedding tests and screenshots.
    [[nodiscard]] QWidget* chartWidget(Chart chart) const;
    [[nodiscard]] const core::report::DashboardData& data() const { return m_data; }

signals:
    void filterRequested(const QString& field, const QString& value);
    /// New numbers are shown.
    void refreshed();
    void loadFailed(const QString& message);

protected:
    /// A light/dark palette switch redraws the charts in the new colours.
    void changeEvent(QEvent* event) override;

private:
    using Outcome = core::Result<core::report::DashboardData>;
    void present(const core::report::DashboardData& data);
    void place(Chart chart, QWidget* widget);
    QWidget* volumeChart();
    QWidget* providerChart();
    QWidget* reasonChart();
    QWidget* timeToBounceChart();
    QWidget* deferralChart();

    QString m_path;
    core::report::DashboardData m_data;
    QLabel* m_summary = nullptr;
    QGridLayout* m_grid = nullptr;
    QWidget* m_charts[ChartCount] = {};
    QFutureWatcher<Outcome> m_watcher;
    quint64 m_generation = 0;
    quint64 m_pendingGeneration = 0;
};

} // namespace bi::ui
