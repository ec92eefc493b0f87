// SPDX-License-Identifier: GPL-3.0-or-later
// The main window end to end (offscreen): dropping files imports them and fills the list, selection
// drives the detail pane, filters (typed or from a chart) narrow the list, the paged model behaves.
#include <QAbstractItemModelTester>
#include <QFile>
#include <QLineEdit>
#include <QMessageBox>
#include <QMimeData>
#include <QHeaderView>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include "core/import/import_job.h"
#include "core/store/fate_repository.h"
#include "core/store/project_store.h"
#include "core/store/synthetic_fates.h"
#ifdef BI_HAVE_PANES
#include "ui/dashboard_view.h"
#include "ui/inspector_pane.h"
#include "ui/raw_pane.h"
#include "ui/timeline_model.h"
#endif
#include "demo_fixture.h"
#include "ui/demo_project.h"
#include "ui/filter_bar.h"
#include "ui/import_controller.h"
#include "ui/import_dialog.h"
#include "ui/item_roles.h"
#include "ui/main_window.h"
#include "ui/project_settings_dialog.h"
#include "ui/recipient_list_model.h"

using namespace Qt::StringLiterals;
using bi::ui::MainWindow;
using bi::ui::RecipientListModel;

namespace {

const QString kDemo = bi::test::demoDir();

qint64 storedFates(const QString& project)
{
    auto store = bi::core::store::ProjectStore::open(project, u"test-count"_s, false);
    if (!store)
        return -1;
    bi::core::store::FateRepository fates(*store);
    auto n = fates.count();
    return n ? *n : -1;
}

} // namespace

class TstMainWindow final : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void droppingMailboxAndLogImportsAndFillsTheList();
    void selectingARowShowsItsDetail();
    void aNewWindowShowsFateAndTheSteps();
    void attemptsFromTheMailboxAloneAreBlank();
    void aFilterNarrowsTheList();
    void aDashboardFilterNarrowsTheList();
    void aWeekBarFiltersItsDays();
    void demoStampFollowsItsData();
    void sortingReloadsInSql();
    void modelPassesTheTesterWhilePaging();
    void unreadableProjectReportsAndKeepsRunning();
    void settingsDayTheLogsEndDatesTheImport();

private:
    bool openAndWait(MainWindow& window, const QString& path);
    QTemporaryDir m_dir;
    QString m_project; // the demo data, imported once
};

void TstMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    m_project = m_dir.filePath(u"demo.bip"_s);
    const QString error = bi::test::importDemo(m_project);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

bool TstMainWindow::openAndWait(MainWindow& window, const QString& path)
{
    QSignalSpy loaded(&window, &MainWindow::projectLoaded);
    window.openProject(path);
    return loaded.wait(10000);
}

void TstMainWindow::droppingMailboxAndLogImportsAndFillsTheList()
{
    // No project open: a drop creates one under AppLocalDataLocation (test mode) and imports.
    QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)).removeRecursively();
    MainWindow window;
    window.show();
    QSignalSpy imported(&window, &MainWindow::importFinished);
    auto* mime = new QMimeData;
    mime->setUrls({QUrl::fromLocalFile(kDemo + u"mailbox.mbox"_s), QUrl::fromLocalFile(kDemo + u"smarthost.log"_s)});
    // As a real drag: the enter makes the window the drop target, then the drop.
    QDragEnterEvent enter(QPoint(200, 200), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(200, 200), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &drop);
    QVERIFY(drop.isAccepted());
    QVERIFY(imported.wait(60000));
    QCOMPARE(imported.first().first().toBool(), true);
    QVERIFY(window.projectPath().endsWith(u"/mailbox.bip"_s));
    QTRY_VERIFY_WITH_TIMEOUT(!window.recipientModel()->isLoading(), 10000);
    const qint64 fates = storedFates(window.projectPath());
    QVERIFY(fates > 100);
    QCOMPARE(qint64(window.recipientView()->model()->rowCount()), fates);
    // The import log names every file.
    QVERIFY(window.importDialog()->logText().contains(u"mailbox.mbox"_s));
    QVERIFY(window.importDialog()->logText().contains(u"smarthost.log"_s));
    delete mime;
}

