// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace bi::core::store {

/// How delivery to one recipient of one message ended (see README "fates").
enum class Fate {
    Delivered,   ///< accepted with 2xx and no bounce came back (deferrals before it are counted)
    Rejected,    ///< refused with 5xx during the SMTP transaction, or failed permanently on the spot
    Expired,     ///< temporary failures retried until the queue lifetime ran out
    AsyncBounce, ///< accepted with 2xx, and the receiving side bounced it later
    Deferred,    ///< still being retried at the end of the log
};

[[nodiscard]] QString fateName(Fate fate);
[[nodiscard]] Fate fateFromName(QStringView name, bool* ok = nullptr);

/// One step of a recipient's timeline, from a log line or a message in a mailbox.
struct TimelineStep {
    /// HandedOn: accepted by a content filter or another of our hosts, where the message
    /// went on (not the receiving side's acceptance).
    enum class Kind { Queued, Deferred, Sent, Bounced, Expired, NoticeGenerated, DelayNotice, NoticeReceived,
                      AsyncBounce, Removed, Refused, HandedOn };
    Kind kind = Kind::Queued;
    QDateTime time;        ///< UTC
    QString status;        ///< RFC 3463
    QString replyCode;
    QString text;          ///< reply text or diagnostic
    QString relay;
    qint64 logEventRow = 0;  ///< log_events.id, 0 when from a mailbox
    qint64 messageRow = 0;   ///< messages.id of a mailbox message, 0 when from a log

    [[nodiscard]] static QString kindName(Kind kind);
    [[nodiscard]] static Kind kindFromName(QStringView name);
    /// Whole seconds from one step's time to a later one's, as the two are shown (to the
    /// second): 10:00:00.9 to 10:00:01.1 is 1 s, as it reads, not the 0.2 s between them.
    [[nodiscard]] static qint64 shownGap(const QDateTime& from, const QDateTime& to);
};

/// The fate of one (message, recipient) and the evidence behind it.
struct FateRecord {
    QString messageId;     ///< RFC 5322 Message-ID of our message, no angle brackets
    QString queueId;       ///< smarthost queue id (empty when known from the mailbox only)
    QString host;          ///< smarthost that logged it
    QString sender;
    QString recipient;
    /// The address the sender mailed, where the smarthost rewrote it before delivery (Postfix
    /// orig_to=, Exim "=> new <alias>"); empty when it is recipient.
    QString originalRecipient;
    Fate fate = Fate::Delivered;
    QString reason;        ///< sisimai vocabulary; empty for delivered/deferred
    QString status;
    QString replyCode;
    QString diagnostic;
    QDateTime queuedAt;
    QDateTime firstAttemptAt;
    QDateTime finalAt;     ///< accepted, rejected or expired; invalid while deferred
    QDateTime bounceAt;    ///< when the asynchronous bounce arrived
    int attempts = 0;
    int deferrals = 0;
    QList<TimelineStep> steps;     ///< in time order
    QString decidedBy;             ///< "log", "log+mailbox", "mailbox"
    QStringList evidence;          ///< readable sentences, most decisive first
    double matchConfidence = 0;    ///< how sure the log↔mailbox join is (0 when not joined)
    qint64 bounceMessageRow = 0;   ///< messages.id of the bounce or notice that confirmed it

    /// Seconds from acceptance (final_at of a 2xx) to the async bounce's arrival; -1 when n/a.
    [[nodiscard]] qint64 secondsToBounce() const;
    /// The recipient as a person reads it: "new@x (mailed as old@y)" where it was rewritten.
    [[nodiscard]] QString shownRecipient() const;
    /// Whether attempts counts the smarthost's tries: a fate from the mailbox alone has none
    /// logged, and its zero means "not known", not "never tried".
    [[nodiscard]] static bool attemptsKnown(const QString& decidedBy, int attempts)
    {
        return attempts > 0 || decidedBy != u"mailbox";
    }
};

} // namespace bi::core::store
