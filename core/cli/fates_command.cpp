// SPDX-License-Identifier: GPL-3.0-or-later
#include <QCommandLineParser>

#include "core/cli/command_line.h"
#include "core/cli/commands.h"
#include "core/cli/console.h"
#include "core/common/json_text.h"
#include "core/store/fate_repository.h"
#include "core/store/project_store.h"

using namespace Qt::StringLiterals;

namespace bi::core::cli {

namespace {

// A member: `"key":value`, after a comma unless it is the first.
void key(QByteArray& out, const char* name)
{
    if (!out.endsWith('{'))
        out.append(',');
    out.append('"');
    out.append(name);
    out.append("\":");
}
void member(QByteArray& out, const char* name, const QString& value)
{
    key(out, name);
    json::appendString(out, value);
}
void member(QByteArray& out, const char* name, const QDateTime& value)
{
    key(out, name);
    json::appendIsoUtc(out, value);
}
void member(QByteArray& out, const char* name, qint64 value)
{
    key(out, name);
    json::appendInt(out, value);
}
void member(QByteArray& out, const char* name, double value)
{
    key(out, name);
    json::appendDouble(out, value);
}

// The keys in QJsonObject's order (sorted), as the lines were when QJsonDocument wrote them.
QByteArray fateJson(const store::FateRecord& f)
{
    QByteArray o;
    o.reserve(1024);
    o.append('{');
    member(o, "attempts", qint64(f.attempts));
    member(o, "bounce_at", f.bounceAt);
    member(o, "decided_by", f.decidedBy);
    key(o, "deferral_list");
    o.append('[');
    for (const store::TimelineStep& s : f.steps) {
        if (s.kind != store::TimelineStep::Kind::Deferred)
            continue;
        if (!o.endsWith('['))
            o.append(',');
        o.append('{');
        member(o, "at", s.time);
        member(o, "status", s.status);
        member(o, "text", s.text);
        o.append('}');
    }
    o.append(']');
    member(o, "deferrals", qint64(f.deferrals));
    member(o, "diagnostic", f.diagnostic);
    key(o, "evidence");
    json::appendStringArray(o, f.evidence);
    member(o, "fate", store::fateName(f.fate));
    member(o, "final_at", f.finalAt);
    member(o, "first_attempt_at", f.firstAttemptAt);
    member(o, "host", f.host);
    member(o, "match_confidence", f.matchConfidence);
    member(o, "message_id", f.messageId);
    member(o, "original_recipient", f.originalRecipient);
    member(o, "queue_id", f.queueId);
    member(o, "queued_at", f.queuedAt);
    member(o, "reason", f.reason);
    member(o, "recipient", f.recipient);
    member(o, "replycode", f.replyCode);
    member(o, "seconds_to_bounce", f.secondsToBounce());
    member(o, "sender", f.sender);
    member(o, "status", f.status);
    o.append('}');
    return o;
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
