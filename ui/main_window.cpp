// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/main_window.h"

#include <QAction>
#include <QApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTableView>

#include "ui/bounce_table_model.h"
#include "ui/item_roles.h"
#include "ui/project_loader.h"

using namespace Qt::StringLiterals;

namespace bi::ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      m_model(new BounceTableModel(this)),
      m_sorter(new QSortFilterProxyModel(this)),
      m_view(new QTableView(this)),
      m_loader(new ProjectLoader(this)),
      m_counts(new QLabel(this))
{
    setWindowTitle(tr("Bounce Inspector"));
    m_sorter->setSourceModel(m_model);
    m_sorter->setSortRole(RawValueRole);
    m_view->setModel(m_sorter);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(BounceTableModel::Date, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    setCentralWidget(m_view);
    statusBar()->addPermanentWidget(m_counts);
    createActions();
    resize(1200, 700);

    connect(m_loader, &ProjectLoader::loaded, this, [this](const ProjectLoader::Snapshot& snapshot) {
        m_model->setRows(snapshot.rows);
        m_view->resizeColumnsToContents();
        m_projectPath = snapshot.path;
        setWindowTitle(tr("%1 — Bounce Inspector").arg(QFileInfo(snapshot.path).fileName()));
        m_counts->setText(tr("%1 messages · %2 bounces · %3 recipient results")
                              .arg(snapshot.counts.messages).arg(snapshot.counts.bounces)
                              .arg(snapshot.rows.size()));
        statusBar()->showMessage(tr("Opened %1").arg(snapshot.path), 5000);
        emit projectLoaded(snapshot.path);
    });
    connect(m_loader, &ProjectLoader::failed, this, [this](const QString& message) {
        statusBar()->showMessage(message);
        // open(), not exec(): the box is window-modal but never blocks the event loop.
        auto* box = new QMessageBox(QMessageBox::Warning, tr("Cannot open project"), message, QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });
}

MainWindow::~MainWindow() = default;

void MainWindow::openProject(const QString& path)
{
    statusBar()->showMessage(tr("Opening %1 …").arg(path));
    m_loader->load(path);
}

void MainWindow::createActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open Project…"), this, &MainWindow::chooseProject);
    open->setShortcut(QKeySequence::Open);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Bounce Inspector"), this, &MainWindow::showAbout);
}

void MainWindow::chooseProject()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Project"), QString(),
                                                      tr("Bounce Inspector projects (*.bip);;All files (*)"));
    if (!path.isEmpty())
        openProject(path);
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Bounce Inspector"),
                       tr("<b>Bounce Inspector</b> %1<br>Joins smarthost logs and bounce mailboxes into one "
                          "timeline per recipient.")
                           .arg(QApplication::applicationVersion()));
}

} // namespace bi::ui
