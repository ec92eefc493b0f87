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
};

/// Expands the paths a user gave (files and folders, mailboxes and logs mixed) into items,
/// folders recursively in name order, following each real directory once. Files that are
/// neither mail nor a known log are reported in `skipped` as "path: reason".
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