void TstMainWindow::selectingARowShowsItsDetail()
{
    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, m_project));
    QTableView* view = window.recipientView();
    const QModelIndex first = view->model()->index(0, int(RecipientListModel::Column::Recipient));
    const QString recipient = first.data().toString();
    QVERIFY(recipient.contains(u'@'));
#ifdef BI_HAVE_PANES
    auto* inspector = qobject_cast<bi::ui::InspectorPane*>(window.inspector());
    QVERIFY(inspector);
    QSignalSpy shown(inspector, &bi::ui::InspectorPane::detailShown);
    view->setCurrentIndex(first);
    QVERIFY(shown.wait(10000));
    QCOMPARE(shown.first().first().toLongLong(), first.data(bi::ui::FateIdRole).toLongLong());
    QVERIFY(inspector->titleText().contains(recipient));
    QVERIFY(inspector->detailModel()->rowCount() > 0); // the timeline's steps
    // The raw pane holds the log lines or the message bytes behind the fate.
    bool rawShown = false;
    for (auto* text : inspector->rawPane()->findChildren<QPlainTextEdit*>())
        rawShown = rawShown || !text->toPlainText().isEmpty();
    QVERIFY(rawShown);
#else
    view->setCurrentIndex(first);
    auto* detail = window.inspector()->findChild<QPlainTextEdit*>();
    QVERIFY(detail);
    QTRY_VERIFY(detail->toPlainText().contains(recipient));
#endif
}

void TstMainWindow::aNewWindowShowsFateAndTheSteps()
{
    // A first start (no saved layout) at the default size: each row's fate and reason are in
    // sight beside the recipient, and the inspector's steps table shows more than a few rows.
    QSettings().clear();
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.width(), 1280);
    QVERIFY(openAndWait(window, m_project));
    QTableView* view = window.recipientView();
    for (auto column : {RecipientListModel::Column::Recipient, RecipientListModel::Column::Fate,
                        RecipientListModel::Column::Reason}) {
        const int right = view->columnViewportPosition(int(column)) + view->columnWidth(int(column));
        QVERIFY2(right <= view->viewport()->width(), qPrintable(u"column %1 ends at %2 of %3"_s.arg(int(column))
                                                                      .arg(right).arg(view->viewport()->width())));
    }
#ifdef BI_HAVE_PANES
    auto* steps = window.inspector()->findChild<QTableView*>();
    QVERIFY(steps);
    const int rowHeight = steps->verticalHeader()->defaultSectionSize();
    QVERIFY2(steps->viewport()->height() >= 6 * rowHeight,
             qPrintable(u"%1 px for rows of %2 px"_s.arg(steps->viewport()->height()).arg(rowHeight)));
#endif
}

void TstMainWindow::attemptsFromTheMailboxAloneAreBlank()
{
    // The mailbox alone tells the fate, not how often the smarthost tried: the cell is blank
    // with a tooltip saying why; with the log imported the count shows.
    const QString path = m_dir.filePath(u"mailbox-alone.bip"_s);
    {
        auto store = bi::core::store::ProjectStore::open(path, u"test-import"_s);
        QVERIFY(store);
        bi::core::import::ImportJob job(*store);
        auto summary = job.run({kDemo + u"mailbox.mbox"_s});
        QVERIFY(summary);
        QVERIFY(summary->fates > 50);
    }
    for (const auto& [project, fromLog] : {std::pair{path, false}, std::pair{m_project, true}}) {
        RecipientListModel model;
        QSignalSpy loaded(&model, &RecipientListModel::loaded);
        model.setProjectPath(project);
        QVERIFY(loaded.wait(10000));
        QVERIFY(model.rowCount() > 50);
        int counted = 0;
        for (int r = 0; r < std::min(model.rowCount(), int(RecipientListModel::kPageSize)); ++r) {
            const QModelIndex cell = model.index(r, int(RecipientListModel::Column::Attempts));
            const bool blank = cell.data().toString().isEmpty();
            QCOMPARE(blank, !fromLog && cell.data(bi::ui::RawValueRole).toInt() == 0);
            if (blank)
                QCOMPARE(cell.data(Qt::ToolTipRole).toString(), u"not known without the smarthost's log"_s);
            counted += !blank;
        }
        QVERIFY(fromLog ? counted > 0 : counted == 0);
    }
}

