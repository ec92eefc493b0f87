// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/recent_projects.h"

#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace bi::ui {

namespace {
const QString kKey = u"recentProjects"_s;
}

RecentProjects::RecentProjects(QMenu* menu, QObject* parent) : QObject(parent), m_menu(menu)
{
    rebuild();
}

void RecentProjects::add(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList list = paths();
    list.removeAll(absolute);
    list.prepend(absolute);
    while (list.size() > kMax)
        list.removeLast();
    QSettings().setValue(kKey, list);
    rebuild();
}

QStringList RecentProjects::paths() const
{
    return QSettings().value(kKey).toStringList();
}

void RecentProjects::rebuild()
{
    m_menu->clear();
    const QStringList list = paths();
    int number = 1;
    for (const QString& path : list) {
        // Numbered mnemonics (&1 …) for the keyboard; '&' in names doubled so it shows.
        QString label = QDir::toNativeSeparators(path);
        label.replace(u"&"_s, u"&&"_s);
        QAction* action = m_menu->addAction(u"&%1 %2"_s.arg(number++).arg(label));
        connect(action, &QAction::triggered, this, [this, path] { emit openRequested(path); });
    }
    if (list.isEmpty()) {
        m_menu->addAction(tr("No recent projects"))->setEnabled(false);
        return;
    }
    m_menu->addSeparator();
    connect(m_menu->addAction(tr("Clear List")), &QAction::triggered, this, [this] {
        QSettings().remove(kKey);
        rebuild();
    });
}

} // namespace bi::ui
