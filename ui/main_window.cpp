// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/main_window.h"

#include <iterator>
#include <memory>
#include <utility>

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "core/store/project_store.h"
#include "ui/demo_project.h"
#ifdef BI_HAVE_PANES
#include "ui/dashboard_view.h"
#include "ui/inspector_pane.h"
#endif
#include "ui/filter_bar.h"
#include "ui/import_controller.h"
#include "ui/import_dialog.h"
#include "ui/item_roles.h"
#include "ui/project_settings_dialog.h"
#include "ui/recent_projects.h"
#include "ui/recipient_list_model.h"
#include "ui/report_export_dialog.h"
#include "ui/splitter_halves.h"

using namespace Qt::StringLiterals;

namespace bi::ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      m_model(new RecipientListModel(this)),
      m_filterBar(new FilterBar(this)),
      m_view(new QTableView(this)),
#ifdef BI_HAVE_PANES
      m_inspector(new InspectorPane(this)),
      m_dashboard(new DashboardView(this)),
#else
      m_inspector(new QWidget(this)),
      m_dashboard(new QWidget(this)),
#endif
      m_tabs(new QTabWidget(this)),
      m_splitter(new QSplitter(Qt::Horizontal, this)),
      m_import(new ImportController(this)),
      m_importDialog(new ImportDialog(m_import, this))
{
    setWindowTitle(tr("Bounce Inspector"));
    setAcceptDrops(true);

    m_view->setObjectName(u"recipientList"_s);
    m_view->setModel(m_model);
    m_view->setSortingEnabled(true);
    m_view->horizontalHeader()->setSortIndicator(0, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    // Fixed row heights: the view never measures a million rows.
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionsMovable(true);
    const int widths[] = {140, 240, 140, 100, 120, 60, 70, 100, 90};
    for (int c = 0; c < int(std::size(widths)); ++c)
        m_view->setColumnWidth(c, widths[c]);
    // What the list is for in sight first: who, when, which fate and why; the domain after.
    using Column = RecipientListModel::Column;
    for (const auto& [column, place] : {std::pair{Column::Fate, 2}, std::pair{Column::Reason, 3}})
        m_view->horizontalHeader()->moveSection(m_view->horizontalHeader()->visualIndex(int(column)), place);

#ifdef BI_HAVE_PANES
    auto* dashboard = static_cast<DashboardView*>(m_dashboard);
    connect(dashboard, &DashboardView::filterRequested, this, [this](const QString& field, const QString& value) {
        m_tabs->setCurrentIndex(0);
        m_filterBar->applyField(field, value);
    });
#else
    m_detail = new QPlainTextEdit(m_inspector);
    m_detail->setReadOnly(true);
    m_detail->setPlaceholderText(tr("Select a recipient to see its fate."));
    auto* inspectorLayout = new QVBoxLayout(m_inspector);
    inspectorLayout->setContentsMargins(0, 0, 0, 0);
    inspectorLayout->addWidget(m_detail);
#endif

    m_splitter->setObjectName(u"listSplitter"_s);
    m_splitter->addWidget(m_view);
    m_splitter->addWidget(m_inspector);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 1);
    auto* listPage = new QWidget(this);
    auto* listLayout = new QVBoxLayout(listPage);
    listLayout->setContentsMargins(0, 0, 0, 0);
    listLayout->setSpacing(0);
    listLayout->addWidget(m_filterBar);
    listLayout->addWidget(m_splitter, 1);
    m_tabs->addTab(listPage, tr("&Recipients"));
    m_tabs->addTab(m_dashboard, tr("&Dashboard"));
    m_tabs->setDocumentMode(true);
    setCentralWidget(m_tabs);

    createActions();
    createStatusBar();
    resize(1280, 800);
    restoreLayout();

    connect(m_filterBar, &FilterBar::filterChanged, m_model, &RecipientListModel::setFilter);
    connect(m_model, &RecipientListModel::loaded, this, [this] {
        updateCounts();
        if (!m_loadingPath.isEmpty()) {
            const QString path = std::exchange(m_loadingPath, QString());
            statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(path)), 5000);
            emit projectLoaded(path);
        }
    });
    connect(m_model, &RecipientListModel::loadingChanged, this, [this](bool) { updateCounts(); });
    connect(m_model, &RecipientListModel::failed, this, [this](const QString& message) {
        const bool opening = !m_loadingPath.isEmpty();
        if (opening) {
            m_loadingPath.clear();
            m_projectPath.clear();
            m_model->setProjectPath(QString());
            setWindowTitle(tr("Bounce Inspector"));
            emit projectFailed(message);
        }
        showError(opening ? tr("Cannot open project") : tr("Cannot read the list"), message);
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &MainWindow::onSelection);
    // A row whose page arrives after it was selected shows once it is there.
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex& from, const QModelIndex& to) {
        const int current = m_view->currentIndex().row();
        if (current >= from.row() && current <= to.row())
            onSelection();
    });
    connect(m_import, &ImportController::started, this, [this] {
        m_importBar->setRange(0, 0);
        m_importBar->show();
    });
    connect(m_import, &ImportController::progressed, this, [this](const ImportController::Progress& p) {
        if (p.total > 0) {
            m_importBar->setRange(0, 1000);
            m_importBar->setValue(int(1000.0 * double(p.done) / double(p.total)));
        }
    });
    connect(m_import, &ImportController::finished, this, [this](const ImportController::Outcome& outcome) {
        m_importBar->hide();
        m_model->refresh();
#ifdef BI_HAVE_PANES
        static_cast<DashboardView*>(m_dashboard)->refresh();
#endif
        statusBar()->showMessage(outcome.error.isEmpty() ? tr("Import finished") : tr("Import failed"), 5000);
        emit importFinished(outcome.error.isEmpty());
    });
}

