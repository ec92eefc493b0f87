// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/backscatter/backscatter_analyzer.h"

#include <algorithm>
#include <map>
#include <memory>

#include <QHash>
#include <QScopeGuard>
#include <QSet>

#include "core/backscatter/bounce_evidence.h"
#include "core/backscatter/outbound_detector.h"
#include "core/backscatter/own_settings.h"
#include "core/backscatter/signed_address.h"
#include "core/bounce/address.h"
#include "core/common/text_case.h"
#include "core/fate/relay_names.h"
#include "core/fate/log_message.h"
#include "core/fate/mailbox_verdict.h"
#include "core/store/backscatter_repository.h"
#include "core/store/log_repository.h"
#include "core/store/project_store.h"

using namespace Qt::StringLiterals;

namespace bi::core::backscatter {

namespace {

// A sender domain counts as ours from the logs alone when at least this share of the logged
// mail uses it (a relay that also accepts inbound mail logs forged senders too, each rare).
constexpr double kOwnDomainShare = 0.02;
constexpr qint64 kOwnDomainMinMessages = 3;
// A sender domain whose mail goes to more recipient domains than this is sending out, not
// forged spam arriving for us: its per-domain counts are no longer kept.
constexpr qsizetype kInboundDomainsKept = 64;
// The project signs / uses VERP when this share of its sends or bounces show it.
constexpr double kSchemeShare = 0.3;

// The keys by which BackscatterClassifier can match a mailbox bounce to a logged send, as
// it looks them up (a superset: queue ids of every quoted hop, not only our relays'). Only
// these are kept of the logged sends, so the analysis holds what the bounces need and not
// the whole log (a 10M-line log has half a million messages).
struct WantedKeys {
    QSet<QString> messageIds;
    QSet<QString> queueIds;
    QSet<QString> envelopeIds;
    QSet<QString> recipients;
    QSet<QString> senders;

    void add(const BounceFacts& f)
    {
        if (!f.originalMessageId.isEmpty())
            messageIds.insert(f.originalMessageId.toLower());
        if (!f.envelopeId.isEmpty())
            envelopeIds.insert(f.envelopeId.toLower());
        if (!f.queueId.isEmpty())
            queueIds.insert(f.queueId.toLower());
        for (const QString& rcv : f.originalReceived) {
            for (const QString& id : receivedIds(rcv))
                queueIds.insert(id.toLower());
        }
        for (const QString& rc : f.failedRecipients)
            recipients.insert(rc);
        if (!f.bounceAddresses.isEmpty())
            senders.insert(f.bounceAddresses.constFirst());
        for (const QString& a : f.bounceAddresses) {
            const SignedAddress s = SignedAddress::parse(a);
            if (s.scheme == SignedAddress::Scheme::None)
                continue;
            if (!s.inner.isEmpty())
                senders.insert(s.inner);
            if (s.scheme == SignedAddress::Scheme::Verp && !s.verpRecipient.isEmpty())
                recipients.insert(s.verpRecipient);
        }
    }
};

// What the logged sends of one sender domain tell: counts, and the sends the bounces may
// refer to (WantedKeys). Distinct senders are counted by a 64-bit hash.
struct DomainSends {
    qint64 messages = 0;
    qint64 prvs = 0;
    qint64 verp = 0;
    QSet<quint64> senderHashes;
    QSet<QString> senders;
    QSet<QString> messageIds;
    QSet<QString> queueIds;
    QSet<QString> envelopeIds;
    QHash<QString, QList<qint64>> recipients;
    QSet<QString> shapes;
    // Messages whose recipients all share one domain, per that domain: mail of a foreign
    // sender that only went to our own domains arrived for us (inbound spam with a forged
    // sender, say); it is not mail that domain sent through us. Kept while small.
    QHash<QString, qint64> onlyTo;
    bool manyDomains = false;

