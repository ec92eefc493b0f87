// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace bi::core::cli {

/// stdout/stderr for the command-line front. Results go to out(), progress and errors to
/// err(); an error is always one line. Thread: main thread only.
class Console final {
public:
    static void out(const QByteArray& line);      ///< writes line + '\n' to stdout
    static void outRaw(const QByteArray& bytes);  ///< writes bytes as they are to stdout
    static void outText(const QString& line);     ///< UTF-8
    static void err(const QString& line);         ///< writes line + '\n' to stderr
    static void errRaw(const QString& text);      ///< no newline (progress redraws)
    [[nodiscard]] static bool stderrIsTerminal();
    static void flush();
};

/// Exit codes of every command.
enum ExitCode : int { ExitOk = 0, ExitFailure = 1, ExitUsage = 2 };

} // namespace bi::core::cli
