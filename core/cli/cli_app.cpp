// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/cli/cli_app.h"

namespace bi::core::cli {

int CliApp::run(const QStringList&)
{
    return 0;
}

} // namespace bi::core::cli
