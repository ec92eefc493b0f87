// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 6: "the window never freezes for more than 100 ms during an import". The main window
// imports the given files into a new project while a 5 ms timer on the GUI thread records how
// late each of its ticks comes; the longest gap is the longest time the window could not
// repaint or answer input. Prints the longest stall, the 99th percentile and the stalls over
// 100 ms, for the import and for the refresh of the views after it.
// Usage: gui_stall_bench PROJECT FILE...   (QT_QPA_PLATFORM=offscreen works; PROJECT is replaced)
#include <algorithm>
#include <cstdio>

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QStandardPaths>
#include <QTimer>

#include "ui/main_window.h"

using namespace Qt::StringLiterals;

namespace {

void print(const QString& line)
{
    std::fputs(qPrintable(line + u"\n"_s), stdout);
    std::fflush(stdout);
}

struct StallMeter {
    QElapsedTimer clock;
    qint64 last = 0;
    QList<qint64> gaps; // ms between ticks

    void tick()
    {
        const qint64 now = clock.elapsed();
        gaps << now - last;
        last = now;
    }
    void report(const QString& phase) const
    {
        if (gaps.isEmpty()) {
            print(phase + u": no ticks"_s);
            return;
        }
        QList<qint64> sorted = gaps;
        std::sort(sorted.begin(), sorted.end());
        const qint64 over = std::count_if(sorted.cbegin(), sorted.cend(), [](qint64 g) { return g > 100; });
        print(u"%1: %2 ticks over %3 s; longest stall %4 ms, 99th percentile %5 ms, stalls > 100 ms: %6"_s
                  .arg(phase)
                  .arg(sorted.size())
                  .arg(double(last) / 1000, 0, 'f', 1)
                  .arg(sorted.last())
                  .arg(sorted.at(qsizetype(double(sorted.size() - 1) * 0.99)))
                  .arg(over));
    }
};

} // namespace

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // leave the user's settings and recent files alone
    const QStringList args = app.arguments().mid(1);
    if (args.size() < 2) {
        print(u"usage: gui_stall_bench PROJECT FILE..."_s);
        return 2;
    }
    const QString project = args.first();
    for (const QString& suffix : {u""_s, u"-wal"_s, u"-shm"_s})
        QFile::remove(project + suffix);

    bi::ui::MainWindow window;
    window.resize(1400, 900);
    window.show();
    StallMeter importing;
    StallMeter settling;
    StallMeter* meter = &importing;
    QTimer ticker;
    ticker.setInterval(5);
    ticker.setTimerType(Qt::PreciseTimer);
    QObject::connect(&ticker, &QTimer::timeout, [&] { meter->tick(); });
    bool ok = false;
    QElapsedTimer total;
    QObject::connect(&window, &bi::ui::MainWindow::importFinished, [&](bool success) {
        ok = success;
        print(u"import finished (%1) after %2 s"_s.arg(success ? u"ok"_s : u"failed"_s)
                  .arg(double(total.elapsed()) / 1000, 0, 'f', 1));
        // The list, dashboard and counts reload now; watch them for two seconds.
        settling.clock.start();
        meter = &settling;
        QTimer::singleShot(2000, &app, &QCoreApplication::quit);
    });
    QTimer::singleShot(0, [&] {
        total.start();
        importing.clock.start();
        ticker.start();
        window.importIntoNewProject(project, args.mid(1));
    });
    app.exec();
    importing.report(u"during the import"_s);
    settling.report(u"views refreshing after it"_s);
    return ok ? 0 : 1;
}
