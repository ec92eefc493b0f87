// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

#include "core/common/result.h"

namespace bi::core::store {

class ProjectStore;

/// Fills a project with `rows` made-up fates (a fixed mix of fates, reasons, domains and times)
/// and one bounce message with a verdict (when the schema has verdicts) for every tenth row, all
/// in SQL: for benchmarks and tests of the recipient list at a million rows, not for real data.
/// Thread: the store's thread. Errors: SQLite refusal; the store is left unchanged then.
[[nodiscard]] Result<void> addSyntheticFates(ProjectStore& store, qint64 rows);

} // namespace bi::core::store
