// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/import/source_walker.h"

#include <algorithm>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QSet>

#include "core/logs/log_reader.h"

using namespace Qt::StringLiterals;

namespace bi::core::import {

namespace {

constexpr int kMaxDepth = 64;

// A log's name without its compression suffix.
QString withoutCompression(const QString& name)
{
    for (const char16_t* ext : {u".gz", u".bz2", u".xz", u".zst"}) {
        if (name.endsWith(QStringView(ext), Qt::CaseInsensitive))
            return name.chopped(qsizetype(std::char_traits<char16_t>::length(ext)));
    }
    return name;
}

// multilog's archived files: "@" and the tai64n label of their end (24 hex digits), ".s" or
// ".u"; their names sort in time order.
bool isMultilogArchive(const QString& name)
{
    static const QRegularExpression archive(uR"(^@[0-9a-fA-F]{24}\.[su]$)"_s);
    return archive.match(name).hasMatch();
}

// The rotation set of a log: its folder and its name without compression, logrotate's
// number (maillog.1) and dates (maillog-20240101, Exchange's MSGTRK2024050606-1.LOG): those
// are "maillog", "maillog" and "MSGTRK.LOG". Other numbers stay: host1.log and host2.log are
// two hosts' logs, not one log rotated.
QString rotationSetOf(const QString& path)
{
    static const QRegularExpression number(uR"(\.\d{1,6}$)"_s);
    static const QRegularExpression date(uR"([-._]?\d{6,}(-\d{1,4})?)"_s);
    const QFileInfo info(path);
    const QString name = withoutCompression(info.fileName());
    // daemontools' multilog (qmail): the live "current" and the archived "@<tai64n>.s" (or
    // ".u") files of one log folder.
    if (isMultilogArchive(name))
        return info.absolutePath() + u"/current"_s;
    return info.absolutePath() + u'/' + QString(name).remove(number).remove(date);
}

// Order within a rotation set, oldest first: logrotate's numbered files by number, highest
// first (maillog.2.gz before maillog.1.gz); dated or numbered names (maillog-20240101,
// MSGTRK2024050606-1.LOG, multilog's @<tai64n>.s) in name order; the live file, whose name
// has no number, last.
struct RotationOrder {
    int group = 0;      // 0 numbered, 1 dated, 2 live
    qint64 number = 0;  // numbered: minus the number
    QString name;

    explicit RotationOrder(const QString& path)
    {
        static const QRegularExpression numbered(uR"(\.(\d{1,6})$)"_s);
        static const QRegularExpression digit(uR"(\d)"_s);
        name = withoutCompression(QFileInfo(path).fileName());
        if (const auto m = numbered.match(name); m.hasMatch()) {
            group = 0;
            number = -m.captured(1).toLongLong();
        } else {
            group = name.contains(digit) || isMultilogArchive(name) ? 1 : 2;
        }
    }
    bool operator<(const RotationOrder& o) const
    {
        return std::tie(group, number, name) < std::tie(o.group, o.number, o.name);
    }
};

// Puts the logs of each rotation set in rotation order, in the places the set's files had.
void orderRotations(QList<ImportItem>& items)
{
    QHash<QString, QList<qsizetype>> places;
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (items[i].kind == ImportItem::Kind::Log) {
            items[i].rotationSet = rotationSetOf(items[i].path);
            places[items[i].rotationSet] << i;
        }
    }
    for (const QList<qsizetype>& at : std::as_const(places)) {
        if (at.size() < 2)
            continue;
        QList<std::pair<RotationOrder, ImportItem>> set;
        for (qsizetype i : at)
            set.append({RotationOrder(items[i].path), items[i]});
        std::stable_sort(set.begin(), set.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        for (qsizetype k = 0; k < at.size(); ++k)
            items[at[k]] = set[k].second;
    }
}

struct Walker {
    SourceWalker::Walk out;
    QSet<QString> visited;

    // Returns an error text when the file is neither mail nor log.
    QString classify(const QString& path)
    {
        // A project (ours or another SQLite file) given where files to import go: say so.
        if (QFile file(path); file.open(QIODevice::ReadOnly) && file.peek(16).startsWith(QByteArrayView("SQLite format 3\0", 16)))
            return u"an SQLite database (a Bounce Inspector project?), not a mailbox or log: give a project with --db"_s;
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
            else if (e.isFile() && e.size() == 0)
                out.skipped << e.filePath() + u": empty file"_s; // a log just rotated, a placeholder
            else if (e.isFile()) {
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
        } else if (info.size() == 0) {
            w.out.skipped << path + u": empty file"_s; // as in a folder: a log just rotated
        } else {
            const QString why = w.classify(path);
            if (!why.isEmpty())
                w.out.errors << path + u": "_s + why;
        }
    }
    orderRotations(w.out.items);
    return w.out;
}

} // namespace bi::core::import