void TstMainWindow::aFilterNarrowsTheList()
{
    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, m_project));
    RecipientListModel* model = window.recipientModel();
    const int all = model->rowCount();
    QSignalSpy loaded(model, &RecipientListModel::loaded);
    QTest::keyClicks(window.filterBar()->searchEdit(), u"@"_s); // typing is debounced
    QVERIFY(loaded.wait(5000));
    QCOMPARE(model->rowCount(), all);
    loaded.clear();
    window.filterBar()->applyField(u"fate"_s, u"rejected"_s);
    QVERIFY(loaded.wait(5000));
    const int rejected = model->rowCount();
    QVERIFY2(rejected > 0 && rejected < all, qPrintable(u"%1 of %2"_s.arg(rejected).arg(all)));
    for (int row = 0; row < std::min(rejected, RecipientListModel::kPageSize); ++row)
        QCOMPARE(model->index(row, int(RecipientListModel::Column::Fate)).data().toString(), u"rejected"_s);
    loaded.clear();
    window.filterBar()->clear();
    QVERIFY(loaded.wait(5000));
    QCOMPARE(model->rowCount(), all);
}

void TstMainWindow::aDashboardFilterNarrowsTheList()
{
    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, m_project));
    RecipientListModel* model = window.recipientModel();
    const int all = model->rowCount();
    QSignalSpy loaded(model, &RecipientListModel::loaded);
#ifdef BI_HAVE_PANES
    // A chart click arrives as the dashboard's filterRequested; the window switches to the list.
    auto* dashboard = window.findChild<bi::ui::DashboardView*>();
    QVERIFY(dashboard);
    window.tabs()->setCurrentIndex(1);
    emit dashboard->filterRequested(u"reason_group"_s, u"recipient"_s);
    QCOMPARE(window.tabs()->currentIndex(), 0);
#else
    window.filterBar()->applyField(u"reason_group"_s, u"recipient"_s);
#endif
    QVERIFY(loaded.wait(5000));
    QVERIFY(model->rowCount() > 0 && model->rowCount() < all);
    const QString reason = model->index(0, int(RecipientListModel::Column::Reason)).data().toString();
    QVERIFY(!reason.isEmpty());
}

