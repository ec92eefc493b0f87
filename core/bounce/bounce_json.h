// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include "core/bounce/bounce_report.h"

namespace bi::core::bounce {

/// The `parse --jsonl` / `bounces --jsonl` record: one JSON object per recipient result.
/// The field names are a stable contract (see README "Command line").
class BounceJson final {
public:
    /// One line (no trailing newline) for recipient `index` of report. `ordinal` is the
    /// 1-based number printed as "index" (default: index + 1), for reports that hold a
    /// single recipient taken from a longer list.
    [[nodiscard]] static QByteArray record(const QString& file, int message, const BounceReport& report,
                                           qsizetype index, int ordinal = -1);
    /// ISO 8601 with an explicit ±hh:mm offset; empty for an invalid date.
    [[nodiscard]] static QString isoDate(const QDateTime& date);
};

} // namespace bi::core::bounce
