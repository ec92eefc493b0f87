// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/demo_project.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
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

QString DemoProject::stampPath()
{
    return projectPath() + u".stamp"_s;
}

QByteArray DemoProject::stampOf(const QString& dataDir)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    const QDir dir(dataDir);
    for (const QString& name : dir.entryList(QDir::Files, QDir::Name)) {
        QFile file(dir.filePath(name));
        if (!file.open(QIODevice::ReadOnly))
            return {};
        hash.addData(name.toUtf8());
        hash.addData(QByteArrayView("\0", 1));
        hash.addData(&file);
    }
    return hash.result().toHex();
}

bool DemoProject::isCurrent(const QString& dataDir)
{
    QFile stamp(stampPath());
    if (!stamp.open(QIODevice::ReadOnly))
        return false;
    const QByteArray expected = stampOf(dataDir);
    return !expected.isEmpty() && stamp.readAll().trimmed() == expected;
}

void DemoProject::markCurrent(const QString& dataDir)
{
    QSaveFile stamp(stampPath());
    if (stamp.open(QIODevice::WriteOnly)) {
        stamp.write(stampOf(dataDir) + '\n');
        stamp.commit();
    }
}

bool DemoProject::discard()
{
    const QString project = projectPath();
    bool gone = true;
    for (const QString& path : {project, project + u"-wal"_s, project + u"-shm"_s, stampPath()}) {
        if (QFileInfo::exists(path))
            gone = QFile::remove(path) && gone;
    }
    return gone;
}

} // namespace bi::ui
