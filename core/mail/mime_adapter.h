// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

#include "core/mail/mime_part.h"

namespace bi::core::mail {

/// The only bridge to mimetic (STYLE §9). Parses one message into a MimePart tree.
/// Never throws and never fails: malformed input yields a best-effort tree plus
/// diagnostics on the root. Nesting deeper than kMaxNesting is not descended into.
/// Thread: any; each call uses its own mimetic objects.
class MimeAdapter final {
public:
    static constexpr int kMaxNesting = 32;
    static constexpr qsizetype kMaxParseBytes = 64 * 1024 * 1024;

    [[nodiscard]] static MimePart parse(const QByteArray& message);
};

} // namespace bi::core::mail
