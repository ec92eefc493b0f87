// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/cli/console.h"

#include <cstdio>

#include <unistd.h>

namespace bi::core::cli {

void Console::out(const QByteArray& line)
{
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fputc('\n', stdout);
}

void Console::outRaw(const QByteArray& bytes)
{
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
}

void Console::outText(const QString& line)
{
    out(line.toUtf8());
}

void Console::err(const QString& line)
{
    const QByteArray bytes = line.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fputc('\n', stderr);
}

void Console::errRaw(const QString& text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fflush(stderr);
}

bool Console::stderrIsTerminal()
{
    return ::isatty(STDERR_FILENO) == 1;
}

void Console::flush()
{
    std::fflush(stdout);
    std::fflush(stderr);
}

} // namespace bi::core::cli
