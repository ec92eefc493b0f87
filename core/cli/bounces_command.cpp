// SPDX-License-Identifier: GPL-3.0-or-later
#include <QCommandLineParser>

#include "core/bounce/bounce_json.h"
#include "core/cli/command_line.h"
#include "core/cli/commands.h"
#include "core/cli/console.h"
#include "core/store/project_store.h"

using namespace Qt::StringLiterals;

namespace bi::core::cli {

int runBounces(const QStringList& arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption db(u"db"_s, u"Project file."_s, u"FILE"_s);
    const QCommandLineOption jsonl(u"jsonl"_s, u"One JSON object per line (the default)."_s);
    parser.addOption(db);
    parser.addOption(jsonl);
    int exitCode = ExitOk;
    if (!parseCommandLine(parser, u"bounces"_s,
                          u"Print the stored recipient results of a project: the same records as `parse`."_s,
                          arguments, exitCode))
        return exitCode;
    auto store = openProjectForReading(parser, db, u"bounces"_s, exitCode);
    if (!store)
        return exitCode;
    auto done = store->forEachBounceRow([](const store::BounceRow& row) {
        Console::out(bounce::BounceJson::record(row.file, row.message, row.report, 0, row.recipientIndex + 1));
        return true;
    });
    Console::flush();
    if (!done) {
        Console::err(done.error().toString());
        return ExitFailure;
    }
    return ExitOk;
}

} // namespace bi::core::cli
