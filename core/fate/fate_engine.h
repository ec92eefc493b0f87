// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <deque>
#include <optional>
#include <utility>

#include <QHash>
#include <QList>
#include <QSet>

#include "core/bounce/reason_classifier.h"
#include "core/store/fate_record.h"
#include "core/fate/log_message.h"
#include "core/fate/mailbox_verdict.h"
#include "core/fate/own_identity.h"
#include "core/store/project_store.h"

namespace bi::core::fate {

using store::Fate;
using store::FateRecord;
using store::TimelineStep;

/// Joins what the smarthost logged with what came back to the sender's mailbox and decides
/// one fate per (message, recipient). Usage: give it every mailbox bounce and delay notice
/// first (they are few), then stream the log messages through decide(), then take the
/// mailbox-only fates of the bounces no log message claimed. The result does not depend on
/// the order in which logs and mailboxes were imported. Thread: one thread per engine.
class FateEngine final {
public:
    explicit FateEngine(OwnIdentity own);

    /// A mailbox record of kind bounce or delay (others are ignored). Does not read the
    /// identity: records may come in while it is still being learnt from them.
    void addMailboxRecord(const store::BounceRow& row);
    /// The identity decide() and mailboxOnly() judge by, once it is complete.
    void setOwn(OwnIdentity own) { m_own = std::move(own); }

    /// The fates of one logged message's recipients (none for notices we generated, none for
    /// inbound mail: see isInbound()).
    [[nodiscard]] QList<FateRecord> decide(const LogMessage& message);
    /// Mail from someone else to one of our own domains that a delivery agent on the smarthost
    /// itself delivered or refused (a smarthost that is also the domain's MX), and any recipient
    /// only ever put into a mailbox on our side (isMailboxDelivery: cron mail, a colleague in
    /// copy): not the outbound traffic fates are about, and no address for a suppression list.
    [[nodiscard]] bool isInbound(const LogMessage& message, const LoggedRecipient& recipient) const;

    /// A recipient handed to a content filter or local MTA on the same machine (delivered to
    /// a loopback relay that queued it again under a new id) has no fate of its own there: the
    /// message that continues it carries it, with the first queue time and the steps before
    /// the hand-off. decide() holds such fates until that message comes (it starts after them
    /// in the log); releaseHeld() gives back those whose continuation never came.
    ///
    /// The fates decide() held back because a bounce matched them by recipient and time
    /// window alone. Such a bounce names no message, so it waits for the whole log: among the
    /// sends it could be about, it goes to the latest before it (a recipient mailed twice in the
    /// window bounced for the second message, which the log streams later). At most 100,000
    /// fates are held; past that they are decided at once. Also the refusals decide() held
    /// for want of knowing whether their client is ours: those of our clients. Call after the
    /// last decide() and before mailboxOnly().
    [[nodiscard]] QList<FateRecord> releaseHeld();

    /// A recipient refused with 5xx in an SMTP transaction that queued nothing (Postfix NOQUEUE,
    /// Exim `rejected RCPT` without a message after it, refusals LogMessageAssembler left
    /// unclaimed): the fate of our mail, without message or queue id, when the client is
    /// one of ours, one whose messages decide() saw relayed to other hosts (an outside client
    /// may only deliver to the domains the smarthost is MX for). nullopt for anything else:
    /// inbound spam, relay attempts, 4xx. Call after the last decide().
    [[nodiscard]] std::optional<FateRecord> decideUnqueued(const store::StoredLogEvent& event);
    /// Fates of bounces that matched no logged send: decided from the bounce alone.
    /// backscatter: messages.id of bounces the logs confirm as backscatter; they get no fate
    /// when they quote the original and no server it passed named one of our hosts as
    /// handing it on (else a relay of ours whose log is not here sent it), or quote nothing
    /// and go to an address the logs never show sending (else it is a failure of one of our
    /// senders by another way out).
    [[nodiscard]] QList<FateRecord> mailboxOnly(const QSet<qint64>& backscatter = {});

    /// The fate one bounce tells on its own (no log): used by mailboxOnly() and by the
    /// streaming path of projects without logs. nullopt for anything but a bounce.
    [[nodiscard]] static std::optional<FateRecord> mailboxFate(const store::BounceRow& row, const NoticeWriter& writer,
                                                               const OwnIdentity& own);

    /// The recipient a bounce's fate is about: the address the sender mailed, which is the
    /// Original-Recipient when the receiving side forwarded or expanded it ("(generated from
    /// kurt@forward.example)"), else the final one; lower case.
    [[nodiscard]] static QString mailedRecipient(const bounce::BounceRecipient& r);
    /// The same for a whole notice: without an Original-Recipient, a failed address that the
    /// quoted original does not name, when it names exactly one other recipient outside the
    /// sender's domains, was forwarded from that one (forwardedFrom()).
    [[nodiscard]] static QString mailedRecipient(const bounce::BounceReport& report);
    /// The address the quoted original was sent to when the notice's failed address is where
    /// that one forwarded it (see mailedRecipient()); empty otherwise.
    [[nodiscard]] static QString forwardedFrom(const bounce::BounceReport& report);
    /// The timeline step a delay notice gives the fate of the same message and recipient.
    [[nodiscard]] static TimelineStep delayStep(const QDateTime& date, const bounce::BounceRecipient& r,
                                                qint64 messageRow);

    /// Whether any bounce names its original by Message-ID (then noteSharedMessageId() is
    /// worth calling).
    [[nodiscard]] bool hasMessageIdKeys() const { return !m_byMessageId.isEmpty(); }
    /// A Message-ID that more than one logged message has (a message sent again, or handed
    /// on inside our side): a bounce that names only it waits for the whole log, and goes to
    /// the send it fits best (releaseHeld()). Call before the first decide(); ids no bounce
    /// names are not kept.
    void noteSharedMessageId(const QString& messageId);