MainWindow::~MainWindow() = default;

void MainWindow::openProject(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    m_projectPath = absolute;
    m_loadingPath = absolute;
    setWindowTitle(tr("%1 — Bounce Inspector").arg(QFileInfo(absolute).fileName()));
    statusBar()->showMessage(tr("Opening %1 …").arg(QDir::toNativeSeparators(absolute)));
#ifdef BI_HAVE_PANES
    static_cast<InspectorPane*>(m_inspector)->setProjectPath(absolute);
    static_cast<DashboardView*>(m_dashboard)->setProjectPath(absolute);
    static_cast<DashboardView*>(m_dashboard)->refresh();
#else
    m_detail->clear();
#endif
    if (m_recent)
        m_recent->add(absolute);
    m_model->setProjectPath(absolute);
}

void MainWindow::createThen(const QString& path, std::function<void()> next)
{
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, next = std::move(next)] {
        watcher->deleteLater();
        if (const QString error = watcher->result(); !error.isEmpty()) {
            emit projectFailed(error);
            showError(tr("Cannot create project"), error);
            return;
        }
        next();
    });
    watcher->setFuture(QtConcurrent::run([path]() -> QString {
        auto store = core::store::ProjectStore::open(path, u"gui-create"_s, true);
        return store ? QString() : store.error().toString();
    }));
}

void MainWindow::newProject(const QString& path)
{
    createThen(path, [this, path] { openProject(path); });
}

void MainWindow::importPaths(const QStringList& paths)
{
    if (paths.isEmpty())
        return;
    if (m_import->isRunning()) {
        showError(tr("Import running"), tr("Wait for the running import to finish, or stop it."));
        return;
    }
    if (m_projectPath.isEmpty()) {
        importIntoNewProject(defaultProjectFor(paths), paths);
        return;
    }
    m_importDialog->show();
    m_importDialog->raise();
    m_import->start(m_projectPath, paths);
}

QString MainWindow::defaultProjectFor(const QStringList& paths)
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
    QDir().mkpath(dir);
    QString base = paths.isEmpty() ? QString() : QFileInfo(paths.constFirst()).completeBaseName();
    if (base.isEmpty())
        base = u"project"_s;
    QString target = dir + u"/"_s + base + u".bip"_s;
    for (int n = 2; QFileInfo::exists(target); ++n)
        target = u"%1/%2-%3.bip"_s.arg(dir, base).arg(n);
    return target;
}

void MainWindow::importIntoNewProject(const QString& target, const QStringList& paths)
{
    createThen(target, [this, target, paths] {
        openProject(target);
        importPaths(paths);
    });
}

