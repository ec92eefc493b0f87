// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace bi::core::cli {

/// The headless front: `parse`, `import`, `bounces` (and later commands). Writes results
/// to stdout, progress and errors to stderr. Returns the process exit code.
class CliApp final {
public:
    [[nodiscard]] static int run(const QStringList& arguments);
};

} // namespace bi::core::cli
