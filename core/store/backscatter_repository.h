// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include "core/common/result.h"

namespace bi::core::store {

class ProjectStore;

/// One row of bounce_verdicts (schema v3): is a mailbox bounce about our mail?
struct BounceVerdictRecord {
    qint64 messageId = 0;       ///< messages.id of the bounce
    QString verdict;            ///< "ours", "backscatter", "uncertain"
    double score = 0.5;         ///< estimated probability that it is backscatter, 0..1
    QStringList evidence;       ///< readable sentences, strongest first
    QString matchedBy;          ///< how it matched a logged send; empty when it did not
    bool logCovered = false;    ///< the imported logs cover the time of the original
    QString bounceTo;           ///< the (forged or real) sender the bounce went to, tags removed
    QString reportingMta;       ///< host that wrote the notice, lower case
    std::optional<qint64> atUtcMs; ///< the bounce's date
};

/// A verdict with the message fields the command line and the GUI list show.
struct BounceVerdictRow {
    BounceVerdictRecord record;
    QString file;
    int message = 0;            ///< 1-based index in file
    QString bounceMessageId;    ///< without angle brackets
    QString originalMessageId;  ///< without angle brackets
    QString subject;
};

/// One row of outbound_backscatter: a notice our smarthost generated about a message it had
/// accepted, sent to an address outside our own domains (column meanings in schema.cpp).
struct OutboundBackscatterRecord {
    qint64 id = 0;
    QString host;
    QString format;
    QString kind;
    std::optional<qint64> noticeAtUtcMs;
    QString noticeQueueId;
    QString noticeTo;
    QString noticeDomain;
    QString noticeResult;
    QString noticeRelay;
    QString origQueueId;
    QString origMessageId;
    QString origClient;
    QString origRecipient;
    std::optional<qint64> origAtUtcMs;
    QString status;
    QString replyCode;
    QString reason;
    std::optional<qint64> logEvent;
};

/// Counts of verdicts in one time bucket, split by reporting MTA and bounce address.
struct VerdictBucketCount {
    qint64 bucketStartMs = 0;
    QString verdict;
    QString reportingMta;
    QString bounceTo;
    qint64 count = 0;
};

/// Counts of outbound notices in one time bucket per destination domain.
struct OutboundBucketCount {
    qint64 bucketStartMs = 0;
    QString domain;
    qint64 count = 0;
};

/// Tables bounce_verdicts and outbound_backscatter (schema v3), and the read-only look at the
/// log tables the backscatter pass needs (which times the logs cover). Uses the ProjectStore's
/// connection: same thread, destroy it before the store. Errors: SQLite refused.
class BackscatterRepository final {
public:
    explicit BackscatterRepository(const ProjectStore& store);
    ~BackscatterRepository();
    BackscatterRepository(const BackscatterRepository&) = delete;
    BackscatterRepository& operator=(const BackscatterRepository&) = delete;

    /// Removes every verdict and outbound row; call inside the transaction that writes new ones.
    [[nodiscard]] Result<void> clear();
    [[nodiscard]] Result<void> addVerdict(const BounceVerdictRecord& record);
    [[nodiscard]] Result<qint64> addOutbound(const OutboundBackscatterRecord& record);

    /// Every verdict in (file, message) order, streamed; return false to stop.
    [[nodiscard]] Result<void> forEachVerdict(const std::function<bool(const BounceVerdictRow&)>& callback) const;
    /// The verdict of one bounce, if computed.
    [[nodiscard]] Result<std::optional<BounceVerdictRecord>> verdict(qint64 messageId) const;
    /// messages.id of every bounce judged backscatter while the imported logs cover the time
    /// of its original (and no logged send matched it): the verdicts that rest on the logs.
    [[nodiscard]] Result<QSet<qint64>> backscatterTheLogsConfirm() const;
    /// Every outbound notice in time order.
    [[nodiscard]] Result<QList<OutboundBackscatterRecord>> outbound() const;

    /// Verdicts counted per bucket of bucketMs (buckets start at multiples of bucketMs after
    /// shifting times by offsetMs, i.e. local days for offsetMs = the UTC offset). Bounces
    /// without a date are left out.
    [[nodiscard]] Result<QList<VerdictBucketCount>> verdictCounts(qint64 bucketMs, qint64 offsetMs = 0) const;
    [[nodiscard]] Result<QList<OutboundBucketCount>> outboundCounts(qint64 bucketMs, qint64 offsetMs = 0) const;

    /// The time spans (UTC ms, first and last stamped event) of every imported log source.
    [[nodiscard]] Result<QList<std::pair<qint64, qint64>>> logSpans() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_d;
};

} // namespace bi::core::store
