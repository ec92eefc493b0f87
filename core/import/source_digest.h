// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include "core/common/result.h"

namespace bi::core::import {

/// SHA-256 (lower-case hex) of a file's bytes as they are on disk, compressed or not: the
/// figure `sha256sum` prints, so a report's reader can check that the file they hold is the
/// one that was imported. Read in 1 MiB blocks: memory stays flat whatever the file size.
/// cancel (optional, any thread): once set, the read ends within a block with a Cancelled
/// error, so an import that stops need not wait for a whole multi-GB file to be hashed.
[[nodiscard]] Result<QByteArray> fileSha256(const QString& path, const std::atomic<bool>* cancel = nullptr);

/// SHA-256 (lower-case hex) of bytes in memory, with OpenSSL like fileSha256(): a message's
/// identity in the project. Empty only when OpenSSL fails.
[[nodiscard]] QByteArray bytesSha256(QByteArrayView bytes);

} // namespace bi::core::import
