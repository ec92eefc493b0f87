// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include "core/common/progress_sink.h"
#include "core/common/result.h"
#include "core/report/report_builder.h"

namespace bi::core::report {

/// The CSV exports (`bounce-inspector-cli export --csv DIR`, File → Export CSV): suppression.csv,
/// fates.csv and bounces.csv, RFC 4180 (comma, CRLF, double quotes doubled, fields with a comma,
/// quote or line break quoted), UTF-8 without BOM. Text from mail that starts with = + - @ gets
/// a leading apostrophe so spreadsheets show it instead of running it as a formula. Same period
/// and redaction as the report (ReportOptions; the title is unused).
/// Thread: the store's thread. Errors: SQLite, folder or file not writable (Io).
class CsvExport final {
public:
    struct Summary {
        qint64 fates = 0;
        qint64 bounces = 0;
        qint64 suppressed = 0;
    };
    CsvExport() = delete;

    [[nodiscard]] static Result<Summary> write(store::ProjectStore& store, const ReportOptions& options,
                                               const QString& directory, ProgressSink* progress = nullptr);

    /// One RFC 4180 field (quoted when needed).
    [[nodiscard]] static QByteArray field(const QString& value);
    /// A field holding text from mail: also defused against spreadsheet formulas.
    [[nodiscard]] static QString untrusted(const QString& value);
    /// One record: fields joined by commas, ended by CRLF.
    [[nodiscard]] static QByteArray record(const QStringList& fields);
};

} // namespace bi::core::report
