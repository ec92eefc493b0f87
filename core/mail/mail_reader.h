// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>

#include <QString>
#include <QStringList>

#include "core/common/progress_sink.h"
#include "core/common/result.h"
#include "core/mail/raw_message.h"

namespace bi::core::mail {

/// What a path holds, decided by looking at its content, never its name.
enum class MailSourceKind {
    Unknown,     ///< not mail
    Mbox,        ///< mboxo / mboxrd / mboxcl2, LF or CRLF (possibly gzip-compressed)
    Message,     ///< one RFC 5322 message (.eml, .msg; possibly gzip-compressed)
    Maildir,     ///< directory with cur/ and/or new/
    Folder,      ///< any other directory: scanned recursively
};

/// Counts of one read.
struct ReadStats {
    qint64 messages = 0;
    qint64 bytes = 0;
    QStringList files;        ///< every file that yielded messages
    QStringList skippedFiles; ///< files in a folder that held no mail, with the reason
    bool stopped = false;     ///< the sink or the ProgressSink asked to stop
};

/// Receives each message; return false to stop reading.
using MessageSink = std::function<bool(RawMessage&&)>;

/// Reads mailboxes of any supported kind, streaming: memory stays bounded by the
/// largest single message. Thread: any (no shared state).
class MailReader final {
public:
    /// Sniff a file or directory. A file is gunzipped on the fly when it starts with the gzip magic.
    [[nodiscard]] static MailSourceKind sniff(const QString& path);

    /// Read every message under path. Errors: unreadable path, or nothing that looks
    /// like mail at all (one clear line). Problems inside a mailbox become diagnostics.
    [[nodiscard]] static Result<ReadStats> read(const QString& path, const MessageSink& sink,
                                                ProgressSink* progress = nullptr);
};

} // namespace bi::core::mail
