// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QStringList>

class QMenu;

namespace bi::ui {

/// The recently opened projects (QSettings "recentProjects", newest first, at most kMax) and the
/// File → Open Recent menu built from them. Thread: GUI thread.
class RecentProjects final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RecentProjects)
public:
    static constexpr int kMax = 8;

    explicit RecentProjects(QMenu* menu, QObject* parent = nullptr);

    void add(const QString& path);
    [[nodiscard]] QStringList paths() const;

signals:
    void openRequested(const QString& path);

private:
    void rebuild();

    QMenu* m_menu;
};

} // namespace bi::ui
