// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QElapsedTimer>

#include "core/common/progress_sink.h"

namespace bi::core::cli {

/// Progress on stderr: a redrawn line with percentage, rate and time left on a terminal,
/// a plain line every few seconds otherwise. Stops on SIGINT (Ctrl-C keeps what is
/// committed). Thread: single worker thread.
class ConsoleProgress final : public ProgressSink {
public:
    ConsoleProgress();
    ~ConsoleProgress() override;
    void report(qint64 done, qint64 total, QStringView stage) override;
    [[nodiscard]] bool stopRequested() const override;
    void finish();

private:
    QElapsedTimer m_clock;
    qint64 m_lastPrint = -1;
    bool m_terminal = false;
    bool m_drewLine = false;
};

} // namespace bi::core::cli
