// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/import/source_digest.h"

#include <memory>

#include <openssl/evp.h>

#include <QFile>

using namespace Qt::StringLiterals;

namespace bi::core::import {

// OpenSSL's SHA-256 (SHA-NI or AVX2 where the CPU has them): QCryptographicHash's portable
// code spent a quarter of a log import's instructions hashing the file (about 80 per byte).
Result<QByteArray> fileSha256(const QString& path, const std::atomic<bool>* cancel)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Io, u"cannot open to compute its SHA-256: "_s + file.errorString(), path);
    const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
        return makeError(ErrorCode::Unsupported, u"OpenSSL could not start a SHA-256"_s, path);
    QByteArray block(1 << 20, Qt::Uninitialized);
    for (;;) {
        if (cancel && cancel->load(std::memory_order_relaxed))
            return makeError(ErrorCode::Cancelled, u"SHA-256 not computed: the import stopped"_s, path);
        const qint64 n = file.read(block.data(), block.size());
        if (n < 0)
            return makeError(ErrorCode::Io, u"read error while computing its SHA-256: "_s + file.errorString(), path);
        if (n == 0)
            break;
        if (EVP_DigestUpdate(ctx.get(), block.constData(), size_t(n)) != 1)
            return makeError(ErrorCode::Io, u"OpenSSL failed while computing the SHA-256"_s, path);
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_DigestFinal_ex(ctx.get(), digest, &size) != 1)
        return makeError(ErrorCode::Io, u"OpenSSL failed while computing the SHA-256"_s, path);
    return QByteArray(reinterpret_cast<const char*>(digest), int(size)).toHex();
}

QByteArray bytesSha256(QByteArrayView bytes)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(bytes.data(), size_t(bytes.size()), digest, &size, EVP_sha256(), nullptr) != 1)
        return {}; // only a broken OpenSSL: ProjectStore::addMessage then computes it itself
    return QByteArray(reinterpret_cast<const char*>(digest), int(size)).toHex();
}

} // namespace bi::core::import
