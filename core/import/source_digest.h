// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include "core/common/result.h"

namespace bi::core::import {

/// SHA-256 (lower-case hex) of a file's bytes as they are on disk, compressed or not: the
/// figure `sha256sum` prints, so a report's reader can check that the file they hold is the
/// one that was imported. Read in 1 MiB blocks: memory stays flat whatever the file size.
[[nodiscard]] Result<QByteArray> fileSha256(const QString& path);

} // namespace bi::core::import
