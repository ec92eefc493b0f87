// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/mail/mail_reader.h"

#include <algorithm>
#include <cstring>
#include <exception>
#include <memory>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include "core/mail/gzip_device.h"
#include "core/mail/mbox_reader.h"

using namespace Qt::StringLiterals;

namespace bi::core::mail {

namespace {

constexpr qint64 kSniffBytes = 64 * 1024;
constexpr qint64 kProgressIntervalMs = 100;

enum class Content { Empty, Mbox, Message, Binary, Text };

/// A file opened for reading, inflated on the fly when it is gzip.
struct OpenedFile {
    std::unique_ptr<QFile> file;
    std::unique_ptr<GzipDevice> gzip;

    [[nodiscard]] QIODevice* device() const { return gzip ? static_cast<QIODevice*>(gzip.get()) : file.get(); }
    [[nodiscard]] qint64 compressedPosition() const { return gzip ? gzip->compressedPosition() : file->pos(); }
};

QString notMailReason(Content content)
{
    return content == Content::Binary
        ? u"not a mailbox or message (starts with binary data)"_s
        : u"not a mailbox or message (no \"From \" line or header field at the start)"_s;
}

bool looksBinary(const QByteArray& head)
{
    const qsizetype n = std::min<qsizetype>(head.size(), 1024);
    qsizetype controls = 0;
    for (qsizetype i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(head.at(i));
        if (c == 0)
            return true;
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f')
            ++controls;
    }
    return controls * 10 > n;
}

// Whether the header block at the start of head names a field every message has one of
// (RFC 5322 §3.6: From and Date are required; Received, Return-Path, Message-ID are on all
// transported mail). A file of "key: value" lines, a JSON line or a log line is not a message.
bool hasMessageHeaderField(QByteArrayView head)
{
    static constexpr const char* kFields[] = {"from:", "date:", "received:", "return-path:", "message-id:",
                                              "subject:", "to:", "delivered-to:", "mime-version:"};
    qsizetype start = 0;
    while (start < head.size()) {
        qsizetype end = head.indexOf('\n', start);
        if (end < 0)
            end = head.size();
        const QByteArrayView line = head.sliced(start, end - start);
        if (line.trimmed().isEmpty())
            break; // end of the header block
        for (const char* field : kFields) {
            const QByteArrayView f(field);
            if (line.size() >= f.size() && line.first(f.size()).compare(f, Qt::CaseInsensitive) == 0)
                return true;
        }
        start = end + 1;
    }
    return false;
}

Content classify(const QByteArray& head)
{
    if (head.isEmpty())
        return Content::Empty;
    const char* data = head.constData();
    const char* nl = static_cast<const char*>(std::memchr(data, '\n', size_t(head.size())));
    const qsizetype firstLine = nl ? nl - data : head.size();
    const bool firstLineBinary = std::memchr(data, 0, size_t(firstLine)) != nullptr;
    // RFC 5322 §2.1: a message starts with its header fields (checked before "From " so that
    // a "From: ..." header line is not taken for an envelope line).
    if (!firstLineBinary && MboxReader::isHeaderFieldLine(data, firstLine) && hasMessageHeaderField(head))
        return Content::Message;
    qsizetype i = 0;
    while (i < head.size() && (data[i] == '\n' || data[i] == '\r'))
        ++i;
    if (head.size() - i >= 5 && std::memcmp(data + i, "From ", 5) == 0 && !firstLineBinary)
        return Content::Mbox;
    return looksBinary(head) ? Content::Binary : Content::Text;
}

Result<OpenedFile> openFile(const QString& path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return makeError(ErrorCode::Io, u"cannot open: no such file or folder"_s, path);
    if (!info.isFile())
        return makeError(ErrorCode::Io, u"cannot open: not a regular file"_s, path);
    OpenedFile opened;
    opened.file = std::make_unique<QFile>(path);
    if (!opened.file->open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Io, u"cannot open: "_s + opened.file->errorString(), path);
    if (GzipDevice::hasGzipMagic(opened.file->peek(2))) {
        opened.gzip = std::make_unique<GzipDevice>(opened.file.get());
        if (!opened.gzip->open(QIODevice::ReadOnly))
            return makeError(ErrorCode::Io, u"cannot open: "_s + opened.gzip->errorString(), path);
    }
    return opened;
}

bool isMaildir(const QString& dir)
{
    return QFileInfo(dir + u"/cur"_s).isDir() || QFileInfo(dir + u"/new"_s).isDir();
}

QFileInfoList sortedEntries(const QString& dir, QDir::Filters filters)
{
    QFileInfoList entries = QDir(dir).entryInfoList(filters | QDir::NoDotAndDotDot, QDir::NoSort);
    // Plain code-point order: stable across locales, and what the tests and users expect
    // from `ls` with LC_ALL=C.
    std::sort(entries.begin(), entries.end(), [](const QFileInfo& a, const QFileInfo& b) {
        const int byName = QString::compare(a.fileName(), b.fileName(), Qt::CaseSensitive);
        return byName != 0 ? byName < 0 : QString::compare(a.filePath(), b.filePath()) < 0;
    });
    return entries;
}

/// Collects the files of one read in order, each file and directory once.
class FileCollector final {
public:
    QStringList files;
    QStringList skipped;

