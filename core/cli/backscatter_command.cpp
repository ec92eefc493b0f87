// SPDX-License-Identifier: GPL-3.0-or-later
#include <QCommandLineParser>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "core/backscatter/backscatter_series.h"
#include "core/cli/command_line.h"
#include "core/cli/commands.h"
#include "core/cli/console.h"
#include "core/store/backscatter_repository.h"
#include "core/store/project_store.h"

using namespace Qt::StringLiterals;

namespace bi::core::cli {

namespace {

QJsonValue iso(const std::optional<qint64>& ms)
{
    return ms ? QJsonValue(QDateTime::fromMSecsSinceEpoch(*ms, Qt::UTC).toString(Qt::ISODate)) : QJsonValue(QString());
}

QByteArray verdictJson(const store::BounceVerdictRow& row)
{
    const store::BounceVerdictRecord& v = row.record;
    QJsonObject o{
        {u"file"_s, row.file},
        {u"message"_s, row.message},
        {u"bounce_message_id"_s, row.bounceMessageId},
        {u"original_message_id"_s, row.originalMessageId},
        {u"verdict"_s, v.verdict},
        {u"score"_s, v.score},
        {u"evidence"_s, QJsonArray::fromStringList(v.evidence)},
        {u"matched_by"_s, v.matchedBy},
        {u"log_covered"_s, v.logCovered},
        {u"bounce_to"_s, v.bounceTo},
        {u"reporting_mta"_s, v.reportingMta},
        {u"date"_s, iso(v.atUtcMs)},
    };
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray outboundJson(const store::OutboundBackscatterRecord& r)
{
    QJsonObject o{
        {u"host"_s, r.host},
        {u"format"_s, r.format},
        {u"kind"_s, r.kind},
        {u"notice_at"_s, iso(r.noticeAtUtcMs)},
        {u"notice_queue_id"_s, r.noticeQueueId},
        {u"notice_to"_s, r.noticeTo},
        {u"notice_domain"_s, r.noticeDomain},
        {u"notice_result"_s, r.noticeResult},
        {u"notice_relay"_s, r.noticeRelay},
        {u"queue_id"_s, r.origQueueId},
        {u"message_id"_s, r.origMessageId},
        {u"client"_s, r.origClient},
        {u"recipient"_s, r.origRecipient},
        {u"received_at"_s, iso(r.origAtUtcMs)},
        {u"status"_s, r.status},
        {u"replycode"_s, r.replyCode},
        {u"reason"_s, r.reason},
    };
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace

int runBackscatter(const QStringList& arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption db(u"db"_s, u"Project file."_s, u"FILE"_s);
    const QCommandLineOption jsonl(u"jsonl"_s, u"One JSON object per line (the default)."_s);
    const QCommandLineOption outbound(u"outbound"_s, u"List the notices our smarthosts sent outside our domains."_s);
    const QCommandLineOption series(u"series"_s, u"Print the volume series as CSV, per day or hour."_s, u"day|hour"_s);
    parser.addOptions({db, jsonl, outbound, series});
    int exitCode = ExitOk;
    if (!parseCommandLine(parser, u"backscatter"_s,
                          u"Print the backscatter verdict of every bounce (ours, backscatter or uncertain, with score "
                          u"and evidence), the outbound backscatter list (--outbound), or the volume series (--series)."_s,
                          arguments, exitCode))
        return exitCode;
    if (parser.isSet(series) && parser.value(series) != u"day" && parser.value(series) != u"hour") {
        Console::err(u"bounce-inspector-cli backscatter: --series takes day or hour"_s);
        return ExitUsage;
    }
    if (parser.isSet(series) && (parser.isSet(outbound) || parser.isSet(jsonl))) {
        Console::err(u"bounce-inspector-cli backscatter: --series prints CSV on its own; leave out %1"_s.arg(
            parser.isSet(outbound) ? u"--outbound"_s : u"--jsonl"_s));
        return ExitUsage;
    }
    auto store = openProjectForReading(parser, db, u"backscatter"_s, exitCode);
    if (!store)
        return exitCode;
    Result<void> done;
    if (parser.isSet(series)) {
        auto s = backscatter::BackscatterSeries::load(*store, parser.value(series) == u"hour"
                                                                  ? backscatter::BackscatterSeries::Bucket::Hour
                                                                  : backscatter::BackscatterSeries::Bucket::Day);
        if (s)
            Console::outRaw(s->toCsv().toUtf8());
        else
            done = s.error();
    } else if (parser.isSet(outbound)) {
        store::BackscatterRepository repo(*store);
        auto list = repo.outbound();
        if (list) {
            for (const store::OutboundBackscatterRecord& r : *list)
                Console::out(outboundJson(r));
        } else {
            done = list.error();
        }
    } else {
        store::BackscatterRepository repo(*store);
        done = repo.forEachVerdict([](const store::BounceVerdictRow& row) {
            Console::out(verdictJson(row));
            return true;
        });
    }
    Console::flush();
    if (!done) {
        Console::err(done.error().toString());
        return ExitFailure;
    }
    return ExitOk;
}

} // namespace bi::core::cli
