// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QStringList>
#include <QTimeZone>

#include "core/common/progress_sink.h"
#include "core/common/result.h"
#include "core/logs/log_reader.h"

namespace bi::core::store {
class ProjectStore;
enum class SourceStatus;
}

namespace bi::core::import {

/// How to import.
struct ImportOptions {
    /// Zone of the smarthosts' clocks for log stamps without an offset (default: this machine's).
    QTimeZone logTimeZone = QTimeZone::systemTimeZone();
    /// The day the logs end (in logTimeZone): syslog stamps without a year are dated up to the
    /// end of it. Invalid: from each file's modification time, which a copy that did not keep
    /// it (a download, an e-mail attachment) sets to the day of the copy.
    QDate logsUntil;
    /// Recompute every fate after the import (logs and mailboxes joined).
    bool correlate = true;
};

/// Outcome of one import run.
struct ImportSummary {
    qint64 files = 0;        ///< files that yielded messages or log events
    qint64 messages = 0;     ///< messages read
    qint64 added = 0;        ///< messages newly stored
    qint64 duplicates = 0;   ///< messages already in the project (same source, offset, SHA-256)
    qint64 bounces = 0;      ///< new messages of kind bounce
    qint64 recipients = 0;   ///< recipient results of the new messages
    qint64 diagnostics = 0;  ///< diagnostics stored with the new messages
    qint64 bytes = 0;
    qint64 logFiles = 0;     ///< log files read
    qint64 logLines = 0;
    qint64 logEvents = 0;    ///< new log events stored
    qint64 logEventsSkipped = 0; ///< events already in the project (the log was imported before)
    qint64 logDiagnostics = 0;   ///< problems the logs' lines had (all, also those not kept)
    qint64 fates = 0;        ///< fates after correlation, or the project's when nothing new came
    bool fatesRecomputed = false; ///< the import joined logs and mailboxes anew
    QStringList errors;      ///< one line per path that could not be imported
    QStringList skipped;     ///< files inside folders that are neither mail nor log ("path: reason")
    QStringList warnings;    ///< what the import did but the user should check (one line each)
    bool stopped = false;    ///< stopped on request; what was committed stays
};

/// Reads mailboxes and logs, decodes every message and log line, stores them, then joins
/// them into fates: the pipeline that connects readers, parsers, store and correlator
/// (which know nothing of each other). Writes in transactions of ~1,000 messages or 250 ms,
/// and of log events every second or so. Thread: runs in the caller's thread, which must be
/// the one that opened the store; a log is read and parsed in a second thread meanwhile
/// (ProgressSink is then called from that thread).
class ImportJob final {
public:
    explicit ImportJob(store::ProjectStore& store, ImportOptions options = {});

    /// Import every path (files and folders; mailboxes and logs mixed, any order). A path that
    /// fails is listed in errors and the others go on; the Result fails only when the project
    /// itself cannot be written.
    [[nodiscard]] Result<ImportSummary> run(const QStringList& paths, ProgressSink* progress = nullptr);

    /// The project setting present while the fates do not reflect the imported data (an
    /// import stopped before it recomputed them); the next import recomputes them.
    [[nodiscard]] static QString fatesPendingKey();

private:
    [[nodiscard]] Result<void> importMail(const QString& path, ImportSummary& summary, ProgressSink* progress);
    /// reader: the one of the file's rotation set in this run (SourceWalker gives the set's
    /// files oldest first), so that its parsers carry a message cut by a rotation across.
    [[nodiscard]] Result<void> importLog(const QString& path, logs::LogReader& reader, ImportSummary& summary,
                                         ProgressSink* progress);
    /// Fates, then bounce verdicts and outbound backscatter, then statistics, after the data.
    [[nodiscard]] Result<void> correlate(ImportSummary& summary, ProgressSink* progress);
    /// Records a source's SHA-256, size, status and message counts once it has been read;
    /// sha is the file's digest when already computed (fileSha256()), else it is computed here
    /// for a complete read. A partial one (stopped, cut short) or a cancelled digest leaves the
    /// SHA-256 empty.
    [[nodiscard]] Result<void> finishSource(qint64 sourceId, const QString& path, store::SourceStatus status,
                                            std::optional<Result<QByteArray>> sha = std::nullopt);

    store::ProjectStore& m_store;
    ImportOptions m_options;
};

} // namespace bi::core::import
