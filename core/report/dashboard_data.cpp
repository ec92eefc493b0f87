// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/report/dashboard_data.h"

#include <algorithm>
#include <map>

#include <QHash>

#include "core/backscatter/backscatter_series.h"
#include "core/logs/log_event.h"
#include "core/report/provider_map.h"
#include "core/store/dashboard_queries.h"
#include "core/store/fate_record.h"
#include "core/store/log_repository.h"
#include "core/store/project_store.h"

using namespace Qt::StringLiterals;

namespace bi::core::report {

namespace {

struct BinEdge {
    double maxHours;
    const char16_t* label;
};

// Hours to weeks: receiving systems bounce within minutes (content scanners), hours (queue
// runs) or days (their own retry lifetime, typically 2 to 5 days).
constexpr BinEdge kBins[] = {
    {1, u"<1 h"}, {2, u"1–2 h"}, {4, u"2–4 h"}, {8, u"4–8 h"}, {12, u"8–12 h"}, {24, u"12–24 h"},
    {48, u"1–2 d"}, {72, u"2–3 d"}, {168, u"3–7 d"}, {336, u"1–2 wk"}, {-1, u"≥2 wk"},
};

Result<QList<DayCount>> deferralsPerDay(const store::ProjectStore& store)
{
    std::map<QDate, qint64> perDay;
    store::LogRepository logs(store);
    auto ok = logs.forEachByQueue([&perDay](const store::StoredLogEvent& e) {
        const logs::LogEvent& ev = e.event;
        if (ev.type == logs::LogEventType::DeliveryAttempt && ev.outcome == logs::DeliveryOutcome::Deferred
            && !ev.skipped && ev.time.isValid())
            ++perDay[ev.time.toUTC().date()];
        return true;
    });
    if (!ok)
        return ok.error();
    QList<DayCount> out;
    for (const auto& [day, count] : perDay)
        out << DayCount{day, day, count};
    return out;
}

QList<ProviderFates> providerFates(const QList<store::DashboardQueries::DomainFateCount>& rows)
{
    const ProviderMap& map = ProviderMap::builtIn();
    QHash<QString, ProviderFates> byLabel;
    for (const auto& r : rows) {
        const QString provider = map.providerForDomain(r.domain);
        const QString label = provider.isEmpty() ? (r.domain.isEmpty() ? u"(no domain)"_s : r.domain) : provider;
        ProviderFates& p = byLabel[label];
        if (p.label.isEmpty()) {
            p.label = label;
            p.field = provider.isEmpty() ? u"domain"_s : u"provider"_s;
            p.value = provider.isEmpty() ? r.domain : provider;
        }
        bool ok = false;
        const int fate = int(store::fateFromName(r.fate, &ok));
        if (ok && fate >= 0 && fate < ProviderFates::kFates)
            p.byFate[size_t(fate)] += r.count;
    }
    QList<ProviderFates> all = byLabel.values();
    std::sort(all.begin(), all.end(), [](const ProviderFates& a, const ProviderFates& b) {
        return a.total() != b.total() ? a.total() > b.total() : a.label < b.label;
    });
    if (all.size() <= DashboardDataBuilder::kMaxProviders + 1)
        return all;
    ProviderFates rest;
    rest.label = u"Other domains"_s;
    for (qsizetype i = DashboardDataBuilder::kMaxProviders; i < all.size(); ++i) {
        for (int f = 0; f < ProviderFates::kFates; ++f)
            rest.byFate[size_t(f)] += all.at(i).byFate[size_t(f)];
    }
    all.resize(DashboardDataBuilder::kMaxProviders);
    all << rest;
    return all;
}

} // namespace

qint64 ProviderFates::total() const
{
    qint64 sum = 0;
    for (qint64 n : byFate)
        sum += n;
    return sum;
}

QString HistogramBin::filterValue() const
{
    return QString::number(minHours) + u',' + (maxHours < 0 ? QString() : QString::number(maxHours));
}

QList<HistogramBin> DashboardDataBuilder::histogram(const QList<qint64>& seconds)
{
    QList<HistogramBin> bins;
    double min = 0;
    for (const BinEdge& e : kBins) {
        bins << HistogramBin{min, e.maxHours, QString::fromUtf16(e.label), 0};
        min = e.maxHours;
    }
    for (qint64 s : seconds) {
        const double hours = double(s) / 3600.0;
        for (HistogramBin& b : bins) {
            if (b.maxHours < 0 || hours < b.maxHours) {
                ++b.count;
                break;
            }
        }
    }
    return bins;
}

Result<DashboardData> DashboardDataBuilder::load(const store::ProjectStore& store)
{
    DashboardData d;
    const store::DashboardQueries queries(store);

    // With verdicts (core/backscatter, computed after every import) the volume is split into
    // ours / backscatter / outbound / uncertain. Without any, every bounce counts as legitimate
    // and the backscatter series stay empty (hasBackscatterVerdicts false): nothing is guessed.
    auto series = backscatter::BackscatterSeries::load(store, backscatter::BackscatterSeries::Bucket::Day);
    if (!series)
        return series.error();
    QList<VolumeDay> days;
    if (!series->total.isEmpty()) {
        d.hasBackscatterVerdicts = true;
        for (const backscatter::VolumePoint& p : std::as_const(series->total)) {
            if (p.legitimate + p.backscatter + p.outbound + p.uncertain == 0)
                continue; // the series fills gaps; inPeriods() does, within the chart's span
            const QDate day = QDateTime::fromMSecsSinceEpoch(p.startMs, Qt::UTC).date();
            days << VolumeDay{day, day, p.legitimate, p.backscatter, p.outbound, p.uncertain};
        }
    } else {
        auto bounces = queries.bouncesPerDay();
        if (!bounces)
            return bounces.error();
        for (const auto& b : std::as_const(*bounces))
            days << VolumeDay{b.day, b.day, b.count, 0, 0, 0};
    }
    const auto addVolume = [](VolumeDay& sum, const VolumeDay& day) {
        sum.legitimate += day.legitimate;
        sum.inbound += day.inbound;
        sum.outbound += day.outbound;
        sum.uncertain += day.uncertain;
    };
    QList<VolumeDay> farDays;
    d.volume = inPeriods(days, d.volumeUnit, addVolume, &farDays);
    VolumeDay far;
    for (const VolumeDay& day : std::as_const(farDays))
        addVolume(far, day);
    d.volumeLeftOut = far.legitimate + far.inbound + far.outbound + far.uncertain;

    auto domains = queries.fatesPerDomain();
    if (!domains)
        return domains.error();
    for (const auto& r : std::as_const(*domains))
        d.fates += r.count;
    d.providers = providerFates(*domains);

    auto reasons = queries.failureReasons();
    if (!reasons)
        return reasons.error();
    for (const ReasonGroup g : allReasonGroups()) {
        for (const auto& r : std::as_const(*reasons)) {
            if (reasonGroupOf(r.reason) == g)
                d.reasons << ReasonSlice{r.reason, g, r.count};
        }
    }
    for (const ReasonSlice& r : std::as_const(d.reasons))
        d.failedFates += r.count;

    auto seconds = queries.secondsToBounce();
    if (!seconds)
        return seconds.error();
    d.timeToBounce = histogram(*seconds);

    auto deferrals = deferralsPerDay(store);
    if (!deferrals)
        return deferrals.error();
    QList<DayCount> farDeferrals;
    d.deferralsPerDay = inPeriods(
        *deferrals, d.deferralUnit, [](DayCount& sum, const DayCount& day) { sum.count += day.count; }, &farDeferrals);
    for (const DayCount& day : std::as_const(farDeferrals))
        d.deferralsLeftOut += day.count;
    return d;
}

} // namespace bi::core::report
