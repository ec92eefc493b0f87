// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDate>
#include <QString>

#include "core/common/progress_sink.h"
#include "core/common/result.h"
#include "core/report/report_data.h"

namespace bi::core::store {
class ProjectStore;
}

namespace bi::core::report {

/// What to report on.
struct ReportOptions {
    QDate from;          ///< first day (UTC) of the period; invalid: open
    QDate to;            ///< last day (UTC), inclusive; invalid: open
    bool redact = false; ///< local parts of addresses hashed (Redactor), no message bodies
    QString title;       ///< client or project name; empty: the project_title setting, else the file name
};

/// Computes ReportData from a project: one streaming pass over the fates plus the aggregate
/// queries of store::ReportQueries. A fate belongs to the period by the first of its queued,
/// first-attempt, final and bounce times (fateTime()).
/// Thread: the store's thread. Writes the redaction salt to the project the first time a
/// redacted report is made. Errors: SQLite refused; stopped through progress (Cancelled).
class ReportBuilder final {
public:
    ReportBuilder() = delete;
    [[nodiscard]] static Result<ReportData> build(store::ProjectStore& store, const ReportOptions& options,
                                                  ProgressSink* progress = nullptr);
    /// The time a fate is placed at in periods and per-day charts (UTC); invalid when none.
    [[nodiscard]] static QDateTime fateTime(const store::FateRecord& fate);
    /// Whether t (UTC) lies in the options' period (open ends accept everything).
    [[nodiscard]] static bool inPeriod(const QDateTime& t, const ReportOptions& options);
};

} // namespace bi::core::report