    void countRecipientDomain(const QList<fate::LoggedRecipient>& rcpts)
    {
        if (manyDomains || rcpts.isEmpty())
            return;
        const QString domain = bounce::Address::domainOf(rcpts.constFirst().address.toLower());
        for (const fate::LoggedRecipient& r : rcpts) {
            if (bounce::Address::domainOf(r.address.toLower()) != domain)
                return;
        }
        if (!onlyTo.contains(domain) && onlyTo.size() >= kInboundDomainsKept) {
            manyDomains = true;
            onlyTo.clear();
            return;
        }
        ++onlyTo[domain];
    }
    // The messages left once those sent only to `own` domains other than this one are taken away.
    qint64 outgoing(const QString& self, const QSet<QString>& own) const
    {
        qint64 n = messages;
        for (auto it = onlyTo.cbegin(); it != onlyTo.cend(); ++it) {
            if (it.key() != self && own.contains(it.key()))
                n -= it.value();
        }
        return n;
    }
};

struct MailboxLearning {
    qint64 bounces = 0;
    qint64 prvs = 0;
    qint64 verp = 0;
    std::map<QString, qint64> domains;
    /// Hosted relays that took our submissions, by the notices they wrote (BounceFacts).
    std::map<QString, qint64> relays;
};

// Notices from a hosted relay that took our submission before it counts as our relay (one
// alone could be a spammer's use of stolen credentials).
constexpr qint64 kOwnRelayMinNotices = 2;

// What the reading half found: the sending profile, the learned own names, the notices our
// hosts logged.
struct Learning {
    SendingProfile profile;
    OwnSettings learnedSettings;
    OutboundDetector outbound;
    qint64 mailboxBounces = 0;
};

// The reading half of the analysis: prepare() reads the settings and the mailbox's keys, add()
// takes each logged message, finish() completes the learning.
struct Learner {
    Learning learning;
    SendingProfile& profile = learning.profile;
    OwnSettings settings;
    QSet<QString> excluded;
    MailboxLearning mailbox;
    QHash<qint64, QPair<QString, QStringList>> shapeCandidates; // message → (shape, quoted Received)
    WantedKeys wanted;
    std::map<QString, DomainSends> sends; // our sends (per sender domain)
    QSet<QString> logHosts;

