// SPDX-License-Identifier: GPL-3.0-or-later
// The dashboard on a project imported from a generated scenario: the charts show the core
// aggregates, and clicking a bar, slice or legend entry asks for the right filter.
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QGraphicsSimpleTextItem>
#include <QLegendMarker>
#include <QPieSeries>
#include <QPieSlice>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStackedBarSeries>
#include <QTemporaryDir>
#include <QTest>
#include <QValueAxis>

#include "core/import/import_job.h"
#include "core/report/reason_group.h"
#include "core/store/project_store.h"
#include "scenario_fixture.h"
#include "ui/chart_factory.h"
#include "ui/dashboard_view.h"

using namespace Qt::StringLiterals;
using namespace bi;
using Dashboard = ui::DashboardView;

class TstDashboardView final : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void chartsShowTheNumbers();
    void providerBarFiltersByProvider();
    void providerLegendFiltersByFate();
    void reasonSlicesFilter();
    void histogramBarFiltersByHours();
    void dayBarsFilterByDay();
    void volumeLegendFiltersByVerdict();
    void refreshKeepsWorking();
    void chartsFollowThePalette();
    void labelsArePlainText();
    void emptyAndSmallChartsReadWell();
    void rowChartShortensLongNames();
    void dayLabelsAreNeverElided();

private:
    QChart* chartOf(Dashboard::Chart which) const;
    QList<QBarSet*> barSetsOf(Dashboard::Chart which) const;

    QTemporaryDir m_dir;
    QString m_project;
    Dashboard* m_view = nullptr;
};

void TstDashboardView::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_project = m_dir.filePath(u"p.bip"_s);
    const QString error = bi::test::importScenario(m_dir.path(), 6003, 150, m_project);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TstDashboardView::init()
{
    m_view = new Dashboard;
    m_view->resize(1400, 1000);
    m_view->show();
    QSignalSpy refreshed(m_view, &Dashboard::refreshed);
    m_view->setProjectPath(m_project);
    m_view->refresh();
    QVERIFY(refreshed.wait(15000));
    QVERIFY(m_view->data().fates > 0);
}

void TstDashboardView::cleanup()
{
    delete m_view;
    m_view = nullptr;
}

QChart* TstDashboardView::chartOf(Dashboard::Chart which) const
{
    auto* view = qobject_cast<QChartView*>(m_view->chartWidget(which));
    return view ? view->chart() : nullptr;
}

QList<QBarSet*> TstDashboardView::barSetsOf(Dashboard::Chart which) const
{
    QChart* chart = chartOf(which);
    if (!chart || chart->series().isEmpty())
        return {};
    auto* bars = qobject_cast<QAbstractBarSeries*>(chart->series().constFirst());
    return bars ? bars->barSets() : QList<QBarSet*>{};
}

void TstDashboardView::chartsShowTheNumbers()
{
    if (const QString dir = qEnvironmentVariable("BI_SCREENSHOT_DIR"); !dir.isEmpty()) {
        QTest::qWait(500); // new chart views are shown by a queued call from the layout
        QVERIFY(m_view->grab().save(dir + u"/dashboard.png"_s));
    }
    const core::report::DashboardData& d = m_view->data();
    for (int c = 0; c < Dashboard::ChartCount; ++c) {
        QChart* chart = chartOf(Dashboard::Chart(c));
        QVERIFY(chart);
        QCOMPARE(chart->animationOptions().toInt(), int(QChart::NoAnimation));
    }
    // Providers: one stacked set per fate, one bar per provider, totals as computed in core.
    const QList<QBarSet*> fates = barSetsOf(Dashboard::ProviderChart);
    QCOMPARE(fates.size(), 5);
    qreal total = 0;
    for (QBarSet* s : fates) {
        QCOMPARE(s->count(), d.providers.size());
        total += s->sum();
    }
    QCOMPARE(qint64(total), d.fates);
    // Without backscatter verdicts only the legitimate series is drawn.
    const QList<QBarSet*> volume = barSetsOf(Dashboard::VolumeChart);
    QCOMPARE(volume.size(), d.hasBackscatterVerdicts ? 4 : 1);
    QCOMPARE(volume.first()->count(), d.volume.size());
    // Histogram: every bin, hours to weeks.
    const QList<QBarSet*> hist = barSetsOf(Dashboard::TimeToBounceChart);
    QCOMPARE(hist.size(), 1);
    QCOMPARE(hist.first()->count(), d.timeToBounce.size());
    QVERIFY(hist.first()->sum() > 0);
    // Deferrals per day.
    QCOMPARE(barSetsOf(Dashboard::DeferralChart).first()->count(), d.deferralsPerDay.size());
    // Reasons: inner ring per group, outer ring per reason, same total.
    QChart* reasons = chartOf(Dashboard::ReasonChart);
    QCOMPARE(reasons->series().size(), 2);
    auto* inner = qobject_cast<QPieSeries*>(reasons->series().at(0));
    auto* outer = qobject_cast<QPieSeries*>(reasons->series().at(1));
    QVERIFY(inner && outer);
    QCOMPARE(qint64(inner->sum()), d.failedFates);
    QCOMPARE(qint64(outer->sum()), d.failedFates);
    QCOMPARE(outer->count(), d.reasons.size());
}

