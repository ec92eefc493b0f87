// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

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
};

} // namespace bi::ui
