// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>

#include <QByteArrayView>
#include <QList>

#include "core/logs/log_event.h"
#include "core/logs/log_parser.h"

namespace bi::core::logs {

/// The one list of log formats: each entry names a format, how to recognise one of its lines
/// and how to make its parser. Adding a format = one parser folder + one entry here.
/// Thread: any (immutable).
class ParserRegistry final {
public:
    struct Entry {
        LogFormat format;
        /// Score for one line: 0 not this format, 1 weak, 2 typical, 3 certain.
        int (*sniffLine)(QByteArrayView line);
        std::unique_ptr<LogParser> (*create)();
    };

    struct SniffResult {
        LogFormat format = LogFormat::Unknown;
        int score = 0;         ///< sum of the winner's line scores
        int matchedLines = 0;  ///< lines the winner scored above 0
        int lines = 0;         ///< non-empty lines looked at
    };

    [[nodiscard]] static const QList<Entry>& entries();
    [[nodiscard]] static const Entry* find(LogFormat format);
    /// A new parser for format; nullptr for Unknown.
    [[nodiscard]] static std::unique_ptr<LogParser> create(LogFormat format);
    /// Picks the format whose sniffer scores the lines highest. A winner needs at least one
    /// line scored 2 or more and a total of at least 3; otherwise Unknown.
    [[nodiscard]] static SniffResult sniff(const QList<QByteArrayView>& lines);
};

} // namespace bi::core::logs