void MainWindow::openDemo()
{
    const QString project = DemoProject::projectPath();
    const QString data = DemoProject::dataDir();
    // A demo built from other data (an update brought new demo files) is built again, unless
    // it is open right now.
    if (QFileInfo::exists(project)
        && (data.isEmpty() || m_projectPath == QFileInfo(project).absoluteFilePath() || DemoProject::isCurrent(data))) {
        openProject(project);
        return;
    }
    if (data.isEmpty()) {
        const QString message = tr("The demo data (share/bounce-inspector/demo) is not installed.");
        emit projectFailed(message);
        showError(tr("No demo data"), message);
        return;
    }
    if (!DemoProject::discard()) {
        const QString message = tr("The old demo project %1 cannot be removed.").arg(QDir::toNativeSeparators(project));
        emit projectFailed(message);
        showError(tr("No demo project"), message);
        return;
    }
    statusBar()->showMessage(tr("Building the demo project from %1 …").arg(QDir::toNativeSeparators(data)));
    createThen(project, [this, project, data] {
        openProject(project);
        m_importDialog->show();
        // Stamped once complete: a build that was stopped or failed is done again next time.
        auto once = std::make_shared<QMetaObject::Connection>();
        *once = connect(m_import, &ImportController::finished, this,
                        [once, data](const ImportController::Outcome& outcome) {
                            QObject::disconnect(*once);
                            if (outcome.error.isEmpty() && !outcome.cancelled && !outcome.summary.stopped)
                                DemoProject::markCurrent(data);
                        });
        m_import->start(project, {data});
    });
}

void MainWindow::createActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New Project…"), QKeySequence::New, this, &MainWindow::chooseNewProject);
    file->addAction(tr("&Open Project…"), QKeySequence::Open, this, &MainWindow::chooseProject);
    QMenu* recent = file->addMenu(tr("Open &Recent"));
    m_recent = new RecentProjects(recent, this);
    connect(m_recent, &RecentProjects::openRequested, this, &MainWindow::openProject);
    file->addAction(tr("Open &Demo Project"), this, &MainWindow::openDemo);
    file->addSeparator();
    file->addAction(tr("&Import Files…"), QKeySequence(Qt::CTRL | Qt::Key_I), this, &MainWindow::chooseImport);
    file->addAction(tr("Import &Window"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I), this, [this] {
        m_importDialog->show();
        m_importDialog->raise();
    });
    file->addAction(tr("Project &Settings…"), QKeySequence(Qt::CTRL | Qt::Key_Comma), this, &MainWindow::showSettings);
    file->addSeparator();
    file->addAction(tr("&Export Report (PDF)…"), QKeySequence(Qt::CTRL | Qt::Key_E), this,
                    [this] { showExport(int(ReportExportDialog::Mode::Pdf)); });
    file->addAction(tr("Export &CSV…"), this, [this] { showExport(int(ReportExportDialog::Mode::Csv)); });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("&Find Recipient"), QKeySequence::Find, this, [this] {
        m_tabs->setCurrentIndex(0);
        m_filterBar->searchEdit()->setFocus();
        m_filterBar->searchEdit()->selectAll();
    });
    view->addAction(tr("&Clear Filters"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_X), m_filterBar, &FilterBar::clear);
    view->addAction(tr("&Refresh"), QKeySequence::Refresh, m_model, &RecipientListModel::refresh);
    view->addSeparator();
    view->addAction(tr("&Recipients"), QKeySequence(Qt::CTRL | Qt::Key_1), this, [this] { m_tabs->setCurrentIndex(0); });
    view->addAction(tr("&Dashboard"), QKeySequence(Qt::CTRL | Qt::Key_2), this, [this] { m_tabs->setCurrentIndex(1); });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Bounce Inspector"), this, &MainWindow::showAbout);
}

void MainWindow::createStatusBar()
{
    m_counts = new QLabel(this);
    m_counts->setTextFormat(Qt::PlainText);
    m_importBar = new QProgressBar(this);
    m_importBar->setMaximumWidth(160);
    m_importBar->setTextVisible(false);
    m_importBar->setToolTip(tr("Import running (Ctrl+Shift+I shows it)"));
    m_importBar->hide();
    statusBar()->addPermanentWidget(m_importBar);
    statusBar()->addPermanentWidget(m_counts);
}

void MainWindow::updateCounts()
{
    if (m_projectPath.isEmpty()) {
        m_counts->clear();
        return;
    }
    const QLocale locale;
    QString text = m_model->filter().isEmpty() ? tr("%1 recipients").arg(locale.toString(m_model->rowCount()))
                                               : tr("%1 recipients match").arg(locale.toString(m_model->rowCount()));
    if (m_model->isLoading())
        text += u" · "_s + tr("loading…");
    m_counts->setText(text);
}