void TstDashboardView::providerBarFiltersByProvider()
{
    const core::report::DashboardData& d = m_view->data();
    int google = -1, domain = -1;
    for (int i = 0; i < d.providers.size(); ++i) {
        if (d.providers.at(i).label == u"Google")
            google = i;
        if (d.providers.at(i).field == u"domain")
            domain = i;
    }
    QVERIFY(google >= 0);
    QVERIFY(domain >= 0);
    QSignalSpy spy(m_view, &Dashboard::filterRequested);
    // Providers stand in rows, the first at the top: Qt counts rows from the bottom.
    const QList<QBarSet*> sets = barSetsOf(Dashboard::ProviderChart);
    const int rows = int(d.providers.size());
    emit sets.at(1)->clicked(rows - 1 - google);
    emit sets.at(0)->clicked(rows - 1 - domain);
    QCOMPARE(spy.size(), 2);
    QCOMPARE(spy.at(0), (QList<QVariant>{u"provider"_s, u"Google"_s}));
    QCOMPARE(spy.at(1), (QList<QVariant>{u"domain"_s, d.providers.at(domain).value}));
    // The category axis down the left names the same bars, the first provider at the top.
    auto* axis = qobject_cast<QBarCategoryAxis*>(chartOf(Dashboard::ProviderChart)->axes(Qt::Vertical).constFirst());
    QVERIFY(axis);
    QCOMPARE(axis->at(rows - 1 - google), u"Google"_s);
    QCOMPARE(axis->at(rows - 1), d.providers.constFirst().label);
    QCOMPARE(sets.at(0)->at(rows - 1), qreal(d.providers.constFirst().byFate[0]));
}

void TstDashboardView::providerLegendFiltersByFate()
{
    QChart* chart = chartOf(Dashboard::ProviderChart);
    const QList<QLegendMarker*> markers = chart->legend()->markers(chart->series().constFirst());
    QCOMPARE(markers.size(), 5);
    QSignalSpy spy(m_view, &Dashboard::filterRequested);
    emit markers.at(3)->clicked();
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy.at(0), (QList<QVariant>{u"fate"_s, u"async_bounce"_s}));
}

void TstDashboardView::reasonSlicesFilter()
{
    const core::report::DashboardData& d = m_view->data();
    QChart* chart = chartOf(Dashboard::ReasonChart);
    auto* inner = qobject_cast<QPieSeries*>(chart->series().at(0));
    auto* outer = qobject_cast<QPieSeries*>(chart->series().at(1));
    QSignalSpy spy(m_view, &Dashboard::filterRequested);
    emit inner->slices().constFirst()->clicked();
    emit outer->slices().constLast()->clicked();
    QCOMPARE(spy.size(), 2);
    QCOMPARE(spy.at(0), (QList<QVariant>{u"reason_group"_s, core::report::reasonGroupName(d.reasons.constFirst().group)}));
    QCOMPARE(spy.at(1), (QList<QVariant>{u"reason"_s, d.reasons.constLast().reason}));
}

void TstDashboardView::histogramBarFiltersByHours()
{
    const core::report::DashboardData& d = m_view->data();
    QSignalSpy spy(m_view, &Dashboard::filterRequested);
    QBarSet* set = barSetsOf(Dashboard::TimeToBounceChart).constFirst();
    emit set->clicked(3);
    emit set->clicked(int(d.timeToBounce.size() - 1));
    QCOMPARE(spy.size(), 2);
    QCOMPARE(spy.at(0), (QList<QVariant>{u"bounce_hours_min_max"_s, u"4,8"_s}));
    QCOMPARE(spy.at(1), (QList<QVariant>{u"bounce_hours_min_max"_s, u"336,"_s}));
}

