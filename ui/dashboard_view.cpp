// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/dashboard_view.h"

#include <algorithm>
#include <limits>
#include <utility>

#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "core/report/reason_group.h"
#include "core/store/fate_record.h"
#include "core/store/project_store.h"
#include "ui/chart_factory.h"

using namespace Qt::StringLiterals;
using bi::core::report::ReasonGroup;

namespace bi::ui {

namespace {

core::Result<core::report::DashboardData> load(const QString& path)
{
    auto store = core::store::ProjectStore::openForReading(path, u"gui-dashboard"_s);
    if (!store)
        return store.error();
    return core::report::DashboardDataBuilder::load(*store);
}

QColor fateColor(core::store::Fate fate)
{
    switch (fate) {
    case core::store::Fate::Delivered: return QColor(0x43, 0xa0, 0x47);
    case core::store::Fate::Rejected: return QColor(0xe5, 0x39, 0x35);
    case core::store::Fate::Expired: return QColor(0x8e, 0x24, 0x24);
    case core::store::Fate::AsyncBounce: return QColor(0x8e, 0x24, 0xaa);
    case core::store::Fate::Deferred: return QColor(0xfb, 0x8c, 0x00);
    }
    return Qt::gray;
}

QColor groupColor(ReasonGroup group, int shade = 0)
{
    QColor c;
    switch (group) {
    case ReasonGroup::Recipient: c = QColor(0x1e, 0x88, 0xe5); break;
    case ReasonGroup::Infrastructure: c = QColor(0xf4, 0x51, 0x1e); break;
    case ReasonGroup::Content: c = QColor(0x8e, 0x24, 0xaa); break;
    case ReasonGroup::Other: c = QColor(0x9e, 0x9e, 0x9e); break;
    }
    return shade == 0 ? c : c.lighter(100 + 12 * (shade % 5));
}

// The filter value of a time chart's bar: its day, or its first and last day.
QString periodFilter(const QDate& first, const QDate& last)
{
    const QString day = first.toString(Qt::ISODate);
    return first == last ? day : day + u'/' + last.toString(Qt::ISODate);
}

// Axis labels for a run of periods: ISO dates while they fit, month and day ("12-29") when a
// half-width chart would elide them to "…" (with the year on the first and on each new year's
// first), the month ("2026-01") for months. The filter still gets the full dates.
template <typename Row>
QStringList periodLabels(const QList<Row>& rows, core::report::PeriodUnit unit)
{
    QStringList out;
    QDate previous;
    for (const Row& r : rows) {
        out << (unit == core::report::PeriodUnit::Day && rows.size() <= 12
                    ? r.day.toString(Qt::ISODate)
                    : core::report::CalendarPeriods::shortLabel({r.day, r.last}, unit, previous));
        previous = r.day;
    }
    return out;
}

} // namespace

DashboardView::DashboardView(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    m_summary = new QLabel(this);
    m_summary->setTextFormat(Qt::PlainText);
    layout->addWidget(m_summary);
    m_grid = new QGridLayout;
    layout->addLayout(m_grid, 1);
    m_grid->setColumnStretch(0, 1);
    m_grid->setColumnStretch(1, 1);

    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this, [this] {
        if (m_pendingGeneration != m_generation)
            return;
        const Outcome outcome = m_watcher.result();
        if (!outcome) {
            m_summary->setText(outcome.error().toString());
            emit loadFailed(outcome.error().toString());
            return;
        }
        present(outcome.value());
    });
    present({});
}

DashboardView::~DashboardView()
{
    m_watcher.waitForFinished();
}

void DashboardView::setProjectPath(const QString& dbPath)
{
    m_path = dbPath;
    ++m_generation;
    present({});
}

void DashboardView::refresh()
{
    if (m_path.isEmpty())
        return;
    m_pendingGeneration = ++m_generation;
    const QString path = m_path;
    m_watcher.setFuture(QtConcurrent::run([path] { return load(path); }));
}

QWidget* DashboardView::chartWidget(Chart chart) const
{
    return chart >= 0 && chart < ChartCount ? m_charts[chart] : nullptr;
}

void DashboardView::present(const core::report::DashboardData& data)
{
    m_data = data;
    m_summary->setText(m_path.isEmpty() ? tr("No project open.")
                                        : tr("%1 recipients, %2 failed.").arg(data.fates).arg(data.failedFates));
    place(VolumeChart, volumeChart());
    place(ProviderChart, providerChart());
    place(ReasonChart, reasonChart());
    place(TimeToBounceChart, timeToBounceChart());
    place(DeferralChart, deferralChart());
    emit refreshed();
}