void TstMainWindow::aWeekBarFiltersItsDays()
{
    // The bar of a week (or month) asks for its first and last day; the list keeps those days.
    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, m_project));
    RecipientListModel* model = window.recipientModel();
    const int all = model->rowCount();
    QSignalSpy loaded(model, &RecipientListModel::loaded);
    window.filterBar()->applyField(u"day"_s, u"2026-01-05/2026-01-11"_s);
    QVERIFY(loaded.wait(5000));
    const int week = model->rowCount();
    QVERIFY2(week > 0 && week < all, qPrintable(u"%1 of %2"_s.arg(week).arg(all)));
    for (int row = 0; row < std::min(week, RecipientListModel::kPageSize); ++row) {
        const QModelIndex cell = model->index(row, int(RecipientListModel::Column::Time));
        const QString time = cell.data().toString();
        // UTC, as the timeline, the charts and the report (the test runs at UTC+14).
        QCOMPARE(time, QDateTime::fromMSecsSinceEpoch(cell.data(bi::ui::RawValueRole).toLongLong(), Qt::UTC)
                           .toString(u"yyyy-MM-dd HH:mm:ss"_s));
        const QDate day = QDate::fromString(time.left(10), Qt::ISODate);
        QVERIFY2(day >= QDate(2026, 1, 5) && day <= QDate(2026, 1, 11), qPrintable(time));
    }
    const auto filter = window.filterBar()->filter();
    QVERIFY(filter.fromMs && filter.toMs);
    QCOMPARE(*filter.fromMs, QDateTime(QDate(2026, 1, 5), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch());
    QCOMPARE(*filter.toMs, QDateTime(QDate(2026, 1, 12), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch());
}

void TstMainWindow::demoStampFollowsItsData()
{
    // Test-mode paths (initTestCase): the user's own demo project is not touched.
    QTemporaryDir data;
    QVERIFY(data.isValid());
    auto write = [&data](const QString& name, const QByteArray& bytes) {
        QFile f(data.filePath(name));
        return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
    };
    QVERIFY(write(u"mailbox.mbox"_s, "From a@b Mon Jan  5 09:14:03 2026\nSubject: x\n\nbody\n"));
    QVERIFY(write(u"smarthost.log"_s, "Jan  5 09:14:03 mx postfix/qmgr[1]: ABCDEF123: removed\n"));
    QVERIFY(bi::ui::DemoProject::discard());
    QVERIFY(!bi::ui::DemoProject::isCurrent(data.path()));
    bi::ui::DemoProject::markCurrent(data.path());
    QVERIFY(bi::ui::DemoProject::isCurrent(data.path()));
    // New demo data (an update): the project built from the old is stale.
    QVERIFY(write(u"smarthost.log"_s, "Jan  6 09:14:03 mx postfix/qmgr[1]: ABCDEF124: removed\n"));
    QVERIFY(!bi::ui::DemoProject::isCurrent(data.path()));
    bi::ui::DemoProject::markCurrent(data.path());
    QVERIFY(write(u"bounces.mbox"_s, "From a@b Mon Jan  5 09:14:03 2026\n\n"));
    QVERIFY(!bi::ui::DemoProject::isCurrent(data.path()));
    QVERIFY(bi::ui::DemoProject::discard());
    QVERIFY(!QFileInfo::exists(bi::ui::DemoProject::projectPath() + u".stamp"_s));
    QVERIFY(!bi::ui::DemoProject::isCurrent(data.path()));
}

void TstMainWindow::sortingReloadsInSql()
{
    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, m_project));
    QSignalSpy loaded(window.recipientModel(), &RecipientListModel::loaded);
    window.recipientView()->sortByColumn(int(RecipientListModel::Column::Time), Qt::DescendingOrder);
    QVERIFY(loaded.wait(5000));
    QAbstractItemModel* model = window.recipientView()->model();
    const int last = std::min(model->rowCount(), RecipientListModel::kPageSize) - 1;
    const qint64 first = model->index(0, 0).data(bi::ui::RawValueRole).toLongLong();
    const qint64 later = model->index(last, 0).data(bi::ui::RawValueRole).toLongLong();
    QVERIFY(first >= later);
}

