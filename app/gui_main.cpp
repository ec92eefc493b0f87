// SPDX-License-Identifier: GPL-3.0-or-later
#include <QApplication>
#include <QCommandLineParser>

#include "ui/main_window.h"

using namespace Qt::StringLiterals;

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"Bounce Inspector"_s);
    QApplication::setOrganizationName(u"Bounce Inspector"_s);
    QApplication::setApplicationVersion(QStringLiteral(BI_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Bounce Inspector: every recipient's delivery failure explained."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(u"PROJECT"_s, u"Project file to open."_s, u"[PROJECT]"_s);
    parser.process(app);

    bi::ui::MainWindow window;
    window.show();
    if (!parser.positionalArguments().isEmpty())
        window.openProject(parser.positionalArguments().constFirst());
    return QApplication::exec();
}