void DashboardView::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_charts[VolumeChart])
        present(core::report::DashboardData(m_data)); // present() assigns m_data: pass a copy
}

void DashboardView::place(Chart chart, QWidget* widget)
{
    static constexpr int kRow[] = {0, 0, 1, 1, 2};
    static constexpr int kColumn[] = {0, 1, 0, 1, 0};
    if (QWidget* old = m_charts[chart]) {
        m_grid->removeWidget(old);
        old->deleteLater();
    }
    m_charts[chart] = widget;
    m_grid->addWidget(widget, kRow[chart], kColumn[chart], 1, chart == DeferralChart ? 2 : 1);
}

QWidget* DashboardView::volumeChart()
{
    QStringList days;
    QList<qreal> legitimate, inbound, outbound, uncertain;
    for (const core::report::VolumeDay& d : std::as_const(m_data.volume)) {
        days << periodFilter(d.day, d.last);
        legitimate << qreal(d.legitimate);
        inbound << qreal(d.inbound);
        outbound << qreal(d.outbound);
        uncertain << qreal(d.uncertain);
    }
    QList<ChartFactory::BarSet> sets{{tr("Legitimate bounces"), legitimate, QColor(0x1e, 0x88, 0xe5)}};
    QStringList verdicts{u"ours"_s};
    // Backscatter series only from real verdicts (core/backscatter); never estimated here.
    if (m_data.hasBackscatterVerdicts) {
        sets << ChartFactory::BarSet{tr("Inbound backscatter"), inbound, QColor(0xfb, 0x8c, 0x00)}
             << ChartFactory::BarSet{tr("Outbound backscatter"), outbound, QColor(0xe5, 0x39, 0x35)}
             << ChartFactory::BarSet{tr("Uncertain"), uncertain, QColor(0x9e, 0x9e, 0x9e)};
        verdicts << u"backscatter"_s << u"outbound"_s << u"uncertain"_s;
    }
    QString title;
    switch (m_data.volumeUnit) {
    case core::report::PeriodUnit::Day:
        title = m_data.hasBackscatterVerdicts ? tr("Bounces and backscatter per day")
                                              : tr("Bounces per day (backscatter not analysed)");
        break;
    case core::report::PeriodUnit::Week:
        title = m_data.hasBackscatterVerdicts ? tr("Bounces and backscatter per week (from Monday)")
                                              : tr("Bounces per week (from Monday; backscatter not analysed)");
        break;
    case core::report::PeriodUnit::Month:
        title = m_data.hasBackscatterVerdicts ? tr("Bounces and backscatter per month")
                                              : tr("Bounces per month (backscatter not analysed)");
        break;
    case core::report::PeriodUnit::Year:
        title = m_data.hasBackscatterVerdicts ? tr("Bounces and backscatter per year")
                                              : tr("Bounces per year (backscatter not analysed)");
        break;
    }
    if (m_data.volumeLeftOut > 0)
        title += tr(" — %n dated far from the rest not drawn", nullptr, int(std::min<qint64>(m_data.volumeLeftOut, std::numeric_limits<int>::max())));
    return ChartFactory::barChart(
        title, periodLabels(m_data.volume, m_data.volumeUnit), sets, ChartFactory::BarStyle::StackedColumns,
        [this, days](int category, int) {
            if (category >= 0 && category < days.size())
                emit filterRequested(u"day"_s, days.at(category));
        },
        [this, verdicts](int set) {
            if (set >= 0 && set < verdicts.size())
                emit filterRequested(u"verdict"_s, verdicts.at(set));
        },
        this);
}

