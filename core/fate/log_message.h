// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

#include "core/logs/log_event.h"
#include "core/store/log_chunk_codec.h"

namespace bi::core::fate {

/// One delivery attempt for one recipient, as the log tells it.
struct LoggedAttempt {
    QDateTime time;
    logs::DeliveryOutcome outcome = logs::DeliveryOutcome::None;
    QString dsn;
    int smtpCode = 0;
    QString text;
    QString relay;
    QString nextQueueId;
    qint64 eventRow = 0;
    /// The smarthost itself refused this recipient while its client submitted the message
    /// (Postfix `reject: RCPT`, Sendmail `<rcpt>... User unknown`): no delivery was tried.
    bool refused = false;
    /// For a refusal: the SMTP command it answered, "RCPT", or "DATA" for a message the
    /// smarthost's content checks refused at its end (Postfix cleanup: milter, header, body).
    QString refusedCommand = {};
    /// Delivered (or tried) into a mailbox on our side, not to another MTA (isMailboxDelivery).
    bool mailbox = false;
    /// Sent to another transport of our own organisation, by the log's own word (isInternalHop).
    bool internalHop = false;
};

/// A recipient's attempts inside one logged message.
struct LoggedRecipient {
    QString address;
    QString originalAddress;
    QList<LoggedAttempt> attempts; ///< skipped attempts ("retry time not reached") left out
    /// The last skipped attempt's text: a recipient the log only shows as not tried (Exim's
    /// retry time not reached, deferred before the log began) is still pending.
    QString skippedText;
    /// Asynchronous bounces the MTA's own bounce processor parsed after a delivery (PowerMTA
    /// `rb` rows), in log order.
    QList<LoggedAttempt> remoteBounces;
};

/// A notice the smarthost generated about the message (bounce, delay warning).
struct LoggedNotice {
    QDateTime time;
    logs::NotificationKind kind = logs::NotificationKind::Unknown;
    QString newQueueId;
    qint64 eventRow = 0;
};

/// One message's life on one smarthost, assembled from its log events: from its arrival
/// to its removal. A queue id that comes back after removal starts a new LogMessage.
struct LogMessage {
    logs::LogFormat format = logs::LogFormat::Unknown;
    QString host;
    QString queueId;
    QString messageId;
    QString sender;
    bool hasSender = false;     ///< false when no line named the sender
    QString parentQueueId;      ///< set for a notice the smarthost generated about another message
    QString jobId;
    QString envelopeId;
    /// qmail: the qp of the process that queued the message, which the message's own
    /// Received field names ("qmail 16552 invoked from network"); a bounce quoting it is its.
    QString queuingProcess;
    qint64 size = -1;
    QString client;
    QDateTime queuedAt;
    QDateTime expiredAt;        ///< whole-message expiry (Postfix "status=expired")
    QDateTime removedAt;
    qint64 queuedRow = 0;       ///< the log event that gave queuedAt (the timeline step cites it)
    qint64 expiredRow = 0;      ///< the one that gave expiredAt
    bool expiredByAdmin = false; ///< the administrator ended it (Postfix "status=force-expired")
    qint64 removedRow = 0;      ///< the one that gave removedAt
    QList<LoggedRecipient> recipients;
    QList<LoggedNotice> notices;
    qint64 firstEventRow = 0;

    /// A message with the null sender `<>`: a notice, not mail we were asked to send.
    [[nodiscard]] bool isNotice() const { return hasSender && sender.isEmpty(); }
    [[nodiscard]] LoggedRecipient& recipient(const QString& address);
};

/// A recipient the MTA refused with a permanent (5xx) reply while a client submitted mail:
/// an SmtpReject with a recipient and a 5xx code, a 5.x.x status, or (without either, as Exim
/// and Sendmail log it) a permanent outcome.
[[nodiscard]] bool isPermanentRefusal(const logs::LogEvent& e);
/// The attempt a refusal stands for in its recipient's timeline (event row: the stored event's
/// id): permanent, refused, with the client in relay, at RCPT or, for Postfix cleanup's content
/// checks, at DATA.
[[nodiscard]] LoggedAttempt refusalAttempt(const logs::LogEvent& e, qint64 eventRow);

/// Groups the events of one (host, queue id), in time order, into LogMessages.
/// Thread: any; stateless.
class LogMessageAssembler final {
public:
    /// A stored event with its id (the rows the steps cite): as the log repository hands
    /// them out, so a queue group goes to the assembler without moving its events.
    using Event = store::StoredLogEvent;
    /// unclaimed, when given, gets the permanent refusals no message took: of a transaction
    /// that took no recipient, or of another sender than the message's (an earlier
    /// transaction of the same session). FateEngine::decideUnqueued() judges them.
    [[nodiscard]] static QList<LogMessage> assemble(const QList<Event>& events, QList<Event>* unclaimed = nullptr);
};

} // namespace bi::core::fate
