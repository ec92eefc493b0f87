// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include <QByteArray>
#include <QString>

#include "core/common/result.h"
#include "core/logs/log_event.h"

namespace bi::core::store {

class ProjectStore;

/// How far a log source has been imported. A log is identified by the SHA-256 of its
/// first 64 KiB (decompressed), so a rotated copy (maillog → maillog.1.gz) is the same
/// log and re-reading it resumes where the last import stopped: nothing is added twice.
struct LogSourceState {
    qint64 sourceId = 0;
    QByteArray headSha256;     ///< hex
    qint64 importedBytes = 0;  ///< decompressed bytes whose events are committed
    qint64 importedLines = 0;
    qint64 events = 0;
    QString format;            ///< "postfix", "exim", ...
    QString timeZone;          ///< IANA id or "UTC+01:00" used for stamps without offset
};

/// A stored log event with its row id.
struct StoredLogEvent {
    qint64 row = 0;
    qint64 sourceId = 0;
    logs::LogEvent event;
};

/// Log events in the project (table log_events, schema v2). Uses the connection of the
/// ProjectStore it was made from; same thread, and destroy it before the store.
class LogRepository final {
public:
    explicit LogRepository(const ProjectStore& store);
    ~LogRepository();
    LogRepository(const LogRepository&) = delete;
    LogRepository& operator=(const LogRepository&) = delete;

    /// The log source whose first 64 KiB hash to headSha256, if any.
    [[nodiscard]] Result<std::optional<LogSourceState>> findByHead(const QByteArray& headSha256) const;
    [[nodiscard]] Result<std::optional<LogSourceState>> state(qint64 sourceId) const;
    [[nodiscard]] Result<void> saveState(const LogSourceState& state);

    /// Appends one event. Call inside a transaction (ProjectStore::begin/commit).
    [[nodiscard]] Result<qint64> add(qint64 sourceId, const logs::LogEvent& event);

    /// Every event, grouped for the correlator: ordered by host, queue id, time, row.
    /// Events without a queue id (SMTP-time rejects) are not part of any message and are
    /// left out. Streams (index log_events_by_queue); return false to stop.
    [[nodiscard]] Result<void> forEachByQueue(const std::function<bool(const StoredLogEvent&)>& callback) const;
    /// The events of one message on one host, in time order (raw view, timeline).
    [[nodiscard]] Result<QList<StoredLogEvent>> eventsOf(const QString& host, const QString& queueId) const;
    /// Events whose rows are given, in row order.
    [[nodiscard]] Result<QList<StoredLogEvent>> events(const QList<qint64>& rows) const;
    [[nodiscard]] Result<qint64> count() const;
    /// Distinct hosts seen in the logs, and the envelope sender domains of sent mail.
    [[nodiscard]] Result<QStringList> hosts() const;
    [[nodiscard]] Result<QStringList> senderDomains() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_d;
};

} // namespace bi::core::store
