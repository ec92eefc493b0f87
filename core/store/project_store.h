// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <optional>

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include "core/bounce/bounce_report.h"
#include "core/common/result.h"
#include "core/mail/raw_message.h"

namespace bi::core::store {

/// A source file as recorded in the project.
struct SourceInfo {
    qint64 id = 0;
    QString path;
    QString kind;      ///< "mbox", "message", "maildir", "folder", later log formats
    qint64 size = 0;
    QByteArray sha256; ///< hex, of the whole (decompressed) content; empty until known
    qint64 messageCount = 0;
};

/// One stored bounce recipient, with the message fields the CLI and UI need.
/// This is the record `parse --jsonl` and `bounces --jsonl` print.
struct BounceRow {
    qint64 messageId = 0;   ///< messages.id
    QString file;           ///< source file path
    int message = 0;        ///< 1-based index inside the file
    bounce::BounceReport report;      ///< message-level fields (recipients holds exactly one entry)
};

/// The project file: one SQLite database (schema in schema.cpp). Owns one named
/// connection. Thread: use only from the thread that opened it (STYLE §8).
class ProjectStore final {
public:
    ~ProjectStore();
    ProjectStore(ProjectStore&&) noexcept;
    ProjectStore& operator=(ProjectStore&&) noexcept;
    ProjectStore(const ProjectStore&) = delete;
    ProjectStore& operator=(const ProjectStore&) = delete;

    /// Open (creating when missing and create is true) and migrate to the current schema.
    /// purpose names the connection ("import", "gui", "cli"). The file is created 0600.
    [[nodiscard]] static Result<ProjectStore> open(const QString& path, const QString& purpose,
                                                   bool create = true);

    [[nodiscard]] QString path() const;
    [[nodiscard]] QString connectionName() const;
    [[nodiscard]] int schemaVersion() const;

    /// Transactions: begin/commit/rollback on this connection.
    [[nodiscard]] Result<void> begin();
    [[nodiscard]] Result<void> commit();
    void rollback();

    /// Find or add the source for path (canonical). Existing sources are returned as they are.
    [[nodiscard]] Result<SourceInfo> addSource(const QString& path, const QString& kind, qint64 size);
    [[nodiscard]] Result<void> updateSource(const SourceInfo& source);

    /// Store one message, its raw bytes, its decoded report, its recipients and diagnostics.
    /// Returns the message id, or std::nullopt when the same message (source, offset,
    /// SHA-256) is already stored — importing twice adds nothing.
    [[nodiscard]] Result<std::optional<qint64>> addMessage(qint64 sourceId, const mail::RawMessage& raw,
                                                           const QByteArray& sha256,
                                                           const bounce::BounceReport& report);

    /// Every stored recipient record of messages of the given kinds, in (file, message, index)
    /// order, streamed to the callback (return false to stop).
    [[nodiscard]] Result<void> forEachBounceRow(const std::function<bool(const BounceRow&)>& callback) const;

    /// The raw bytes of a stored message.
    [[nodiscard]] Result<QByteArray> rawMessage(qint64 messageId) const;

    /// Counts for summaries: messages per kind, recipients, sources.
    struct Counts {
        qint64 sources = 0;
        qint64 messages = 0;
        qint64 bounces = 0;      ///< messages of kind bounce
        qint64 recipients = 0;   ///< bounce_recipients rows
        qint64 diagnostics = 0;
    };
    [[nodiscard]] Result<Counts> counts() const;

private:
    ProjectStore() = default;
    QString m_path;
    QString m_connection;
    int m_schemaVersion = 0;
};

} // namespace bi::core::store
