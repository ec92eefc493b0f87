// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/import/import_job.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHash>

#include "core/bounce/bounce_parser.h"
#include "core/fate/fate_correlator.h"
#include "core/import/source_walker.h"
#include "core/logs/log_reader.h"
#include "core/mail/gzip_device.h"
#include "core/mail/mail_reader.h"
#include "core/store/log_repository.h"
#include "core/store/project_store.h"

using namespace Qt::StringLiterals;

namespace bi::core::import {

namespace {

constexpr int kBatchMessages = 1000;
constexpr int kBatchLogEvents = 20000;
constexpr qint64 kBatchMillis = 250;
constexpr qint64 kHeadBytes = 64 * 1024;

QString mailKindName(mail::MailSourceKind kind)
{
    switch (kind) {
    case mail::MailSourceKind::Mbox: return u"mbox"_s;
    case mail::MailSourceKind::Message: return u"message"_s;
    case mail::MailSourceKind::Maildir: return u"maildir"_s;
    case mail::MailSourceKind::Folder: return u"folder"_s;
    case mail::MailSourceKind::Unknown: break;
    }
    return u"unknown"_s;
}

// A log's identity: its first 64 KiB, decompressed. maillog and the maillog.1.gz it is
// rotated into later have the same head, so the second import resumes instead of adding
// every line again.
Result<QByteArray> headHash(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Io, u"cannot open: "_s + file.errorString(), path);
    const QByteArray magic = file.peek(2);
    QByteArray head;
    if (mail::GzipDevice::hasGzipMagic(magic)) {
        mail::GzipDevice gz(&file);
        if (!gz.open(QIODevice::ReadOnly))
            return makeError(ErrorCode::Io, u"cannot read gzip data"_s, path);
        while (head.size() < kHeadBytes) {
            const QByteArray chunk = gz.read(kHeadBytes - head.size());
            if (chunk.isEmpty())
                break;
            head += chunk;
        }
    } else {
        head = file.read(kHeadBytes);
    }
    return QCryptographicHash::hash(head, QCryptographicHash::Sha256).toHex();
}

// Commits when the batch is big or old enough; begins lazily.
class Batch {
public:
    Batch(store::ProjectStore& store, int maxItems) : m_store(store), m_max(maxItems) {}
    ~Batch()
    {
        if (m_open)
            m_store.rollback();
    }
    Result<void> add()
    {
        if (!m_open) {
            if (auto ok = m_store.begin(); !ok)
                return ok;
            m_open = true;
            m_timer.start();
        }
        ++m_items;
        return {};
    }
    [[nodiscard]] bool due() const { return m_open && (m_items >= m_max || m_timer.elapsed() >= kBatchMillis); }
    Result<void> commit()
    {
        if (!m_open)
            return {};
        if (auto ok = m_store.commit(); !ok)
            return ok;
        m_open = false;
        m_items = 0;
        return {};
    }
    [[nodiscard]] bool isOpen() const { return m_open; }

private:
    store::ProjectStore& m_store;
    int m_max;
    int m_items = 0;
    bool m_open = false;
    QElapsedTimer m_timer;
};

} // namespace

ImportJob::ImportJob(store::ProjectStore& store, ImportOptions options) : m_store(store), m_options(std::move(options)) {}

Result<void> ImportJob::importMail(const QString& path, ImportSummary& summary, ProgressSink* progress)
{
    const QString sourceKind = mailKindName(mail::MailReader::sniff(path));
    std::optional<Error> fatal;
    QHash<QString, qint64> sourceIds;
    Batch batch(m_store, kBatchMessages);
    auto sink = [&](mail::RawMessage&& raw) -> bool {
        ++summary.messages;
        summary.bytes += raw.length;
        qint64 sourceId = sourceIds.value(raw.sourcePath, 0);
        if (sourceId == 0) {
            auto source = m_store.addSource(raw.sourcePath, sourceKind, QFileInfo(raw.sourcePath).size());
            if (!source) {
                fatal = source.error();
                return false;
            }
            sourceId = source->id;
            sourceIds.insert(raw.sourcePath, sourceId);
            ++summary.files;
        }
        if (auto ok = batch.add(); !ok) {
            fatal = ok.error();
            return false;
        }
        const QByteArray sha = QCryptographicHash::hash(raw.bytes, QCryptographicHash::Sha256).toHex();
        const bounce::BounceReport report = bounce::BounceParser::parse(raw.bytes);
        auto added = m_store.addMessage(sourceId, raw, sha, report);
        if (!added) {
            fatal = added.error();
            return false;
        }
        if (added->has_value()) {
            ++summary.added;
            if (report.kind == bounce::MessageKind::Bounce)
                ++summary.bounces;
            summary.recipients += report.recipients.size();
            summary.diagnostics += report.diagnostics.size() + raw.diagnostics.size();
        } else {
            ++summary.duplicates;
        }
        if (batch.due()) {
            if (auto ok = batch.commit(); !ok) {
                fatal = ok.error();
                return false;
            }
        }
        return !(progress && progress->stopRequested());
    };
    auto read = mail::MailReader::read(path, sink, progress);
    if (fatal)
        return *fatal;
    if (auto ok = batch.commit(); !ok)
        return ok;
    if (!read)
        summary.errors << read.error().toString();
    else if (read->stopped)
        summary.stopped = true;
    return {};
}

