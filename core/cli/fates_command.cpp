// SPDX-License-Identifier: GPL-3.0-or-later
#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "core/cli/command_line.h"
#include "core/cli/commands.h"
#include "core/cli/console.h"
#include "core/store/fate_repository.h"
#include "core/store/project_store.h"

using namespace Qt::StringLiterals;

namespace bi::core::cli {

namespace {

QJsonValue iso(const QDateTime& t)
{
    return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODate)) : QJsonValue(QString());
}

QByteArray fateJson(const store::FateRecord& f)
{
    QJsonArray evidence;
    for (const QString& e : f.evidence)
        evidence.append(e);
    QJsonArray deferrals;
    for (const store::TimelineStep& s : f.steps) {
        if (s.kind == store::TimelineStep::Kind::Deferred)
            deferrals.append(QJsonObject{{u"at"_s, iso(s.time)}, {u"status"_s, s.status}, {u"text"_s, s.text}});
    }
    QJsonObject o{
        {u"message_id"_s, f.messageId}, {u"queue_id"_s, f.queueId}, {u"host"_s, f.host},
        {u"sender"_s, f.sender}, {u"recipient"_s, f.recipient}, {u"fate"_s, store::fateName(f.fate)},
        {u"reason"_s, f.reason}, {u"status"_s, f.status}, {u"replycode"_s, f.replyCode},
        {u"diagnostic"_s, f.diagnostic}, {u"queued_at"_s, iso(f.queuedAt)},
        {u"first_attempt_at"_s, iso(f.firstAttemptAt)}, {u"final_at"_s, iso(f.finalAt)},
        {u"bounce_at"_s, iso(f.bounceAt)}, {u"attempts"_s, f.attempts}, {u"deferrals"_s, f.deferrals},
        {u"deferral_list"_s, deferrals}, {u"seconds_to_bounce"_s, f.secondsToBounce()},
        {u"decided_by"_s, f.decidedBy}, {u"match_confidence"_s, f.matchConfidence}, {u"evidence"_s, evidence},
    };
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace

int runFates(const QStringList& arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption db(u"db"_s, u"Project file."_s, u"FILE"_s);
    const QCommandLineOption jsonl(u"jsonl"_s, u"One JSON object per line (the default)."_s);
    parser.addOption(db);
    parser.addOption(jsonl);
    int exitCode = ExitOk;
    if (!parseCommandLine(parser, u"fates"_s,
                          u"Print the fate of every (message, recipient): delivered, rejected, expired, "
                          u"async_bounce or deferred, with its timeline figures and the evidence behind it."_s,
                          arguments, exitCode))
        return exitCode;
    auto store = openProjectForReading(parser, db, u"fates"_s, exitCode);
    if (!store)
        return exitCode;
    store::FateRepository fates(*store);
    auto done = fates.forEach([](const store::FateRecord& f) {
        Console::out(fateJson(f));
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
