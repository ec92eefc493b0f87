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

// A member's key: `"key":` after a comma unless it is the first.
void key(QByteArray& out, const char* name, bool first = false)
{
    if (!first)
        out.append(',');
    out.append('"');
    out.append(name);
    out.append("\":");
}

// The keys in QJsonObject's order (sorted), as the lines were when QJsonDocument wrote them.
QByteArray fateJson(const store::FateRecord& f)
{
    QByteArray o;
    o.reserve(1024);
    o.append('{');
    key(o, "attempts", true);
    json::appendInt(o, f.attempts);
    key(o, "bounce_at");
    json::appendIsoUtc(o, f.bounceAt);
    key(o, "decided_by");
    json::appendString(o, f.decidedBy);
    key(o, "deferral_list");
    o.append('[');
    bool firstDeferral = true;
    for (const store::TimelineStep& s : f.steps) {
        if (s.kind != store::TimelineStep::Kind::Deferred)
            continue;
        if (!firstDeferral)
            o.append(',');
        firstDeferral = false;
        o.append('{');
        key(o, "at", true);
        json::appendIsoUtc(o, s.time);
        key(o, "status");
        json::appendString(o, s.status);
        key(o, "text");
        json::appendString(o, s.text);
        o.append('}');
    }
    o.append(']');
    key(o, "deferrals");
    json::appendInt(o, f.deferrals);
    key(o, "diagnostic");
    json::appendString(o, f.diagnostic);
    key(o, "evidence");
    o.append('[');
    for (qsizetype i = 0; i < f.evidence.size(); ++i) {
        if (i > 0)
            o.append(',');
        json::appendString(o, f.evidence.at(i));
    }
    o.append(']');
    key(o, "fate");
    json::appendString(o, store::fateName(f.fate));
    key(o, "final_at");
    json::appendIsoUtc(o, f.finalAt);
    key(o, "first_attempt_at");
    json::appendIsoUtc(o, f.firstAttemptAt);
    key(o, "host");
    json::appendString(o, f.host);
    key(o, "match_confidence");
    json::appendDouble(o, f.matchConfidence);
    key(o, "message_id");
    json::appendString(o, f.messageId);
    key(o, "queue_id");
    json::appendString(o, f.queueId);
    key(o, "queued_at");
    json::appendIsoUtc(o, f.queuedAt);
    key(o, "reason");
    json::appendString(o, f.reason);
    key(o, "recipient");
    json::appendString(o, f.recipient);
    key(o, "replycode");
    json::appendString(o, f.replyCode);
    key(o, "seconds_to_bounce");
    json::appendInt(o, f.secondsToBounce());
    key(o, "sender");
    json::appendString(o, f.sender);
    key(o, "status");
    json::appendString(o, f.status);
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
