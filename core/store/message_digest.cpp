// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/message_digest.h"

#include <memory>

#include <openssl/evp.h>

namespace bi::core::store {

QByteArray messageSha256(QByteArrayView raw)
{
    qsizetype end = raw.size();
    while (end > 0 && (raw[end - 1] == '\n' || raw[end - 1] == '\r'))
        --end;
    const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
        return {};
    // The runs between the CRs of CRLF pairs, fed as they are: no copy of the message.
    qsizetype from = 0;
    for (qsizetype i = raw.indexOf('\r'); i >= 0 && i + 1 < end; i = raw.indexOf('\r', i + 1)) {
        if (raw[i + 1] != '\n')
            continue;
        if (EVP_DigestUpdate(ctx.get(), raw.data() + from, size_t(i - from)) != 1)
            return {};
        from = i + 1;
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_DigestUpdate(ctx.get(), raw.data() + from, size_t(end - from)) != 1
        || (end > 0 && EVP_DigestUpdate(ctx.get(), "\n", 1) != 1) || EVP_DigestFinal_ex(ctx.get(), digest, &size) != 1)
        return {};
    return QByteArray(reinterpret_cast<const char*>(digest), int(size)).toHex();
}

} // namespace bi::core::store