void TstDashboardView::dayBarsFilterByDay()
{
    const core::report::DashboardData& d = m_view->data();
    QVERIFY(!d.deferralsPerDay.isEmpty());
    QVERIFY(!d.volume.isEmpty());
    QSignalSpy spy(m_view, &Dashboard::filterRequested);
    emit barSetsOf(Dashboard::DeferralChart).constFirst()->clicked(0);
    emit barSetsOf(Dashboard::VolumeChart).constFirst()->clicked(int(d.volume.size() - 1));
    QCOMPARE(spy.size(), 2);
    QCOMPARE(spy.at(0), (QList<QVariant>{u"day"_s, d.deferralsPerDay.constFirst().day.toString(u"yyyy-MM-dd"_s)}));
    QCOMPARE(spy.at(1), (QList<QVariant>{u"day"_s, d.volume.constLast().day.toString(u"yyyy-MM-dd"_s)}));
    QVERIFY(spy.at(0).at(1).toString().contains(QRegularExpression(u"^\\d{4}-\\d{2}-\\d{2}$"_s)));
}

void TstDashboardView::volumeLegendFiltersByVerdict()
{
    QChart* chart = chartOf(Dashboard::VolumeChart);
    const QList<QLegendMarker*> markers = chart->legend()->markers(chart->series().constFirst());
    QVERIFY(!markers.isEmpty());
    QSignalSpy spy(m_view, &Dashboard::filterRequested);
    emit markers.constFirst()->clicked();
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy.at(0), (QList<QVariant>{u"verdict"_s, u"ours"_s}));
}

void TstDashboardView::refreshKeepsWorking()
{
    QSignalSpy refreshed(m_view, &Dashboard::refreshed);
    m_view->refresh();
    m_view->refresh(); // the first result is stale and dropped
    QVERIFY(refreshed.wait(15000));
    QTest::qWait(200);
    QCOMPARE(refreshed.size(), 1);
    QSignalSpy spy(m_view, &Dashboard::filterRequested);
    emit barSetsOf(Dashboard::TimeToBounceChart).constFirst()->clicked(0);
    QCOMPARE(spy.size(), 1);
}

void TstDashboardView::chartsFollowThePalette()
{
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x20, 0x20, 0x20));
    dark.setColor(QPalette::WindowText, QColor(0xee, 0xee, 0xee));
    dark.setColor(QPalette::Base, QColor(0x18, 0x18, 0x18));
    dark.setColor(QPalette::Text, QColor(0xee, 0xee, 0xee));
    dark.setColor(QPalette::Mid, QColor(0x50, 0x50, 0x50));
    m_view->setPalette(dark);
    for (int c = 0; c < Dashboard::ChartCount; ++c) {
        QChart* chart = chartOf(Dashboard::Chart(c));
        QVERIFY(chart);
        QCOMPARE(chart->backgroundBrush().color(), dark.color(QPalette::Base));
        QCOMPARE(chart->titleBrush().color(), dark.color(QPalette::WindowText));
        for (QAbstractAxis* axis : chart->axes())
            QCOMPARE(axis->labelsColor(), dark.color(QPalette::WindowText));
    }
    // The numbers are the same after the redraw.
    QCOMPARE(barSetsOf(Dashboard::TimeToBounceChart).constFirst()->count(), m_view->data().timeToBounce.size());
}

void TstDashboardView::labelsArePlainText()
{
    // The first time-to-bounce bin reads "<1 h": Qt Charts would take it for a tag.
    QChart* chart = chartOf(Dashboard::TimeToBounceChart);
    QVERIFY(chart);
    auto* axis = qobject_cast<QBarCategoryAxis*>(chart->axes(Qt::Horizontal).constFirst());
    QVERIFY(axis);
    QVERIFY2(axis->categories().constFirst().startsWith(u"&lt;"_s), qPrintable(axis->categories().constFirst()));
}

QTEST_MAIN(TstDashboardView)
void TstDashboardView::emptyAndSmallChartsReadWell()
{
    using bi::ui::ChartFactory;
    auto valueAxis = [](QWidget* w) {
        QChart* chart = static_cast<QChartView*>(w)->chart();
        return qobject_cast<QValueAxis*>(chart->axes(Qt::Vertical).constFirst());
    };
    auto note = [](QWidget* w) -> QString {
        for (QGraphicsItem* item : static_cast<QChartView*>(w)->chart()->childItems()) {
            if (auto* text = dynamic_cast<QGraphicsSimpleTextItem*>(item))
                return text->text();
        }
        return {};
    };
    // Nothing at all: the chart says so, and its axis is 0 to 1, not five zeros.
    std::unique_ptr<QWidget> empty(ChartFactory::barChart(u"Bounces per day"_s, {u"01-05"_s}, {{u"Bounces"_s, {0}, {}}},
                                                          ChartFactory::BarStyle::Columns, {}, {}, nullptr));
    QCOMPARE(note(empty.get()), u"Nothing to show in this project"_s);
    QCOMPARE(valueAxis(empty.get())->max(), 1.0);
    QCOMPARE(valueAxis(empty.get())->tickCount(), 2);
    // A few: one tick per whole number.
    std::unique_ptr<QWidget> few(ChartFactory::barChart(u"Bounces per day"_s, {u"01-05"_s, u"01-06"_s},
                                                        {{u"Bounces"_s, {1, 3}, {}}}, ChartFactory::BarStyle::Columns, {},
                                                        {}, nullptr));
    QVERIFY(note(few.get()).isEmpty());
    QCOMPARE(valueAxis(few.get())->max(), 3.0);
    QCOMPARE(valueAxis(few.get())->tickCount(), 4);
}

