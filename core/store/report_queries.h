// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDate>
#include <QList>
#include <QString>
#include <QStringList>

#include "core/common/result.h"

namespace bi::core::store {

class ProjectStore;

/// The figures of the client report (core/report/report_builder.h) that are not read from the
/// fates themselves: what was imported and decoded, complaints, backscatter verdicts. Times are
/// UTC epoch ms; a period is [fromMs, toMs) with 0 meaning open. The backscatter tables (schema
/// v3) may be absent in older projects: hasVerdictTables() tells. Uses the ProjectStore's
/// connection; same thread, destroy before the store. Errors: SQLite refused (Database).
class ReportQueries final {
public:
    struct Period {
        qint64 fromMs = 0; ///< inclusive; 0 open
        qint64 toMs = 0;   ///< exclusive; 0 open
    };
    struct LogSourceLines {
        qint64 sourceId = 0;
        QString format;
        qint64 lines = 0;   ///< lines read
        qint64 events = 0;  ///< lines recognised as delivery events
    };
    struct MailboxCounts {
        qint64 messages = 0;
        qint64 reports = 0;          ///< recognised as bounce, delay, feedback, auto-reply or delivery notice
        qint64 bouncesWithoutRecipients = 0; ///< recognised as bounces, no recipient result decoded
        qint64 other = 0;            ///< not a report (ordinary mail)
        qint64 complaints = 0;       ///< feedback (ARF) reports in the period
    };
    struct Verdicts {
        qint64 ours = 0;
        qint64 backscatter = 0;
        qint64 uncertain = 0;
        QStringList backscatterEvidence; ///< the first evidence sentence of each backscatter verdict
    };
    struct DayCount {
        QDate day;
        qint64 count = 0;
    };
    struct Outbound {
        qint64 notices = 0;
        QList<std::pair<QString, qint64>> byKind;    ///< largest first
        QList<std::pair<QString, qint64>> byDomain;  ///< largest first, at most 10
        QList<DayCount> perDay;
    };

    explicit ReportQueries(const ProjectStore& store);

    struct MailboxSource {
        qint64 sourceId = 0;
        qint64 messages = 0;
        qint64 reports = 0; ///< messages recognised as reports (kind other than 'other')
    };

    [[nodiscard]] Result<QList<LogSourceLines>> logSources() const;
    /// Messages and recognised reports per mailbox source, counted from the messages themselves.
    [[nodiscard]] Result<QList<MailboxSource>> mailboxSources() const;
    [[nodiscard]] Result<MailboxCounts> mailboxCounts(const Period& period) const;
    /// Whether the project has the bounce_verdicts and outbound_backscatter tables.
    [[nodiscard]] Result<bool> hasVerdictTables() const;
    /// Whether any verdict was computed (the table may exist and be empty).
    [[nodiscard]] Result<qint64> verdictCount() const;
    [[nodiscard]] Result<Verdicts> verdicts(const Period& period) const;
    /// Inbound backscatter per UTC day.
    [[nodiscard]] Result<QList<DayCount>> backscatterPerDay(const Period& period) const;
    [[nodiscard]] Result<Outbound> outbound(const Period& period) const;

private:
    QString m_connection;
};

} // namespace bi::core::store
