// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

#include "core/common/diagnostic.h"

namespace bi::core::bounce {

/// What a message is, for counting: only Bounce counts as a delivery failure.
enum class MessageKind { Bounce, Delay, Feedback, AutoReply, Delivered, Other };

[[nodiscard]] QString kindName(MessageKind kind);
[[nodiscard]] MessageKind kindFromName(QStringView name);

/// One recipient's result inside a bounce (RFC 3464 §2.3 per-recipient fields and
/// what we decided from them).
struct BounceRecipient {
    MessageKind kind = MessageKind::Bounce;
    QString recipient;          ///< Final-Recipient address (lower-cased domain), no angle brackets
    QString originalRecipient;  ///< Original-Recipient address when given
    QString action;             ///< failed, delayed, delivered, relayed, expanded, or empty
    QString status;             ///< RFC 3463 code "5.1.1", empty when none
    QString replyCode;          ///< SMTP reply "550", empty when none
    QString reason;             ///< sisimai vocabulary (see corpus README)
    bool hardBounce = false;
    QString diagnostic;         ///< the remote server's text, unfolded
    QString diagnosticType;     ///< "smtp", "x-unix", ...
    QString remoteMta;          ///< Remote-MTA host
    QString lastAttempt;        ///< Last-Attempt-Date as written
    QString willRetryUntil;     ///< Will-Retry-Until as written
    QString feedbackType;       ///< ARF Feedback-Type (abuse, auth-failure, ...)
    QString smtpCommand;        ///< the SMTP command the reply answered (RCPT, DATA, ...) when known
};

/// The quoted original message, from a message/rfc822 or text/rfc822-headers part.
struct OriginalMessage {
    QString messageId; ///< without angle brackets
    QString from;
    QString to;
    QString subject;
    QString date;
    QString returnPath;
    QList<QString> received; ///< Received fields, top first
};

/// Everything decoded from one message. Every message gets one, bounces or not.
struct BounceReport {
    MessageKind kind = MessageKind::Other;
    QString family;            ///< decoder that recognised it: rfc3464, arf, rfc3834, postfix, qmail, ...
    QString reportingMta;      ///< Reporting-MTA (lhost)
    QString receivedFromMta;   ///< Received-From-MTA
    QString arrivalDate;
    QString envelopeId;        ///< Original-Envelope-Id
    QString queueId;           ///< X-Postfix-Queue-ID and similar
    QString postfixSender;     ///< X-Postfix-Sender and similar (envelope sender of the original)
    QString bounceMessageId;   ///< the bounce's own Message-ID, no angle brackets
    QString from;              ///< the bounce's From, decoded
    QString to;                ///< the bounce's To, decoded
    QString subject;           ///< decoded
    QDateTime date;            ///< the bounce's Date, with its offset; invalid when unparsable
    QString dateRaw;
    OriginalMessage original;
    QList<BounceRecipient> recipients;
    Diagnostics diagnostics;
};

} // namespace bi::core::bounce
