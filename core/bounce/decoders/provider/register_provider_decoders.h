// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>
#include <vector>

#include "core/bounce/bounce_decoder.h"

namespace bi::core::bounce {

/// Appends the decoders for bounces written by mail providers and sending services (Gmail, Yahoo, Outlook, Amazon SES, ...)
/// in the order they must be tried. Called once by DecoderRegistry.
void registerProviderDecoders(std::vector<std::unique_ptr<BounceDecoder>>& decoders);

} // namespace bi::core::bounce
