// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include "core/logs/log_event.h"
#include "core/mail/mail_reader.h"

namespace bi::core::import {

/// One thing to import, decided by its content: a mailbox (file or Maildir) or a log file.
struct ImportItem {
    enum class Kind { Mail, Log };
    Kind kind = Kind::Mail;
    QString path;
    mail::MailSourceKind mailKind = mail::MailSourceKind::Unknown;
    logs::LogFormat logFormat = logs::LogFormat::Unknown;
    /// Logs: the rotation set the file belongs to (its folder and its name without numbers
    /// and compression: "maillog", "maillog.1.gz" and "maillog-20240101.gz" are one set).
    QString rotationSet = {};
};

/// Expands the paths a user gave (files and folders, mailboxes and logs mixed) into items,
/// folders recursively in name order, following each real directory once. The logs of one
/// rotation set come oldest first, where the set's first file was (maillog.2.gz,
/// maillog.1.gz, maillog; maillog-20240101.gz, maillog-20240108.gz, maillog): a message cut
/// by a rotation goes on in the next file. Files that are neither mail nor a known log are
/// reported in `skipped` as "path: reason".
/// Thread: any.
class SourceWalker final {
public:
    struct Walk {
        QList<ImportItem> items;
        QStringList skipped;
        QStringList errors; ///< paths given explicitly that cannot be imported at all
    };
    [[nodiscard]] static Walk walk(const QStringList& paths);
};

} // namespace bi::core::import
