// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the mbox splitter. The first input byte picks the mode and a small chunk
// size, so chunk boundaries fall inside separators, CRLFs and Content-Length bodies; the
// messages must match a second split of the same input with one big chunk (the splitter's
// output may not depend on how the device delivers bytes).
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include <QBuffer>
#include <QByteArray>

#include "core/mail/mbox_reader.h"

using bi::core::mail::MboxReader;
using bi::core::mail::RawMessage;

namespace {

QList<RawMessage> split(const QByteArray& input, MboxReader::Mode mode, qint64 chunk, qint64 maxSize)
{
    QBuffer buffer;
    buffer.setData(input);
    buffer.open(QIODevice::ReadOnly);
    MboxReader reader(&buffer, QStringLiteral("fuzz.mbox"), mode);
    reader.setChunkSize(chunk);
    reader.setMaxMessageSize(maxSize);
    QList<RawMessage> out;
    RawMessage message;
    qint64 lastOffset = -1;
    while (reader.next(message)) {
        // Invariants every caller relies on: messages come in file order, inside the input.
        if (message.offset < lastOffset || message.offset < 0 || message.length < 0
            || message.offset + message.length > input.size())
            abort();
        lastOffset = message.offset;
        out.append(message);
    }
    (void)reader.takeInputDiagnostics();
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 1)
        return 0;
    const uint8_t control = data[0];
    const QByteArray input(reinterpret_cast<const char*>(data + 1), qsizetype(size - 1));
    const auto mode = (control & 1) ? MboxReader::Mode::SingleMessage : MboxReader::Mode::Mbox;
    // Smallest allowed chunk (4 KiB) and message cap (1 KiB) so short inputs reach both limits.
    const qint64 maxSize = (control & 2) ? 1024 : MboxReader::kDefaultMaxMessageSize;
    const auto small = split(input, mode, 4096, maxSize);
    const auto big = split(input, mode, MboxReader::kDefaultChunkSize, maxSize);
    if (small.size() != big.size())
        abort();
    for (qsizetype i = 0; i < small.size(); ++i) {
        if (small[i].bytes != big[i].bytes || small[i].offset != big[i].offset
            || small[i].length != big[i].length || small[i].envelopeLine != big[i].envelopeLine)
            abort();
    }
    return 0;
}
