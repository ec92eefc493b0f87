// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace bi::ui {

/// Where the bundled demo data (mailbox and smarthost log with every fate, reason group and
/// backscatter) and the demo project live. Thread: any.
struct DemoProject {
    /// The demo data folder: share/bounce-inspector/demo next to the binary (build tree and
    /// installs under a prefix), the macOS bundle's Resources/demo, then the XDG data folders
    /// (/usr/share/bounce-inspector/demo). Empty when none is found.
    [[nodiscard]] static QString dataDir();
    /// The writable demo project: AppLocalDataLocation/demo.bip (its folder is created).
    [[nodiscard]] static QString projectPath();

    /// Whether the demo project was built from the files in dataDir as they are now: its stamp
    /// (markCurrent()) holds their names and SHA-256. An update that brings other demo data
    /// makes it stale, and the window builds it again.
    [[nodiscard]] static bool isCurrent(const QString& dataDir);
    /// Records that the demo project now holds dataDir's files (after a complete build).
    static void markCurrent(const QString& dataDir);
    /// Removes the demo project with its WAL, shared-memory and stamp files; false when one
    /// stays.
    static bool discard();

private:
    [[nodiscard]] static QByteArray stampOf(const QString& dataDir);
    [[nodiscard]] static QString stampPath();
};

} // namespace bi::ui
