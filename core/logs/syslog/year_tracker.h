// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDate>
#include <QDateTime>
#include <QTimeZone>
#include <QTime>

namespace bi::core::logs {

/// Guesses the year of classic syslog stamps (`Mmm dd hh:mm:ss`), which have none.
///
/// The first stamp gets the anchor's year, or the year before when that would put it after
/// the anchor (a rotated file's mtime is after its last line). While reading forward, a month
/// more than six months *before* the current one means New Year passed (Dec → Jan): the year
/// goes up by one. A month more than six months *after* the current one is a straggler from
/// the previous year (interleaved hosts) and gets the year before, without changing state.
/// One tracker per file: rotated files each have their own anchor.
/// Thread: one thread at a time.
class YearTracker final {
public:
    /// anchorDate/anchorTime: the anchor as wall-clock time of the source's zone.
    YearTracker(QDate anchorDate, QTime anchorTime);

    /// The year for a stamp of this month (1-12), day and seconds since midnight.
    [[nodiscard]] int yearFor(int month, int day, int secsOfDay);

    /// A year-less stamp: month (1-12), day, seconds since midnight.
    struct DayTime {
        int month = 0;
        int day = 0;
        int secsOfDay = 0;
    };
    /// The anchor that dates a file from its end: its last stamp (last) not after anchor, its
    /// first (first) as many New Years before as the two show (one when the last falls earlier
    /// in the year than the first). Anchoring the first line alone dated a log of Nov 22 to
    /// Dec 28 copied on Dec 1 into the future. Never later than anchor; zone is the source's.
    [[nodiscard]] static QDateTime spanAnchor(const QDateTime& anchor, const QTimeZone& zone, DayTime first,
                                              DayTime last);

    /// Tolerance for "after the anchor": clocks of several hosts and the anchor's own zone
    /// disagree a little, so a first line up to a day after the anchor still counts as before.
    static constexpr int kToleranceSeconds = 86400;

private:
    QDate m_anchorDate;
    int m_anchorSecs = 0;
    int m_year = 0;
    int m_month = 0;
    bool m_started = false;
};

} // namespace bi::core::logs
