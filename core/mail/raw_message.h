// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include "core/common/diagnostic.h"

namespace bi::core::mail {

/// One message exactly as read from its source, with its provenance.
/// `bytes` is the message without any mbox envelope line and with mboxrd/mboxo
/// quoting undone, so it is byte-for-byte the message that was stored in the mailbox.
struct RawMessage {
    QByteArray bytes;
    QString sourcePath;      ///< file the message was read from (inside a Maildir: the message file)
    int index = 0;           ///< 1-based number of the message in sourcePath
    qint64 offset = 0;       ///< byte offset of the message's first byte in the (decompressed) file
    qint64 length = 0;       ///< bytes the message occupies in the (decompressed) file, quoting included
    QByteArray envelopeLine; ///< the mbox "From " line without its line ending, empty when none
    Diagnostics diagnostics; ///< problems the reader found (truncated, bad Content-Length, ...)
};

} // namespace bi::core::mail