Result<void> ImportJob::importLog(const QString& path, ImportSummary& summary, ProgressSink* progress)
{
    auto head = headHash(path);
    if (!head) {
        summary.errors << head.error().toString();
        return {};
    }
    store::LogRepository repo(m_store);
    auto known = repo.findByHead(*head);
    if (!known)
        return known.error();
    store::LogSourceState state;
    if (known->has_value()) {
        state = **known;
    } else {
        auto source = m_store.addSource(path, u"log"_s, QFileInfo(path).size());
        if (!source)
            return source.error();
        state.sourceId = source->id;
        state.headSha256 = *head;
        state.timeZone = QString::fromLatin1(m_options.logTimeZone.id());
    }
    const qint64 resumeFrom = state.importedBytes;

    logs::LogReaderOptions options;
    options.sourceTimeZone = m_options.logTimeZone;
    logs::LogReader reader(options);
    std::optional<Error> fatal;
    Batch batch(m_store, kBatchLogEvents);
    qint64 lastOffset = -1;
    auto onEvent = [&](const logs::LogEvent& e) {
        if (fatal)
            return;
        if (e.byteOffset < resumeFrom) {
            ++summary.logEventsSkipped;
            return;
        }
        // Commit only between lines, so a resumed import never splits a line's events.
        if (e.byteOffset != lastOffset && batch.due()) {
            state.importedBytes = e.byteOffset;
            if (auto ok = repo.saveState(state); !ok) {
                fatal = ok.error();
                return;
            }
            if (auto ok = batch.commit(); !ok) {
                fatal = ok.error();
                return;
            }
        }
        lastOffset = e.byteOffset;
        if (auto ok = batch.add(); !ok) {
            fatal = ok.error();
            return;
        }
        if (auto ok = repo.add(state.sourceId, e); !ok) {
            fatal = ok.error();
            return;
        }
        ++state.events;
        ++summary.logEvents;
    };
    auto read = reader.readFile(path, onEvent, progress);
    if (fatal)
        return *fatal;
    if (!read) {
        summary.errors << read.error().toString();
        return {};
    }
    ++summary.logFiles;
    ++summary.files;
    summary.logLines += read->lines;
    if (read->stopped) {
        summary.stopped = true;
    } else {
        state.importedBytes = std::max(state.importedBytes, read->bytes);
    }
    state.importedLines = std::max(state.importedLines, read->lines);
    state.format = logs::logFormatName(read->format);
    if (auto ok = batch.add(); !ok)
        return ok;
    if (auto ok = repo.saveState(state); !ok)
        return ok;
    for (const Diagnostic& d : read->diagnostics) {
        if (auto ok = m_store.addSourceDiagnostic(state.sourceId, d); !ok)
            return ok;
    }
    return batch.commit();
}

Result<ImportSummary> ImportJob::run(const QStringList& paths, ProgressSink* progress)
{
    ImportSummary summary;
    const SourceWalker::Walk walk = SourceWalker::walk(paths);
    summary.errors = walk.errors;
    summary.skipped = walk.skipped;
    for (const ImportItem& item : walk.items) {
        auto done = item.kind == ImportItem::Kind::Mail ? importMail(item.path, summary, progress)
                                                        : importLog(item.path, summary, progress);
        if (!done)
            return done.error();
        if (summary.stopped || (progress && progress->stopRequested())) {
            summary.stopped = true;
            break;
        }
    }
    if (m_options.correlate && !summary.stopped && (summary.added > 0 || summary.logEvents > 0)) {
        auto correlated = fate::FateCorrelator::run(m_store, progress);
        if (!correlated)
            return correlated.error();
        summary.fates = correlated->fates;
    }
    return summary;
}

} // namespace bi::core::import
