// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/import/source_digest.h"

#include <QCryptographicHash>
#include <QFile>

using namespace Qt::StringLiterals;

namespace bi::core::import {

Result<QByteArray> fileSha256(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Io, u"cannot open to compute its SHA-256: "_s + file.errorString(), path);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QByteArray block(1 << 20, Qt::Uninitialized);
    for (;;) {
        const qint64 n = file.read(block.data(), block.size());
        if (n < 0)
            return makeError(ErrorCode::Io, u"read error while computing its SHA-256: "_s + file.errorString(), path);
        if (n == 0)
            break;
        hash.addData(QByteArrayView(block.constData(), n));
    }
    return hash.result().toHex();
}

} // namespace bi::core::import
