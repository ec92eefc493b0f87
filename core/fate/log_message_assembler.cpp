// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/fate/log_message.h"

#include <algorithm>

#include "core/common/text_case.h"
#include "core/fate/relay_names.h"

using namespace Qt::StringLiterals;

namespace bi::core::fate {

using logs::LogEventType;

LoggedRecipient& LogMessage::recipient(const QString& address)
{
    const QString key = lowerCase(address);
    for (LoggedRecipient& r : recipients) {
        if (r.address == key)
            return r;
    }
    recipients.append(LoggedRecipient{key, {}, {}, {}, {}});
    return recipients.last();
}

bool isPermanentRefusal(const logs::LogEvent& e)
{
    return e.type == LogEventType::SmtpReject && !e.recipient.isEmpty()
        && (e.smtpCode >= 500
            || (e.smtpCode == 0
                && (e.dsn.startsWith(u'5') || (e.dsn.isEmpty() && e.outcome == logs::DeliveryOutcome::Bounced))));
}

LoggedAttempt refusalAttempt(const logs::LogEvent& e, qint64 eventRow)
{
    LoggedAttempt a{e.time, logs::DeliveryOutcome::Bounced, e.dsn, e.smtpCode, e.replyText, e.client, {}, eventRow};
    a.refused = true;
    a.refusedCommand = e.program.endsWith(u"/cleanup") ? u"DATA"_s : u"RCPT"_s;
    return a;
}

namespace {

// Refusals kept per message at most (a client session that tries a whole address list).
constexpr qsizetype kMaxRefusals = 10000;

bool startsNewLife(const LogMessage& current, const logs::LogEvent& e)
{
    // FORMATS.md §1: a queue id is unique only while the message is queued; a new
    // client=/pickup line for an id already removed is a new message.
    // A refusal after the removal is the next message's: its client= line comes after it.
    return current.removedAt.isValid()
        && (e.type == LogEventType::Received || e.type == LogEventType::SmtpReject);
}

bool isFinal(const LoggedAttempt& a)
{
    return a.outcome == logs::DeliveryOutcome::Sent || a.outcome == logs::DeliveryOutcome::Bounced
        || a.outcome == logs::DeliveryOutcome::Expired;
}

// Exim tries an address, defers it ("== userz@test.ex R=filter defer") and on a later pass
// redirects it, logging the delivery under the new address with the mailed one in angle
// brackets ("=> userx@elsewhere.example <userz@test.ex>"). That is one recipient: the mailed
// address's earlier tries go with each address it became, and it is no pending fate of its own.
void foldIntoRedirections(LogMessage& m)
{
    for (qsizetype i = 0; i < m.recipients.size();) {
        const LoggedRecipient& mailed = m.recipients.at(i);
        const bool pending = mailed.originalAddress.isEmpty() && mailed.remoteBounces.isEmpty()
            && std::none_of(mailed.attempts.cbegin(), mailed.attempts.cend(), isFinal);
        bool redirected = false;
        for (LoggedRecipient& r : m.recipients) {
            if (!pending || r.address == mailed.address || r.originalAddress != mailed.address)
                continue;
            redirected = true;
            QList<LoggedAttempt> merged = mailed.attempts;
            merged.append(r.attempts);
            std::stable_sort(merged.begin(), merged.end(),
                             [](const LoggedAttempt& a, const LoggedAttempt& b) { return a.time < b.time; });
            r.attempts = std::move(merged);
        }
        if (redirected)
            m.recipients.removeAt(i);
        else
            ++i;
    }
}

} // namespace

QList<LogMessage> LogMessageAssembler::assemble(const QList<Event>& events, QList<Event>* unclaimed)
{
    QList<LogMessage> out;
    LogMessage current;
    bool open = false;
    // Refusals wait for the message: only one the smarthost took (a line other than a
    // refusal) is ours, and only refusals of its own sender belong to it (a client's earlier
    // transaction in the same session may have had another).
    QList<const Event*> refusals;
    // Sendmail logs from= with nrcpts=0 for a transaction whose recipients were all refused
    // (a relay attempt): nothing was taken, so its refusals are no message's.
    bool noneTaken = false;
    // Whether the log shows the message arriving (smtpd or pickup, cleanup): without it the
    // first line may be a later retry pass, and a delivery's delay= tells when it came.
    bool arrivalSeen = false;
    auto flush = [&] {
        const auto leave = [&](const Event* item) {
            if (unclaimed)
                unclaimed->append(*item);
        };
        if (!open || (noneTaken && current.recipients.isEmpty())) {
            for (const Event* item : std::as_const(refusals))
                leave(item);
            refusals.clear();
        }
        if (open) {
            for (const Event* item : std::as_const(refusals)) {
                const logs::LogEvent& e = item->event;
                // A message its content checks refused never reached qmgr: the refusal names the sender.
                if (!current.hasSender && e.hasSender) {
                    current.sender = lowerCase(e.sender);
                    current.hasSender = true;
                }
                if (e.hasSender && current.hasSender && lowerCase(e.sender) != current.sender) {
                    leave(item);
                    continue;
                }
                LoggedRecipient& r = current.recipient(e.recipient);
                if (!r.attempts.isEmpty())
                    continue; // refused once, taken later in the same message: the later counts
                r.attempts.append(refusalAttempt(e, item->row));
            }
            foldIntoRedirections(current);
            out.append(std::move(current));
        }
        refusals.clear();
        noneTaken = false;
        arrivalSeen = false;
        current = LogMessage{};
        open = false;
    };
    for (const Event& item : events) {
        const logs::LogEvent& e = item.event;
        if (open && startsNewLife(current, e))
            flush();
        if (e.type == LogEventType::SmtpReject) {
            // A recipient refused in a message the smarthost took for others is that message's
            // (a 4xx the client retries itself is no fate).
            if (!e.queueId.isEmpty() && isPermanentRefusal(e) && refusals.size() < kMaxRefusals)
                refusals.append(&item);
            continue;
        }
        if (!open) {
            current.format = e.format;
            current.host = e.host;
            current.queueId = e.queueId;
            current.firstEventRow = item.row;
            open = true;
        }
        if (!current.queuedAt.isValid() && e.time.isValid()) {
            current.queuedAt = e.time;
            current.queuedRow = item.row;
        }
        if (e.type == LogEventType::Received || e.type == LogEventType::MessageId)
            arrivalSeen = true;
        if (!arrivalSeen && e.type == LogEventType::DeliveryAttempt && e.delaySeconds > 0 && e.time.isValid()) {
            // A message whose log starts at a delivery attempt (PowerMTA rows, a log cut after
            // the arrival) or at a retry pass ("(queue active)" days after the arrival) was
            // queued the attempt's delay= before it, not when its first line seen says.
            const QDateTime arrived = e.time.addMSecs(-qint64(e.delaySeconds * 1000.0 + 0.5));
            if (arrived < current.queuedAt)
                current.queuedAt = arrived;
        }
        if (!e.messageId.isEmpty() && current.messageId.isEmpty())
            current.messageId = e.messageId;
        // Postfix pickup logs the local user ("from=<alice>"), qmgr the address it was
        // qualified to ("from=<alice@shop.example>"): the qualified one is the sender.
        if (e.hasSender && (!current.hasSender || (!current.sender.contains(u'@') && e.sender.contains(u'@')))) {
            current.sender = lowerCase(e.sender);
            current.hasSender = true;
        }
        if (!e.parentQueueId.isEmpty())
            current.parentQueueId = e.parentQueueId;
        if (!e.jobId.isEmpty() && current.jobId.isEmpty())
            current.jobId = e.jobId;
        if (!e.envelopeId.isEmpty() && current.envelopeId.isEmpty())
            current.envelopeId = e.envelopeId;
        if (e.type == LogEventType::Received && e.format == logs::LogFormat::Qmail && !e.deliveryId.isEmpty()
            && current.queuingProcess.isEmpty())
            current.queuingProcess = e.deliveryId;
        if (e.size >= 0 && current.size < 0)
            current.size = e.size;
        if (e.recipientCount >= 0 && (e.type == LogEventType::Received || e.type == LogEventType::Queued))
            noneTaken = e.recipientCount == 0;
        if (!e.client.isEmpty() && current.client.isEmpty())
            current.client = e.client;

        switch (e.type) {
        case LogEventType::DeliveryAttempt: {
            if (e.recipient.isEmpty())
                break;
            LoggedRecipient& r = current.recipient(e.recipient);
            if (e.skipped) {
                r.skippedText = e.replyText;
                break;
            }
            if (r.originalAddress.isEmpty())
                r.originalAddress = lowerCase(e.originalRecipient);
            LoggedAttempt& a = r.attempts.emplaceBack(
                LoggedAttempt{e.time, e.outcome, e.dsn, e.smtpCode, e.replyText, e.relay, e.nextQueueId, item.row});
            a.mailbox = isMailboxDelivery(e);
            a.internalHop = isInternalHop(e);
            break;
        }
        case LogEventType::MessageExpired:
            current.expiredAt = e.time;
            current.expiredRow = item.row;
            current.expiredByAdmin = e.replyText.startsWith(u"force-expired"_s);
            break;
        case LogEventType::BounceGenerated:
            current.notices.append({e.time, e.notification, e.newQueueId, item.row});
            break;
        case LogEventType::Removed:
            current.removedAt = e.time;
            current.removedRow = item.row;
            break;
        case LogEventType::RemoteBounce:
            if (!e.recipient.isEmpty() && e.outcome == logs::DeliveryOutcome::Bounced) {
                current.recipient(e.recipient)
                    .remoteBounces.append({e.time, e.outcome, e.dsn, e.smtpCode, e.replyText, e.relay, {}, item.row});
            }
            break;
        case LogEventType::Received:
        case LogEventType::Queued:
        case LogEventType::MessageId:
        case LogEventType::SmtpReject:
        case LogEventType::Complaint:
            break;
        }
    }
    flush();
    return out;
}

} // namespace bi::core::fate
