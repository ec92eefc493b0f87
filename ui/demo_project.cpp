// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/demo_project.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace bi::ui {

QString DemoProject::dataDir()
{
    const QString app = QCoreApplication::applicationDirPath();
    QStringList candidates{app + u"/../share/bounce-inspector/demo"_s, app + u"/../Resources/demo"_s};
    for (const QString& dir : QStandardPaths::standardLocations(QStandardPaths::GenericDataLocation))
        candidates << dir + u"/bounce-inspector/demo"_s;
    for (const QString& dir : candidates) {
        const QFileInfo info(dir);
        if (info.isDir() && !QDir(dir).isEmpty(QDir::Files))
            return QDir::cleanPath(info.absoluteFilePath());
    }
    return {};
}

QString DemoProject::projectPath()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
    QDir().mkpath(dir);
    return dir + u"/demo.bip"_s;
}

} // namespace bi::ui
