// SPDX-License-Identifier: GPL-3.0-or-later
#include <QCommandLineParser>

#include "core/cli/command_line.h"
#include "core/cli/commands.h"
#include "core/cli/console.h"
#include "core/cli/console_progress.h"
#include "core/cli/report_options.h"
#include "core/report/report_export.h"

using namespace Qt::StringLiterals;

namespace bi::core::cli {

int runReport(const QStringList& arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption db(u"db"_s, u"Project file."_s, u"FILE"_s);
    const QCommandLineOption pdf(u"pdf"_s, u"Write the report to this PDF file."_s, u"OUT.pdf"_s);
    const QCommandLineOption title(u"title"_s, u"Client or project name on the title page."_s, u"TEXT"_s);
    const ReportCommandOptions shared;
    parser.addOptions({db, pdf, title});
    shared.addTo(parser);
    int exitCode = ExitOk;
    if (!parseCommandLine(parser, u"report"_s,
                          u"Write the client report as PDF: scope, executive summary, how delivery failed, "
                          u"providers and domains, reasons by cause, charts, backscatter, recommendations and "
                          u"the suppression list."_s,
                          arguments, exitCode))
        return exitCode;
    report::ReportOptions options;
    options.title = parser.value(title);
    if (!shared.read(parser, u"report"_s, options, exitCode))
        return exitCode;
    if (!parser.isSet(pdf)) {
        Console::err(u"bounce-inspector-cli report: --pdf OUT.pdf is required (see --help)"_s);
        return ExitUsage;
    }
    auto store = openProjectForReading(parser, db, u"report"_s, exitCode);
    if (!store)
        return exitCode;
    ConsoleProgress progress;
    auto done = report::ReportExport::writePdf(*store, options, parser.value(pdf), &progress);
    progress.finish();
    if (!done) {
        Console::err(done.error().toString());
        return ExitFailure;
    }
    Console::err(u"%1: %2 pages, %3 recipients"_s.arg(parser.value(pdf)).arg(done->pages).arg(done->recipients));
    return ExitOk;
}

} // namespace bi::core::cli
