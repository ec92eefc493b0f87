// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include "core/bounce/bounce_report.h"
#include "core/common/diagnostic.h"
#include "core/common/result.h"
#include "core/mail/raw_message.h"
#include "core/store/raw_message_codec.h"

namespace bi::core::store {

/// Where a source stands in its import.
enum class SourceStatus { New, Importing, Complete, Partial, Failed };

/// A source file as recorded in the project.
struct SourceInfo {
    qint64 id = 0;
    QString path;
    QString kind;      ///< "mbox", "message", "maildir", "folder", later log formats
    qint64 size = 0;
    QByteArray sha256; ///< hex, of the whole (decompressed) content; empty until known
    qint64 messageCount = 0;
    qint64 bounceCount = 0;      ///< messages of kind bounce
    SourceStatus status = SourceStatus::New;
    QDateTime fileModified;      ///< the file's mtime when last read (UTC); invalid when unknown
    QDateTime addedAt;           ///< set by the store (UTC)
    QDateTime updatedAt;         ///< set by the store on every updateSource (UTC)
};

/// How an import run ended (imports.status).
enum class ImportStatus {
    Running,   ///< started, not finished (or its process died)
    Complete,
    Stopped,   ///< the user stopped it; committed batches were kept
    Cancelled, ///< the user cancelled it; the open batch was rolled back
    Failed,
};

/// One import run (a row of imports).
struct ImportRun {
    qint64 id = 0;
    QDateTime startedAt;  ///< set by startImport (UTC)
    QDateTime finishedAt; ///< set by finishImport (UTC); invalid while running
    ImportStatus status = ImportStatus::Running;
    qint64 sources = 0;       ///< files read
    qint64 messagesRead = 0;
    qint64 messagesAdded = 0;
    qint64 duplicates = 0;    ///< messages that were already stored
    qint64 bouncesAdded = 0;
    QString error;            ///< why it failed, for people
};

/// One stored bounce recipient, with the message fields the CLI and UI need.
/// This is the record `parse --jsonl` and `bounces --jsonl` print.
struct BounceRow {
    qint64 messageId = 0;   ///< messages.id
    qint64 sourceId = 0;
    QString file;           ///< the file the message was read from (RawMessage::sourcePath)
    int message = 0;        ///< 1-based index inside the file
    qint64 offset = 0;      ///< byte offset of the message in the (decompressed) file
    qint64 length = 0;      ///< bytes the message occupies in the file
    QByteArray sha256;      ///< lower-case hex of the raw message
    bounce::BounceReport report;      ///< message-level fields (recipients holds exactly one entry)
    int recipientIndex = 0; ///< 0-based position of report.recipients[0] in the message's report
    Diagnostics readerDiagnostics;    ///< RawMessage::diagnostics (report.diagnostics holds the decoder's)
};

/// One stored message with its whole report (all recipients, possibly none).
struct StoredMessage {
    qint64 id = 0;
    qint64 sourceId = 0;
    qint64 importId = 0;    ///< 0 when added outside an import run (or the run was deleted)
    QString file;
    int message = 0;        ///< 1-based index inside the file
    qint64 offset = 0;
    qint64 length = 0;
    QByteArray sha256;      ///< lower-case hex
    bounce::BounceReport report;
    Diagnostics readerDiagnostics;
};

/// The project file: one SQLite database (schema in schema.cpp). Owns one named
/// connection ("<purpose>-0x<thread id>-<n>"); several ProjectStores on one file are fine
/// (one writer at a time, SQLite WAL lets readers go on).
/// Thread: use only from the thread that opened it (STYLE §8); calls from another thread
/// return ErrorCode::InvalidArgument. Destroy it in that thread too. Movable; a moved-from
/// store is closed and every call returns an error.
/// Errors: every call returns Result; nothing throws. Locked files are waited for up to
/// the busy timeout (5 s by default), then reported as ErrorCode::Database.
class ProjectStore final {
public:
    ~ProjectStore();
    ProjectStore(ProjectStore&&) noexcept;
    ProjectStore& operator=(ProjectStore&&) noexcept;
    ProjectStore(const ProjectStore&) = delete;
    ProjectStore& operator=(const ProjectStore&) = delete;

