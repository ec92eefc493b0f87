// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include "core/store/project_store.h"

namespace bi::core::store {

/// One line for an imported file, as the import log and `summary` show it: its path, what it
/// was read as and how far. A mailbox: "PATH — mbox, 128 messages, 112 bounces, complete". A
/// log: "PATH — Postfix log, 3,333 lines, 3,333 events, stamps without an offset read in
/// Europe/Berlin, complete": the format found by sniffing and the time zone used, the two
/// things a consultant checks first when a log's fates look wrong.
/// Thread: the store's.
[[nodiscard]] QString describeSource(const ProjectStore& store, const SourceInfo& source);

} // namespace bi::core::store
