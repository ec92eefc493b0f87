// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/import/source_walker.h"

#include <QDir>
#include <QFileInfo>
#include <QSet>

#include "core/logs/log_reader.h"

using namespace Qt::StringLiterals;

namespace bi::core::import {

namespace {

constexpr int kMaxDepth = 64;

struct Walker {
    SourceWalker::Walk out;
    QSet<QString> visited;

    // Returns an error text when the file is neither mail nor log.
    QString classify(const QString& path)
    {
        // Logs first: a log sniffs only when many lines have its exact shape, while a log
        // line such as "2025-12-29T08:29:01+01:00 host ..." also passes for a mail header.
        auto format = logs::LogReader::sniffFile(path);
        if (format && *format != logs::LogFormat::Unknown) {
            out.items.append({ImportItem::Kind::Log, path, mail::MailSourceKind::Unknown, *format});
            return {};
        }
        const mail::MailSourceKind kind = mail::MailReader::sniff(path);
        if (kind == mail::MailSourceKind::Mbox || kind == mail::MailSourceKind::Message) {
            out.items.append({ImportItem::Kind::Mail, path, kind, logs::LogFormat::Unknown});
            return {};
        }
        return format ? u"neither a mailbox, a message nor a known mail server log"_s : format.error().message;
    }

    void directory(const QString& path, int depth)
    {
        const QString canonical = QFileInfo(path).canonicalFilePath();
        if (canonical.isEmpty() || visited.contains(canonical) || depth > kMaxDepth)
            return;
        visited.insert(canonical);
        if (mail::MailReader::sniff(path) == mail::MailSourceKind::Maildir) {
            out.items.append({ImportItem::Kind::Mail, path, mail::MailSourceKind::Maildir, logs::LogFormat::Unknown});
            return;
        }
        const QFileInfoList entries = QDir(path).entryInfoList(
            QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden, QDir::Name);
        for (const QFileInfo& e : entries) {
            if (e.fileName().startsWith(u'.'))
                continue; // editor backups, .DS_Store, Maildir's own dot folders are handled above
            if (e.isDir())
                directory(e.filePath(), depth + 1);
            else if (e.isFile() && e.size() > 0) {
                const QString why = classify(e.filePath());
                if (!why.isEmpty())
                    out.skipped << e.filePath() + u": "_s + why;
            }
        }
    }
};

} // namespace

SourceWalker::Walk SourceWalker::walk(const QStringList& paths)
{
    Walker w;
    for (const QString& path : paths) {
        const QFileInfo info(path);
        if (!info.exists()) {
            w.out.errors << path + u": no such file or directory"_s;
        } else if (info.isDir()) {
            const qsizetype before = w.out.items.size();
            w.directory(path, 0);
            if (w.out.items.size() == before)
                w.out.errors << path + u": no mail or mail server log found in this folder"_s;
        } else if (!info.isFile()) {
            // Opening a pipe waits for a writer, a device never ends: neither is a file to import.
            w.out.errors << path + u": not a regular file (a pipe, socket or device)"_s;
        } else if (!info.isReadable()) {
            w.out.errors << path + u": cannot open: permission denied"_s;
        } else {
            const QString why = w.classify(path);
            if (!why.isEmpty())
                w.out.errors << path + u": "_s + why;
        }
    }
    return w.out;
}

} // namespace bi::core::import
