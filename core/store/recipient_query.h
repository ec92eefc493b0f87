// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QList>
#include <QString>
#include <QStringList>

#include "core/common/result.h"

namespace bi::core::store {

class ProjectStore;

/// What the recipient list shows: fates rows that pass every set field (fields combine with AND,
/// the values of one list field with OR). Empty fields do not filter.
struct RecipientFilter {
    QString text;               ///< part of the recipient address (case-insensitive)
    QStringList domains;        ///< receiving domains, exact (a provider is the list of its domains)
    QStringList fates;          ///< fate names (fateName())
    QStringList reasons;        ///< reason vocabulary (a reason group is the list of its reasons)
    QString statusClass;        ///< "2", "4" or "5": RFC 3463 class, or the reply code's first digit
    std::optional<qint64> fromMs; ///< row time (UTC ms) at or after
    std::optional<qint64> toMs;   ///< row time (UTC ms) before
    QStringList decidedBy;      ///< "log", "mailbox", "log+mailbox": where the fate was learned from
    QStringList verdicts;       ///< "ours", "backscatter", "uncertain"; "none" = no verdict
    std::optional<qint64> bounceSecondsMin; ///< time to bounce, seconds, inclusive
    std::optional<qint64> bounceSecondsMax; ///< time to bounce, seconds, inclusive

    [[nodiscard]] bool isEmpty() const;
    friend bool operator==(const RecipientFilter&, const RecipientFilter&) = default;
};

/// The list's columns, in display order; also the sort keys.
enum class RecipientColumn { Time, Recipient, Domain, Fate, Reason, Status, Attempts, TimeToBounce, Verdict, Count };

struct RecipientSort {
    RecipientColumn column = RecipientColumn::Time;
    bool descending = false;
    friend bool operator==(const RecipientSort&, const RecipientSort&) = default;
};

/// One row of the list: a fate with the verdict of the bounce that decided it.
struct RecipientRow {
    qint64 fateId = 0;           ///< fates.id
    qint64 bounceMessageId = 0;  ///< messages.id of the bounce, 0 when none
    std::optional<qint64> timeMs; ///< queued, else final, else bounce time (UTC ms)
    QString recipient;
    QString domain;
    QString fate;
    QString reason;
    QString status;              ///< RFC 3463 code, else the SMTP reply code
    int attempts = 0;
    qint64 secondsToBounce = -1; ///< accepted → asynchronous bounce; -1 when not an async bounce
    QString verdict;             ///< ours, backscatter, uncertain; '' when none
    double verdictScore = -1;    ///< P(backscatter); -1 when no verdict
    QString decidedBy;
};

/// The recipient list in SQL: filtered, sorted and paged by SQLite so a million rows never sit in
/// memory (issue 6). Uses the store's connection; call from the thread that opened it.
/// Errors: SQLite refusal (ErrorCode::Database), interrupted queries included.
class RecipientQuery final {
public:
    explicit RecipientQuery(const ProjectStore& store);

    /// Rows that pass the filter (COUNT(*) with the page query's WHERE).
    [[nodiscard]] Result<qint64> count(const RecipientFilter& filter) const;
    /// At most limit rows from offset in sort order (ties broken by fates.id).
    [[nodiscard]] Result<QList<RecipientRow>> page(const RecipientFilter& filter, const RecipientSort& sort,
                                                   qint64 offset, int limit) const;
    /// Whether the project has bounce verdicts (schema 3+); without them the column stays empty.
    [[nodiscard]] bool hasVerdicts() const { return m_hasVerdicts; }

private:
    /// The fates the free-text index (RecipientGrams) leaves for text: for three bytes or more
    /// and fewer than kTextIndexLimit candidates; a text matching more rows is faster to find
    /// by reading the recipients, and the page comes quickly either way.
    [[nodiscard]] std::optional<QList<qint64>> textCandidates(const QString& text) const;

    QString m_connection;
    bool m_hasVerdicts = false;
    bool m_hasTextIndex = false;
};

} // namespace bi::core::store
