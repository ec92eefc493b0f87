// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"

namespace bi::core::store {
class ProjectStore;
}

namespace bi::core::fate {

struct LogMessage;

/// Sees every logged message of the correlator's pass over the logs, so that another analysis
/// (the backscatter one) needs no pass of its own: decoding and assembling the stored events
/// is most of the cost of either. prepare() comes first, with the connection of the thread
/// that reads the logs; then add() for each message; all from that one thread, one at a time.
class LogObserver {
public:
    virtual ~LogObserver() = default;
    /// Reads what the observer needs before the messages (errors end the correlation).
    [[nodiscard]] virtual Result<void> prepare(const store::ProjectStore& store) = 0;
    virtual void add(const LogMessage& message) = 0;
};

} // namespace bi::core::fate