    void addMaildir(const QString& dir)
    {
        if (!visitDir(dir))
            return;
        // Maildir: deliveries land in new/, read ones move to cur/ keeping their unique
        // name (time-based), so sorting both by name gives delivery order. tmp/ is in flight.
        QFileInfoList messages;
        for (const QString& sub : {u"cur"_s, u"new"_s}) {
            const QString subDir = dir + u'/' + sub;
            if (!QFileInfo(subDir).isDir() || !visitDir(subDir))
                continue;
            messages += QDir(subDir).entryInfoList(QDir::Files | QDir::System | QDir::NoDotAndDotDot, QDir::NoSort);
        }
        std::sort(messages.begin(), messages.end(), [](const QFileInfo& a, const QFileInfo& b) {
            const int byName = QString::compare(a.fileName(), b.fileName(), Qt::CaseSensitive);
            return byName != 0 ? byName < 0 : QString::compare(a.filePath(), b.filePath()) < 0;
        });
        for (const QFileInfo& entry : std::as_const(messages)) {
            if (!entry.fileName().startsWith(u'.')) // Maildir readers ignore dot files
                addFile(entry);
        }
        // Maildir++: sub-folders are ".Name" directories that are Maildirs themselves.
        for (const QFileInfo& entry : sortedEntries(dir, QDir::Dirs | QDir::Hidden)) {
            if (entry.fileName().startsWith(u'.') && isMaildir(entry.filePath()))
                addMaildir(entry.filePath());
        }
    }

    void addFolder(const QString& dir)
    {
        if (isMaildir(dir)) {
            addMaildir(dir);
            return;
        }
        if (!visitDir(dir))
            return;
        if (!QFileInfo(dir).isReadable()) {
            skipped << dir + u": cannot open: Permission denied"_s;
            return;
        }
        for (const QFileInfo& entry : sortedEntries(dir, QDir::AllEntries | QDir::Hidden | QDir::System)) {
            if (entry.isDir())
                addFolder(entry.filePath());
            else
                addFile(entry);
        }
    }

private:
    QSet<QString> m_seen;

    bool visitDir(const QString& dir)
    {
        // Symlinks are followed; the canonical path stops loops and double reads.
        const QString canonical = QFileInfo(dir).canonicalFilePath();
        if (canonical.isEmpty() || m_seen.contains(canonical))
            return false;
        m_seen.insert(canonical);
        return true;
    }

