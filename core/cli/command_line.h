// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCommandLineParser>
#include <QStringList>

namespace bi::core::cli {

/// QCommandLineParser set up the same way for every command: --help, usage errors as
/// one line on stderr. Returns false when the command should exit with `exitCode`.
[[nodiscard]] bool parseCommandLine(QCommandLineParser& parser, const QString& command,
                                    const QString& description, const QStringList& arguments, int& exitCode);

} // namespace bi::core::cli
