// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace bi::core::store {

/// What makes two stored messages the same message (messages.sha256): lower-case hex SHA-256
/// of its bytes with CRLF line ends read as LF and any line ends at its end as one. The same
/// message from an mbox, a CRLF copy of it, a Maildir file or a saved .eml then has one
/// digest; a message with LF line ends and one final line end hashes as its bytes do (and
/// one of nothing but line ends as no bytes).
/// Empty only when OpenSSL fails. Thread: any.
[[nodiscard]] QByteArray messageSha256(QByteArrayView raw);

} // namespace bi::core::store
