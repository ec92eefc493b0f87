// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include "core/common/progress_sink.h"
#include "core/common/result.h"
#include "core/report/report_builder.h"

namespace bi::core::report {

/// The one way to make a client report, used by `bounce-inspector-cli report` and by the
/// desktop app's File → Export report: opens nothing itself, computes ReportData, composes
/// the document, lays it out as PDF and writes the file (atomically: a failed write leaves
/// no half file). Thread: the store's thread. Errors: SQLite, fonts missing, write failed.
struct ReportExport {
    struct Summary {
        int pages = 0;
        qint64 bytes = 0;
        qint64 recipients = 0;
    };
    [[nodiscard]] static Result<Summary> writePdf(store::ProjectStore& store, const ReportOptions& options,
                                                  const QString& pdfPath, ProgressSink* progress = nullptr);
};

} // namespace bi::core::report