    struct OpenOptions {
        bool create = true;        ///< create the file when missing
        int busyTimeoutMs = 5000;  ///< how long to wait for another writer's lock
        /// Open for reading only (implies create = false): a read-only file or folder is fine,
        /// nothing is migrated (a project of an older schema must be opened writable once) and
        /// every write fails. In a folder where SQLite cannot make its -shm file the project is
        /// opened as immutable: no other process may be writing it.
        bool readOnly = false;
    };

    /// Open (creating when missing and create is true) and migrate to the current schema.
    /// purpose names the connection ("import", "gui", "cli"). A new file is created 0600
    /// (SQLite gives its -wal/-shm files the same mode). ":memory:" opens a private
    /// in-memory project (no WAL; see openDiagnostics()).
    /// Errors: missing file with create false, a folder, a read-only file (ErrorCode::Io);
    /// not SQLite, another program's SQLite file, a newer schema (ErrorCode::Format);
    /// locked beyond the busy timeout, corrupt, SQLite refusal (ErrorCode::Database).
    [[nodiscard]] static Result<ProjectStore> open(const QString& path, const QString& purpose,
                                                   bool create = true);
    [[nodiscard]] static Result<ProjectStore> open(const QString& path, const QString& purpose,
                                                   const OpenOptions& options);
    /// Opens an existing project for a reader (a view, a read command): as open() with create
    /// false when the file and its folder can be written, else with readOnly (a read-only
    /// medium, a colleague's share).
    [[nodiscard]] static Result<ProjectStore> openForReading(const QString& path, const QString& purpose);

    [[nodiscard]] bool isOpen() const;
    [[nodiscard]] QString path() const;
    [[nodiscard]] QString connectionName() const;
    [[nodiscard]] int schemaVersion() const;
    /// Warnings found while opening, e.g. journal mode not WAL (network file system, :memory:).
    [[nodiscard]] Diagnostics openDiagnostics() const;
    /// Changes how long calls wait for another connection's lock (PRAGMA busy_timeout).
    [[nodiscard]] Result<void> setBusyTimeout(int milliseconds);

    /// Transactions: begin/commit/rollback on this connection. begin() takes the write
    /// lock at once (BEGIN IMMEDIATE), so a busy database is reported here and never
    /// half-way through a batch. Errors: already in a transaction, locked.
    [[nodiscard]] Result<void> begin();
    /// On failure the transaction has been rolled back.
    [[nodiscard]] Result<void> commit();
    /// A read snapshot: a deferred transaction (BEGIN) in which every read until rollback()
    /// sees the state committed at the first one. A long pass of many small queries then
    /// takes SQLite's read lock once instead of once per statement. Errors as begin().
    [[nodiscard]] Result<void> beginRead();
    /// Rolls back the open transaction; no-op when none.
    void rollback();
    [[nodiscard]] bool inTransaction() const;

    /// Find or add the source for path (canonical). Existing sources are returned as they are.
    [[nodiscard]] Result<SourceInfo> addSource(const QString& path, const QString& kind, qint64 size);
    /// Writes kind, size, sha256, counts, status and fileModified of source.id; sets updatedAt.
    /// Errors: no source with that id.
    [[nodiscard]] Result<void> updateSource(const SourceInfo& source);
    /// After a source was read: records its SHA-256 (hex), status, size and mtime, and counts
    /// its stored messages and bounces from the messages table. Errors: no source with that id.
    [[nodiscard]] Result<void> finishSource(qint64 sourceId, const QByteArray& sha256, SourceStatus status,
                                            qint64 size, const QDateTime& fileModified);
    [[nodiscard]] Result<QList<SourceInfo>> sources() const;
    /// One source. Errors: no source with that id.
    [[nodiscard]] Result<SourceInfo> source(qint64 sourceId) const;
    /// Removes a source and everything read from it (messages, raw, recipients, diagnostics).
    [[nodiscard]] Result<void> removeSource(qint64 sourceId);
    /// Stores a whole-file problem (origin "source").
    [[nodiscard]] Result<void> addSourceDiagnostic(qint64 sourceId, const Diagnostic& diagnostic);
    [[nodiscard]] Result<Diagnostics> sourceDiagnostics(qint64 sourceId) const;

    /// Records an import run as running and remembers it: messages added until finishImport
    /// refer to it. Call outside a batch transaction so the row survives a cancel.
    [[nodiscard]] Result<qint64> startImport();
    /// Writes the run's status, counts and error (run.id from startImport), sets finishedAt.
    [[nodiscard]] Result<void> finishImport(const ImportRun& run);
    [[nodiscard]] Result<QList<ImportRun>> imports() const;

