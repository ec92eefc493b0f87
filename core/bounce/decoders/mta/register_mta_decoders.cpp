// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/register_mta_decoders.h"

#include "core/bounce/decoders/mta/dragonfly_decoder.h"
#include "core/bounce/decoders/mta/exim_decoder.h"
#include "core/bounce/decoders/mta/postfix_decoder.h"
#include "core/bounce/decoders/mta/qmail_decoder.h"
#include "core/bounce/decoders/mta/sendmail_decoder.h"

namespace bi::core::bounce {

void registerMtaDecoders(std::vector<std::unique_ptr<BounceDecoder>>& decoders)
{
    decoders.push_back(std::make_unique<PostfixDecoder>());
    decoders.push_back(std::make_unique<SendmailDecoder>());
    decoders.push_back(std::make_unique<EximDecoder>());
    decoders.push_back(std::make_unique<DragonFlyDecoder>());
    decoders.push_back(std::make_unique<QmailDecoder>());
}

} // namespace bi::core::bounce
