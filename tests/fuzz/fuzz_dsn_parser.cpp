// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the standard-format decoders — RFC 3464 delivery status notifications,
// ARF feedback reports (RFC 5965) and RFC 3834 auto-replies — plus the RFC 3464 field-group
// parser on the raw input, which the decoders otherwise only reach through a well-formed
// MIME tree.
#include <cstddef>
#include <cstdint>

#include <QByteArray>

#include "core/bounce/bounce_decoder.h"
#include "core/bounce/decoders/arf_decoder.h"
#include "core/bounce/decoders/rfc3464_decoder.h"
#include "core/bounce/decoders/rfc3834_decoder.h"
#include "core/bounce/field_group.h"
#include "core/mail/mime_adapter.h"

using namespace bi::core;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char*>(data), qsizetype(size));
    for (const auto& group : bounce::FieldGroupParser::parse(input))
        (void)group;
    const mail::MimePart root = mail::MimeAdapter::parse(input);
    const bounce::DecodeContext context(input, root);
    const bounce::Rfc3464Decoder rfc3464;
    const bounce::ArfDecoder arf;
    const bounce::Rfc3834Decoder rfc3834;
    const bounce::BounceDecoder* decoders[] = {&rfc3464, &arf, &rfc3834};
    for (const bounce::BounceDecoder* decoder : decoders) {
        if (decoder->detect(context))
            (void)decoder->decode(context);
    }
    return 0;
}
