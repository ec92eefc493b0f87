// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/backscatter/backscatter_series.h"

#include <algorithm>

#include <QDateTime>

#include "core/store/backscatter_repository.h"
#include "core/store/project_store.h"

using namespace Qt::StringLiterals;

namespace bi::core::backscatter {

namespace {

VolumePoint& pointAt(QList<VolumePoint>& points, qint64 start)
{
    if (points.isEmpty() || points.constLast().startMs != start) {
        // Rows arrive sorted by bucket for the totals; other splits may jump back.
        for (VolumePoint& p : points) {
            if (p.startMs == start)
                return p;
        }
        points.append(VolumePoint{start, 0, 0, 0, 0});
        std::sort(points.begin(), points.end(), [](const auto& a, const auto& b) { return a.startMs < b.startMs; });
        for (VolumePoint& p : points) {
            if (p.startMs == start)
                return p;
        }
    }
    return points.last();
}

void count(VolumePoint& p, const QString& verdict, qint64 n)
{
    if (verdict == u"ours")
        p.legitimate += n;
    else if (verdict == u"backscatter")
        p.backscatter += n;
    else
        p.uncertain += n;
}

QString csvField(const QString& s)
{
    if (!s.contains(u',') && !s.contains(u'"') && !s.contains(u'\n'))
        return s;
    QString q = s;
    q.replace(u'"', u"\"\""_s);
    return u'"' + q + u'"';
}

} // namespace

qint64 BackscatterSeries::bucketMs(Bucket bucket)
{
    return bucket == Bucket::Day ? 86400LL * 1000 : 3600LL * 1000;
}

Result<BackscatterSeries> BackscatterSeries::load(const store::ProjectStore& store, Bucket bucket, qint64 offsetMs)
{
    BackscatterSeries s;
    s.bucket = bucket;
    s.offsetMs = offsetMs;
    const qint64 size = bucketMs(bucket);
    store::BackscatterRepository repo(store);
    auto verdicts = repo.verdictCounts(size, offsetMs);
    if (!verdicts)
        return verdicts.error();
    auto outbound = repo.outboundCounts(size, offsetMs);
    if (!outbound)
        return outbound.error();

    std::map<qint64, VolumePoint> totals;
    for (const store::VerdictBucketCount& c : *verdicts) {
        VolumePoint& t = totals[c.bucketStartMs];
        t.startMs = c.bucketStartMs;
        count(t, c.verdict, c.count);
        count(pointAt(s.byReportingMta[c.reportingMta], c.bucketStartMs), c.verdict, c.count);
        count(pointAt(s.bySender[c.bounceTo], c.bucketStartMs), c.verdict, c.count);
    }
    for (const store::OutboundBucketCount& c : *outbound) {
        VolumePoint& t = totals[c.bucketStartMs];
        t.startMs = c.bucketStartMs;
        t.outbound += c.count;
        pointAt(s.outboundByDomain[c.domain], c.bucketStartMs).outbound += c.count;
    }
    if (!totals.empty()) {
        for (qint64 t = totals.begin()->first; t <= totals.rbegin()->first; t += size) {
            const auto it = totals.find(t);
            s.total << (it != totals.end() ? it->second : VolumePoint{t, 0, 0, 0, 0});
        }
    }
    return s;
}

QString BackscatterSeries::toCsv() const
{
    const QString format = bucket == Bucket::Day ? u"yyyy-MM-dd"_s : u"yyyy-MM-ddTHH:00"_s;
    auto period = [&](qint64 start) {
        return QDateTime::fromMSecsSinceEpoch(start + offsetMs, Qt::UTC).toString(format);
    };
    QString out = u"period,split,key,legitimate,inbound_backscatter,outbound_backscatter,uncertain\n"_s;
    auto rows = [&](const QString& split, const QString& key, const QList<VolumePoint>& points) {
        for (const VolumePoint& p : points) {
            out += period(p.startMs) + u',' + split + u',' + csvField(key) + u',' + QString::number(p.legitimate)
                + u',' + QString::number(p.backscatter) + u',' + QString::number(p.outbound) + u','
                + QString::number(p.uncertain) + u'\n';
        }
    };
    rows(u"total"_s, QString(), total);
    for (const auto& [key, points] : byReportingMta)
        rows(u"reporting_mta"_s, key, points);
    for (const auto& [key, points] : bySender)
        rows(u"sender"_s, key, points);
    for (const auto& [key, points] : outboundByDomain)
        rows(u"outbound_domain"_s, key, points);
    return out;
}

} // namespace bi::core::backscatter
