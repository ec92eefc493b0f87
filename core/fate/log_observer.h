// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"
#include "core/fate/log_message.h"

namespace bi::core::store {
class ProjectStore;
}

namespace bi::core::fate {

/// Learns from the logged messages the fate correlator assembles, so that an analysis of the
/// logs needs no pass of its own over them, and writes what it learned in the correlator's
/// transaction before the fates' indexes are built: what it holds is freed before them.
class LogObserver {
public:
    virtual ~LogObserver() = default;
    /// Each logged message, as assembled, in the order of the stored queue groups. Called in
    /// the correlator's deciding thread.
    virtual void add(const LogMessage& message) = 0;
    /// After the last message (also when the project has no logs), in the store's thread,
    /// inside the correlator's write transaction. Errors: the observer's; the correlation
    /// fails with them and nothing is written.
    [[nodiscard]] virtual Result<void> finish(store::ProjectStore& store) = 0;
};

} // namespace bi::core::fate
