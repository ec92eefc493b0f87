// SPDX-License-Identifier: GPL-3.0-or-later
// Composition root of the desktop application: options, application identity, the window.
#include <cstdio>
#include <memory>

#include <QApplication>
#include <QCommandLineParser>
#include <QFileDialog>
#include <QFileInfo>
#include <QIcon>
#include <QTableView>
#include <QTabWidget>
#include <QTimer>

#include "core/store/sql_helpers.h"
#include "ui/import_controller.h"
#include "ui/main_window.h"
#include "ui/recipient_list_model.h"

using namespace Qt::StringLiterals;

namespace {

// --smoke-test (packaging test, offscreen): one line with the row count once the list is loaded.
void armSmokeTest(bi::ui::MainWindow& window)
{
    auto finish = [](int code, const QString& line) {
        std::fputs(qPrintable(line + u"\n"_s), code == 0 ? stdout : stderr);
        std::fflush(nullptr);
        // Queued: a project that fails while main() sets the window up (demo data missing)
        // ends before the event loop runs, and exit() outside it does nothing.
        QMetaObject::invokeMethod(
            QCoreApplication::instance(), [code] { QCoreApplication::exit(code); }, Qt::QueuedConnection);
    };
    QObject::connect(&window, &bi::ui::MainWindow::projectLoaded, &window, [&window, finish] {
        // A demo that is still being built reloads when its import ends; wait for that.
        if (window.importController()->isRunning())
            return;
        finish(0, u"bounce-inspector: %1 rows"_s.arg(window.recipientModel()->rowCount()));
    });
    QObject::connect(&window, &bi::ui::MainWindow::importFinished, &window, [&window, finish](bool ok) {
        if (!ok)
            finish(1, u"bounce-inspector: import failed"_s);
        else
            QObject::connect(window.recipientModel(), &bi::ui::RecipientListModel::loaded, &window,
                             [finish](qint64 rows) { finish(0, u"bounce-inspector: %1 rows"_s.arg(rows)); });
    });
    QObject::connect(&window, &bi::ui::MainWindow::projectFailed, &window,
                     [finish](const QString& message) { finish(1, u"bounce-inspector: "_s + message); });
    QTimer::singleShot(120000, &window, [finish] { finish(2, u"bounce-inspector: timed out loading the list"_s); });
}

// --screenshot DIR (hidden, for docs/screenshots): once the list is loaded, the list with the first
// row inspected (an empty project: the empty list) and then the dashboard are grabbed to
// DIR/recipients.png and DIR/dashboard.png; a list that never loads exits with 2.
void armScreenshots(bi::ui::MainWindow& window, const QString& dir)
{
    auto shoot = [&window, dir] {
        if (window.recipientModel()->rowCount() > 0)
            window.recipientView()->selectRow(0);
        QTimer::singleShot(2000, &window, [&window, dir] {
            window.grab().save(dir + u"/recipients.png"_s);
            window.tabs()->setCurrentIndex(1);
            QTimer::singleShot(3000, &window, [&window, dir] {
                window.grab().save(dir + u"/dashboard.png"_s);
                QCoreApplication::quit();
            });
        });
    };
    auto armed = std::make_shared<bool>(true);
    QObject::connect(window.recipientModel(), &bi::ui::RecipientListModel::loaded, &window, [&window, shoot, armed] {
        if (*armed && !window.importController()->isRunning()) {
            *armed = false;
            QTimer::singleShot(1000, &window, shoot);
        }
    });
    QTimer::singleShot(180000, &window, [armed] {
        if (*armed) {
            std::fprintf(stderr, "bounce-inspector: timed out loading the list\n");
            QCoreApplication::exit(2);
        }
    });
}

} // namespace

int main(int argc, char* argv[])
{
    bi::core::store::configureSqliteLibrary();
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"Bounce Inspector"_s);
    QApplication::setOrganizationName(u"Bounce Inspector"_s);
    QApplication::setApplicationVersion(QStringLiteral(BI_VERSION));
    // The desktop entry's name (installer/linux), so Wayland and the task bar find its icon.
    QGuiApplication::setDesktopFileName(u"net.bounceinspector.BounceInspector"_s);
    QIcon icon(u":/bi/icons/bounce-inspector.svg"_s);
    icon.addFile(u":/bi/icons/png/bounce-inspector-64.png"_s);
    icon.addFile(u":/bi/icons/png/bounce-inspector-256.png"_s);
    QApplication::setWindowIcon(icon);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Bounce Inspector: every recipient's delivery failure explained."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demo(u"demo"_s, u"Open the demo project (built from the bundled sample data)."_s);
    const QCommandLineOption smoke(u"smoke-test"_s,
                                   u"Open the project (or the demo), print the list's row count and exit."_s);
    QCommandLineOption screenshot(u"screenshot"_s, u"Save screenshots to DIR and exit."_s, u"DIR"_s);
    screenshot.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(demo);
    parser.addOption(smoke);
    parser.addOption(screenshot);
    parser.addPositionalArgument(u"FILE"_s, u"A project (.bip) to open, or mailboxes, messages and logs to import "
                                            u"into a new project."_s,
                                 u"[FILE...]"_s);
    parser.process(app);

    bi::ui::MainWindow window;
    if (parser.isSet(smoke))
        armSmokeTest(window);
    if (parser.isSet(screenshot))
        armScreenshots(window, parser.value(screenshot));
    window.show();

    QStringList imports;
    QString project;
    for (const QString& file : parser.positionalArguments()) {
        if (file.endsWith(u".bip"_s, Qt::CaseInsensitive))
            project = file;
        else
            imports << QFileInfo(file).absoluteFilePath();
    }
    if (!project.isEmpty())
        window.openProject(project);
    else if (parser.isSet(demo) || (parser.isSet(smoke) && imports.isEmpty()))
        window.openDemo();
    if (!imports.isEmpty()) {
        // "Open with" on mail or logs: a new project for them, placed where the user says when
        // someone is there to ask.
        QString target = bi::ui::MainWindow::defaultProjectFor(imports);
        if (!parser.isSet(smoke) && project.isEmpty()) {
            const QString chosen = QFileDialog::getSaveFileName(
                &window, QApplication::translate("main", "New Project for the Imported Files"), target,
                QApplication::translate("main", "Bounce Inspector projects (*.bip)"));
            if (!chosen.isEmpty())
                target = chosen.endsWith(u".bip"_s) ? chosen : chosen + u".bip"_s;
        }
        if (project.isEmpty())
            window.importIntoNewProject(target, imports);
        else
            window.importPaths(imports); // a project was named too: import into it
    }
    return QApplication::exec();
}
