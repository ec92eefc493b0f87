// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/fate/log_message.h"

#include "core/common/text_case.h"

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
    recipients.append(LoggedRecipient{key, {}, {}, {}});
    return recipients.last();
}

namespace {

bool startsNewLife(const LogMessage& current, const logs::LogEvent& e)
{
    // FORMATS.md §1: a queue id is unique only while the message is queued; a new
    // client=/pickup line for an id already removed is a new message.
    return current.removedAt.isValid() && e.type == LogEventType::Received;
}

} // namespace

QList<LogMessage> LogMessageAssembler::assemble(const QList<Event>& events)
{
    QList<LogMessage> out;
    LogMessage current;
    bool open = false;
    auto flush = [&] {
        if (open)
            out.append(std::move(current));
        current = LogMessage{};
        open = false;
    };
    for (const Event& item : events) {
        const logs::LogEvent& e = item.event;
        if (e.type == LogEventType::SmtpReject)
            continue; // refused before queueing: not a message we sent
        if (open && startsNewLife(current, e))
            flush();
        if (!open) {
            current.format = e.format;
            current.host = e.host;
            current.queueId = e.queueId;
            current.firstEventRow = item.row;
            open = true;
        }
        if (!current.queuedAt.isValid() && e.time.isValid()) {
            // A message whose log starts at a delivery attempt (PowerMTA rows, a log cut after
            // the arrival) was queued the attempt's delay before it.
            const bool attemptWithDelay = e.type == LogEventType::DeliveryAttempt && e.delaySeconds > 0;
            current.queuedAt = attemptWithDelay ? e.time.addMSecs(-qint64(e.delaySeconds * 1000.0 + 0.5)) : e.time;
            current.queuedRow = item.row;
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
        if (e.size >= 0 && current.size < 0)
            current.size = e.size;
        if (!e.client.isEmpty() && current.client.isEmpty())
            current.client = e.client;

        switch (e.type) {
        case LogEventType::DeliveryAttempt: {
            if (e.recipient.isEmpty() || e.skipped)
                break;
            LoggedRecipient& r = current.recipient(e.recipient);
            if (r.originalAddress.isEmpty())
                r.originalAddress = lowerCase(e.originalRecipient);
            r.attempts.append({e.time, e.outcome, e.dsn, e.smtpCode, e.replyText, e.relay, e.nextQueueId, item.row});
            break;
        }
        case LogEventType::MessageExpired:
            current.expiredAt = e.time;
            current.expiredRow = item.row;
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
