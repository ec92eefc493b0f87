// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include "core/bounce/bounce_report.h"

namespace bi::core::bounce {

/// The last step of every MTA decoder: turns what a decoder read into clean recipients.
/// Thread: any; pure functions, never throw.
class MtaResult final {
public:
    MtaResult() = delete;

    /// Cleans one recipient: address normalised (display names, brackets, "rfc822;" removed),
    /// diagnostic swept into one line; status normalised and, when the diagnostic names a code
    /// with a non-zero subject ("550 5.1.1"), taken from it as the sisimai reference does;
    /// sisimai's pseudo codes (X.0.9NN) dropped, as only the classifier hands them out. Without a
    /// reply code, the one in the diagnostic of the status's class is taken (RFC 5321 §4.2.3
    /// codes only, the most telling first: "450 ... 551 ..." under 5.1.6 gives 551); a reply
    /// code contradicting the status's class is dropped. Kind from the action (delayed → Delay,
    /// delivered/relayed/expanded → Delivered).
    static void finish(BounceRecipient& r);

    /// finish() for every recipient; drops the ones without a plausible address and duplicates
    /// of an earlier one with the same address and diagnostic. Returns the report, or nullopt
    /// when no recipient is left (the message is not this format after all).
    [[nodiscard]] static std::optional<BounceReport> finish(BounceReport report);
};

} // namespace bi::core::bounce
