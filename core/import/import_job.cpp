// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/import/import_job.h"

#include <atomic>
#include <future>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <thread>
#include <utility>

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
#include "core/store/fate_repository.h"
#include "core/store/log_repository.h"
#include "core/store/message_digest.h"
#include "core/store/project_store.h"

using namespace Qt::StringLiterals;

namespace bi::core::import {

namespace {

constexpr int kBatchMessages = 1000;
constexpr qint64 kBatchMillis = 250;
// Log events are stored per message, and every commit writes the messages still open as
// extra chunks: commit every second or so rather than four times a second. A reader's view
// still moves on every second; a crash loses at most that much.
constexpr qint64 kCommitLogEvents = 1000000;
constexpr qint64 kCommitLogMillis = 1000;
// What the reading thread's LogChunkBuilder produced, handed to the storing thread when this
// many chunks are ready (or a raw block, or a commit is due); writes in flight at most. The
// storing thread waits on the disk at checkpoints: 64 (some 50 MB at most, usually far less)
// keep the reader going meanwhile, where 16 left it waiting a fifth of the time.
constexpr qsizetype kWritesChunks = 256;
constexpr qsizetype kWritesInFlight = 64;
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

// A log's identity: the hash of its first 64 KiB, decompressed, or of all it had when it was
// shorter. maillog and the maillog.1.gz it is rotated into later have the same head, and a
// short maillog that grew starts with all it was, so the second import resumes instead of
// adding every line again.
Result<QByteArray> readHead(const QString& path)
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
    return head;
}

Result<QByteArray> headHash(const QByteArray& head, const QString& path)
{
    QByteArray sha = bytesSha256(head);
    if (sha.isEmpty())
        return makeError(ErrorCode::Unsupported, u"OpenSSL could not compute a SHA-256"_s, path);
    return sha;
}

// The log source this file continues: the one with the same 64 KiB head (headSha256 is its
// hash), else a short one whose whole imported content the file starts with.
Result<std::optional<store::LogSourceState>> knownLog(const store::LogRepository& repo, const QByteArray& head,
                                                      const QByteArray& headSha256, const QString& path)
{
    auto known = repo.findByHead(headSha256);
    if (!known || known->has_value())
        return known;
    auto candidates = repo.shortSources(kHeadBytes);
    if (!candidates)
        return candidates.error();
    for (const store::LogSourceState& s : std::as_const(*candidates)) {
        if (s.importedBytes > head.size())
            continue;
        auto prefix = headHash(head.left(s.importedBytes), path);
        if (!prefix)
            return prefix.error();
        if (*prefix == s.headSha256)
            return std::optional<store::LogSourceState>(s);
    }
    return std::optional<store::LogSourceState>();
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

// A LogChunkBuilder's output on its way from the reading thread to the storing thread;
// commitAt (>= 0) asks for a commit after it, with the log imported up to that byte.
struct LogWritesBatch {
    store::LogWrites writes;
    qint64 commitAt = -1;
};

// A reading thread's progress sink: passes reports on (ProgressSink is thread-safe by
// contract) and also stops the reader when the storing side gave up on its queue.
template <typename T>
class StopRelay final : public ProgressSink {
public:
    StopRelay(ProgressSink* outer, const BoundedQueue<T>& queue) : m_outer(outer), m_queue(queue) {}
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
    const BoundedQueue<T>& m_queue;
};

// Starts a reading thread that hands its work to the importing thread through queue: body
// returns what the read gave, which lands in read; what body throws lands there as a one-line
// error ("what reading failed: ..."). The queue is closed however the thread ends.
template <typename T, typename R, typename Body>
std::thread startReader(BoundedQueue<T>& queue, std::optional<Result<R>>& read, const QString& what,
                        const QString& path, Body body)
{
    return std::thread([&queue, &read, what, path, body = std::move(body)]() mutable {
        try {
            read = body();
        } catch (const std::exception& e) {
            read = makeError(ErrorCode::Io, u"%1 reading failed: %2"_s.arg(what, QString::fromLocal8Bit(e.what())), path);
        } catch (...) {
            read = makeError(ErrorCode::Io, u"%1 reading failed"_s.arg(what), path);
        }
        queue.close();
    });
}

// A message on its way from the reading thread, which split and decoded it, to the storing one.
struct ParsedMessage {
    mail::RawMessage raw;
    QByteArray sha256;
    bounce::BounceReport report;
    store::EncodedRaw encoded; ///< raw.bytes as the project stores them
};
// Messages in flight at most: some 2 MB for a mailbox of ordinary mail, and a few times the
// largest message at worst.
constexpr std::size_t kParsedMessagesInFlight = 64;

} // namespace

QString ImportJob::fatesPendingKey()
{
    return u"import.fates_pending"_s;
}

ImportJob::ImportJob(store::ProjectStore& store, ImportOptions options) : m_store(store), m_options(std::move(options)) {}

Result<void> ImportJob::importMail(const QString& path, ImportSummary& summary, ProgressSink* progress)
{
    const QString sourceKind = mailKindName(mail::MailReader::sniff(path));
    // Two threads: the reader splits the mailbox and decodes each message (its SHA-256, its
    // bounce report, its compressed raw bytes) while this one, which owns the connection
    // (STYLE §8), stores them: the decoding was a third of a mailbox import's time.
    BoundedQueue<ParsedMessage> queue(kParsedMessagesInFlight);
    StopRelay<ParsedMessage> relay(progress, queue);
    std::optional<Result<mail::ReadStats>> read;
    std::thread reader = startReader(queue, read, u"mailbox"_s, path, [&] {
        return mail::MailReader::read(
            path,
            [&queue](mail::RawMessage&& raw) {
                ParsedMessage m;
                m.sha256 = store::messageSha256(raw.bytes);
                m.report = bounce::BounceParser::parse(raw.bytes);
                m.encoded = store::RawMessageCodec::encode(raw.bytes);
                m.raw = std::move(raw);
                return queue.push(std::move(m));
            },
            &relay);
    });
    auto joinReader = qScopeGuard([&] {
        queue.abort(); // a no-op when the reader has finished
        reader.join();
    });

    // Every message the reader handed over is stored, also after a stop: it stops between
    // messages, and a later import resumes after the last one stored.
    std::optional<Error> fatal;
    QHash<QString, qint64> sourceIds;
    Batch batch(m_store, kBatchMessages);
    auto storeMessage = [&](const ParsedMessage& m) -> Result<void> {
        const mail::RawMessage& raw = m.raw;
        ++summary.messages;
        summary.bytes += raw.length;
        qint64 sourceId = sourceIds.value(raw.sourcePath, 0);
        if (sourceId == 0) {
            auto source = m_store.addSource(raw.sourcePath, sourceKind, QFileInfo(raw.sourcePath).size());
            if (!source)
                return source.error();
            sourceId = source->id;
            sourceIds.insert(raw.sourcePath, sourceId);
            ++summary.files;
        }
        if (auto ok = batch.add(); !ok)
            return ok;
        auto added = m_store.addMessage(sourceId, raw, m.sha256, m.report, &m.encoded);
        if (!added)
            return added.error();
        if (added->has_value()) {
            ++summary.added;
            if (m.report.kind == bounce::MessageKind::Bounce)
                ++summary.bounces;
            summary.recipients += m.report.recipients.size();
            summary.diagnostics += m.report.diagnostics.size() + raw.diagnostics.size();
        } else {
            ++summary.duplicates;
        }
        if (batch.due())
            return batch.commit();
        return {};
    };
    ParsedMessage message;
    while (queue.pop(message)) {
        if (auto ok = storeMessage(message); !ok) {
            fatal = ok.error();
            break;
        }
    }
    queue.abort();
    reader.join();
    joinReader.dismiss();
    if (fatal)
        return *fatal;
    if (auto ok = batch.commit(); !ok)
        return ok;
    if (!read || !*read)
        summary.errors << (read ? read->error().toString() : u"%1: mailbox reading failed"_s.arg(path));
    else if ((*read)->stopped)
        summary.stopped = true;
    const bool whole = read && *read && !(*read)->stopped;
    // A damaged or cut gzip stream, an unreadable tail: the messages before it are kept, the
    // user is told, and the source is partial (the diagnostic stays with it).
    QStringList cut;
    if (read && *read) {
        cut = (*read)->cutFiles;
        for (const QString& file : std::as_const(cut)) {
            summary.warnings << u"%1: reading stopped early (damaged or incomplete file?); the messages before "
                                u"were imported"_s.arg(file);
        }
        for (const Diagnostic& d : (*read)->diagnostics) {
            if (const qint64 sourceId = sourceIds.value(d.where, 0); sourceId > 0) {
                if (auto ok = m_store.addSourceDiagnostic(sourceId, d); !ok)
                    return ok;
            }
        }
    }
    for (auto it = sourceIds.cbegin(); it != sourceIds.cend(); ++it) {
        const bool complete = whole && !cut.contains(it.key());
        if (auto ok = finishSource(it.value(), it.key(),
                                   complete ? store::SourceStatus::Complete : store::SourceStatus::Partial);
            !ok)
            return ok;
    }
    return {};
}

Result<void> ImportJob::finishSource(qint64 sourceId, const QString& path, store::SourceStatus status,
                                     std::optional<Result<QByteArray>> sha)
{
    const QFileInfo info(path);
    // A file read in part (stopped, or cut short) gets no digest: it would not be the digest
    // of what was imported, and reading a multi-GB file to the end would hold up the stop.
    if (!sha && status == store::SourceStatus::Complete)
        sha = fileSha256(path);
    if (!sha || (!*sha && sha->error().code == ErrorCode::Cancelled))
        return m_store.finishSource(sourceId, QByteArray(), status, info.size(), info.lastModified().toUTC());
    if (!*sha) // removed or unreadable since: what was read stays, marked as partial
        return m_store.finishSource(sourceId, QByteArray(), store::SourceStatus::Partial, 0, QDateTime());
    return m_store.finishSource(sourceId, **sha, status, info.size(), info.lastModified().toUTC());
}

Result<void> ImportJob::importLog(const QString& path, logs::LogReader& logReader, ImportSummary& summary,
                                  ProgressSink* progress)
{
    auto head = readHead(path);
    if (!head) {
        summary.errors << head.error().toString();
        return {};
    }
    auto headSha = headHash(*head, path);
    if (!headSha)
        return headSha.error();
    store::LogRepository repo(m_store);
    auto known = knownLog(repo, *head, *headSha, path);
    if (!known)
        return known.error();
    store::LogSourceState state;
    if (known->has_value()) {
        state = **known;
        // Its stamps were dated when it was first read; the lines read now follow them.
        if (m_options.logsUntil.isValid() && state.importedLines > 0) {
            summary.warnings << u"%1: imported before, so --logs-until does not date its %2 lines again (import it "
                                u"into a new project for that)"_s.arg(path).arg(state.importedLines);
        }
        const QString zone = QString::fromLatin1(m_options.logTimeZone.id());
        if (state.importedLines > 0 && !state.timeZone.isEmpty() && state.timeZone != zone) {
            summary.warnings << u"%1: imported before with time zone %2, so its %3 lines stay read in it, not in %4 "
                                u"(import it into a new project for that)"_s.arg(path, state.timeZone)
                                    .arg(state.importedLines).arg(zone);
        }
    } else {
        auto source = m_store.addSource(path, u"log"_s, QFileInfo(path).size());
        if (!source)
            return source.error();
        state.sourceId = source->id;
        state.headSha256 = *headSha; // until the import ends and says how much of it was read
        state.timeZone = QString::fromLatin1(m_options.logTimeZone.id());
    }
    const qint64 resumeFrom = state.importedBytes;
    // The file's SHA-256 is one more whole read of it: done beside the parse, on the core the
    // reading thread leaves partly idle, rather than after it (0.4 s per 300 MB).
    std::atomic<bool> dropDigest = false;
    std::future<Result<QByteArray>> digest =
        std::async(std::launch::async | std::launch::deferred, fileSha256, path, &dropDigest);
    // Every way out but a complete read drops the digest (the future's destructor then waits
    // a block at most); a complete one takes it first.
    auto stopDigest = qScopeGuard([&dropDigest] { dropDigest = true; });
    auto firstRawSeq = repo.nextRawSeq(state.sourceId);
    if (!firstRawSeq)
        return firstRawSeq.error();

    // Two threads: the reader parses the log and encodes its events into chunks and raw line
    // blocks (LogChunkBuilder) while they are in its cache; this one owns the connection
    // (STYLE §8) and writes them. The reader also decides the commits, between lines, so a
    // resumed import never splits a line's events.
    BoundedQueue<LogWritesBatch> queue(kWritesInFlight);
    StopRelay<LogWritesBatch> relay(progress, queue);
    std::atomic<qint64> skipped = 0;
    std::optional<Result<logs::LogReadSummary>> read;
    const qint64 sourceId = state.sourceId;
    std::thread reader = startReader(queue, read, u"log"_s, path, [&, firstSeq = *firstRawSeq] {
        store::LogChunkBuilder builder(sourceId, firstSeq);
        LogWritesBatch batch;
        QElapsedTimer sinceCommit;
        sinceCommit.start();
        qint64 eventsSinceCommit = 0;
        qint64 lastOffset = -1;
        auto onEvent = [&](logs::LogEvent& e) {
            if (e.byteOffset < resumeFrom) {
                skipped.fetch_add(1, std::memory_order_relaxed);
                return;
            }
            if (e.byteOffset != lastOffset
                && (eventsSinceCommit >= kCommitLogEvents || sinceCommit.elapsed() >= kCommitLogMillis)) {
                builder.flush(batch.writes);
                batch.commitAt = e.byteOffset;
                queue.push(std::exchange(batch, {}));
                sinceCommit.restart();
                eventsSinceCommit = 0;
            }
            lastOffset = e.byteOffset;
            builder.add(e, batch.writes);
            ++eventsSinceCommit;
            if (batch.writes.chunks.size() >= kWritesChunks || !batch.writes.rawBlocks.isEmpty())
                queue.push(std::exchange(batch, {}));
        };
        auto result = logReader.readFile(path, onEvent, &relay);
        builder.flush(batch.writes);
        queue.push(std::move(batch));
        return result;
    });
    auto joinReader = qScopeGuard([&] {
        queue.abort(); // a no-op when the reader has finished
        reader.join();
    });

    // One transaction from one commit point of the reader's to the next (it decides when).
    Batch transaction(m_store, std::numeric_limits<int>::max(), std::numeric_limits<qint64>::max());
    LogWritesBatch writes;
    while (queue.pop(writes)) {
        const qint64 events = writes.writes.events;
        Result<void> ok = transaction.add();
        if (ok)
            ok = repo.write(writes.writes);
        state.events += events;
        summary.logEvents += events;
        if (ok && writes.commitAt >= 0) {
            state.importedBytes = writes.commitAt;
            ok = repo.flush();
            if (ok)
                ok = repo.saveState(state);
            if (ok)
                ok = transaction.commit();
        }
        if (!ok) {
            repo.discard();
            return ok.error();
        }
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
    // A damaged or cut gzip stream, an unreadable tail: what was read before it is kept, and
    // the user is told (the diagnostic stays with the source).
    if (done.inputError) {
        summary.warnings << u"%1: reading stopped early after %2 lines (damaged or incomplete file?); the lines "
                            u"before were imported"_s.arg(path).arg(done.lines);
    }
    ++summary.logFiles;
    ++summary.files;
    summary.logLines += done.lines;
    // Also when stopped: the reader stops between lines and every event of the lines it
    // read was stored, so a later import resumes right after them without repeating any.
    if (done.stopped)
        summary.stopped = true;
    state.importedBytes = std::max(state.importedBytes, done.bytes);
    state.importedLines = std::max(state.importedLines, done.lines);
    // The head of what is imported now: the file may have grown since it was first read.
    auto importedHead = readHead(path);
    if (!importedHead)
        return importedHead.error();
    auto importedSha = headHash(importedHead->left(std::min<qint64>(kHeadBytes, state.importedBytes)), path);
    if (!importedSha)
        return importedSha.error();
    state.headSha256 = *importedSha;
    state.format = logs::logFormatName(done.format);
    if (auto ok = transaction.add(); !ok)
        return ok;
    if (auto ok = repo.flush(); !ok)
        return ok;
    if (auto ok = repo.saveState(state); !ok)
        return ok;
    Diagnostics kept = done.diagnostics;
    if (const qint64 more = done.diagnosticCount - done.diagnostics.size(); more > 0) {
        Diagnostic d;
        d.severity = Diagnostic::Severity::Warning;
        d.where = u"log@"_s + QFileInfo(path).fileName();
        d.what = u"%1 more problems like these not kept (the first %2 are)"_s.arg(more).arg(done.diagnostics.size());
        kept << d;
    }
    summary.logDiagnostics += done.diagnosticCount;
    for (const Diagnostic& d : std::as_const(kept)) {
        if (auto ok = m_store.addSourceDiagnostic(state.sourceId, d); !ok)
            return ok;
    }
    if (auto ok = transaction.commit(); !ok)
        return ok;
    if (done.stopped || done.inputError)
        return finishSource(state.sourceId, path, store::SourceStatus::Partial); // stopDigest drops it
    stopDigest.dismiss();
    return finishSource(state.sourceId, path, store::SourceStatus::Complete, digest.get());
}

Result<void> ImportJob::correlate(ImportSummary& summary, ProgressSink* progress)
{
    // Bounce verdicts and outbound backscatter need the whole project, like the fates, and
    // learn from the same logged messages: they see the correlator's pass over the logs and
    // write in its transaction, before the fates' indexes are built, so that what they hold
    // of the logged notices (about 150 MB at 13M lines) is freed before those builds.
    auto backscatter = backscatter::BackscatterAnalyzer::observer(m_store, progress);
    if (!backscatter)
        return backscatter.error();
    auto correlated = fate::FateCorrelator::run(m_store, progress, backscatter->get());
    if (!correlated)
        return correlated.error();
    summary.fates = correlated->fates;
    if (const qint64 early = correlated->bouncesBeforeTheirSend; early > 0) {
        summary.warnings << u"%1 bounce(s) name a logged message (by its Message-ID or a queue id) but are dated before it was sent, "
                            u"so they were not joined to it: the logs' times are probably off. If the server's clock was not "
                            u"in %2, import the logs again into a new project with its time zone (--tz, or Project Settings); "
                            u"if their stamps have no year and the files are copies, with the day they end (--logs-until, "
                            u"or Project Settings)"_s.arg(early).arg(QString::fromLatin1(m_options.logTimeZone.id()));
    }
    // The list's indexes are only chosen well with statistics of the rewritten tables.
    return m_store.updateStatistics();
}

Result<ImportSummary> ImportJob::run(const QStringList& paths, ProgressSink* progress)
{
    ImportSummary summary;
    // Absolute, as the desktop gives them: messages.file then names the file as sources.path
    // does, whatever folder the import was started from. A path that does not exist stays as
    // typed in the error that says so.
    QStringList absolute;
    for (const QString& path : paths)
        absolute << (QFileInfo::exists(path) ? QFileInfo(path).absoluteFilePath() : path);
    const SourceWalker::Walk walk = SourceWalker::walk(absolute);
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
    logs::LogReaderOptions logOptions;
    logOptions.sourceTimeZone = m_options.logTimeZone;
    if (m_options.logsUntil.isValid())
        logOptions.yearAnchor = QDateTime(m_options.logsUntil, QTime(23, 59, 59), m_options.logTimeZone).toUTC();
    std::map<QString, std::unique_ptr<logs::LogReader>> readers; // per rotation set
    for (const ImportItem& item : walk.items) {
        Result<void> done;
        if (item.kind == ImportItem::Kind::Mail) {
            done = importMail(item.path, summary, progress);
        } else {
            std::unique_ptr<logs::LogReader>& reader = readers[item.rotationSet];
            if (!reader)
                reader = std::make_unique<logs::LogReader>(logOptions);
            done = importLog(item.path, *reader, summary, progress);
        }
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
        summary.fatesRecomputed = true;
    } else {
        auto fates = store::FateRepository(m_store).count();
        if (!fates)
            return fates.error();
        summary.fates = *fates;
    }
    if (m_options.correlate && !summary.stopped) {
        if (auto ok = m_store.removeSetting(fatesPendingKey()); !ok)
            return ok.error();
    }
    return summary;
}

} // namespace bi::core::import