QWidget* DashboardView::providerChart()
{
    QStringList labels;
    QList<QList<qreal>> perFate(core::report::ProviderFates::kFates);
    QList<std::pair<QString, QString>> filters;
    for (const core::report::ProviderFates& p : std::as_const(m_data.providers)) {
        labels << p.label;
        filters << std::pair{p.field, p.value};
        for (int f = 0; f < core::report::ProviderFates::kFates; ++f)
            perFate[f] << qreal(p.byFate[size_t(f)]);
    }
    QList<ChartFactory::BarSet> sets;
    QStringList fateNames;
    for (int f = 0; f < core::report::ProviderFates::kFates; ++f) {
        const auto fate = core::store::Fate(f);
        fateNames << core::store::fateName(fate);
        sets << ChartFactory::BarSet{core::store::fateName(fate), perFate.at(f), fateColor(fate)};
    }
    return ChartFactory::barChart(
        tr("Fates per receiving provider"), labels, sets, ChartFactory::BarStyle::StackedRows,
        [this, filters](int category, int) {
            if (category < 0 || category >= filters.size() || filters.at(category).first.isEmpty())
                return; // the lumped rest has no single filter
            emit filterRequested(filters.at(category).first, filters.at(category).second);
        },
        [this, fateNames](int set) {
            if (set >= 0 && set < fateNames.size())
                emit filterRequested(u"fate"_s, fateNames.at(set));
        },
        this);
}

QWidget* DashboardView::reasonChart()
{
    QList<ChartFactory::Slice> inner, outer;
    QList<ReasonGroup> innerGroups;
    QStringList outerReasons;
    for (const ReasonGroup g : core::report::allReasonGroups()) {
        qint64 total = 0;
        int shade = 0;
        for (const core::report::ReasonSlice& r : std::as_const(m_data.reasons)) {
            if (r.group != g)
                continue;
            total += r.count;
            outer << ChartFactory::Slice{r.reason.isEmpty() ? tr("(unknown)") : r.reason, qreal(r.count),
                                         groupColor(g, ++shade)};
            outerReasons << r.reason;
        }
        if (total > 0) {
            inner << ChartFactory::Slice{u"%1 (%2)"_s.arg(core::report::reasonGroupTitle(g)).arg(total), qreal(total),
                                         groupColor(g)};
            innerGroups << g;
        }
    }
    return ChartFactory::donutChart(tr("Failure reasons"), inner, outer,
                                    [this, innerGroups, outerReasons](int ring, int slice) {
                                        if (ring == 0 && slice >= 0 && slice < innerGroups.size())
                                            emit filterRequested(u"reason_group"_s,
                                                                 core::report::reasonGroupName(innerGroups.at(slice)));
                                        else if (ring == 1 && slice >= 0 && slice < outerReasons.size())
                                            emit filterRequested(u"reason"_s, outerReasons.at(slice));
                                    },
                                    this);
}

QWidget* DashboardView::timeToBounceChart()
{
    QStringList labels, values;
    QList<qreal> counts;
    for (const core::report::HistogramBin& b : std::as_const(m_data.timeToBounce)) {
        labels << b.label;
        values << b.filterValue();
        counts << qreal(b.count);
    }
    return ChartFactory::barChart(
        tr("Time from acceptance to asynchronous bounce"), labels,
        {{tr("Asynchronous bounces"), counts, fateColor(core::store::Fate::AsyncBounce)}},
        ChartFactory::BarStyle::Columns,
        [this, values](int category, int) {
            if (category >= 0 && category < values.size())
                emit filterRequested(u"bounce_hours_min_max"_s, values.at(category));
        },
        {}, this);
}

QWidget* DashboardView::deferralChart()
{
    QStringList days;
    QList<qreal> counts;
    for (const core::report::DayCount& d : std::as_const(m_data.deferralsPerDay)) {
        days << periodFilter(d.day, d.last);
        counts << qreal(d.count);
    }
    QString title;
    switch (m_data.deferralUnit) {
    case core::report::PeriodUnit::Day: title = tr("Deferrals per day (smarthost logs)"); break;
    case core::report::PeriodUnit::Week: title = tr("Deferrals per week from Monday (smarthost logs)"); break;
    case core::report::PeriodUnit::Month: title = tr("Deferrals per month (smarthost logs)"); break;
    case core::report::PeriodUnit::Year: title = tr("Deferrals per year (smarthost logs)"); break;
    }
    if (m_data.deferralsLeftOut > 0)
        title += tr(" — %n dated far from the rest not drawn", nullptr, int(std::min<qint64>(m_data.deferralsLeftOut, std::numeric_limits<int>::max())));
    return ChartFactory::barChart(
        title, periodLabels(m_data.deferralsPerDay, m_data.deferralUnit),
        {{tr("Deferrals"), counts, fateColor(core::store::Fate::Deferred)}}, ChartFactory::BarStyle::Columns,
        [this, days](int category, int) {
            if (category >= 0 && category < days.size())
                emit filterRequested(u"day"_s, days.at(category));
        },
        {}, this);
}

} // namespace bi::ui
