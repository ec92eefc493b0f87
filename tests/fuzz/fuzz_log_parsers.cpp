// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: LogReader and every log parser. The first input byte picks the format:
// 0 lets the reader sniff it from the content (as an import does), the others force one
// parser so each format's line handling sees every input, not only what sniffs as it.
// A second file read through the same reader exercises the cross-file state (a line split
// at a file end, qmail delivery numbers, CSV headers).
#include <cstddef>
#include <cstdint>

#include <QBuffer>
#include <QByteArray>
#include <QTimeZone>

#include "core/logs/log_reader.h"

using namespace bi::core::logs;

namespace {

constexpr LogFormat kFormats[] = {
    LogFormat::Unknown, LogFormat::Postfix,  LogFormat::Exim,     LogFormat::Sendmail,
    LogFormat::Qmail,   LogFormat::PowerMta, LogFormat::Exchange, LogFormat::OpenSmtpd,
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 1)
        return 0;
    LogReaderOptions options;
    options.format = kFormats[data[0] % (sizeof(kFormats) / sizeof(kFormats[0]))];
    // Fixed zone and anchor: results must not depend on the machine running the fuzzer.
    options.sourceTimeZone = QTimeZone(3600);
    options.yearAnchor = QDateTime(QDate(2024, 3, 1), QTime(12, 0), Qt::UTC);
    options.defaultHost = QStringLiteral("fuzz-host");
    options.maxLineLength = 4096;
    LogReader reader(options);
    const QByteArray input(reinterpret_cast<const char*>(data + 1), qsizetype(size - 1));
    qint64 events = 0;
    const auto onEvent = [&events](const LogEvent& event) {
        ++events;
        (void)event;
    };
    // The input split in two files at its middle newline, read one after the other.
    const qsizetype cut = input.indexOf('\n', input.size() / 2);
    const QByteArray parts[] = {cut < 0 ? input : input.left(cut + 1),
                                cut < 0 ? QByteArray() : input.mid(cut + 1)};
    for (const QByteArray& part : parts) {
        QBuffer buffer;
        buffer.setData(part);
        buffer.open(QIODevice::ReadOnly);
        (void)reader.readDevice(buffer, QStringLiteral("fuzz.log"), onEvent, nullptr, part.size());
    }
    return 0;
}
