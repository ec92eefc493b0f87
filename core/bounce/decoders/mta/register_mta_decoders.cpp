// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/register_mta_decoders.h"

namespace bi::core::bounce {

void registerMtaDecoders(std::vector<std::unique_ptr<BounceDecoder>>& decoders)
{
    (void)decoders;
}

} // namespace bi::core::bounce
