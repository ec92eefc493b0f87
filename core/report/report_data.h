// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>
#include <optional>

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include "core/report/dashboard_data.h"
#include "core/report/reason_group.h"
#include "core/report/suppression_list.h"
#include "core/store/fate_record.h"

namespace bi::core::report {

/// What the client report shows, computed from a project (ReportBuilder). Plain values: the
/// composer turns it into a ReportDocument, tests compare it with the CLI. Addresses are
/// already redacted when `redacted` is set.
struct ReportData {
    static constexpr int kFates = 5; ///< indexes: store::Fate values (delivered .. deferred)
    using FateCounts = std::array<qint64, kFates>;

    struct Source {
        QString name;       ///< file name (the path without its folders)
        QString kind;       ///< mbox, maildir, log, ...
        QString sha256;     ///< hex; empty when unknown
        qint64 size = 0;
        qint64 records = 0; ///< messages of a mailbox, lines of a log
        qint64 decoded = 0; ///< reports recognised, or log lines recognised as events
        QString status;
    };
    struct DomainRow {
        QString provider;   ///< mailbox provider, or the domain itself
        QString domain;
        FateCounts fates{};
        qint64 total = 0;
        double medianSeconds = -1;  ///< time from queueing to delivery, -1 when none delivered
        double p95Seconds = -1;
        QStringList topReasons;     ///< "userunknown 550 5.1.1 (3)", most frequent first
    };
    struct ReasonRow {
        QString reason;
        ReasonGroup group = ReasonGroup::Other;
        qint64 count = 0;
        QStringList codes;          ///< the providers' codes seen: "550 5.1.1", most frequent first
        QString example;            ///< one diagnostic text (redacted when asked)
    };
    /// Recipients by fate in one period of UTC days (CalendarPeriods).
    struct Day {
        QDate day;  ///< the period's first day
        QDate last; ///< its last day
        FateCounts fates{};
    };
    /// Backscatter notices in one period of UTC days.
    struct BackscatterDay {
        QDate day;  ///< the period's first day
        QDate last; ///< its last day
        qint64 inbound = 0;  ///< received
        qint64 outbound = 0; ///< sent by our servers
    };

    QString title;          ///< client or project name
    QString projectFile;
    QDateTime generatedAt;  ///< UTC
    QDate from;             ///< period start (invalid: from the first record)
    QDate to;               ///< period end, inclusive (invalid: to the last record)
    QDateTime firstSeen;    ///< earliest fate time in the period
    QDateTime lastSeen;
    bool redacted = false;

    QList<Source> sources;
    qint64 mailboxMessages = 0;
    qint64 mailboxReports = 0;
    qint64 mailboxOther = 0;
    qint64 bouncesUndecoded = 0;
    qint64 logLines = 0;
    qint64 logEvents = 0;

    FateCounts fates{};
    qint64 recipients = 0;          ///< fates in the period
    qint64 messages = 0;            ///< distinct messages among them
    qint64 hardBounces = 0;         ///< failed fates with a hard-bounce reason
    qint64 deferredOnce = 0;        ///< fates with at least one deferral
    qint64 refusedBySmarthost = 0;  ///< rejected fates our own smarthost refused at submission
    qint64 complaints = 0;          ///< feedback reports in the period
    QList<Day> perDay;              ///< every period from the first recipient's to the last's
    PeriodUnit perDayUnit = PeriodUnit::Day;
    qint64 perDayLeftOut = 0;       ///< recipients dated far from the rest, not in perDay
    QList<DomainRow> domains;       ///< largest first
    QList<ReasonRow> reasons;       ///< by group, then count
    QList<HistogramBin> timeToBounce;
    qint64 asyncWithTimes = 0;      ///< asynchronous bounces behind the histogram
    std::optional<store::FateRecord> examples[3]; ///< rejected, expired, async_bounce

    bool verdictsComputed = false;  ///< bounce_verdicts exist and hold rows
    qint64 inboundOurs = 0;
    qint64 inboundBackscatter = 0;
    qint64 inboundUncertain = 0;
    QList<std::pair<QString, qint64>> backscatterEvidence; ///< sentence, how many verdicts give it first
    qint64 outboundNotices = 0;
    QList<std::pair<QString, qint64>> outboundByKind;
    QList<std::pair<QString, qint64>> outboundByDomain;
    QList<BackscatterDay> backscatterPerDay; ///< every period from the first notice's to the last's
    PeriodUnit backscatterUnit = PeriodUnit::Day;
    qint64 backscatterLeftOut = 0;  ///< notices dated far from the rest, not in backscatterPerDay

    QList<SuppressionEntry> suppression;

    [[nodiscard]] qint64 failed() const { return fates[1] + fates[2] + fates[3]; }
};

} // namespace bi::core::report
