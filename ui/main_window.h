// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>

#include <QMainWindow>
#include <QStringList>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QSplitter;
class QTabWidget;
class QTableView;

namespace bi::ui {

class FilterBar;
class ImportController;
class ImportDialog;
class RecentProjects;
class RecipientListModel;

/// The main window: the recipient list under its filter bar with the inspector beside it, the
/// dashboard, import by drag and drop or File → Import, projects (new, open, recent, settings).
/// Widgets and controllers do the work; this class wires them. Thread: GUI thread.
class MainWindow final : public QMainWindow {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Shows an existing project; the list fills in the background (projectLoaded, or a
    /// window-modal message when it cannot be read).
    void openProject(const QString& path);
    /// Creates a project file (in the background) and opens it.
    void newProject(const QString& path);
    /// Imports files and folders into the open project; with none open, into a new project
    /// AppLocalDataLocation/<first file's name>.bip. Opens the import window.
    void importPaths(const QStringList& paths);
    /// Creates the project `target` (in the background), opens it and imports paths into it.
    void importIntoNewProject(const QString& target, const QStringList& paths);
    /// Where importPaths() puts a project when none is open: AppLocalDataLocation/<name>.bip,
    /// numbered when taken.
    [[nodiscard]] static QString defaultProjectFor(const QStringList& paths);
    /// Opens the demo project, building it from the bundled demo data first when missing.
    void openDemo();
    [[nodiscard]] QString projectPath() const { return m_projectPath; }

    [[nodiscard]] QTableView* recipientView() const { return m_view; }
    [[nodiscard]] RecipientListModel* recipientModel() const { return m_model; }
    [[nodiscard]] FilterBar* filterBar() const { return m_filterBar; }
    [[nodiscard]] ImportController* importController() const { return m_import; }
    [[nodiscard]] ImportDialog* importDialog() const { return m_importDialog; }
    [[nodiscard]] QTabWidget* tabs() const { return m_tabs; }
    /// The detail pane of the selected row.
    [[nodiscard]] QWidget* inspector() const { return m_inspector; }

signals:
    /// The list of a newly opened project is loaded (first page and count).
    void projectLoaded(const QString& path);
    /// An import ended and the views were refreshed.
    void importFinished(bool ok);
    /// Opening or creating a project failed.
    void projectFailed(const QString& message);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void createStatusBar();
    void restoreLayout();
    void saveLayout();
    void chooseProject();
    void chooseNewProject();
    void chooseImport();
    void showSettings();
    void showExport(int mode); ///< ReportExportDialog::Mode
    void showAbout();
    void showError(const QString& title, const QString& message);
    void createThen(const QString& path, std::function<void()> next);
    void onSelection();
    void updateCounts();

    RecipientListModel* m_model;
    FilterBar* m_filterBar;
    QTableView* m_view;
    QWidget* m_inspector;
    QPlainTextEdit* m_detail = nullptr;
    QWidget* m_dashboard;
    QTabWidget* m_tabs;
    QSplitter* m_splitter;
    ImportController* m_import;
    ImportDialog* m_importDialog;
    RecentProjects* m_recent = nullptr;
    QLabel* m_counts = nullptr;
    QProgressBar* m_importBar = nullptr;
    QString m_projectPath;
    QString m_loadingPath; ///< opened, first load not finished yet
    QStringList m_pendingImport;
};

} // namespace bi::ui
