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
    qint64 bytes = 0;         ///< mailbox bytes read (after decompression)
    QStringList files;        ///< every file that yielded messages
    QStringList skippedFiles; ///< files in a folder that held no mail, as "path: reason"
    QStringList cutFiles;     ///< files whose reading ended on corrupt or truncated data after
                              ///< some messages (those were handed on; a diagnostic says more)
    bool stopped = false;     ///< the sink or the ProgressSink asked to stop
    Diagnostics diagnostics;  ///< problems that belong to no message (trailing gzip garbage, a
                              ///< read error between two messages); where = the file path
};

/// Receives each message; return false to stop reading.
using MessageSink = std::function<bool(RawMessage&&)>;

/// Reads mailboxes of any supported kind, streaming: memory stays bounded by the
/// largest single message (see MboxReader). Thread: any (no shared state).
///
/// The kind is decided by content, never by file name: a file starting with `From ` is an mbox
/// (a saved message with its envelope line is an mbox of one), a file whose first line is an
/// RFC 5322 header field is one message, a directory with cur/ or new/ is a Maildir (messages of
/// cur/ and new/ sorted by file name, then Maildir++ `.Sub` folders), any other directory is
/// walked recursively in name order (symlinks followed, each directory and file read once, so
/// loops end). Files starting with the gzip magic (1f 8b) are inflated on the fly.
/// Messages reach the sink in that order with their provenance (RawMessage). Never throws.
class MailReader final {
public:
    /// Sniff a file or directory. A file is gunzipped on the fly when it starts with the gzip
    /// magic. An empty file counts as an (empty) Mbox; unreadable or missing paths are Unknown.
    [[nodiscard]] static MailSourceKind sniff(const QString& path);
    /// Whether the (decompressed) head of a file is a tar archive's: its first 512-byte header
    /// says "ustar" at 257. Such a file is unpacked by the user, not read as one mailbox or log.
    [[nodiscard]] static bool isTarArchive(QByteArrayView head);

    /// Read every message under path, calling sink for each; progress gets
    /// report(bytesDone, bytesTotal, u"bytes") at most about ten times a second and is asked
    /// stopRequested() after every message (then ReadStats::stopped is set, not an error).
    /// Errors (one line, context = path): missing or unreadable path ("cannot open: Permission
    /// denied"), a file that is not mail ("not a mailbox or message (starts with binary data)"),
    /// a folder without any mail ("no mail found in folder"). Inside a mailbox problems become
    /// diagnostics on the message; in a folder, files that are not mail are listed in
    /// ReadStats::skippedFiles. An empty file reads as zero messages, without error.
    [[nodiscard]] static Result<ReadStats> read(const QString& path, const MessageSink& sink,
                                                ProgressSink* progress = nullptr);
};

} // namespace bi::core::mail
