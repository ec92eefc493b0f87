// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

#include "core/bounce/bounce_report.h"

namespace bi::core::bounce {

/// Decodes one raw message into a BounceReport: MIME tree, the first decoder of the
/// registry that recognises it, the quoted original, and a reason per recipient.
/// Every message gets a report (kind Other when it is no bounce). Never throws.
/// Thread: any; no shared mutable state.
class BounceParser final {
public:
    [[nodiscard]] static BounceReport parse(const QByteArray& raw);
};

} // namespace bi::core::bounce
