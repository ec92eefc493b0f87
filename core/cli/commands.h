// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace bi::core::cli {

/// One entry point per command; each takes its own arguments (argv[1..]), prints its
/// own --help, and returns an ExitCode.
[[nodiscard]] int runParse(const QStringList& arguments);
[[nodiscard]] int runImport(const QStringList& arguments);
[[nodiscard]] int runBounces(const QStringList& arguments);
[[nodiscard]] int runSummary(const QStringList& arguments);
[[nodiscard]] int runFates(const QStringList& arguments);
[[nodiscard]] int runTimeline(const QStringList& arguments);
[[nodiscard]] int runBackscatter(const QStringList& arguments);
[[nodiscard]] int runReport(const QStringList& arguments);
[[nodiscard]] int runExport(const QStringList& arguments);

} // namespace bi::core::cli
