// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringView>
#include <QtGlobal>

namespace bi::core::logs {

/// The MTA log formats the reader understands (one sub-folder of core/logs each).
enum class LogFormat {
    Unknown,
    Postfix,   ///< syslog (classic or RFC 3339 stamps), any syslog_name/service/daemon
    Exim,      ///< mainlog (native or syslog-wrapped)
    Sendmail,  ///< syslog sendmail / sm-mta / sm-msp-queue
    Qmail,     ///< qmail-send via multilog (tai64n), tai64nlocal, splogger or syslog
    PowerMta,  ///< accounting CSV with header line
    Exchange,  ///< message tracking log (W3C-style CSV with #Fields)
    OpenSmtpd, ///< smtpd syslog, pre-6.4 and 6.4+ line shapes
};

/// What one event says happened. One log line gives zero, one or several events
/// (Exchange rows with several recipients, Exim bounce arrivals).
enum class LogEventType {
    /// A message entered the MTA: client (SMTP) or local submission (pickup, Exim `<= U=`,
    /// qmail `info msg`). Carries sender, size, client, Message-ID when the line has them.
    /// For a bounce the MTA made itself, parentQueueId names the message it reports on.
    Received,
    /// The queue manager picked the message up (Postfix `qmgr ... from=, size=, nrcpt= (queue
    /// active)`); logged again on every retry pass, nrcpt counts the recipients still to do.
    Queued,
    /// The RFC 5322 Message-ID of a queued message, logged on its own line (Postfix cleanup).
    /// messageId is empty when the message had none (`message-id=<>`).
    MessageId,
    /// One delivery result for one recipient; see outcome. `skipped` marks lines where the MTA
    /// reports a status without having tried (Exim retry time not reached, Postfix "delivery
    /// temporarily suspended").
    DeliveryAttempt,
    /// Queue lifetime over for the whole message (Postfix `status=expired, returned to
    /// sender`, Sendmail `Cannot send message for N days`). It applies to every recipient that
    /// is still deferred at that moment: the correlator expands it.
    MessageExpired,
    /// The MTA generated a DSN itself (bounce, delay warning, success notice, postmaster copy).
    /// queueId is the original message and newQueueId the DSN's own queue id when the format
    /// names them; referenceMessageId is the original's Message-ID when logged (Exchange).
    BounceGenerated,
    /// The message left the queue (Postfix `removed`, Exim `Completed`, qmail `end msg`).
    Removed,
    /// Refused during the SMTP dialogue, before or instead of queueing (Postfix NOQUEUE
    /// reject, Exim `rejected RCPT`, Sendmail `reject=`); the submitting client got the error.
    SmtpReject,
    /// An asynchronous DSN that the MTA's bounce processor parsed after a delivery (PowerMTA
    /// `rb`, and `rs` for remote status such as delay notices).
    RemoteBounce,
    /// A feedback-loop complaint (PowerMTA `f`).
    Complaint,
};

/// Result of a DeliveryAttempt (and of a RemoteBounce). An SmtpReject whose line says
/// permanent or temporary without a reply code (Exim) carries Bounced or Deferred.
enum class DeliveryOutcome {
    None,     ///< not a delivery event
    Sent,     ///< accepted by the next hop (which may still bounce later)
    Deferred, ///< temporary failure, will be retried
    Bounced,  ///< permanent failure for this recipient
    Expired,  ///< given up for this recipient because the queue lifetime ran out
};

/// Kind of DSN the MTA generated (BounceGenerated).
enum class NotificationKind {
    None,           ///< not a BounceGenerated event
    NonDelivery,    ///< failure report to the sender (RFC 3464 action failed)
    Delay,          ///< still-retrying warning to the sender (action delayed)
    Success,        ///< delivery notice requested with NOTIFY=SUCCESS (RFC 3461)
    PostmasterCopy, ///< copy of a failure report to the postmaster
    Unknown,        ///< a DSN whose kind the log does not say (Exim `<= <> R=`, qmail bounce)
};

/// One meaningful event read from an MTA log: a plain value, cheap to copy (implicitly shared
/// strings). Fields the line did not carry stay empty (strings), -1 (numbers) or invalid
/// (time). Thread: a value type, no shared state.
struct LogEvent {
    LogEventType type = LogEventType::Received;
    DeliveryOutcome outcome = DeliveryOutcome::None;
    NotificationKind notification = NotificationKind::None;
    LogFormat format = LogFormat::Unknown;

