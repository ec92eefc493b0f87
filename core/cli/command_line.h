// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QCommandLineParser>
#include <QDate>
#include <QStringList>

#include "core/store/project_store.h"

namespace bi::core::cli {

/// QCommandLineParser set up the same way for every command: --help, usage errors as
/// one line on stderr (also arguments a command without positional arguments was given).
/// Returns false when the command should exit with `exitCode`.
[[nodiscard]] bool parseCommandLine(QCommandLineParser& parser, const QString& command,
                                    const QString& description, const QStringList& arguments, int& exitCode);

/// Opens the project named by --db for reading, as every read-only command does: a missing
/// option is a usage error, a missing or unreadable file one line on stderr. Returns
/// std::nullopt with exitCode set when the command must stop.
[[nodiscard]] std::optional<store::ProjectStore> openProjectForReading(const QCommandLineParser& parser,
                                                                       const QCommandLineOption& db,
                                                                       const QString& command, int& exitCode);

/// A day given on the command line as YYYY-MM-DD, exactly (no time after it); invalid else.
[[nodiscard]] QDate parseDay(const QString& text);

} // namespace bi::core::cli
