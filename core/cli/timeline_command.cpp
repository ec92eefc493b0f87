// SPDX-License-Identifier: GPL-3.0-or-later
#include <QCommandLineParser>

#include "core/cli/command_line.h"
#include "core/cli/commands.h"
#include "core/cli/console.h"
#include "core/store/fate_repository.h"
#include "core/store/project_store.h"

using namespace Qt::StringLiterals;

namespace bi::core::cli {

namespace {

QString duration(qint64 seconds)
{
    if (seconds < 0)
        return u"-"_s + duration(-seconds);
    if (seconds < 60)
        return QString::number(seconds) + u's';
    if (seconds < 3600)
        return u"%1m%2s"_s.arg(seconds / 60).arg(seconds % 60, 2, 10, QChar(u'0'));
    if (seconds < 86400)
        return u"%1h%2m"_s.arg(seconds / 3600).arg((seconds % 3600) / 60, 2, 10, QChar(u'0'));
    return u"%1d%2h"_s.arg(seconds / 86400).arg((seconds % 86400) / 3600, 2, 10, QChar(u'0'));
}

QString stamp(const QDateTime& t)
{
    return t.isValid() ? t.toUTC().toString(u"yyyy-MM-dd HH:mm:ss"_s) + u" UTC"_s : u"(no time)"_s;
}

void printFate(const store::FateRecord& f)
{
    Console::outText(u"%1 — message <%2> from %3%4"_s.arg(
        f.shownRecipient(),
        f.messageId.isEmpty() ? u"unknown"_s : f.messageId, f.sender.isEmpty() ? u"?"_s : f.sender,
        f.queueId.isEmpty() ? QString() : u" (queue id %1%2)"_s.arg(f.queueId, f.host.isEmpty() ? QString() : u" on "_s + f.host)));
    QDateTime previous;
    for (const store::TimelineStep& s : f.steps) {
        const QString gap = previous.isValid() && s.time.isValid()
            ? (u'+' + duration(store::TimelineStep::shownGap(previous, s.time))).rightJustified(9) : QString(9, u' ');
        QString what = store::TimelineStep::kindName(s.kind);
        if (!s.status.isEmpty())
            what += u' ' + s.status;
        QString detail = s.text.simplified();
        if (detail.size() > 160)
            detail = detail.left(157) + u"..."_s;
        Console::outText(u"  %1  %2  %3%4"_s.arg(gap, stamp(s.time), what.leftJustified(22),
                                                  detail.isEmpty() ? QString() : u"  "_s + detail));
        if (s.time.isValid())
            previous = s.time;
    }
    QString outcome = u"  => %1"_s.arg(store::fateName(f.fate));
    if (!f.reason.isEmpty())
        outcome += u" (%1%2%3)"_s.arg(f.reason, f.status.isEmpty() ? QString() : u", status "_s + f.status,
                                      f.replyCode.isEmpty() ? QString() : u", reply "_s + f.replyCode);
    if (!store::FateRecord::attemptsKnown(f.decidedBy, f.attempts))
        outcome += u", attempts and deferrals not known without the smarthost's log"_s;
    else
        outcome += u", %1 attempt(s), %2 deferral(s)"_s.arg(f.attempts).arg(f.deferrals);
    if (f.secondsToBounce() >= 0)
        outcome += u", bounced %1 after acceptance"_s.arg(duration(f.secondsToBounce()));
    outcome += u"; decided by "_s + f.decidedBy;
    Console::outText(outcome);
    for (const QString& e : f.evidence)
        Console::outText(u"     - "_s + e);
}

} // namespace

int runTimeline(const QStringList& arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption db(u"db"_s, u"Project file."_s, u"FILE"_s);
    parser.addOption(db);
    parser.addPositionalArgument(u"ADDRESS"_s, u"Recipient address."_s);
    int exitCode = ExitOk;
    if (!parseCommandLine(parser, u"timeline"_s,
                          u"Print a recipient's events in time order, with the gaps between them: queued, each "
                          u"deferral, the final outcome, notices and the asynchronous bounce."_s,
                          arguments, exitCode))
        return exitCode;
    if (!parser.isSet(db) || parser.positionalArguments().size() != 1) {
        Console::err(u"bounce-inspector-cli timeline: --db FILE and one ADDRESS are required (see --help)"_s);
        return ExitUsage;
    }
    auto store = openProjectForReading(parser, db, u"timeline"_s, exitCode);
    if (!store)
        return exitCode;
    store::FateRepository fates(*store);
    const QString address = parser.positionalArguments().constFirst();
    auto found = fates.forRecipient(address);
    if (!found) {
        Console::err(found.error().toString());
        return ExitFailure;
    }
    if (found->isEmpty()) {
        Console::err(u"%1: no messages to this recipient in the project"_s.arg(address));
        return ExitFailure;
    }
    bool first = true;
    for (const store::FateRecord& f : *found) {
        if (!first)
            Console::outText(QString());
        first = false;
        printFate(f);
    }
    Console::flush();
    return ExitOk;
}

} // namespace bi::core::cli
