// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/report/report_builder.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <QElapsedTimer>
#include <QFileInfo>
#include <QRegularExpression>

#include "core/bounce/address.h"
#include "core/bounce/reason_classifier.h"
#include "core/report/provider_map.h"
#include "core/report/redactor.h"
#include "core/store/fate_repository.h"
#include "core/store/project_store.h"
#include "core/store/report_queries.h"

using namespace Qt::StringLiterals;

namespace bi::core::report {

namespace {

constexpr int kMaxDomains = 25;
constexpr int kTopReasons = 3;
constexpr int kTopCodes = 4;

using store::Fate;
using store::FateRecord;

struct DomainAccumulator {
    QString provider;
    ReportData::FateCounts fates{};
    qint64 total = 0;
    QList<double> deliverySeconds;
    std::map<QString, qint64> reasons; ///< "reason code" → count
};

struct ReasonAccumulator {
    qint64 count = 0;
    std::map<QString, qint64> codes;
    QString example;
};

QString codeOf(const FateRecord& f)
{
    return QStringList{f.replyCode, f.status}.join(u' ').trimmed();
}

double percentile(QList<double> values, double p)
{
    if (values.isEmpty())
        return -1;
    std::sort(values.begin(), values.end());
    // Nearest rank: the smallest value with at least p of the values at or below it.
    const auto rank = qsizetype(std::ceil(p * double(values.size())));
    return values.at(std::clamp<qsizetype>(rank - 1, 0, values.size() - 1));
}

template<typename Map>
QList<std::pair<QString, qint64>> largestFirst(const Map& counts, int limit)
{
    QList<std::pair<QString, qint64>> out(counts.begin(), counts.end());
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    if (limit > 0 && out.size() > limit)
        out.resize(limit);
    return out;
}

int exampleIndex(Fate f)
{
    switch (f) {
    case Fate::Rejected:
        return 0;
    case Fate::Expired:
        return 1;
    case Fate::AsyncBounce:
        return 2;
    default:
        return -1;
    }
}

// A good example shows the whole story: joined with the mailbox, several steps, not huge; and
// a bounce after acceptance about the recipient, not a relay's expiry notice that read as one
// (a hosted smarthost of the sender the mailbox alone did not reveal).
int exampleScore(const FateRecord& f)
{
    const bool untypical = f.fate == Fate::AsyncBounce && f.reason == u"expired";
    return (f.decidedBy == u"log+mailbox" ? 100 : 0) + std::min<int>(int(f.steps.size()), 12)
        + (f.diagnostic.isEmpty() ? 0 : 5) - (untypical ? 200 : 0);
}

FateRecord redacted(FateRecord f, const Redactor& r)
{
    f.recipient = r.address(f.recipient);
    f.sender = r.address(f.sender);
    f.diagnostic = r.text(f.diagnostic);
    for (QString& e : f.evidence)
        e = r.text(e);
    for (store::TimelineStep& s : f.steps)
        s.text = r.text(s.text);
    return f;
}

store::ReportQueries::Period periodOf(const ReportOptions& o)
{
    store::ReportQueries::Period p;
    if (o.from.isValid())
        p.fromMs = QDateTime(o.from, QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    if (o.to.isValid())
        p.toMs = QDateTime(o.to.addDays(1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    return p;
}

Result<void> addScope(store::ProjectStore& store, ReportData& data, const ReportOptions& options)
{
    store::ReportQueries queries(store);
    auto sources = store.sources();
    if (!sources)
        return sources.error();
    auto logs = queries.logSources();
    if (!logs)
        return logs.error();
    auto mailboxes = queries.mailboxSources();
    if (!mailboxes)
        return mailboxes.error();
    for (const store::SourceInfo& s : *sources) {
        ReportData::Source out{QFileInfo(s.path).fileName(), s.kind, QString::fromLatin1(s.sha256), s.size,
                               s.messageCount, 0, store::sourceStatusName(s.status)};
        for (const auto& m : *mailboxes) {
            if (m.sourceId == s.id) {
                out.records = m.messages;
                out.decoded = m.reports;
            }
        }
        for (const auto& log : *logs) {
            if (log.sourceId == s.id) {
                out.kind = log.format.isEmpty() ? u"log"_s : log.format + u" log"_s;
                out.records = log.lines;
                out.decoded = log.events;
                data.logLines += log.lines;
                data.logEvents += log.events;
            }
        }
        data.sources << out;
    }
    auto mailbox = queries.mailboxCounts(periodOf(options));
    if (!mailbox)
        return mailbox.error();
    data.mailboxMessages = mailbox->messages;
    data.mailboxReports = mailbox->reports;
    data.mailboxOther = mailbox->other;
    data.bouncesUndecoded = mailbox->bouncesWithoutRecipients;
    data.complaints = mailbox->complaints;
    return {};
}

Result<void> addBackscatter(store::ProjectStore& store, ReportData& data, const ReportOptions& options,
                            const Redactor& redactor)
{
    store::ReportQueries queries(store);
    auto tables = queries.hasVerdictTables();
    if (!tables)
        return tables.error();
    if (!*tables)
        return {};
    auto count = queries.verdictCount();
    if (!count)
        return count.error();
    data.verdictsComputed = *count > 0;
    const auto period = periodOf(options);
    auto verdicts = queries.verdicts(period);
    if (!verdicts)
        return verdicts.error();
    data.inboundOurs = verdicts->ours;
    data.inboundBackscatter = verdicts->backscatter;
    data.inboundUncertain = verdicts->uncertain;
    // Counted by kind of reason: the per-bounce details (dates in parentheses, the score weight
    // in brackets) would make every sentence unique and the summary a list of ones.
    // So would the Message-IDs in angle brackets and the addresses: an address is named as such.
    static const QRegularExpression details(uR"(\s*(\([^()]*\)|\[[^\[\]]*\]|<[^<>]*>))"_s);
    static const QRegularExpression address(uR"([^\s@"<>]+@[^\s@"<>]+[A-Za-z0-9])"_s);
    std::map<QString, qint64> evidence;
    for (const QString& e : verdicts->backscatterEvidence)
        ++evidence[redactor.text(QString(e).remove(details).replace(address, u"an address"_s).trimmed())];
    // Five rows and the rest as one, so that the counts add up to the verdicts.
    data.backscatterEvidence = largestFirst(evidence, 0);
    if (data.backscatterEvidence.size() > 6) {
        qint64 rest = 0;
        for (qsizetype i = 5; i < data.backscatterEvidence.size(); ++i)
            rest += data.backscatterEvidence.at(i).second;
        const qsizetype others = data.backscatterEvidence.size() - 5;
        data.backscatterEvidence.resize(5);
        data.backscatterEvidence.append({u"%1 other reasons"_s.arg(others), rest});
    }
    auto outbound = queries.outbound(period);
    if (!outbound)
        return outbound.error();
    data.outboundNotices = outbound->notices;
    data.outboundByKind = outbound->byKind;
    data.outboundByDomain = outbound->byDomain;
    auto inboundDays = queries.backscatterPerDay(period);
    if (!inboundDays)
        return inboundDays.error();
    QList<ReportData::BackscatterDay> days;
    for (const auto& d : *inboundDays)
        days.append({d.day, d.day, d.count, 0});
    for (const auto& d : outbound->perDay)
        days.append({d.day, d.day, 0, d.count});
    QList<ReportData::BackscatterDay> far;
    data.backscatterPerDay = inPeriods(
        days, data.backscatterUnit,
        [](ReportData::BackscatterDay& sum, const ReportData::BackscatterDay& day) {
            sum.inbound += day.inbound;
            sum.outbound += day.outbound;
        },
        &far);
    for (const ReportData::BackscatterDay& day : std::as_const(far))
        data.backscatterLeftOut += day.inbound + day.outbound;
    return {};
}

} // namespace

QDateTime ReportBuilder::fateTime(const FateRecord& f)
{
    for (const QDateTime& t : {f.queuedAt, f.firstAttemptAt, f.finalAt, f.bounceAt}) {
        if (t.isValid())
            return t.toUTC();
    }
    return {};
}

bool ReportBuilder::inPeriod(const QDateTime& t, const ReportOptions& o)
{
    if (!o.from.isValid() && !o.to.isValid())
        return true;
    if (!t.isValid())
        return false;
    const QDate day = t.toUTC().date();
    return (!o.from.isValid() || day >= o.from) && (!o.to.isValid() || day <= o.to);
}

Result<ReportData> ReportBuilder::build(store::ProjectStore& store, const ReportOptions& options,
                                        ProgressSink* progress)
{
    auto redactorOr = Redactor::forProject(store, options.redact);
    if (!redactorOr)
        return redactorOr.error();
    const Redactor redactor = *redactorOr;
    ReportData data;
    data.projectFile = store.path();
    data.generatedAt = QDateTime::currentDateTimeUtc();
    data.from = options.from;
    data.to = options.to;
    data.redacted = options.redact;
    data.title = options.title;
    if (data.title.isEmpty()) {
        auto setting = store.setting(u"project_title"_s);
        if (setting && setting->has_value())
            data.title = **setting;
    }
    if (data.title.isEmpty())
        data.title = QFileInfo(store.path()).completeBaseName();
    if (auto ok = addScope(store, data, options); !ok)
        return ok.error();

    const ProviderMap& providers = ProviderMap::builtIn();
    std::map<QString, DomainAccumulator> domains;
    std::map<QString, ReasonAccumulator> reasons;
    std::map<QDate, ReportData::FateCounts> days;
    std::set<QString> messages;
    QList<qint64> toBounce;
    SuppressionList suppression;
    int bestExample[3] = {-1, -1, -1};
    store::FateRepository fates(store);
    auto total = fates.count();
    if (!total)
        return total.error();
    qint64 seen = 0;
    bool stopped = false;
    QElapsedTimer throttle;
    throttle.start();
    auto done = fates.forEach([&](const FateRecord& f) {
        ++seen;
        if (progress && throttle.elapsed() > 100) {
            throttle.restart();
            progress->report(seen, *total, u"fates");
            if (progress->stopRequested()) {
                stopped = true;
                return false;
            }
        }
        const QDateTime at = fateTime(f);
        if (!inPeriod(at, options))
            return true;
        const int fi = int(f.fate);
        ++data.fates[size_t(fi)];
        ++data.recipients;
        messages.insert(f.messageId.isEmpty() ? f.host + u'/' + f.queueId : f.messageId);
        if (at.isValid()) {
            if (!data.firstSeen.isValid() || at < data.firstSeen)
                data.firstSeen = at;
            if (!data.lastSeen.isValid() || at > data.lastSeen)
                data.lastSeen = at;
            ++days[at.date()][size_t(fi)];
        }
        if (f.deferrals > 0)
            ++data.deferredOnce;
        if (f.fate == Fate::Rejected
            && std::any_of(f.steps.cbegin(), f.steps.cend(),
                           [](const store::TimelineStep& s) { return s.kind == store::TimelineStep::Kind::Refused; }))
            ++data.refusedBySmarthost;
        const bool failed = f.fate == Fate::Rejected || f.fate == Fate::Expired || f.fate == Fate::AsyncBounce;
        if (failed && bounce::ReasonClassifier::isHardBounce(f.reason, f.status + u' ' + f.diagnostic))
            ++data.hardBounces;
        const QString domain = bounce::Address::domainOf(f.recipient).toLower();
        DomainAccumulator& d = domains[domain];
        if (d.provider.isEmpty())
            d.provider = providers.providerForDomain(domain);
        ++d.fates[size_t(fi)];
        ++d.total;
        if (f.fate == Fate::Delivered && f.queuedAt.isValid() && f.finalAt.isValid())
            d.deliverySeconds << double(f.queuedAt.secsTo(f.finalAt));
        if (failed) {
            const QString reason = f.reason.isEmpty() ? u"undefined"_s : f.reason;
            const QString code = codeOf(f);
            ++d.reasons[code.isEmpty() ? reason : reason + u' ' + code];
            ReasonAccumulator& r = reasons[reason];
            ++r.count;
            if (!code.isEmpty())
                ++r.codes[code];
            if (r.example.isEmpty() && !f.diagnostic.isEmpty())
                r.example = redactor.text(f.diagnostic);
            suppression.addFate(f);
        }
        if (f.fate == Fate::AsyncBounce && f.secondsToBounce() >= 0)
            toBounce << f.secondsToBounce();
        if (const int ei = exampleIndex(f.fate); ei >= 0) {
            const int score = exampleScore(f);
            if (score > bestExample[ei]) {
                bestExample[ei] = score;
                data.examples[ei] = redacted(f, redactor);
            }
        }
        return true;
    });
    if (!done)
        return done.error();
    if (stopped)
        return makeError(ErrorCode::Cancelled, u"report stopped"_s);
    data.messages = qint64(messages.size());
    QList<ReportData::Day> perDay;
    for (const auto& [day, counts] : days)
        perDay << ReportData::Day{day, day, counts};
    QList<ReportData::Day> far;
    data.perDay = inPeriods(
        perDay, data.perDayUnit,
        [](ReportData::Day& sum, const ReportData::Day& day) {
            for (size_t i = 0; i < sum.fates.size(); ++i)
                sum.fates[i] += day.fates[i];
        },
        &far);
    for (const ReportData::Day& day : std::as_const(far)) {
        for (const qint64 n : day.fates)
            data.perDayLeftOut += n;
    }
    data.timeToBounce = DashboardDataBuilder::histogram(toBounce);
    data.asyncWithTimes = toBounce.size();

    QList<ReportData::DomainRow> rows;
    for (const auto& [domain, d] : domains) {
        ReportData::DomainRow row{d.provider, domain.isEmpty() ? u"(no domain)"_s : domain, d.fates, d.total,
                                  percentile(d.deliverySeconds, 0.5), percentile(d.deliverySeconds, 0.95), {}};
        for (const auto& [reason, n] : largestFirst(d.reasons, kTopReasons))
            row.topReasons << u"%1 (%2)"_s.arg(reason).arg(n);
        rows << row;
    }
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.total > b.total; });
    if (rows.size() > kMaxDomains) {
        ReportData::DomainRow rest{u"\u2014"_s, u"%1 other domains"_s.arg(rows.size() - kMaxDomains + 1), {}, 0, -1, -1, {}};
        for (qsizetype i = kMaxDomains - 1; i < rows.size(); ++i) {
            for (int k = 0; k < ReportData::kFates; ++k)
                rest.fates[size_t(k)] += rows[i].fates[size_t(k)];
            rest.total += rows[i].total;
        }
        rows.resize(kMaxDomains - 1);
        rows << rest;
    }
    data.domains = rows;

    for (const ReasonGroup g : allReasonGroups()) {
        QList<ReportData::ReasonRow> group;
        for (const auto& [reason, r] : reasons) {
            if (reasonGroupOf(reason) != g)
                continue;
            ReportData::ReasonRow row{reason, g, r.count, {}, r.example};
            for (const auto& [code, n] : largestFirst(r.codes, kTopCodes))
                row.codes << code;
            group << row;
        }
        std::stable_sort(group.begin(), group.end(), [](const auto& a, const auto& b) { return a.count > b.count; });
        data.reasons << group;
    }

    // Complaints (ARF feedback reports) name the address that complained.
    auto complaints = store.forEachBounceRow({bounce::MessageKind::Feedback}, [&](const store::BounceRow& row) {
        const QDateTime at = row.report.date.toUTC();
        if (inPeriod(at, options) || (!at.isValid() && !options.from.isValid() && !options.to.isValid()))
            suppression.addComplaint(row.report.recipients.constFirst().recipient, at, row.messageId);
        return true;
    });
    if (!complaints)
        return complaints.error();
    data.suppression = suppression.entries();
    for (SuppressionEntry& e : data.suppression)
        e.address = redactor.address(e.address);

    if (auto ok = addBackscatter(store, data, options, redactor); !ok)
        return ok.error();
    return data;
}

} // namespace bi::core::report
