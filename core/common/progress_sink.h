// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringView>
#include <QtGlobal>

namespace bi::core {

/// How long work reports progress and learns that it should stop (STYLE §7).
/// Implemented by the UI, the CLI or a test. Thread: called from the worker thread;
/// implementations must be thread-safe. Callers throttle to about 10 calls a second.
struct ProgressSink {
    virtual ~ProgressSink() = default;
    /// done/total in the unit named by stage ("bytes", ...); total < 0 when unknown.
    virtual void report(qint64 done, qint64 total, QStringView stage) = 0;
    /// True once the user asked to stop; the worker finishes its batch and returns.
    [[nodiscard]] virtual bool stopRequested() const = 0;
};

} // namespace bi::core
