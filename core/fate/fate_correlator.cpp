// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/fate/fate_correlator.h"

#include <QCryptographicHash>
#include <QHash>
#include <QScopeGuard>
#include <QSet>
#include <QtEndian>

#include "core/bounce/address.h"
#include "core/fate/fate_engine.h"
#include "core/store/fate_repository.h"
#include "core/store/log_repository.h"
#include "core/store/project_store.h"

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
    auto domains = logs.senderDomains();
    if (!domains)
        return domains.error();
    for (const QString& d : *domains)
        own.addDomain(d);
    return own;
}

// Keep what the engine needs of a mailbox record, not the whole quoted original.
store::BounceRow slim(const store::BounceRow& row)
{
    store::BounceRow r = row;
    r.report.original.received.clear();
    r.report.diagnostics.clear();
    return r;
}

// Without logs every fate comes from its bounce alone, so nothing needs to be held: two
// streaming passes (learn our domains, then decide and write), memory independent of the
// mailbox size. Duplicate notices are recognised by a 64-bit hash of (original, recipient).
Result<CorrelationSummary> mailboxOnly(store::ProjectStore& store, OwnIdentity own, ProgressSink* progress)
{
    CorrelationSummary summary;
    const QList<bounce::MessageKind> kinds{bounce::MessageKind::Bounce};
    auto learned = store.forEachBounceRow(kinds, [&own](const store::BounceRow& row) {
        own.learnFromAddress(bounce::Address::normalize(row.report.to));
        if (!row.report.postfixSender.isEmpty())
            own.learnFromAddress(row.report.postfixSender);
        return true;
    });
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
        const bounce::BounceRecipient& r = row.report.recipients.constFirst();
        const QByteArray key = (row.report.original.messageId + u'\n' + r.recipient.toLower()).toUtf8();
        const quint64 hash = qFromUnaligned<quint64>(QCryptographicHash::hash(key, QCryptographicHash::Sha1).constData());
        if (seen.contains(hash))
            return true;
        seen.insert(hash);
        if (auto f = FateEngine::mailboxFate(row, own)) {
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
    });
    if (!streamed)
        return streamed.error();
    if (failure)
        return *failure;
    if (progress && progress->stopRequested())
        return makeError(ErrorCode::Cancelled, u"stopped before the fates were complete; they were left as they were"_s);
    if (auto ok = fates.finishRewrite(); !ok)
        return ok.error();
    if (auto ok = store.commit(); !ok)
        return ok.error();
    committed = true;
    return summary;
}

} // namespace

Result<CorrelationSummary> FateCorrelator::run(store::ProjectStore& store, ProgressSink* progress)
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
        return mailboxOnly(store, own, progress);

    QList<store::BounceRow> mailbox;
    auto read = store.forEachBounceRow({bounce::MessageKind::Bounce, bounce::MessageKind::Delay},
                                       [&](const store::BounceRow& row) {
                                           mailbox << slim(row);
                                           return true;
                                       });
    if (!read)
        return read.error();
    // The mailbox owner's domain is ours: bounces are addressed to our senders.
    for (const store::BounceRow& row : mailbox) {
        own.learnFromAddress(bounce::Address::normalize(row.report.to));
        if (!row.report.postfixSender.isEmpty())
            own.learnFromAddress(row.report.postfixSender);
    }

    FateEngine engine(own);
    for (const store::BounceRow& row : mailbox)
        engine.addMailboxRecord(row);
    summary.mailboxRecords = mailbox.size();
    mailbox.clear();

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
    auto write = [&](const QList<store::FateRecord>& records, bool fromLog,
                     const store::FateRepository::LogEventLookup& events = {}) {
        for (const store::FateRecord& f : records) {
            if (auto ok = fates.add(f, events); !ok) {
                failure = ok.error();
                return false;
            }
            ++summary.fates;
            ++(fromLog ? summary.fromLogs : summary.fromMailbox);
        }
        return true;
    };

    QList<LogMessageAssembler::Event> group;
    qint64 seen = 0;
    // Lets the fates store steps that only repeat a log event as references to it.
    QHash<qint64, const logs::LogEvent*> groupRows;
    auto groupEvent = [&](qint64 row) -> const logs::LogEvent* {
        if (groupRows.isEmpty()) {
            for (const LogMessageAssembler::Event& e : std::as_const(group))
                groupRows.insert(e.row, &e.event);
        }
        return groupRows.value(row, nullptr);
    };
    auto flushGroup = [&] {
        if (group.isEmpty())
            return true;
        for (const LogMessage& m : LogMessageAssembler::assemble(group)) {
            if (!m.isNotice())
                ++summary.logMessages;
            if (!write(engine.decide(m), true, groupEvent))
                return false;
        }
        group.clear();
        groupRows.clear();
        return true;
    };
    qint64 reported = 0;
    auto streamed = logs.forEachQueueGroup([&](QList<store::StoredLogEvent>& events) {
        group.reserve(events.size());
        for (store::StoredLogEvent& e : events)
            group.append({std::move(e.event), e.row});
        if (!flushGroup())
            return false;
        seen += events.size();
        if (progress && seen - reported >= 20000) {
            reported = seen;
            progress->report(seen, -1, u"log events correlated");
            if (progress->stopRequested())
                return false;
        }
        return true;
    });
    if (!streamed)
        return streamed.error();
    if (!failure)
        write(engine.mailboxOnly(), false);
    if (failure)
        return *failure;
    if (progress && progress->stopRequested())
        return makeError(ErrorCode::Cancelled, u"stopped before the fates were complete; they were left as they were"_s);
    if (auto ok = fates.finishRewrite(); !ok)
        return ok.error();
    if (auto ok = store.commit(); !ok)
        return ok.error();
    committed = true;
    return summary;
}

} // namespace bi::core::fate