void TstMainWindow::modelPassesTheTesterWhilePaging()
{
    const QString path = m_dir.filePath(u"many.bip"_s);
    {
        auto store = bi::core::store::ProjectStore::open(path, u"test-synth"_s);
        QVERIFY(store);
        QVERIFY(bi::core::store::addSyntheticFates(*store, 2600));
    }
    RecipientListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy loaded(&model, &RecipientListModel::loaded);
    QSignalSpy firstPage(&model, &RecipientListModel::firstPageShown);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.setProjectPath(path);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(model.rowCount(), 2600);
    // More rows than a page: the first page was shown before the count, then the rest appended.
    QCOMPARE(firstPage.size(), 1);
    QCOMPARE(firstPage.first().first().toLongLong(), qint64(RecipientListModel::kPageSize));
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), RecipientListModel::kPageSize);
    QCOMPARE(inserted.first().at(2).toInt(), 2599);
    // A row on a page not fetched yet shows a placeholder, then its page arrives.
    const QModelIndex far = model.index(2599, int(RecipientListModel::Column::Recipient));
    QCOMPARE(far.data().toString(), u"…"_s);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QVERIFY(changed.wait(5000));
    QVERIFY(far.data().toString().contains(u'@'));
    QVERIFY(far.data(bi::ui::FateIdRole).toLongLong() > 0);
    bi::core::store::RecipientFilter filter;
    filter.fates = {u"expired"_s};
    model.setFilter(filter);
    QVERIFY(loaded.wait(5000));
    QVERIFY(model.rowCount() > 0 && model.rowCount() < 2600);
    model.sort(int(RecipientListModel::Column::Domain), Qt::DescendingOrder);
    QVERIFY(loaded.wait(5000));
    model.setProjectPath(QString());
    QCOMPARE(model.rowCount(), 0);
}

void TstMainWindow::unreadableProjectReportsAndKeepsRunning()
{
    MainWindow window;
    QSignalSpy failed(&window, &MainWindow::projectFailed);
    const QString bogus = m_dir.filePath(u"bogus.bip"_s);
    QFile f(bogus);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("this is not an SQLite database, just text that is long enough to have a header page");
    f.close();
    window.openProject(bogus);
    QVERIFY(failed.wait(10000));
    QTRY_VERIFY_WITH_TIMEOUT(window.findChild<QMessageBox*>() != nullptr, 5000);
    QVERIFY(window.findChild<QMessageBox*>()->text().contains(u"bogus.bip"_s));
    QCOMPARE(window.recipientModel()->rowCount(), 0);
}

// The project's "Logs end on" day dates year-less syslog stamps in the window's imports, as
// --logs-until does in the CLI's: a log copied today keeps its year.
void TstMainWindow::settingsDayTheLogsEndDatesTheImport()
{
    QTemporaryDir dir;
    const QString project = dir.filePath(u"p.bip"_s);
    QVERIFY(bi::core::store::ProjectStore::open(project, u"test"_s).hasValue());
    QVERIFY(bi::ui::ProjectSettingsDialog::save(project, {QString(), QString(), u"UTC"_s, u"2024-01-04"_s}).hasValue());
    const auto loaded = bi::ui::ProjectSettingsDialog::load(project);
    QVERIFY(loaded.hasValue());
    QCOMPARE(loaded->logsUntil, u"2024-01-04"_s);
    const QString log = dir.filePath(u"maillog"_s);
    QFile f(log);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("Dec 30 23:59:00 relay postfix/qmgr[900]: 3F2A81C0A1: from=<news@shop.example>, size=1200, nrcpt=1 (queue active)\n"
            "Jan  2 00:00:03 relay postfix/smtp[2003]: 3F2A81C0A1: to=<alice@gmail.example>, relay=mx.gmail.example[192.0.2.30]:25, "
            "delay=3, delays=0.1/0/1/0.9, dsn=2.0.0, status=sent (250 2.0.0 OK)\n");
    f.close();
    bi::ui::ImportController controller;
    QSignalSpy finished(&controller, &bi::ui::ImportController::finished);
    QVERIFY(controller.start(project, {log}));
    QVERIFY(finished.wait(30000));
    auto store = bi::core::store::ProjectStore::open(project, u"test"_s);
    QVERIFY(store.hasValue());
    QList<bi::core::store::FateRecord> fates;
    QVERIFY(bi::core::store::FateRepository(*store).forEach([&fates](const bi::core::store::FateRecord& r) {
        fates << r;
        return true;
    }).hasValue());
    QCOMPARE(fates.size(), 1);
    QCOMPARE(fates.constFirst().queuedAt, QDateTime(QDate(2023, 12, 30), QTime(23, 59), QTimeZone(0)));
}

QTEST_MAIN(TstMainWindow)
#include "tst_main_window.moc"
