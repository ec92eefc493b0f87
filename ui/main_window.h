// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMainWindow>

class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace bi::ui {

class BounceTableModel;
class ProjectLoader;

/// The main window: opens a project and lists its recipient results.
/// Thread: GUI thread.
class MainWindow final : public QMainWindow {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Start loading a project file in the background; the table fills when it is read.
    void openProject(const QString& path);
    [[nodiscard]] QTableView* bounceView() const { return m_view; }
    [[nodiscard]] BounceTableModel* bounceModel() const { return m_model; }

signals:
    void projectLoaded(const QString& path);

private:
    void createActions();
    void chooseProject();
    void showAbout();

    BounceTableModel* m_model = nullptr;
    QSortFilterProxyModel* m_sorter = nullptr;
    QTableView* m_view = nullptr;
    ProjectLoader* m_loader = nullptr;
    QLabel* m_counts = nullptr;
    QString m_projectPath;
};

} // namespace bi::ui
