// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoder_registry.h"

#include "core/bounce/decoders/arf_decoder.h"
#include "core/bounce/decoders/mta/register_mta_decoders.h"
#include "core/bounce/decoders/provider/register_provider_decoders.h"
#include "core/bounce/decoders/rfc3464_decoder.h"
#include "core/bounce/decoders/rfc3834_decoder.h"
#include "core/bounce/decoders/text_fallback_decoder.h"

namespace bi::core::bounce {

const DecoderRegistry& DecoderRegistry::instance()
{
    static const DecoderRegistry registry;
    return registry;
}

DecoderRegistry::DecoderRegistry()
{
    // ARF reports are explicit (a message/feedback-report part): first. Then the vendor
    // formats, whose non-standard layouts the generic RFC 3464 decoder would misread, and
    // auto-replies last because many bounces also carry Auto-Submitted.
    m_decoders.push_back(std::make_unique<ArfDecoder>());
    registerProviderDecoders(m_decoders);
    registerMtaDecoders(m_decoders);
    m_decoders.push_back(std::make_unique<Rfc3464Decoder>());
    m_decoders.push_back(std::make_unique<Rfc3834Decoder>());
    m_decoders.push_back(std::make_unique<TextFallbackDecoder>());
}

std::optional<BounceReport> DecoderRegistry::decode(const DecodeContext& ctx) const
{
    for (const auto& decoder : m_decoders) {
        if (!decoder->detect(ctx))
            continue;
        if (auto report = decoder->decode(ctx)) {
            if (report->family.isEmpty())
                report->family = decoder->family();
            return report;
        }
    }
    return std::nullopt;
}

QStringList DecoderRegistry::families() const
{
    QStringList out;
    for (const auto& decoder : m_decoders)
        out << decoder->family();
    return out;
}

} // namespace bi::core::bounce