void TstDashboardView::rowChartShortensLongNames()
{
    using bi::ui::ChartFactory;
    const QString a = u"mail.protection.outlook.example.com"_s;
    const QString b = u"mail.protection.inbound-ok.example.com"_s; // same first 13 and last 14 letters
    QList<int> clicked;
    std::unique_ptr<QWidget> w(ChartFactory::barChart(
        u"Fates per receiving provider"_s, {u"Google"_s, a, b}, {{u"delivered"_s, {5, 3, 1}, {}}},
        ChartFactory::BarStyle::StackedRows, [&clicked](int category, int) { clicked << category; }, {}, nullptr));
    QChart* chart = static_cast<QChartView*>(w.get())->chart();
    auto* axis = qobject_cast<QBarCategoryAxis*>(chart->axes(Qt::Vertical).constFirst());
    QVERIFY(axis);
    // Drawn bottom up: the first name is the top row; the long one shortened in the middle, the
    // one that would then read alike kept whole.
    QCOMPARE(axis->categories(), (QStringList{b, u"mail.protecti\u2026ok.example.com"_s, u"Google"_s}));
    auto* bars = qobject_cast<QAbstractBarSeries*>(chart->series().constFirst());
    QCOMPARE(bars->barSets().constFirst()->at(2), 5.0);
    emit bars->barSets().constFirst()->clicked(2);
    emit bars->barSets().constFirst()->clicked(0);
    QCOMPARE(clicked, (QList<int>{0, 2}));
}

void TstDashboardView::dayLabelsAreNeverElided()
{
    // Forty days in a half-width chart: the bars are narrower than a label, and Qt would elide
    // each to "…". Rotated dates fit in the height, the year on the first day included.
    using bi::ui::ChartFactory;
    QStringList days;
    QList<qreal> values;
    for (QDate d(2025, 12, 21); days.size() < 40; d = d.addDays(1)) {
        days << (days.isEmpty() || d.dayOfYear() == 1 ? d.toString(Qt::ISODate) : d.toString(u"MM-dd"_s));
        values << days.size() % 7;
    }
    std::unique_ptr<QWidget> w(ChartFactory::barChart(u"Bounces per day"_s, days, {{u"Bounces"_s, values, {}}},
                                                      ChartFactory::BarStyle::StackedColumns, {}, {}, nullptr));
    w->resize(600, 220);
    auto* axis = qobject_cast<QBarCategoryAxis*>(static_cast<QChartView*>(w.get())->chart()->axes(Qt::Horizontal).constFirst());
    QVERIFY(axis);
    QCOMPARE(axis->categories().constFirst(), u"2025-12-21"_s);
    QVERIFY(!axis->truncateLabels());
    // Thinned to every third, the new year's first day (the twelfth) is kept, not its neighbours.
    const QStringList shown = ChartFactory::thinLabels(days, 16);
    QCOMPARE(shown.size(), days.size());
    QCOMPARE(shown.at(0), u"2025-12-21"_s);
    QCOMPARE(shown.at(11), u"2026-01-01"_s);
    QCOMPARE(shown.mid(9, 5), (QStringList{QString(), QString(), u"2026-01-01"_s, QString(), QString()}));
    QCOMPARE(shown.at(15), u"01-05"_s);
    QCOMPARE(shown.count(QString()), 40 - 13);
    // Names longer than a date still are, where they would run into the legend.
    std::unique_ptr<QWidget> names(ChartFactory::barChart(
        u"Bounces per domain"_s, {u"mail.example.com"_s, u"b.example"_s}, {{u"Bounces"_s, {1, 2}, {}}},
        ChartFactory::BarStyle::Columns, {}, {}, nullptr));
    QVERIFY(qobject_cast<QBarCategoryAxis*>(static_cast<QChartView*>(names.get())->chart()->axes(Qt::Horizontal).constFirst())
                ->truncateLabels());
}

#include "tst_dashboard_view.moc"
