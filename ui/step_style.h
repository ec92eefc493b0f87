// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QString>

#include "core/store/fate_record.h"

namespace bi::ui {

/// How timeline steps look, shared by the timeline view and the detail table.
struct StepStyle {
    /// Title for people: "Queued", "Deferred", "Accepted", "Async bounce", ...
    [[nodiscard]] static QString title(core::store::TimelineStep::Kind kind);
    [[nodiscard]] static QColor color(core::store::TimelineStep::Kind kind);
    /// A span for people: "42 s", "17 min", "4 h 12 min", "3 d 5 h", "2 wk 1 d".
    [[nodiscard]] static QString duration(qint64 seconds);
    /// Tooltip text of a step (kind, time, reply code, status, text), HTML-escaped.
    [[nodiscard]] static QString toolTip(const core::store::TimelineStep& step);
};

} // namespace bi::ui
