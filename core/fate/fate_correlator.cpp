// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/fate/fate_correlator.h"

#include <algorithm>

#include <QCryptographicHash>
#include <QHash>
#include <QScopeGuard>
#include <QSet>
#include <QtEndian>

#include "core/bounce/address.h"
#include "core/common/bounded_queue.h"
#include "core/fate/fate_engine.h"
#include "core/store/backscatter_repository.h"
#include "core/store/fate_repository.h"
#include "core/store/log_repository.h"
#include "core/store/project_store.h"
#include "core/store/side_reader.h"

using namespace Qt::StringLiterals;

namespace bi::core::fate {

namespace {

Result<OwnIdentity> ownIdentity(const store::ProjectStore& store, const store::LogRepository& logs)
{
    OwnIdentity own;
    for (const char16_t* key : {u"own_domains", u"own_hosts"}) {
        auto value = store.setting(QString::fromUtf16(key));
        if (!value)
            return value.error();
        if (!value->has_value())
            continue;
        for (const QString& item : (**value).split(u',', Qt::SkipEmptyParts)) {
            if (QStringView(key) == u"own_domains")
                own.addDomain(item);
            else
                own.addHost(item);
        }
    }
    auto hosts = logs.hosts();
    if (!hosts)
        return hosts.error();
    for (const QString& h : *hosts)
        own.addHost(h);
    // Not the logged sender domains: a relay that also takes inbound mail logs the forged
    // senders of the spam it accepts, and a bounce written by such a domain's server is not our
    // smarthost's notice. Our senders' domains come from the mailbox (learnFromAddress).
    return own;
}

// A 64-bit key of (original Message-ID, the recipient the sender mailed): duplicate notices
// and the delay warnings of a failure share it. Without a Message-ID the notice is its own
// (two notices cannot be told to be about one failure).
quint64 noticeKey(const store::BounceRow& row)
{
    const QString& id = row.report.original.messageId;
    const QByteArray key = ((id.isEmpty() ? u"#"_s + QString::number(row.messageId) : id) + u'\n'
                            + FateEngine::mailedRecipient(row.report)).toUtf8();
    return qFromUnaligned<quint64>(QCryptographicHash::hash(key, QCryptographicHash::Sha1).constData());
}

// Bounces the backscatter analysis judged to be about mail we never sent (spam that forged our
// address) on the logs' word (they cover the original's time and show no such send): no
// recipient of ours is behind them, unless one of our relays whose log is not here sent it
// (FateEngine::mailboxOnly); the backscatter view lists them. Without logs the verdict is too
// weak to drop a failure for. Called once the observer has written the verdicts of this pass.
Result<QSet<qint64>> judgedBackscatter(const store::ProjectStore& store, LogObserver* observer)
{
    if (!observer)
        return QSet<qint64>();
    return store::BackscatterRepository(store).backscatterTheLogsConfirm();
}

// Delay warnings kept for the fates of the failures they preceded, at most this many.
constexpr qsizetype kMaxDelaySteps = 200000;

// Without logs every fate comes from its bounce alone, so nothing needs to be held but the
// delay warnings: two streaming passes (learn our domains and keep the warnings, then decide
// and write), memory independent of the mailbox size. Duplicate notices are recognised by a
// 64-bit hash of (original, recipient).
Result<CorrelationSummary> mailboxOnly(store::ProjectStore& store, OwnIdentity own, ProgressSink* progress,
                                       LogObserver* observer)
{
    CorrelationSummary summary;
    const QList<bounce::MessageKind> kinds{bounce::MessageKind::Bounce};
    WriterLearning writers;
    QHash<quint64, QList<TimelineStep>> delays;
    qsizetype delaySteps = 0;
    auto learned = store.forEachBounceRow({bounce::MessageKind::Bounce, bounce::MessageKind::Delay},
                                          [&](const store::BounceRow& row) {
        const bounce::BounceRecipient& r = row.report.recipients.constFirst();
        if (r.kind == bounce::MessageKind::Delay) {
            if (delaySteps < kMaxDelaySteps) {
                delays[noticeKey(row)] << FateEngine::delayStep(row.report.date, r, row.messageId);
                ++delaySteps;
            }
            return true;
        }
        own.learnFromAddress(bounce::Address::normalize(row.report.to));
        if (!row.report.postfixSender.isEmpty())
            own.learnFromAddress(row.report.postfixSender);
        writers.see(MailboxVerdictRule::noticeWriter(row.report));
        return true;
    }, store::ProjectStore::RowDiagnostics::Skipped);
    if (!learned)
        return learned.error();

    if (auto ok = store.begin(); !ok)
        return ok.error();
    bool committed = false;
    const auto rollback = qScopeGuard([&] {
        if (!committed)
            store.rollback();
    });
    store::FateRepository fates(store);
    if (auto ok = fates.beginRewrite(); !ok)
        return ok.error();
    QSet<quint64> seen;
    std::optional<Error> failure;
    auto streamed = store.forEachBounceRow(kinds, [&](const store::BounceRow& row) {
        ++summary.mailboxRecords;
        const quint64 hash = noticeKey(row);
        if (seen.contains(hash))
            return true;
        seen.insert(hash);
        if (auto f = FateEngine::mailboxFate(row, writers.apply(MailboxVerdictRule::noticeWriter(row.report)), own)) {
            if (const auto d = delays.constFind(hash); d != delays.cend()) {
                f->steps = *d + f->steps;
                std::stable_sort(f->steps.begin(), f->steps.end(),
                                 [](const TimelineStep& a, const TimelineStep& b) { return a.time < b.time; });
            }
            if (auto ok = fates.add(*f); !ok) {
                failure = ok.error();
                return false;
            }
            ++summary.fates;
            ++summary.fromMailbox;
        }
        if (progress && (summary.mailboxRecords % 20000) == 0) {
            progress->report(summary.mailboxRecords, -1, u"bounces correlated");
            if (progress->stopRequested())
                return false;
        }
        return true;
    }, store::ProjectStore::RowDiagnostics::Skipped);
    if (!streamed)
        return streamed.error();
    if (failure)
        return *failure;
    if (progress && progress->stopRequested())
        return makeError(ErrorCode::Cancelled, u"stopped before the fates were complete; they were left as they were"_s);
    if (observer) {
        if (auto ok = observer->finish(store); !ok)
            return ok.error();
    }
    if (auto ok = fates.finishRewrite(); !ok)
        return ok.error();
    if (auto ok = store.commit(); !ok)
        return ok.error();
    committed = true;
    return summary;
}

// What the deciding side hands to the writing side: the rows of the fates of one queue
// group's messages, or of the bounces alone.
struct FateBatch {
    QList<store::EncodedFate> rows;
    qint64 events = 0; // log events the fates were decided from
    qint64 logMessages = 0;
    bool fromLog = true;
};

// The fates' row values, made on the deciding side: the writing side then only binds them,
// and it also keeps the fates' indexes up to date. Steps that only repeat a log event of the
// group are stored as references to it.
void encode(FateBatch& batch, const QList<store::FateRecord>& records,
            const QList<LogMessageAssembler::Event>& events = {})
{
    QHash<qint64, const logs::LogEvent*> rows;
    auto eventOf = [&](qint64 row) -> const logs::LogEvent* {
        if (rows.isEmpty()) {
            for (const LogMessageAssembler::Event& e : events)
                rows.insert(e.row, &e.event);
        }
        return rows.value(row, nullptr);
    };
    for (const store::FateRecord& f : records)
        batch.rows.append(store::FateRepository::encode(f, eventOf));
}
// Fates handed to the writing side at once: one handoff per queue group (a message or two)
// woke the writer some 60,000 times per million log lines, each a futex call on both sides.
// Batches in flight at most: with the one being filled and the one being written, some 5 MB
// of encoded rows (the 13M-line bench peaks while deciding).
constexpr qsizetype kBatchFates = 512;
// Refusals no message took, kept until the end of the log at most (a few per submitting
// application normally; an MX's Sendmail logs one per refused RCPT with a queue id).
constexpr qsizetype kMaxUnclaimed = 50000;
constexpr std::size_t kBatchesInFlight = 4;

// Decides every logged message, one queue group at a time, then the bounces no logged send
// matched; hands the fates to write in batches (false from it stops), and each message to
// observer.
Result<void> decideAll(const store::ProjectStore& store, FateEngine& engine, LogObserver* observer,
                       const std::function<bool(FateBatch&)>& write)
{
    const store::LogRepository logs(store);
    bool stopped = false;
    FateBatch batch;
    // Adds fates to the batch and hands it over when full; false once writing stopped.
    auto hand = [&](const QList<store::FateRecord>& records, const QList<store::StoredLogEvent>& events) {
        encode(batch, records, events);
        if (batch.rows.size() < kBatchFates)
            return true;
        stopped = !write(batch);
        batch = {};
        return !stopped;
    };
    // A bounce that names only a Message-ID several logged messages have waits for all of
    // them (a message sent twice bounced for the later send).
    if (engine.hasMessageIdKeys()) {
        auto shared = logs.forEachSharedMessageId([&engine](const QString& id) { engine.noteSharedMessageId(id); });
        if (!shared)
            return shared.error();
    }
    QList<store::StoredLogEvent> unclaimed; // refusals no message took, judged at the end
    auto streamed = logs.forEachQueueGroup([&](QList<store::StoredLogEvent>& events) {
        batch.events += events.size();
        QList<store::FateRecord> records;
        for (const LogMessage& m :
             LogMessageAssembler::assemble(events, unclaimed.size() < kMaxUnclaimed ? &unclaimed : nullptr)) {
            if (!m.isNotice())
                ++batch.logMessages;
            records += engine.decide(m);
            if (observer)
                observer->add(m);
        }
        return hand(records, events);
    });
    if (!streamed)
        return streamed.error();
    if (stopped)
        return {};
    // Refusals of transactions that queued nothing, once every message has shown which
    // clients are ours.
    auto judge = [&](QList<store::StoredLogEvent>& events) {
        QList<store::FateRecord> records;
        for (const store::StoredLogEvent& e : std::as_const(events)) {
            if (auto f = engine.decideUnqueued(e))
                records << std::move(*f);
        }
        return hand(records, events);
    };
    if (!judge(unclaimed))
        return {};
    auto refusals = logs.forEachUnqueued(judge);
    if (!refusals)
        return refusals.error();
    if (stopped)
        return {};
    // The fates held for a match by recipient and time window are the log's too. The bounces
    // no logged send took are left to the caller, once the verdicts are known.
    encode(batch, engine.releaseHeld());
    if (batch.events > 0 || !batch.rows.isEmpty())
        write(batch);
    return {};
}

} // namespace

Result<CorrelationSummary> FateCorrelator::run(store::ProjectStore& store, ProgressSink* progress,
                                               LogObserver* observer)
{
    CorrelationSummary summary;
    store::LogRepository logs(store);
    auto identity = ownIdentity(store, logs);
    if (!identity)
        return identity.error();
    OwnIdentity own = *identity;

    auto logEvents = logs.count();
    if (!logEvents)
        return logEvents.error();
    if (*logEvents == 0)
        return mailboxOnly(store, own, progress, observer);

    // Every bounce goes into the engine as it is read, which keeps what it needs of it (one
    // slim copy of the mailbox in memory); the mailbox owner's domain is ours: bounces are
    // addressed to our senders. The engine only needs the identity once it decides.
    FateEngine engine(own);
    auto read = store.forEachBounceRow({bounce::MessageKind::Bounce, bounce::MessageKind::Delay},
                                       [&](const store::BounceRow& row) {
                                           own.learnFromAddress(bounce::Address::normalize(row.report.to));
                                           if (!row.report.postfixSender.isEmpty())
                                               own.learnFromAddress(row.report.postfixSender);
                                           engine.addMailboxRecord(row);
                                           ++summary.mailboxRecords;
                                           return true;
                                       }, store::ProjectStore::RowDiagnostics::Skipped);
    if (!read)
        return read.error();
    engine.setOwn(own);

    // Deciding (read the log chunks, assemble, FateEngine) runs on a connection of its own in
    // a second thread, writing in this one: they cost about the same. The engine belongs to
    // the deciding thread until it has ended.
    BoundedQueue<FateBatch> queue(kBatchesInFlight);
    std::optional<Result<void>> decided;
    store::SideReader decider;
    const bool beside = decider.start(store.path(), u"fates"_s, [&](const store::ProjectStore& side) {
        // Closed however deciding ends, an exception included: this thread waits on the queue.
        const auto close = qScopeGuard([&queue] { queue.close(); });
        decided = decideAll(side, engine, observer, [&queue](FateBatch& b) {
            return queue.push(std::move(b));
        });
    });
    const auto stopDecider = qScopeGuard([&] {
        queue.abort();
        decider.join();
    });

    if (auto ok = store.begin(); !ok)
        return ok.error();
    bool committed = false;
    const auto rollback = qScopeGuard([&] {
        if (!committed)
            store.rollback();
    });
    store::FateRepository fates(store);
    if (auto ok = fates.beginRewrite(); !ok)
        return ok.error();

    std::optional<Error> failure;
    qint64 seen = 0;
    qint64 reported = 0;
    auto write = [&](FateBatch& batch) {
        for (const store::EncodedFate& f : std::as_const(batch.rows)) {
            if (auto ok = fates.add(f); !ok) {
                failure = ok.error();
                return false;
            }
            ++summary.fates;
            ++(batch.fromLog ? summary.fromLogs : summary.fromMailbox);
        }
        summary.logMessages += batch.logMessages;
        seen += batch.events;
        if (progress && seen - reported >= 20000) {
            reported = seen;
            progress->report(seen, -1, u"log events correlated");
            if (progress->stopRequested())
                return false;
        }
        return true;
    };
    if (beside) {
        FateBatch batch;
        while (queue.pop(batch)) {
            if (!write(batch)) {
                queue.abort();
                break;
            }
        }
        decider.join();
        if (decider.threw())
            failure = makeError(ErrorCode::Database, u"deciding the fates failed"_s);
    } else {
        decided = decideAll(store, engine, observer, write);
    }
    if (failure)
        return *failure;
    if (decided && !*decided)
        return decided->error();
    if (progress && progress->stopRequested())
        return makeError(ErrorCode::Cancelled, u"stopped before the fates were complete; they were left as they were"_s);
    // The deciding thread has ended: the observer and the engine are this thread's now. The
    // bounces no logged send took get fates of their own, but not those judged backscatter.
    if (observer) {
        if (auto ok = observer->finish(store); !ok)
            return ok.error();
    }
    auto backscatter = judgedBackscatter(store, observer);
    if (!backscatter)
        return backscatter.error();
    const QList<store::FateRecord> alone = engine.mailboxOnly(*backscatter);
    summary.bouncesBeforeTheirSend = engine.bouncesBeforeTheirSend(); // counted by mailboxOnly()
    FateBatch rest;
    encode(rest, alone);
    rest.fromLog = false;
    if (!write(rest) && failure)
        return *failure;
    if (auto ok = fates.finishRewrite(); !ok)
        return ok.error();
    if (auto ok = store.commit(); !ok)
        return ok.error();
    committed = true;
    return summary;
}

} // namespace bi::core::fate
