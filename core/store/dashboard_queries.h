// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDate>
#include <QList>
#include <QString>

#include "core/common/result.h"

namespace bi::core::store {

class ProjectStore;

/// The aggregates behind the dashboard and the report (core/report/dashboard_data.h turns
/// them into chart data). Days are UTC calendar days. Uses the ProjectStore's connection;
/// same thread, destroy before the store. Errors: SQLite refused (ErrorCode::Database).
class DashboardQueries final {
public:
    struct DayCount {
        QDate day;       ///< UTC
        qint64 count = 0;
    };
    struct DomainFateCount {
        QString domain;  ///< lower-case recipient domain ('' when the recipient had none)
        QString fate;    ///< fates.fate (fateName vocabulary)
        qint64 count = 0;
    };
    struct ReasonCount {
        QString reason;  ///< sisimai vocabulary, '' when not known
        qint64 count = 0;
    };

    explicit DashboardQueries(const ProjectStore& store);

    /// Mailbox messages of kind bounce per day of their Date (undated ones are left out).
    [[nodiscard]] Result<QList<DayCount>> bouncesPerDay() const;
    /// Fates per (recipient domain, fate).
    [[nodiscard]] Result<QList<DomainFateCount>> fatesPerDomain() const;
    /// Failed fates (rejected, expired, async_bounce) per reason.
    [[nodiscard]] Result<QList<ReasonCount>> failureReasons() const;
    /// For every asynchronous bounce with both times known: seconds from acceptance
    /// (final_at) to the bounce's arrival (bounce_at); negative spans are left out.
    [[nodiscard]] Result<QList<qint64>> secondsToBounce() const;

private:
    QString m_connection;
};

} // namespace bi::core::store