    [[nodiscard]] const OwnIdentity& own() const { return m_own; }
    /// Bounces that named a logged message for the same recipient by an id only it has
    /// (Message-ID, queue id, envelope id) but were dated before it was sent, and that no
    /// logged message took: a sign that the log's year-less stamps got the wrong year (a
    /// copied file's modification time). Counted by mailboxOnly().
    [[nodiscard]] qint64 bouncesBeforeTheirSend() const { return m_beforeTheirSendLeft; }

private:
    /// What the engine reads of a mailbox record, and nothing more: it holds every bounce of
    /// the project while the logs stream (a whole BounceRow took some 1.2 KB before its
    /// strings).
    struct MailboxEntry {
        qint64 messageRow = 0; ///< messages.id
        QDateTime date;
        QString originalMessageId;
        QString queueId;
        QString envelopeId;
        QString to;
        QString postfixSender;
        /// When the reporting server got the message (Arrival-Date), and when the quoted
        /// original was written (its Date); invalid when not given: they tell which of several
        /// sends to the recipient a bounce that names no id is about.
        QDateTime arrival;
        QDateTime originalDate;
        NoticeWriter writer; ///< MailboxVerdictRule::noticeWriter() of the report
        QStringList stampHosts; ///< hosts that handed the quoted original on (looked-up names)
        bool quotesOriginal = false; ///< the notice quotes the original's headers (any of them)
        bounce::BounceRecipient recipient; ///< the fields row() gives back
        bool consumed = false;

        /// The record as MailboxVerdictRule and mailboxFate() take it.
        [[nodiscard]] store::BounceRow row() const;
    };
    struct Match {
        int index = -1;
        double confidence = 0;
        QString how;
        /// By a key only this send has (a queue id, an envelope id, a Message-ID no other
        /// logged message has); false for recipient and time window, and for a Message-ID
        /// several logged messages share (noteSharedMessageId()).
        bool sendUnique = true;
    };
    /// Whether matches must wait for the whole log before a bounce goes to one send: none is
    /// by a key only this send has, so a later send may be the one the bounce is about.
    [[nodiscard]] static bool waitsForTheWholeLog(const QList<Match>& matches);
    /// A fate whose matches wait for the whole log (see releaseHeld()).
    struct Held {
        FateRecord record;
        QDateTime after; ///< its first attempt (else queued): a bounce must come after it
        QList<Match> matches;
    };
    [[nodiscard]] QList<Match> findMatches(const LogMessage& message, const LoggedRecipient& recipient,
                                           const QDateTime& after);
    /// Puts a fate's steps in time order (stable).
    static void sortSteps(FateRecord& record);
    /// The confidence of a match by recipient and time window alone (the last resort).
    static constexpr double kWindowConfidence = 0.6;
    /// Fates held for such a match at most (some 2 KB each), and fates handed off waiting for
    /// their continuation: past it they are decided at once (the bounce going to the first
    /// send that claims it), so memory stays bounded.
    static constexpr qsizetype kMaxHeld = 100000;
    void applyMailbox(FateRecord& record, const MailboxEntry& entry, const Match& match);
    /// The reason of a failure the log reported, remembered per distinct input (m_reasons).
    [[nodiscard]] bounce::ReasonResult classifyLogged(const LogMessage& m, const LoggedAttempt& a,
                                                      const QString& recipient);

    OwnIdentity m_own;
    // A deque: a list doubles its buffer as it grows and holds both while it moves, twice the
    // mailbox's size at the worst moment.
    std::deque<MailboxEntry> m_entries;
    /// A fate handed on inside our side, waiting for the message that goes on with it; with
    /// what matching it with the mailbox needs when none comes.
    struct HandedOff {
        FateRecord record;
        LogMessage message; ///< without its recipients and notices
        LoggedRecipient recipient;
        QDateTime after;
    };
    /// Fates handed off to a filter or another of our hosts, by the queue id it gave (or the
    /// Message-ID on that host) and the recipient.
    QHash<QString, HandedOff> m_handedOff;
    QMultiHash<QString, int> m_byMessageId;
    QSet<QString> m_sharedMessageIds; ///< of m_byMessageId's keys, those several logged messages have
    QMultiHash<QString, int> m_byQueueId;
    QMultiHash<QString, int> m_byRecipient;
    QMultiHash<QString, int> m_byEnvelopeId;
    /// The queue ids the quoted originals' Received fields give ("by relay1.shop.example
    /// (Postfix) with ESMTPSA id 4QyVtS1kM3z9rxB"; qmail's "qmail 16552 invoked" as
    /// "qmail qp 16552"): by id, the entry and the first label of the host that gave it
    /// (empty for qmail's).
    QMultiHash<QString, std::pair<int, QString>> m_byStampId;
    QHash<QString, bounce::ReasonResult> m_reasons;
    QList<Held> m_held;
    /// "host\nclient address" of the clients whose messages went out to other hosts.
    QSet<QString> m_submitters;
    /// Hashes of the envelope senders the logs show (at most a million).
    QSet<size_t> m_loggedSenders;
    /// Recipients the smarthost refused while a client not (yet) known as ours submitted the
    /// message, with that client's key: fates only if the client turns out ours (releaseHeld).
    QList<std::pair<FateRecord, QString>> m_refusedHeld;
    WriterLearning m_writers; ///< notice writers the bounces show to be our sending side
    QSet<int> m_beforeTheirSend;   ///< m_entries indexes (findMatches)
    qint64 m_beforeTheirSendLeft = 0; ///< of them, those no log message took (mailboxOnly)
};

} // namespace bi::core::fate
