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
    /// How the tracker steps from the current month to a stamp's month.
    enum class Step { Same, NewYear, Straggler };
    [[nodiscard]] static Step stepOf(int currentMonth, int month);

    /// A file's year-less stamps as the tracker reads them: the New Years it counts and the
    /// stamp it dates latest. A file read only in part (its head and its tail) is the spans of
    /// the parts appended: the unread middle counts one New Year when the later part begins
    /// earlier in the year than the former got to.
    class Span final {
    public:
        void see(DayTime stamp);
        void append(const Span& later);
        [[nodiscard]] bool isEmpty() const { return m_month == 0; }
        /// The stamp the tracker dates latest: the furthest on in the year of the last New Year.
        [[nodiscard]] DayTime latest() const { return m_latest; }
        [[nodiscard]] int newYears() const { return m_newYears; }

    private:
        DayTime m_first;
        DayTime m_latest;
        int m_newYears = 0;
        int m_month = 0;
    };

    /// The anchor that dates a file from its end: its latest stamp not after anchor, its first
    /// as many New Years before as the tracker will count (a test file of snippets may hold
    /// several). Anchoring the first line alone dated a log of Nov 22 to Dec 28 copied on Dec 1
    /// into the future. Never later than anchor; zone is the source's.
    [[nodiscard]] static QDateTime spanAnchor(const QDateTime& anchor, const QTimeZone& zone, const Span& span);

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
