// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/cli/cli_app.h"

#include "core/cli/commands.h"
#include "core/cli/console.h"

using namespace Qt::StringLiterals;

namespace bi::core::cli {

namespace {

struct Command {
    const char16_t* name;
    const char16_t* summary;
    int (*run)(const QStringList&);
};

const Command kCommands[] = {
    {u"parse", u"decode bounces in mailboxes and print one JSON line per recipient (no project)", runParse},
    {u"import", u"import mailboxes and smarthost logs into a project file", runImport},
    {u"bounces", u"print the recipient results stored in a project as JSON lines", runBounces},
    {u"fates", u"print the fate of every (message, recipient) as JSON lines", runFates},
    {u"timeline", u"print one recipient's events in time order", runTimeline},
    {u"backscatter", u"print bounce verdicts (ours/backscatter/uncertain), --outbound notices or --series CSV", runBackscatter},
    {u"summary", u"print what a project holds: its files as read, counts per kind, reason and domain, fates", runSummary},
    {u"report", u"write the client report as PDF (--pdf OUT.pdf [--from DATE] [--to DATE] [--redact] [--title TEXT])", runReport},
    {u"export", u"write suppression.csv, fates.csv and bounces.csv (--csv DIR)", runExport},
};

QString usage()
{
    QString text = u"Usage: bounce-inspector-cli COMMAND [OPTIONS] [ARGS]\n\n"
                   u"Bounce Inspector, headless: decode bounces and build projects from the command line.\n\n"
                   u"Commands:\n"_s;
    for (const Command& c : kCommands)
        text += u"  %1  %2\n"_s.arg(QString::fromUtf16(c.name).leftJustified(11), QString::fromUtf16(c.summary));
    text += u"\nOptions:\n  -h, --help     Show this help (COMMAND --help for a command's options).\n"
            u"  -v, --version  Show the version.\n"_s;
    return text;
}

} // namespace

int CliApp::run(const QStringList& arguments)
{
    if (arguments.size() < 2) {
        Console::err(usage());
        return ExitUsage;
    }
    const QString first = arguments.at(1);
    if (first == u"-h" || first == u"--help" || first == u"help") {
        Console::outText(usage());
        return ExitOk;
    }
    if (first == u"-v" || first == u"--version") {
        Console::outText(u"bounce-inspector-cli " BI_VERSION ""_s);
        return ExitOk;
    }
    for (const Command& c : kCommands) {
        if (first == QStringView(c.name))
            return c.run(arguments.mid(1));
    }
    Console::err(u"bounce-inspector-cli: unknown command '%1' (see --help)"_s.arg(first));
    return ExitUsage;
}

} // namespace bi::core::cli