    Result<void> prepare(const store::ProjectStore& store);
    void add(const fate::LogMessage& m);
    void finish();
};

// Settings, and the mailbox: bounces are addressed to our senders, so their domains are ours;
// and the keys its bounces can be matched by.
Result<void> Learner::prepare(const store::ProjectStore& store)
{
    auto loaded = OwnSettings::load(store);
    if (!loaded)
        return loaded.error();
    settings = *loaded;

    profile.prvsSecret = settings.batvSecret;
    profile.srsSecret = settings.srsSecret;
    // The user's names now; the learned ones are learned afresh below (an earlier run's may
    // no longer hold after this import).
    for (const QString& d : std::as_const(settings.userDomains))
        profile.own.addDomain(d);
    for (const QString& h : std::as_const(settings.userHosts))
        profile.own.addHost(h);
    excluded = QSet<QString>(settings.excluded.cbegin(), settings.excluded.cend());

    const store::LogRepository logs(store);
    auto logEvents = logs.count();
    if (!logEvents)
        return logEvents.error();
    profile.hasLogs = *logEvents > 0;

    // --- The mailbox: bounces are addressed to our senders, so their domains are ours. First,
    // for the keys its bounces can be matched by.
    auto learned = store.forEachBounceRow({bounce::MessageKind::Bounce}, [&](const store::BounceRow& row) {
        const BounceFacts f = BounceFacts::from({row});
        wanted.add(f);
        if (row.recipientIndex != 0)
            return true;
        ++mailbox.bounces;
        if (!f.bounceAddresses.isEmpty()) {
            const SignedAddress s = SignedAddress::parse(f.bounceAddresses.constFirst());
            const QString inner = s.inner.isEmpty() ? s.address : s.inner;
            ++mailbox.domains[bounce::Address::domainOf(inner)];
            const SignedAddress::Check c = s.check(f.date, profile.prvsSecret, profile.srsSecret);
            const bool good = c == SignedAddress::Check::Valid || c == SignedAddress::Check::Unverified;
            mailbox.prvs += s.scheme == SignedAddress::Scheme::Prvs && good;
            mailbox.verp += s.scheme == SignedAddress::Scheme::Verp;
        }
        if (!f.originalMessageId.isEmpty() && !f.originalReceived.isEmpty()) {
            shapeCandidates.insert(row.messageId, {messageIdShape(f.originalMessageId), f.originalReceived});
        }
        if (!f.submittedTo.isEmpty())
            ++mailbox.relays[f.submittedTo];
        return true;
    }, store::ProjectStore::RowDiagnostics::Skipped);
    if (!learned)
        return learned.error();
    if (profile.hasLogs) {
        auto spans = store::BackscatterRepository(store).logSpans();
        if (!spans)
            return spans.error();
        for (const auto& [from, to] : *spans)
            profile.addLogSpan(from, to);
    }
    return {};
}

// One logged message: the sends of its sender domain, the notices our hosts generated.
void Learner::add(const fate::LogMessage& m)
{
    logHosts.insert(lowerCase(m.host));
    learning.outbound.add(m);
    if (m.isNotice() || !m.hasSender)
        return;
    const SignedAddress s = SignedAddress::parse(m.sender);
    const QString sender = s.inner.isEmpty() ? s.address : s.inner;
    DomainSends& d = sends[bounce::Address::domainOf(sender)];
    ++d.messages;
    d.countRecipientDomain(m.recipients);
    d.prvs += s.scheme == SignedAddress::Scheme::Prvs;
    d.verp += s.scheme == SignedAddress::Scheme::Verp;
    d.senderHashes.insert(quint64(qHash(sender)));
    if (wanted.senders.contains(sender))
        d.senders.insert(sender);
    if (!m.messageId.isEmpty()) {
        const QString id = lowerCase(m.messageId);
        if (wanted.messageIds.contains(id))
            d.messageIds.insert(id);
        d.shapes.insert(messageIdShape(m.messageId));
    }
    if (!m.queueId.isEmpty()) {
        const QString id = lowerCase(m.queueId);
        if (wanted.queueIds.contains(id))
            d.queueIds.insert(id);
    }
    for (const QString& id : {m.envelopeId, m.jobId}) {
        if (id.isEmpty())
            continue;
        const QString lower = lowerCase(id);
        if (wanted.envelopeIds.contains(lower))
            d.envelopeIds.insert(lower);
    }
    const qint64 at = m.queuedAt.isValid() ? m.queuedAt.toMSecsSinceEpoch() : 0;
    for (const fate::LoggedRecipient& r : m.recipients) {
        qint64 t = at;
        if (!t && !r.attempts.isEmpty() && r.attempts.constFirst().time.isValid())
            t = r.attempts.constFirst().time.toMSecsSinceEpoch();
        for (const QString& a : {r.address, r.originalAddress}) {
            if (a.isEmpty())
                continue;
            const QString lower = a.toLower();
            if (wanted.recipients.contains(lower))
                d.recipients[lower].append(t);
        }
    }
}

void Learner::finish()
{
    // Own domains: the settings, the mailbox's bounce addresses, and the sender domains that
    // carry a real share of the logged mail.
    OwnSettings& learnedSettings = learning.learnedSettings;
    learnedSettings = settings;
    learnedSettings.learnedDomains.clear();
    learnedSettings.learnedHosts.clear();
    for (const auto& [domain, n] : mailbox.domains) {
        if (!domain.isEmpty() && double(n) >= 0.01 * double(mailbox.bounces) && !excluded.contains(domain))
            learnedSettings.learnedDomains << domain;
    }
    qint64 logged = 0;
    for (const auto& [domain, d] : sends)
        logged += d.messages;
    // Two rounds: the domains with a real share of the logged mail, then again with the mail
    // that only went to those domains (arrived for us) no longer counted as sent.
    QSet<QString> provisional(learnedSettings.learnedDomains.cbegin(), learnedSettings.learnedDomains.cend());
    for (const QString& d : std::as_const(settings.userDomains))
        provisional.insert(d);
    for (const auto& [domain, d] : sends) {
        if (!domain.isEmpty() && d.messages >= kOwnDomainMinMessages
            && double(d.messages) >= kOwnDomainShare * double(logged) && !excluded.contains(domain))
            provisional.insert(domain);
    }
    for (const auto& [domain, d] : sends) {
        const qint64 out = d.outgoing(domain, provisional);
        if (!domain.isEmpty() && out >= kOwnDomainMinMessages && double(out) >= kOwnDomainShare * double(logged)
            && !excluded.contains(domain) && !learnedSettings.learnedDomains.contains(domain))
            learnedSettings.learnedDomains << domain;
    }
    for (const QString& h : std::as_const(logHosts)) {
        if (!h.isEmpty())
            profile.loggedHosts.insert(fate::hostLabel(h));
        if (!h.isEmpty() && !excluded.contains(h))
            learnedSettings.learnedHosts << h;
    }
    // A hosted smarthost or webmail outside our domains: its notices show it taking our
    // submissions, so the originals that passed it passed our relay.
    for (const auto& [host, notices] : mailbox.relays) {
        if (notices < kOwnRelayMinNotices || excluded.contains(host))
            continue;
        if (!learnedSettings.learnedHosts.contains(host))
            learnedSettings.learnedHosts << host;
        profile.relayProviders.insert(fate::MailboxVerdictRule::providerOf(host));
    }
    for (const QString& d : std::as_const(learnedSettings.learnedDomains))
        profile.own.addDomain(d);
    for (const QString& h : std::as_const(learnedSettings.learnedHosts))
        profile.own.addHost(h);

    // Our sends: the logged mail of our own domains.
    qint64 ownSends = 0, ownPrvs = 0, ownVerp = 0;
    for (const auto& [domain, d] : sends) {
        if (!profile.own.isOwnDomain(domain))
            continue;
        ownSends += d.messages;
        ownPrvs += d.prvs;
        ownVerp += d.verp;
        profile.senders.unite(d.senders);
        profile.sendersLogged += d.senderHashes.size();
        profile.messageIds.unite(d.messageIds);
        profile.queueIds.unite(d.queueIds);
        profile.envelopeIds.unite(d.envelopeIds);
        profile.shapes.unite(d.shapes);
        for (auto it = d.recipients.cbegin(); it != d.recipients.cend(); ++it)
            profile.recipientSends[it.key()] << it.value();
    }
    sends.clear();
    profile.signsPrvs = (ownSends > 0 && double(ownPrvs) >= kSchemeShare * double(ownSends))
        || (mailbox.prvs >= 5 && double(mailbox.prvs) >= 0.1 * double(mailbox.bounces));
    profile.usesVerp = (ownSends > 0 && double(ownVerp) >= kSchemeShare * double(ownSends))
        || (mailbox.verp >= 5 && double(mailbox.verp) >= kSchemeShare * double(mailbox.bounces));
    // Without logged Message-IDs, learn their shapes from originals that passed our relays.
    if (profile.shapes.isEmpty()) {
        QHash<QString, int> counts;
        for (auto it = shapeCandidates.cbegin(); it != shapeCandidates.cend(); ++it) {
            if (!ownRelayInChain(it.value().second, profile.own, profile.relayProviders).isEmpty())
                ++counts[it.value().first];
        }
        for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
            if (it.value() >= 2)
                profile.shapes.insert(it.key());
        }
    }
    learning.mailboxBounces = mailbox.bounces;
}

// Settings, the mailbox's keys, one pass over the logged messages. Writes nothing.
Result<Learning> learn(const store::ProjectStore& store, ProgressSink* progress)
{
    Learner learner;
    if (auto ok = learner.prepare(store); !ok)
        return ok.error();
    const store::LogRepository logs(store);
    qint64 seen = 0, reported = 0;
    auto streamed = logs.forEachQueueGroup([&](QList<store::StoredLogEvent>& events) {
        for (const fate::LogMessage& m : fate::LogMessageAssembler::assemble(events))
            learner.add(m);
        seen += events.size();
        if (progress && seen - reported >= 50000) {
            reported = seen;
            progress->report(seen, -1, u"log events checked for backscatter");
            if (progress->stopRequested())
                return false;
        }
        return true;
    });
    if (!streamed)
        return streamed.error();
    if (progress && progress->stopRequested())
        return makeError(ErrorCode::Cancelled, u"stopped before the backscatter verdicts were complete"_s);
    learner.finish();
    return std::move(learner.learning);
}

// Every verdict and outbound notice, written inside the caller's transaction.
Result<BackscatterSummary> write(store::ProjectStore& store, Learning learning, ProgressSink* progress)
{
    BackscatterSummary summary;
    const SendingProfile& profile = learning.profile;
    const OwnSettings& learnedSettings = learning.learnedSettings;
    OutboundDetector& outbound = learning.outbound;
    store::LogRepository logs(store);
    store::BackscatterRepository repo(store);
    const QList<bounce::MessageKind> kinds{bounce::MessageKind::Bounce};

    if (auto ok = repo.clear(); !ok)
        return ok.error();
    if (auto ok = learnedSettings.saveLearned(store); !ok)
        return ok.error();

    std::optional<Error> failure;
    QList<store::BounceRow> rows;
    auto decide = [&] {
        if (rows.isEmpty())
            return true;
        const BounceFacts f = BounceFacts::from(rows);
        const Verdict v = BackscatterClassifier::classify(f, profile);
        store::BounceVerdictRecord r;
        r.messageId = f.messageId;
        r.verdict = v.verdict;
        r.score = v.score;
        r.evidence = v.evidence;
        r.matchedBy = v.matchedBy;
        r.logCovered = v.logCovered;
        r.bounceTo = v.bounceTo;
        r.reportingMta = f.reportingMta;
        if (f.date.isValid())
            r.atUtcMs = f.date.toMSecsSinceEpoch();
        rows.clear();
        if (auto ok = repo.addVerdict(r); !ok) {
            failure = ok.error();
            return false;
        }
        ++summary.bounces;
        ++(v.verdict == u"ours" ? summary.ours : v.verdict == u"backscatter" ? summary.backscatter : summary.uncertain);
        if (progress && (summary.bounces % 20000) == 0) {
            progress->report(summary.bounces, learning.mailboxBounces, u"bounces checked for backscatter");
            if (progress->stopRequested())
                return false;
        }
        return true;
    };
    auto streamed = store.forEachBounceRow(kinds, [&](const store::BounceRow& row) {
        if (!rows.isEmpty() && rows.constFirst().messageId != row.messageId && !decide())
            return false;
        rows << row;
        return true;
    }, store::ProjectStore::RowDiagnostics::Skipped);
    if (!streamed)
        return streamed.error();
    if (!failure)
        decide();
    if (failure)
        return *failure;
    if (progress && progress->stopRequested())
        return makeError(ErrorCode::Cancelled, u"stopped before the backscatter verdicts were complete"_s);

    // The full messages of the notices that left our domains, and of their originals.
    auto lookup = [&logs](const QString& host, const QString& queueId) -> Result<QList<fate::LogMessage>> {
        auto events = logs.eventsOf(host, queueId, false);
        if (!events)
            return events.error();
        return fate::LogMessageAssembler::assemble(*events);
    };
    auto notices = outbound.notices(profile.own, lookup);
    if (!notices)
        return notices.error();
    for (const store::OutboundBackscatterRecord& r : std::as_const(*notices)) {
        if (auto ok = repo.addOutbound(r); !ok)
            return ok.error();
        ++summary.outbound;
    }
    return summary;
}

// The same, in a transaction of its own.
Result<BackscatterSummary> apply(store::ProjectStore& store, Learning learning, ProgressSink* progress)
{
    if (auto ok = store.begin(); !ok)
        return ok.error();
    bool committed = false;
    const auto rollback = qScopeGuard([&] {
        if (!committed)
            store.rollback();
    });
    auto written = write(store, std::move(learning), progress);
    if (!written)
        return written.error();
    if (auto ok = store.commit(); !ok)
        return ok.error();
    committed = true;
    return written;
}

// Learns from the correlator's pass over the logs and writes in its transaction.
class LearningObserver final : public fate::LogObserver {
public:
    explicit LearningObserver(ProgressSink* progress) : m_learner(std::make_unique<Learner>()), m_progress(progress) {}
    Result<void> prepare(const store::ProjectStore& store) { return m_learner->prepare(store); }
    void add(const fate::LogMessage& m) override { m_learner->add(m); }
    Result<void> finish(store::ProjectStore& store) override
    {
        m_learner->finish();
        Learning learning = std::move(m_learner->learning);
        m_learner.reset();
        auto written = write(store, std::move(learning), m_progress);
        if (!written)
            return written.error();
        return {};
    }

private:
    std::unique_ptr<Learner> m_learner;
    ProgressSink* m_progress;
};

} // namespace

Result<std::unique_ptr<fate::LogObserver>> BackscatterAnalyzer::observer(const store::ProjectStore& store,
                                                                        ProgressSink* progress)
{
    auto observer = std::make_unique<LearningObserver>(progress);
    if (auto ok = observer->prepare(store); !ok)
        return ok.error();
    return std::unique_ptr<fate::LogObserver>(std::move(observer));
}

Result<BackscatterSummary> BackscatterAnalyzer::run(store::ProjectStore& store, ProgressSink* progress)
{
    auto learned = learn(store, progress);
    if (!learned)
        return learned.error();
    return apply(store, std::move(*learned), progress);
}

} // namespace bi::core::backscatter
