// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/report/report_data.h"
#include "core/report/report_document.h"

namespace bi::core::report {

/// Turns ReportData into the client report's document: title page with the scope, executive
/// summary, the three ways delivery failed with example timelines, providers and domains,
/// reasons by cause, charts, backscatter, recommendations and the suppression list. All text
/// from mail goes in as plain text. Thread: any (pure).
class ReportComposer final {
public:
    ReportComposer() = delete;
    [[nodiscard]] static ReportDocument compose(const ReportData& data);

    /// Section headings, in order (tests look for them in the PDF's text).
    [[nodiscard]] static QStringList sectionTitles();
    /// "12.3 %" (one decimal), or "–" when total is 0. The test formats the CLI's figures alike.
    [[nodiscard]] static QString share(qint64 part, qint64 total);
};

} // namespace bi::core::report
