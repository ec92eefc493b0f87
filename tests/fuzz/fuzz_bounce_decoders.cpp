// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the whole bounce pipeline — MIME tree, every registered decoder (vendor,
// MTA and provider formats, RFC 3464, ARF, auto-replies, the text fallback) tried in
// registry order, reason classification, and the JSON record the CLI prints.
#include <cstddef>
#include <cstdint>

#include <QByteArray>

#include "core/bounce/bounce_json.h"
#include "core/bounce/bounce_parser.h"

using namespace bi::core::bounce;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char*>(data), qsizetype(size));
    const BounceReport report = BounceParser::parse(input);
    for (qsizetype i = 0; i < report.recipients.size(); ++i)
        (void)BounceJson::record(QStringLiteral("fuzz.eml"), 1, report, i);
    return 0;
}