    void addFile(const QFileInfo& entry)
    {
        if (!entry.isFile()) {
            // FIFOs and devices would block or never end; broken links cannot be read.
            skipped << entry.filePath() + u": not a regular file"_s;
            return;
        }
        const QString canonical = entry.canonicalFilePath();
        if (canonical.isEmpty() || m_seen.contains(canonical))
            return;
        m_seen.insert(canonical);
        files << entry.filePath();
    }
};

/// State of one MailReader::read call.
class ReadRun final {
public:
    ReadRun(const MessageSink& sink, ProgressSink* progress) : m_sink(sink), m_progress(progress) {}

    ReadStats stats;
    qint64 totalBytes = -1;

    enum class Outcome { Read, Skipped, Stopped };

    /// Reads one file. In a folder, a file that holds no mail is skipped; otherwise that is an error.
    Result<Outcome> readFile(const QString& path, bool inFolder)
    {
        auto skipOrFail = [&](Error error) -> Result<Outcome> {
            if (!inFolder)
                return error;
            stats.skippedFiles << path + u": "_s + error.message;
            return Outcome::Skipped;
        };
        auto opened = openFile(path);
        if (!opened)
            return skipOrFail(opened.error());
        QIODevice* device = opened->device();
        const QByteArray head = device->peek(kSniffBytes);
        if (head.isEmpty() && opened->gzip && opened->gzip->hasError())
            return skipOrFail(makeError(ErrorCode::Format, u"cannot read: "_s + device->errorString(), path));
        const Content content = classify(head);
        if (content == Content::Empty) {
            if (inFolder)
                stats.skippedFiles << path + u": empty file"_s;
            return Outcome::Skipped;
        }
        if (content == Content::Binary && MailReader::isTarArchive(head))
            return skipOrFail(makeError(ErrorCode::Format, u"a tar archive: unpack it and import its files"_s, path));
        if (content == Content::Binary || content == Content::Text)
            return skipOrFail(makeError(ErrorCode::Format, notMailReason(content), path));

        MboxReader reader(device, path,
                          content == Content::Message ? MboxReader::Mode::SingleMessage : MboxReader::Mode::Mbox);
        const qint64 doneBefore = m_doneBytes;
        // A file cut while it is read (a mailbox rewritten by the MTA, a copy still running)
        // ends early with a partial last message; that one is not handed on (issue 9).
        const qint64 sizeAtOpen = opened->file->size();
        qint64 shrunkTo = -1;
        bool stopped = false;
        int count = 0;
        RawMessage message;
        while (reader.next(message)) {
            if (const qint64 now = opened->file->size(); now < sizeAtOpen) {
                shrunkTo = now;
                break;
            }
            ++count;
            ++stats.messages;
            if (!m_sink(std::move(message)))
                stopped = true;
            m_doneBytes = doneBefore + opened->compressedPosition();
            reportProgress(false);
            if (!stopped && m_progress && m_progress->stopRequested())
                stopped = true;
            if (stopped)
                break;
        }
        stats.bytes += reader.position();
        for (Diagnostic& d : reader.takeInputDiagnostics()) {
            d.where = path + u": "_s + d.where;
            stats.diagnostics << std::move(d);
        }
        if (opened->gzip && opened->gzip->hasTrailingGarbage())
            stats.diagnostics << Diagnostic{Diagnostic::Severity::Warning, path,
                                            u"bytes after the last gzip member were ignored"_s};
        if (count > 0)
            stats.files << path;
        if (count > 0 && reader.hasReadError()) {
            stats.cutFiles << path;
            stats.diagnostics << Diagnostic{Diagnostic::Severity::Error, path,
                                            u"reading stopped early after %1 messages: %2"_s.arg(count).arg(
                                                reader.readErrorString())};
        }
        if (shrunkTo >= 0) {
            return skipOrFail(makeError(ErrorCode::Io,
                                        u"the file shrank from %1 to %2 bytes while it was read; the messages "
                                        u"before that are kept, import it again once it is complete"_s
                                            .arg(sizeAtOpen).arg(shrunkTo),
                                        path));
        }
        if (stopped) {
            stats.stopped = true;
            return Outcome::Stopped;
        }
        if (count == 0) {
            if (reader.hasReadError())
                return skipOrFail(makeError(ErrorCode::Io, u"cannot read: "_s + reader.readErrorString(), path));
            return skipOrFail(makeError(ErrorCode::Format, u"no messages found"_s, path));
        }
        return Outcome::Read;
    }

