// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/provider/register_provider_decoders.h"

namespace bi::core::bounce {

void registerProviderDecoders(std::vector<std::unique_ptr<BounceDecoder>>& decoders)
{
    (void)decoders;
}

} // namespace bi::core::bounce
