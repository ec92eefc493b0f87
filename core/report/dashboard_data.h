// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>

#include <QDate>
#include <QList>
#include <QString>

#include "core/common/result.h"
#include "core/report/calendar_periods.h"
#include "core/report/reason_group.h"

namespace bi::core::store {
class ProjectStore;
}

namespace bi::core::report {

/// Bounces arriving in one period of UTC days (CalendarPeriods), by what they are.
struct VolumeDay {
    QDate day;  ///< the period's first day
    QDate last; ///< its last day (day itself for a day)
    qint64 legitimate = 0; ///< bounces about mail we sent (all bounces until verdicts exist)
    qint64 inbound = 0;    ///< backscatter we received
    qint64 outbound = 0;   ///< notices our smarthosts sent to forged senders
    qint64 uncertain = 0;  ///< bounces the backscatter analysis could not decide
};

/// Fates of the recipients of one provider (or of one domain no provider claims).
struct ProviderFates {
    static constexpr int kFates = 5; ///< indexes: store::Fate values (delivered .. deferred)
    QString label;                   ///< what the chart shows
    QString field;                   ///< filter field: "provider", "domain", or "" (lumped rest)
    QString value;                   ///< filter value for field
    std::array<qint64, kFates> byFate{};
    [[nodiscard]] qint64 total() const;
};

/// Failed fates of one reason.
struct ReasonSlice {
    QString reason;  ///< sisimai vocabulary; "" when unknown
    ReasonGroup group = ReasonGroup::Other;
    qint64 count = 0;
};

/// One bin of the time-to-bounce histogram, [minHours, maxHours).
struct HistogramBin {
    double minHours = 0;
    double maxHours = -1; ///< < 0: open-ended
    QString label;        ///< "<1 h", "4–8 h", "1–2 d", "≥2 wk"
    qint64 count = 0;
    /// Filter value "min,max" in hours; max empty for the open-ended last bin ("336,").
    [[nodiscard]] QString filterValue() const;
};

/// A count in one period of UTC days (CalendarPeriods).
struct DayCount {
    QDate day;  ///< the period's first day
    QDate last; ///< its last day (day itself for a day)
    qint64 count = 0;
};

/// Everything the dashboard (and the report) draws, as plain values.
struct DashboardData {
    QList<VolumeDay> volume;           ///< ascending, every period from the first bounce's to the last's
    PeriodUnit volumeUnit = PeriodUnit::Day;
    qint64 volumeLeftOut = 0;          ///< bounces dated far from the rest, not in volume (kMaxChartGapDays)
    bool hasBackscatterVerdicts = false; ///< inbound/outbound are real (else zero: not computed)
    QList<ProviderFates> providers;    ///< largest first; at most kMaxProviders plus one lumped rest
    QList<ReasonSlice> reasons;        ///< by group (display order), then count descending
    QList<HistogramBin> timeToBounce;  ///< every bin, empty ones included
    QList<DayCount> deferralsPerDay;   ///< logged deferrals per period, ascending, every period
    PeriodUnit deferralUnit = PeriodUnit::Day;
    qint64 deferralsLeftOut = 0;       ///< deferrals dated far from the rest, not in deferralsPerDay
    qint64 fates = 0;
    qint64 failedFates = 0;
};

/// Computes DashboardData from a project. Thread: the store's thread (a worker with its own
/// connection in the UI). Time: one pass over the fates' aggregates plus one decode of the log
/// events for the deferral counts. Errors: SQLite refused, damaged log chunks.
class DashboardDataBuilder final {
public:
    static constexpr int kMaxProviders = 8; // nine rows at most: each name stays legible

    [[nodiscard]] static Result<DashboardData> load(const store::ProjectStore& store);

    /// The histogram's bins (hours to weeks) filled from seconds-to-bounce values.
    [[nodiscard]] static QList<HistogramBin> histogram(const QList<qint64>& seconds);
};

} // namespace bi::core::report
