// SPDX-License-Identifier: GPL-3.0-or-later
// The first window: a project opens in the background and its bounces fill the table.
#include <QAbstractItemModelTester>
#include <QFile>
#include <QMessageBox>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "core/import/import_job.h"
#include "core/store/project_store.h"
#include "ui/bounce_table_model.h"
#include "ui/item_roles.h"
#include "ui/main_window.h"

using namespace Qt::StringLiterals;

class TstMainWindow final : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void openingAProjectFillsTheTable();
    void modelPassesTheTester();
    void sortingUsesRawValues();
    void unreadableProjectReportsAndKeepsRunning();

private:
    QTemporaryDir m_dir;
    QString m_project;
};

void TstMainWindow::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_project = m_dir.filePath(u"ui.bip"_s);
    auto store = bi::core::store::ProjectStore::open(m_project, u"test-import"_s);
    QVERIFY2(store, qPrintable(store ? QString() : store.error().toString()));
    bi::core::import::ImportJob job(*store);
    auto summary = job.run({QStringLiteral(BI_TEST_DATA_DIR) + u"/cli/two_bounces.mbox"_s});
    QVERIFY(summary);
    QCOMPARE(summary->added, 2);
}

void TstMainWindow::openingAProjectFillsTheTable()
{
    bi::ui::MainWindow window;
    window.show();
    QSignalSpy loaded(&window, &bi::ui::MainWindow::projectLoaded);
    window.openProject(m_project);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(window.bounceView()->model()->rowCount(), 3);
    QCOMPARE(window.bounceModel()->rowCount(), 3);
    QStringList recipients;
    for (int row = 0; row < 3; ++row)
        recipients << window.bounceModel()->index(row, bi::ui::BounceTableModel::Recipient).data().toString();
    QVERIFY(recipients.contains(u"nobody@example.com"_s));
    QVERIFY(recipients.contains(u"slow@example.com"_s));
}

void TstMainWindow::modelPassesTheTester()
{
    bi::ui::BounceTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto store = bi::core::store::ProjectStore::open(m_project, u"test-read"_s, false);
    QVERIFY(store);
    QList<bi::core::store::BounceRow> rows;
    QVERIFY(store->forEachBounceRow([&rows](const bi::core::store::BounceRow& r) {
        rows << r;
        return true;
    }));
    model.setRows(rows);
    QCOMPARE(model.rowCount(), 3);
    model.setRows({});
    QCOMPARE(model.rowCount(), 0);
    model.setRows(rows);
    QCOMPARE(model.columnCount(), int(bi::ui::BounceTableModel::ColumnCount));
}

void TstMainWindow::sortingUsesRawValues()
{
    bi::ui::MainWindow window;
    QSignalSpy loaded(&window, &bi::ui::MainWindow::projectLoaded);
    window.openProject(m_project);
    QVERIFY(loaded.wait(10000));
    QAbstractItemModel* view = window.bounceView()->model();
    window.bounceView()->sortByColumn(bi::ui::BounceTableModel::Date, Qt::DescendingOrder);
    const qint64 first = view->index(0, bi::ui::BounceTableModel::Date).data(bi::ui::RawValueRole).toLongLong();
    const qint64 last = view->index(2, bi::ui::BounceTableModel::Date).data(bi::ui::RawValueRole).toLongLong();
    QVERIFY(first > last);
}

void TstMainWindow::unreadableProjectReportsAndKeepsRunning()
{
    bi::ui::MainWindow window;
    QSignalSpy loaded(&window, &bi::ui::MainWindow::projectLoaded);
    // A file that is not a project: the loader fails, the window shows why and stays usable.
    const QString bogus = m_dir.filePath(u"bogus.bip"_s);
    QFile f(bogus);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("this is not an SQLite database, just text that is long enough to have a header page");
    f.close();
    window.openProject(bogus);
    QTRY_VERIFY_WITH_TIMEOUT(window.findChild<QMessageBox*>() != nullptr, 10000);
    QMessageBox* box = window.findChild<QMessageBox*>();
    QVERIFY(box->text().contains(u"bogus.bip"_s));
    box->close();
    QCOMPARE(loaded.count(), 0);
    QCOMPARE(window.bounceModel()->rowCount(), 0);
}

QTEST_MAIN(TstMainWindow)
#include "tst_main_window.moc"
