// SPDX-License-Identifier: GPL-3.0-or-later
#include <map>

#include <QCommandLineParser>
#include <QHash>

#include "core/bounce/address.h"
#include "core/cli/command_line.h"
#include "core/cli/commands.h"
#include "core/cli/console.h"
#include "core/store/dashboard_queries.h"
#include "core/store/project_store.h"
#include "core/store/source_description.h"

using namespace Qt::StringLiterals;

namespace bi::core::cli {

namespace {

// Every stored diagnostic, a line each: the file's own (a cut gzip stream, an overlong log
// line), then each message's (what the mail reader and the decoder found), in file order.
Result<void> printDiagnostics(const store::ProjectStore& store, const QList<store::SourceInfo>& sources)
{
    Console::outText(u"\ndiagnostics:"_s);
    for (const store::SourceInfo& source : sources) {
        auto list = store.sourceDiagnostics(source.id);
        if (!list)
            return list.error();
        for (const Diagnostic& d : std::as_const(*list)) {
            // The file is named once: its diagnostics' place is mostly the file itself.
            const bool here = d.where.isEmpty() || d.where == source.path || source.path.endsWith(u'/' + d.where);
            Console::outText(u"  %1: %2%3 %4"_s.arg(source.path, Diagnostic::severityName(d.severity),
                                                     here ? QString() : u" ["_s + d.where + u']', d.what));
        }
    }
    QHash<qint64, QString> paths; // the files as listed above (a message keeps the path as given)
    for (const store::SourceInfo& source : sources)
        paths.insert(source.id, source.path);
    return store.forEachMessage([&paths](const store::StoredMessage& m) {
        for (const Diagnostics* list : {&m.readerDiagnostics, &m.report.diagnostics}) {
            for (const Diagnostic& d : *list) {
                Console::outText(u"  %1 message %2: %3"_s.arg(paths.value(m.sourceId, m.file)).arg(m.message).arg(
                    d.toString()));
            }
        }
        return true;
    });
}

} // namespace

int runSummary(const QStringList& arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption db(u"db"_s, u"Project file."_s, u"FILE"_s);
    const QCommandLineOption diagnostics(u"diagnostics"_s,
                                         u"Also list every diagnostic: what reading each file and message found wrong."_s);
    parser.addOptions({db, diagnostics});
    int exitCode = ExitOk;
    if (!parseCommandLine(parser, u"summary"_s,
                          u"Print what a project holds: each file as read, messages, recipient results per kind, "
                          u"reason and receiving domain, and the fates per fate, reason and receiving domain."_s,
                          arguments, exitCode))
        return exitCode;
    auto store = openProjectForReading(parser, db, u"summary"_s, exitCode);
    if (!store)
        return exitCode;
    auto counts = store->counts();
    if (!counts) {
        Console::err(counts.error().toString());
        return ExitFailure;
    }
    std::map<std::pair<QString, QString>, qint64> byReason;
    std::map<QString, qint64> byDomain;
    auto done = store->forEachBounceRow([&](const store::BounceRow& row) {
        const bounce::BounceRecipient& r = row.report.recipients.constFirst();
        ++byReason[{bounce::kindName(r.kind), r.reason}];
        if (r.kind == bounce::MessageKind::Bounce)
            ++byDomain[bounce::Address::domainOf(r.recipient)];
        return true;
    });
    if (!done) {
        Console::err(done.error().toString());
        return ExitFailure;
    }
    Console::outText(u"project: %1\nsources: %2\nmessages: %3 (bounces: %4)\nrecipient results: %5\n"
                     u"diagnostics: %6"_s.arg(parser.value(db)).arg(counts->sources).arg(counts->messages)
                         .arg(counts->bounces).arg(counts->recipients).arg(counts->diagnostics));
    if (auto sources = store->sources(); sources && !sources->isEmpty()) {
        Console::outText(u"\nfiles:"_s);
        for (const store::SourceInfo& source : std::as_const(*sources))
            Console::outText(u"  "_s + store::describeSource(*store, source));
        if (parser.isSet(diagnostics)) {
            if (auto ok = printDiagnostics(*store, *sources); !ok) {
                Console::err(ok.error().toString());
                return ExitFailure;
            }
        }
    }
    Console::outText(u"\nresults by kind and reason:"_s);
    for (const auto& [key, n] : byReason)
        Console::outText(u"  %1 %2 %3"_s.arg(key.first.leftJustified(10), key.second.leftJustified(16)).arg(n));
    Console::outText(u"\nbounced recipients by domain:"_s);
    for (const auto& [domain, n] : byDomain)
        Console::outText(u"  %1 %2"_s.arg(domain.leftJustified(30)).arg(n));

    // The fates: logs and mailboxes joined, one per (message, recipient), as `fates` lists
    // them (the counts above are the bounce records as decoded).
    const store::DashboardQueries queries(*store);
    auto perDomain = queries.fatesPerDomain();
    auto reasons = queries.failureReasons();
    if (!perDomain || !reasons) {
        Console::err((!perDomain ? perDomain.error() : reasons.error()).toString());
        return ExitFailure;
    }
    std::map<QString, qint64> byFate;
    std::map<QString, qint64> failedByDomain;
    qint64 total = 0;
    for (const store::DashboardQueries::DomainFateCount& c : *perDomain) {
        byFate[c.fate] += c.count;
        total += c.count;
        if (c.fate != u"delivered" && c.fate != u"deferred")
            failedByDomain[c.domain] += c.count;
    }
    Console::outText(u"\nfates: %1"_s.arg(total));
    for (const auto& [fate, n] : byFate)
        Console::outText(u"  %1 %2"_s.arg(fate.leftJustified(16)).arg(n));
    Console::outText(u"\nfailed fates by reason:"_s);
    for (const store::DashboardQueries::ReasonCount& r : *reasons)
        Console::outText(u"  %1 %2"_s.arg((r.reason.isEmpty() ? u"(unknown)"_s : r.reason).leftJustified(16)).arg(r.count));
    Console::outText(u"\nfailed fates by recipient domain:"_s);
    for (const auto& [domain, n] : failedByDomain)
        Console::outText(u"  %1 %2"_s.arg(domain.leftJustified(30)).arg(n));
    Console::flush();
    return ExitOk;
}

} // namespace bi::core::cli
