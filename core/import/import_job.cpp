// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/import/import_job.h"

#include <atomic>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QScopeGuard>

#include "core/bounce/bounce_parser.h"
#include "core/common/bounded_queue.h"
#include "core/backscatter/backscatter_analyzer.h"
#include "core/fate/fate_correlator.h"
#include "core/import/source_digest.h"
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
constexpr qint64 kBatchMillis = 250;
// Log events are stored per message (LogRepository), and every commit writes the messages
// still open as extra chunks: commit every second or so rather than four times a second.
// A reader's view still moves on every second; a crash loses at most that much.
constexpr int kBatchLogEvents = 1000000;
constexpr qint64 kBatchLogMillis = 1000;
// Events handed from the reading thread to the storing thread per batch, and batches in
// flight at most (memory: a few MB whatever the log).
constexpr qsizetype kQueueBatch = 4096;
constexpr qsizetype kQueueDepth = 8;
constexpr qint64 kHeadBytes = 64 * 1024;
// Project setting present while fates may not reflect the imported data.
QString fatesPendingKey()
{
    return u"import.fates_pending"_s;
}

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
    Batch(store::ProjectStore& store, int maxItems, qint64 maxMillis = kBatchMillis)
        : m_store(store), m_max(maxItems), m_maxMillis(maxMillis)
    {
    }
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
    [[nodiscard]] bool due() const { return m_open && (m_items >= m_max || m_timer.elapsed() >= m_maxMillis); }
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
    qint64 m_maxMillis;
    int m_items = 0;
    bool m_open = false;
    QElapsedTimer m_timer;
};

// Batches of parsed events from the reading thread to the storing thread. push() blocks
// while kQueueDepth batches wait; abort() releases both sides for good (error or stop).
// Stored batches travel back (recycle/reuse) so that their events are destroyed, and their
// memory reused, in the thread that allocated them: freeing another thread's allocations
// and faulting in a fresh 2 MB list per batch cost the storing thread a third of its time.
class EventQueue {
public:
    void recycle(QList<logs::LogEvent>&& events)
    {
        std::lock_guard lock(m_mutex);
        if (m_spare.size() < 4)
            m_spare.push_back(std::move(events));
    }
    // An empty list with room for kQueueBatch events, recycled when one is there.
    QList<logs::LogEvent> reuse()
    {
        QList<logs::LogEvent> out;
        {
            std::lock_guard lock(m_mutex);
            if (!m_spare.empty()) {
                out = std::move(m_spare.front());
                m_spare.pop_front();
            }
        }
        out.clear(); // keeps the capacity
        out.reserve(kQueueBatch);
        return out;
    }
    void push(QList<logs::LogEvent>&& events) { m_batches.push(std::move(events)); }
    // False when the queue is closed and empty, or aborted.
    bool pop(QList<logs::LogEvent>& out) { return m_batches.pop(out); }
    void close() { m_batches.close(); }
    void abort() { m_batches.abort(); }
    [[nodiscard]] bool isAborted() const { return m_batches.isAborted(); }

private:
    BoundedQueue<QList<logs::LogEvent>> m_batches{kQueueDepth};
    std::mutex m_mutex;
    std::deque<QList<logs::LogEvent>> m_spare;
};

// The reader's progress sink: passes reports on (ProgressSink is thread-safe by contract) and
// also stops the reader when the storing side gave up.
class StopRelay final : public ProgressSink {
public:
    StopRelay(ProgressSink* outer, const EventQueue& queue) : m_outer(outer), m_queue(queue) {}
    void report(qint64 done, qint64 total, QStringView stage) override
    {
        if (m_outer)
            m_outer->report(done, total, stage);
    }
    [[nodiscard]] bool stopRequested() const override
    {
        return m_queue.isAborted() || (m_outer && m_outer->stopRequested());
    }

private:
    ProgressSink* m_outer;
    const EventQueue& m_queue;
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
    const auto status = !read || read->stopped ? store::SourceStatus::Partial : store::SourceStatus::Complete;
    for (auto it = sourceIds.cbegin(); it != sourceIds.cend(); ++it) {
        if (auto ok = finishSource(it.value(), it.key(), status); !ok)
            return ok;
    }
    return {};
}

