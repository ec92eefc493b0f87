// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/cli/console_progress.h"

#include <atomic>
#include <csignal>

#include <QString>

#include "core/cli/console.h"

using namespace Qt::StringLiterals;

namespace bi::core::cli {

namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void onInterrupt(int)
{
    g_interrupted.store(true);
}

QString formatBytes(double bytes)
{
    if (bytes >= 1024.0 * 1024 * 1024)
        return QString::number(bytes / (1024.0 * 1024 * 1024), 'f', 2) + u" GB"_s;
    if (bytes >= 1024.0 * 1024)
        return QString::number(bytes / (1024.0 * 1024), 'f', 1) + u" MB"_s;
    return QString::number(bytes / 1024.0, 'f', 0) + u" kB"_s;
}

QString formatDuration(qint64 seconds)
{
    return u"%1:%2"_s.arg(seconds / 60, 2, 10, QChar(u'0')).arg(seconds % 60, 2, 10, QChar(u'0'));
}

} // namespace

ConsoleProgress::ConsoleProgress() : m_terminal(Console::stderrIsTerminal())
{
    g_interrupted.store(false);
    std::signal(SIGINT, onInterrupt);
    m_clock.start();
}

ConsoleProgress::~ConsoleProgress()
{
    std::signal(SIGINT, SIG_DFL);
}

void ConsoleProgress::report(qint64 done, qint64 total, QStringView stage)
{
    const qint64 now = m_clock.elapsed();
    const qint64 every = m_terminal ? 100 : 5000;
    // Nothing for short runs: the first report comes after one interval.
    if (now - std::max<qint64>(m_lastPrint, 0) < every)
        return;
    m_lastPrint = now;
    const double seconds = std::max<double>(now, 1) / 1000.0;
    const bool isBytes = stage == u"bytes";
    const double rate = double(done) / seconds;
    QString line = isBytes ? formatBytes(double(done)) : QString::number(done) + u' ' + stage.toString();
    if (total > 0) {
        line += u" of "_s + (isBytes ? formatBytes(double(total)) : QString::number(total));
        line += u" (%1%)"_s.arg(100.0 * double(done) / double(total), 0, 'f', 1);
    }
    line += u", "_s + (isBytes ? formatBytes(rate) : QString::number(rate, 'f', 0)) + u"/s"_s;
    if (total > 0 && rate > 0)
        line += u", "_s + formatDuration(qint64(double(total - done) / rate)) + u" left"_s;
    if (m_terminal) {
        Console::errRaw(u"\r\x1b[K"_s + line);
        m_drewLine = true;
    } else {
        Console::err(line);
    }
}

bool ConsoleProgress::stopRequested() const
{
    return g_interrupted.load();
}

void ConsoleProgress::finish()
{
    if (m_drewLine)
        Console::errRaw(u"\r\x1b[K"_s);
    m_drewLine = false;
}

} // namespace bi::core::cli
