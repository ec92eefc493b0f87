// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <map>

#include <QList>
#include <QString>

#include "core/common/result.h"

namespace bi::core::store {
class ProjectStore;
}

namespace bi::core::backscatter {

/// Counts of one time bucket.
struct VolumePoint {
    qint64 startMs = 0;          ///< UTC ms where the bucket starts
    qint64 legitimate = 0;       ///< bounces about our mail (verdict ours)
    qint64 backscatter = 0;      ///< inbound backscatter
    qint64 outbound = 0;         ///< notices our smarthosts sent outside our domains
    qint64 uncertain = 0;
};

/// The volume series of backscatter for charts and the report: per day or per hour, in
/// total, split by reporting MTA, by the (forged) sender address the bounces went to, and
/// outbound notices by destination domain. Built from bounce_verdicts and
/// outbound_backscatter; bounces without a date are left out. Thread: value type; load()
/// uses the store's thread.
struct BackscatterSeries {
    enum class Bucket { Day, Hour };
    Bucket bucket = Bucket::Day;
    qint64 offsetMs = 0;         ///< buckets are local to this UTC offset
    QList<VolumePoint> total;    ///< every bucket from the first to the last, gaps filled with zeros
    std::map<QString, QList<VolumePoint>> byReportingMta; ///< only the buckets with counts
    std::map<QString, QList<VolumePoint>> bySender;       ///< bounce address (tags removed)
    std::map<QString, QList<VolumePoint>> outboundByDomain;

    [[nodiscard]] static Result<BackscatterSeries> load(const store::ProjectStore& store, Bucket bucket,
                                                        qint64 offsetMs = 0);
    [[nodiscard]] static qint64 bucketMs(Bucket bucket);
    /// CSV with a header: period,split,key,legitimate,inbound_backscatter,outbound_backscatter,
    /// uncertain — split is total, reporting_mta, sender or outbound_domain.
    [[nodiscard]] QString toCsv() const;
};

} // namespace bi::core::backscatter
