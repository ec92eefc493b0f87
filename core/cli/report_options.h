// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCommandLineParser>

#include "core/report/report_builder.h"

namespace bi::core::cli {

/// The options `report` and `export` share: --from, --to, --redact.
struct ReportCommandOptions {
    ReportCommandOptions();
    QCommandLineOption from;
    QCommandLineOption to;
    QCommandLineOption redact;

    void addTo(QCommandLineParser& parser) const { parser.addOptions({from, to, redact}); }
    /// Reads the options; false (with the error printed, exitCode set) when a date is malformed.
    [[nodiscard]] bool read(const QCommandLineParser& parser, const QString& command, report::ReportOptions& out,
                            int& exitCode) const;
};

} // namespace bi::core::cli