void MainWindow::onSelection()
{
    const QModelIndex current = m_view->currentIndex();
    const qint64 fateId = current.isValid() ? current.siblingAtColumn(0).data(FateIdRole).toLongLong() : 0;
#ifdef BI_HAVE_PANES
    auto* inspector = static_cast<InspectorPane*>(m_inspector);
    if (fateId == 0)
        inspector->clear();
    else
        inspector->showFate(fateId); // mailbox-only bounces have their own fates row too
#else
    if (fateId == 0) {
        m_detail->clear();
        return;
    }
    QStringList lines;
    for (int c = 0; c < m_model->columnCount(); ++c)
        lines << m_model->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString() + u": "_s
                     + current.siblingAtColumn(c).data().toString();
    m_detail->setPlainText(lines.join(u'\n'));
#endif
}

void MainWindow::chooseProject()
{
    auto* dialog = new QFileDialog(this, tr("Open Project"), QString(),
                                   tr("Bounce Inspector projects (*.bip);;All files (*)"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    connect(dialog, &QFileDialog::fileSelected, this, &MainWindow::openProject);
    dialog->open();
}

void MainWindow::chooseNewProject()
{
    auto* dialog = new QFileDialog(this, tr("New Project"), QString(), tr("Bounce Inspector projects (*.bip)"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(u"bip"_s);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString& path) {
        if (QFileInfo::exists(path)) {
            showError(tr("New Project"), tr("%1 exists; open it instead.").arg(path));
            return;
        }
        newProject(path);
    });
    dialog->open();
}

void MainWindow::chooseImport()
{
    auto* dialog = new QFileDialog(this, tr("Import Mailboxes and Logs"), QString(),
                                   tr("Mailboxes and logs (*.mbox *.eml *.log *.gz *);;All files (*)"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFiles);
    connect(dialog, &QFileDialog::filesSelected, this, &MainWindow::importPaths);
    dialog->open();
}

void MainWindow::showSettings()
{
    if (m_projectPath.isEmpty()) {
        showError(tr("Project Settings"), tr("Open or create a project first."));
        return;
    }
    auto* dialog = new ProjectSettingsDialog(m_projectPath, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::showExport(int mode)
{
    if (m_projectPath.isEmpty()) {
        showError(tr("Export"), tr("Open or create a project first."));
        return;
    }
    auto* dialog = new ReportExportDialog(m_projectPath, ReportExportDialog::Mode(mode), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::showAbout()
{
    auto* box = new QMessageBox(QMessageBox::Information, tr("About Bounce Inspector"),
                                tr("Bounce Inspector %1\n\nJoins smarthost logs and bounce mailboxes into one "
                                   "fate and timeline per recipient.\n\nLicence: GPL-3.0-or-later. Qt %2.")
                                    .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion())),
                                QMessageBox::Ok, this);
    box->setTextFormat(Qt::PlainText);
    box->setIconPixmap(windowIcon().pixmap(64, 64));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::showError(const QString& title, const QString& message)
{
    statusBar()->showMessage(message);
    // open(), not exec(): window-modal without a nested event loop.
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setTextFormat(Qt::PlainText);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    QStringList paths;
    QString project;
    for (const QUrl& url : event->mimeData()->urls()) {
        if (!url.isLocalFile())
            continue; // never fetch remote content
        const QString path = url.toLocalFile();
        if (path.endsWith(u".bip"_s, Qt::CaseInsensitive))
            project = path;
        else
            paths << path;
    }
    if (paths.isEmpty() && project.isEmpty())
        return;
    event->acceptProposedAction();
    if (!project.isEmpty() && paths.isEmpty())
        openProject(project);
    else
        importPaths(paths);
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    restoreGeometry(settings.value(u"mainWindow/geometry"_s).toByteArray());
    restoreState(settings.value(u"mainWindow/state"_s).toByteArray());
    if (!m_splitter->restoreState(settings.value(u"mainWindow/splitter"_s).toByteArray()))
        splitInHalvesWhenShown(m_splitter); // else the inspector's wide table takes most of it
    m_view->horizontalHeader()->restoreState(settings.value(u"recipientList/header"_s).toByteArray());
}

void MainWindow::saveLayout()
{
    QSettings settings;
    settings.setValue(u"mainWindow/geometry"_s, saveGeometry());
    settings.setValue(u"mainWindow/state"_s, saveState());
    settings.setValue(u"mainWindow/splitter"_s, m_splitter->saveState());
    settings.setValue(u"recipientList/header"_s, m_view->horizontalHeader()->saveState());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_import->isRunning())
        m_import->stop(); // the controller's destructor waits for the batch to commit
    saveLayout();
    QMainWindow::closeEvent(event);
}

} // namespace bi::ui
