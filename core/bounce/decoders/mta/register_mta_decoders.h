// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>
#include <vector>

#include "core/bounce/bounce_decoder.h"

namespace bi::core::bounce {

/// Appends the decoders for bounces written by MTA software and mail appliances (Postfix, Exim, Sendmail, qmail, Domino, ...)
/// in the order they must be tried. Called once by DecoderRegistry.
void registerMtaDecoders(std::vector<std::unique_ptr<BounceDecoder>>& decoders);

} // namespace bi::core::bounce
