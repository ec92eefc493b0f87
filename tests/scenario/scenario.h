// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <QTimeZone>

namespace bi::scenario {

/// What actually happened to one recipient of one message: the truth the fate engine
/// is checked against.
struct TruthRecord {
    QString messageId;      ///< without angle brackets
    QString postfixQueueId;
    QString eximId;
    QString host;           ///< the smarthost that handled it
    QString sender;
    QString recipient;
    QString fate;           ///< delivered, rejected, expired, async_bounce, deferred
    QString reason;         ///< sisimai vocabulary, empty for delivered/deferred
    QString status;         ///< RFC 3463 code of the final failure
    QString replyCode;
    QDateTime queuedAt;     ///< UTC
    QDateTime finalAt;      ///< UTC; invalid for deferred
    QDateTime bounceAt;     ///< UTC; async bounces only
    QString bounceStyle;    ///< how the async bounce / NDR was written
    int attempts = 0;
    int deferrals = 0;
};

/// Settings of one generated scenario. The same seed gives byte-identical output.
struct ScenarioOptions {
    quint64 seed = 1;
    int messages = 400;
    /// First message, local wall clock of the smarthosts (UTC+01:00, no DST).
    QDateTime start = QDateTime(QDate(2025, 12, 29), QTime(8, 0), QTimeZone(3600));
    int days = 8;           ///< sending spreads over this many days (crosses New Year by default)
    int queueLifetimeDays = 5;
    /// Bounces of spam that forged one of our addresses as its sender (inbound backscatter),
    /// written into both mailboxes in several real styles; listed in backscatter.jsonl.
    int backscatter = 0;
    /// Spam our smarthosts accept for unknown local users and then bounce to its forged
    /// external sender (outbound backscatter), in both logs; listed in outbound-backscatter.jsonl.
    int outboundBackscatter = 0;
};

/// Writes, into a directory:
///  - postfix.log          syslog (no year, UTC+01:00) from two smarthosts interleaved
///  - exim.log             the same traffic as an Exim mainlog
///  - mailbox-postfix.mbox the sender's mailbox as a Postfix smarthost would fill it
///  - mailbox-exim.mbox    the same with Exim-written notices
///  - truth.jsonl          one TruthRecord per (message, recipient)
///  - backscatter.jsonl, outbound-backscatter.jsonl (when asked for, see ScenarioOptions)
/// The mailboxes hold the smarthosts' own notices (rejections, expiries, delay warnings),
/// asynchronous bounces written by receiving systems in several real-world styles, auto-replies
/// and ordinary mail. Returns the truth; an empty list with `error` set when writing failed.
class ScenarioGenerator final {
public:
    explicit ScenarioGenerator(ScenarioOptions options);
    [[nodiscard]] QList<TruthRecord> writeTo(const QString& directory, QString* error = nullptr);

private:
    ScenarioOptions m_options;
};

} // namespace bi::scenario