    /// When it happened, in UTC. Invalid when the line had no usable time stamp.
    QDateTime time;
    /// Offset of the source's wall clock from UTC at that moment, in seconds (from the stamp
    /// when it had one, else from the configured source time zone).
    int utcOffsetSeconds = 0;

    QString host;    ///< the logging host (queue ids are unique per host only)
    QString program; ///< syslog program / service label, e.g. "postfix-out/smtp"
    QString queueId; ///< the MTA's message id on that host (Postfix queue id, Exim id, ...)

    /// Envelope sender without angle brackets. Only meaningful when hasSender is true; an
    /// empty sender with hasSender set is the null reverse-path `<>` (a bounce).
    QString sender;
    bool hasSender = false;
    QString recipient;         ///< envelope recipient as delivered (after rewriting)
    QString originalRecipient; ///< before alias/virtual rewriting (Postfix orig_to, Exim `<...>`)
    QString messageId;         ///< RFC 5322 Message-ID without angle brackets
    QString referenceMessageId; ///< Message-ID of the original a generated DSN reports on

    qint64 size = -1;        ///< message size in bytes
    int recipientCount = -1; ///< nrcpt / nrcpts / ndest / recipient-count
    QString client;          ///< submitting client, usually "name[ip]"
    QString relay;           ///< next hop of a delivery ("mx.example[192.0.2.1]:25", "none", "local")

    QString dsn;           ///< RFC 3463 enhanced status code, e.g. "5.1.1"
    int smtpCode = 0;      ///< RFC 5321 reply code (250, 451, 550), 0 when none
    QString replyText;     ///< status / reply text as logged (decoded for qmail)
    double delaySeconds = -1; ///< total time in the queue when logged
    bool skipped = false;  ///< DeliveryAttempt without a real try (see LogEventType)
    bool truncated = false; ///< the line looked cut short (unbalanced status text, split line)

    QString nextQueueId;   ///< "queued as ID": the id the next hop gave (content filters, relays)
    QString newQueueId;    ///< queue id of a DSN this MTA generated (BounceGenerated)
    QString parentQueueId; ///< for a DSN's own Received event: the message it reports on
    QString deliveryId;    ///< per-recipient id where the MTA has one (OpenSMTPD evpid); on qmail's
                           ///< Received event the qp of the process that queued the message
                           ///< (its Received field says "qmail 16552 invoked from network")
    QString jobId;         ///< PowerMTA jobId (X-Job): its message identity, no queue ids
    QString envelopeId;    ///< RFC 3461 ENVID (PowerMTA envId)
    QString category;      ///< MTA's own bounce category (PowerMTA bounceCat)

    qint64 lineNumber = 0; ///< 1-based line in the (decompressed) file
    qint64 byteOffset = 0; ///< offset of the line's first byte in the (decompressed) file
    QByteArray rawLine;    ///< the line verbatim, without its line ending, for the raw view
};

/// Stable lower-case names, used in diagnostics, JSON and tests ("postfix", "exim", ...).
[[nodiscard]] QString logFormatName(LogFormat format);
/// The name people know the format by, for the user: "Postfix", "Exchange message tracking", ...
[[nodiscard]] QString logFormatTitle(LogFormat format);
/// Inverse of logFormatName(); Unknown for anything else.
[[nodiscard]] LogFormat logFormatFromName(QStringView name);
/// "received", "queued", "message-id", "delivery", "expired", "bounce-generated", "removed",
/// "smtp-reject", "remote-bounce", "complaint".
[[nodiscard]] QString logEventTypeName(LogEventType type);
/// "none", "sent", "deferred", "bounced", "expired".
[[nodiscard]] QString deliveryOutcomeName(DeliveryOutcome outcome);
/// "none", "non-delivery", "delay", "success", "postmaster", "unknown".
[[nodiscard]] QString notificationKindName(NotificationKind kind);

} // namespace bi::core::logs