Result<void> ImportJob::finishSource(qint64 sourceId, const QString& path, store::SourceStatus status)
{
    const QFileInfo info(path);
    auto sha = fileSha256(path);
    if (!sha) // removed or unreadable since: what was read stays, marked as partial
        return m_store.finishSource(sourceId, QByteArray(), store::SourceStatus::Partial, 0, QDateTime());
    return m_store.finishSource(sourceId, *sha, status, info.size(), info.lastModified().toUTC());
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

    // Two threads, since reading and storing cost about the same: this one owns the
    // connection (STYLE §8) and stores; the reader parses in its own thread, as LogReader
    // allows, and hands events over in batches through a bounded queue.
    logs::LogReaderOptions options;
    options.sourceTimeZone = m_options.logTimeZone;
    EventQueue queue;
    StopRelay relay(progress, queue);
    std::atomic<qint64> skipped = 0;
    std::optional<Result<logs::LogReadSummary>> read;
    std::thread reader([&] {
        try {
            logs::LogReader logReader(options);
            QList<logs::LogEvent> batch = queue.reuse();
            auto onEvent = [&](logs::LogEvent& e) {
                if (e.byteOffset < resumeFrom) {
                    skipped.fetch_add(1, std::memory_order_relaxed);
                    return;
                }
                batch.append(std::move(e));
                if (batch.size() >= kQueueBatch) {
                    queue.push(std::move(batch));
                    batch = queue.reuse();
                }
            };
            read = logReader.readFile(path, onEvent, &relay);
            if (!batch.isEmpty())
                queue.push(std::move(batch));
        } catch (const std::exception& e) {
            read = makeError(ErrorCode::Io, u"log reading failed: "_s + QString::fromLocal8Bit(e.what()), path);
        } catch (...) {
            read = makeError(ErrorCode::Io, u"log reading failed"_s, path);
        }
        queue.close();
    });
    auto joinReader = qScopeGuard([&] {
        queue.abort(); // a no-op when the reader has finished
        reader.join();
    });

    Batch batch(m_store, kBatchLogEvents, kBatchLogMillis);
    qint64 lastOffset = -1;
    auto store = [&](const logs::LogEvent& e) -> Result<void> {
        // Commit only between lines, so a resumed import never splits a line's events.
        if (e.byteOffset != lastOffset && batch.due()) {
            state.importedBytes = e.byteOffset;
            if (auto ok = repo.flush(); !ok)
                return ok;
            if (auto ok = repo.saveState(state); !ok)
                return ok;
            if (auto ok = batch.commit(); !ok)
                return ok;
        }
        lastOffset = e.byteOffset;
        if (auto ok = batch.add(); !ok)
            return ok;
        if (auto ok = repo.add(state.sourceId, e); !ok)
            return ok;
        ++state.events;
        ++summary.logEvents;
        return {};
    };
    QList<logs::LogEvent> events;
    while (queue.pop(events)) {
        for (const logs::LogEvent& e : std::as_const(events)) {
            if (auto ok = store(e); !ok) {
                repo.discard();
                return ok.error();
            }
        }
        queue.recycle(std::move(events));
        events = QList<logs::LogEvent>();
    }
    queue.abort();
    reader.join();
    joinReader.dismiss();
    summary.logEventsSkipped += skipped.load();

    if (!read || !*read) {
        repo.discard();
        summary.errors << (read ? read->error().toString() : u"%1: log reading failed"_s.arg(path));
        return {};
    }
    const logs::LogReadSummary& done = read->value();
    ++summary.logFiles;
    ++summary.files;
    summary.logLines += done.lines;
    // Also when stopped: the reader stops between lines and every event of the lines it
    // read was stored, so a later import resumes right after them without repeating any.
    if (done.stopped)
        summary.stopped = true;
    state.importedBytes = std::max(state.importedBytes, done.bytes);
    state.importedLines = std::max(state.importedLines, done.lines);
    state.format = logs::logFormatName(done.format);
    if (auto ok = batch.add(); !ok)
        return ok;
    if (auto ok = repo.flush(); !ok)
        return ok;
    if (auto ok = repo.saveState(state); !ok)
        return ok;
    for (const Diagnostic& d : done.diagnostics) {
        if (auto ok = m_store.addSourceDiagnostic(state.sourceId, d); !ok)
            return ok;
    }
    if (auto ok = batch.commit(); !ok)
        return ok;
    return finishSource(state.sourceId, path,
                        done.stopped ? store::SourceStatus::Partial : store::SourceStatus::Complete);
}

Result<void> ImportJob::correlate(ImportSummary& summary, ProgressSink* progress)
{
    auto correlated = fate::FateCorrelator::run(m_store, progress);
    if (!correlated)
        return correlated.error();
    summary.fates = correlated->fates;
    // Bounce verdicts and outbound backscatter need the whole project, like the fates. They
    // learn in a pass over the logs of their own after the fates are written: learning during
    // the correlator's pass saved that pass, but what the learning keeps of the logged
    // notices, held through the fates' index builds, took a 13M-line import past 300 MB.
    if (auto verdicts = backscatter::BackscatterAnalyzer::run(m_store, progress); !verdicts)
        return verdicts.error();
    // The list's indexes are only chosen well with statistics of the rewritten tables.
    return m_store.updateStatistics();
}

Result<ImportSummary> ImportJob::run(const QStringList& paths, ProgressSink* progress)
{
    ImportSummary summary;
    const SourceWalker::Walk walk = SourceWalker::walk(paths);
    summary.errors = walk.errors;
    summary.skipped = walk.skipped;
    // Fates are recomputed after data is committed, in a transaction of their own. An import
    // killed or stopped in between leaves them out of date while a second import may add
    // nothing: the mark, set before any data and cleared after the fates, says so (issue 9).
    bool fatesPending = false;
    if (m_options.correlate) {
        auto pending = m_store.setting(fatesPendingKey());
        if (!pending)
            return pending.error();
        fatesPending = pending->has_value();
        if (!fatesPending) {
            if (auto ok = m_store.setSetting(fatesPendingKey(), u"1"_s); !ok)
                return ok.error();
        }
    }
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
    if (m_options.correlate && !summary.stopped && (summary.added > 0 || summary.logEvents > 0 || fatesPending)) {
        if (auto ok = correlate(summary, progress); !ok)
            return ok.error();
    }
    if (m_options.correlate && !summary.stopped) {
        if (auto ok = m_store.removeSetting(fatesPendingKey()); !ok)
            return ok.error();
    }
    return summary;
}

} // namespace bi::core::import
