// SPDX-License-Identifier: GPL-3.0-or-later
#include <QCommandLineParser>

#include "core/cli/command_line.h"
#include "core/cli/commands.h"
#include "core/cli/console.h"
#include "core/cli/console_progress.h"
#include "core/cli/report_options.h"
#include "core/report/csv_export.h"

using namespace Qt::StringLiterals;

namespace bi::core::cli {

int runExport(const QStringList& arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption db(u"db"_s, u"Project file."_s, u"FILE"_s);
    const QCommandLineOption csv(u"csv"_s, u"Write suppression.csv, fates.csv and bounces.csv into this folder."_s,
                                 u"DIR"_s);
    const ReportCommandOptions shared;
    parser.addOptions({db, csv});
    shared.addTo(parser);
    int exitCode = ExitOk;
    if (!parseCommandLine(parser, u"export"_s,
                          u"Export CSV files (RFC 4180, UTF-8): suppression.csv (only addresses whose own failure "
                          u"justifies suppression), fates.csv and bounces.csv."_s,
                          arguments, exitCode))
        return exitCode;
    report::ReportOptions options;
    if (!shared.read(parser, u"export"_s, options, exitCode))
        return exitCode;
    if (!parser.isSet(csv)) {
        Console::err(u"bounce-inspector-cli export: --csv DIR is required (see --help)"_s);
        return ExitUsage;
    }
    auto store = openProjectForReading(parser, db, u"export"_s, exitCode);
    if (!store)
        return exitCode;
    ConsoleProgress progress;
    auto done = report::CsvExport::write(*store, options, parser.value(csv), &progress);
    progress.finish();
    if (!done) {
        Console::err(done.error().toString());
        return ExitFailure;
    }
    Console::err(u"%1: %2 fates, %3 bounce results, %4 addresses to suppress"_s.arg(parser.value(csv))
                     .arg(done->fates).arg(done->bounces).arg(done->suppressed));
    return ExitOk;
}

} // namespace bi::core::cli
