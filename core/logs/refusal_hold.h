// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>

#include "core/logs/log_event.h"
#include "core/logs/log_parser.h"

namespace bi::core::logs {

/// Recipients an MTA refused during an SMTP session before the message had a queue id
/// (Postfix `NOQUEUE: reject: RCPT`, Exim `rejected RCPT`), held until the session's message
/// gets one: a refusal before the first accepted recipient belongs to the message the client
/// went on to submit. The parser names the session (host and smtpd pid, or client and sender)
/// and says when the message arrives or the session ends; what is never claimed is emitted as
/// it was. At most kMaxHeld refusals wait; beyond that all are emitted.
/// Thread: one thread at a time (owned by one parser).
class RefusalHold final {
public:
    static constexpr qsizetype kMaxHeld = 10000;

    /// Holds e (an SmtpReject without queue id) for session; e keeps line's number, offset and
    /// text, which the reader would otherwise take from the line being read when it is emitted.
    void hold(const QByteArray& session, LogEvent&& e, const LogLine& line, ParseContext& context);
    /// Emits the session's refusals with queueId, the message they belong to.
    void claim(const QByteArray& session, const QString& queueId, ParseContext& context);
    /// Emits the session's refusals as they were (the session ended without a message).
    void release(const QByteArray& session, ParseContext& context);
    /// Emits every session's refusals held since before cutoff as they were.
    void releaseBefore(const QDateTime& cutoff, ParseContext& context);
    /// Emits everything held (end of the file).
    void releaseAll(ParseContext& context);
    void clear();
    [[nodiscard]] bool isEmpty() const { return m_sessions.isEmpty(); }

private:
    QHash<QByteArray, QList<LogEvent>> m_sessions;
    qsizetype m_held = 0;
    /// The earliest time of a held refusal, or invalid: releaseBefore() looks at the sessions
    /// only once the cutoff has passed it, not on every line.
    QDateTime m_oldest;
};

} // namespace bi::core::logs
