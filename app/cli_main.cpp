// SPDX-License-Identifier: GPL-3.0-or-later
#include <QCoreApplication>

#include "core/cli/cli_app.h"
#include "core/store/sql_helpers.h"

int main(int argc, char* argv[])
{
    bi::core::store::configureSqliteLibrary();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("bounce-inspector-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(BI_VERSION));
    return bi::core::cli::CliApp::run(QCoreApplication::arguments());
}