    void fileDone(qint64 size)
    {
        m_doneBytes = m_filesDone += size;
        reportProgress(false);
    }

    [[nodiscard]] bool stopRequested() const { return m_progress && m_progress->stopRequested(); }

    void reportProgress(bool force)
    {
        if (!m_progress)
            return;
        if (!force && m_timer.isValid() && m_timer.elapsed() < kProgressIntervalMs)
            return;
        m_timer.start();
        m_progress->report(totalBytes >= 0 ? std::min(m_doneBytes, totalBytes) : m_doneBytes, totalBytes,
                           u"bytes");
    }

private:
    const MessageSink& m_sink;
    ProgressSink* m_progress = nullptr;
    QElapsedTimer m_timer;
    qint64 m_doneBytes = 0;
    qint64 m_filesDone = 0;
};

} // namespace

bool MailReader::isTarArchive(QByteArrayView head)
{
    return head.size() >= 512 && head.sliced(257, 5) == QByteArrayView("ustar");
}

MailSourceKind MailReader::sniff(const QString& path)
{
    const QFileInfo info(path);
    if (info.isDir())
        return isMaildir(path) ? MailSourceKind::Maildir : MailSourceKind::Folder;
    auto opened = openFile(path);
    if (!opened)
        return MailSourceKind::Unknown;
    switch (classify(opened->device()->peek(kSniffBytes))) {
    case Content::Empty:
    case Content::Mbox:
        return MailSourceKind::Mbox;
    case Content::Message:
        return MailSourceKind::Message;
    case Content::Binary:
    case Content::Text:
        break;
    }
    return MailSourceKind::Unknown;
}

Result<ReadStats> MailReader::read(const QString& path, const MessageSink& sink, ProgressSink* progress)
{
    try {
        const QFileInfo info(path);
        ReadRun run(sink, progress);
        if (info.isDir()) {
            if (!info.isReadable() || !info.isExecutable())
                return makeError(ErrorCode::Io, u"cannot open: Permission denied"_s, path);
            FileCollector collector;
            if (isMaildir(path))
                collector.addMaildir(path);
            else
                collector.addFolder(path);
            run.stats.skippedFiles = collector.skipped;
            run.totalBytes = 0;
            for (const QString& file : std::as_const(collector.files))
                run.totalBytes += QFileInfo(file).size();
            run.reportProgress(true);
            for (const QString& file : std::as_const(collector.files)) {
                if (run.stopRequested()) {
                    run.stats.stopped = true;
                    break;
                }
                auto outcome = run.readFile(file, true);
                if (outcome && *outcome == ReadRun::Outcome::Stopped)
                    break;
                run.fileDone(QFileInfo(file).size());
            }
            run.reportProgress(true);
            if (run.stats.messages == 0 && !run.stats.stopped)
                return makeError(ErrorCode::Format, u"no mail found in folder"_s, path);
            return std::move(run.stats);
        }
        if (!info.exists())
            return makeError(ErrorCode::Io, u"cannot open: no such file or folder"_s, path);
        run.totalBytes = info.size();
        run.reportProgress(true);
        if (run.stopRequested()) {
            run.stats.stopped = true;
            return std::move(run.stats);
        }
        auto outcome = run.readFile(path, false);
        if (!outcome)
            return outcome.error();
        if (*outcome != ReadRun::Outcome::Stopped)
            run.fileDone(run.totalBytes);
        run.reportProgress(true);
        return std::move(run.stats);
    } catch (const std::exception& e) {
        // std::bad_alloc from a pathological input or a sink that throws: never escape (STYLE §5).
        return makeError(ErrorCode::Io, u"read failed: "_s + QString::fromLocal8Bit(e.what()), path);
    }
}

} // namespace bi::core::mail