    /// Store one message, its raw bytes, its decoded report, its recipients and diagnostics
    /// (raw.diagnostics as origin "reader", report.diagnostics as "decoder"), all or nothing.
    /// sha256 is the lower-case hex SHA-256 of raw.bytes; empty means "compute it".
    /// Returns the message id, or std::nullopt when the same message (source, offset,
    /// SHA-256) is already stored — importing twice adds nothing.
    /// The raw bytes are stored as RawMessageCodec::encode() makes them; a caller that
    /// encoded them already (off the storing thread) passes the result as encoded.
    /// Errors: unknown sourceId (foreign key), malformed sha256, SQLite refusal.
    [[nodiscard]] Result<std::optional<qint64>> addMessage(qint64 sourceId, const mail::RawMessage& raw,
                                                           const QByteArray& sha256,
                                                           const bounce::BounceReport& report,
                                                           const EncodedRaw* encoded = nullptr);

    /// Every stored recipient record, in (file, message, index) order, streamed to the
    /// callback (return false to stop). Messages without recipients give no row.
    /// A forward-only query: memory stays flat however large the project.
    [[nodiscard]] Result<void> forEachBounceRow(const std::function<bool(const BounceRow&)>& callback) const;
    /// Whether forEachBounceRow() reads each message's diagnostics (a query per message):
    /// the correlations never look at them.
    enum class RowDiagnostics { Loaded, Skipped };
    /// The same, only for messages of the given kinds (empty list: all kinds).
    [[nodiscard]] Result<void> forEachBounceRow(const QList<bounce::MessageKind>& kinds,
                                                const std::function<bool(const BounceRow&)>& callback,
                                                RowDiagnostics diagnostics = RowDiagnostics::Loaded) const;

    /// Every stored message with its whole report, in (file, message) order.
    [[nodiscard]] Result<void> forEachMessage(const std::function<bool(const StoredMessage&)>& callback) const;
    /// One stored message with its whole report. Errors: no such message.
    [[nodiscard]] Result<StoredMessage> message(qint64 messageId) const;

    /// The raw bytes of a stored message. Errors: no such message.
    [[nodiscard]] Result<QByteArray> rawMessage(qint64 messageId) const;

    /// Project settings (own domains, ...). setting() gives nullopt for a missing key.
    [[nodiscard]] Result<std::optional<QString>> setting(const QString& key) const;
    [[nodiscard]] Result<void> setSetting(const QString& key, const QString& value);
    [[nodiscard]] Result<void> removeSetting(const QString& key);

    /// Counts for summaries: messages per kind, recipients, sources.
    struct Counts {
        qint64 sources = 0;
        qint64 messages = 0;
        qint64 bounces = 0;      ///< messages of kind bounce
        qint64 recipients = 0;   ///< bounce_recipients rows
        qint64 diagnostics = 0;
    };
    [[nodiscard]] Result<Counts> counts() const;

    /// PRAGMA integrity_check and foreign_key_check: the problems found, empty when healthy.
    [[nodiscard]] Result<QStringList> checkIntegrity() const;
    /// ANALYZE of the tables the recipient list filters and sorts (fates, bounce_verdicts), so
    /// SQLite knows which index narrows a filter most; after an import rewrote them. A few
    /// seconds on a million fates.
    [[nodiscard]] Result<void> updateStatistics();

private:
    struct Impl;
    explicit ProjectStore(std::unique_ptr<Impl> impl);
    /// open() with OpenOptions::readOnly, once the file is known to be there.
    [[nodiscard]] static Result<ProjectStore> openReadOnly(std::unique_ptr<Impl> impl, const QString& filePath,
                                                           int busyMs);
    [[nodiscard]] Result<void> beginTransaction(bool write);
    std::unique_ptr<Impl> m_d;
};

/// Stable storage names ("new", "complete", ...) used in the database and for display.
[[nodiscard]] QString sourceStatusName(SourceStatus status);
[[nodiscard]] SourceStatus sourceStatusFromName(QStringView name);
[[nodiscard]] QString importStatusName(ImportStatus status);
[[nodiscard]] ImportStatus importStatusFromName(QStringView name);

} // namespace bi::core::store
