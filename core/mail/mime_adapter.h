// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

#include "core/mail/mime_part.h"

namespace bi::core::mail {

/// The only bridge to mimetic (STYLE §9). Parses one message into a MimePart tree.
/// Never throws and never fails: malformed input yields a best-effort tree plus
/// diagnostics on the root (each also on the part it concerns, `where` = "mime@1.2").
/// - Nesting deeper than kMaxNesting (multipart and message/rfc822 levels together) is
///   not descended into: that part stays an opaque leaf (rawBody and body set).
/// - Only the first kMaxParseBytes bytes are parsed; at most kMaxParts parts are built.
/// - message/rfc822 and message/global: one child, the embedded message (body empty);
///   text/rfc822-headers: body kept, plus one child with the headers parsed from it.
///   message/delivery-status and message/feedback-report are leaves.
/// - Time and memory are linear in the input (times the nesting depth at worst).
/// Thread: any; each call uses its own mimetic objects.
class MimeAdapter final {
public:
    static constexpr int kMaxNesting = 32;
    static constexpr qsizetype kMaxParseBytes = 64 * 1024 * 1024;
    static constexpr int kMaxParts = 10000;

    [[nodiscard]] static MimePart parse(const QByteArray& message);
};

} // namespace bi::core::mail
