// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include "core/logs/log_parser.h"
#include "core/logs/refusal_hold.h"
#include "core/logs/syslog/syslog_event_base.h"

namespace bi::core::logs {

struct SyslogLine;

/// Postfix syslog lines (FORMATS.md §1): any syslog_name, service and daemon (`postfix/smtp`,
/// `postfix-out/smtp`, `postfix/submission/smtpd`: the daemon is the part after the last '/'),
/// short hex and long base-52 queue ids, classic and RFC 3339 stamps.
///
/// Events: smtpd `client=` and pickup `uid= from=` → Received; cleanup `message-id=` →
/// MessageId; qmgr `from=, size=, nrcpt=` → Queued; `status=expired|force-expired` →
/// MessageExpired; `to=..., status=sent|deferred|bounced (text)` → DeliveryAttempt (keys read by
/// name, text to the end of the line, `queued as` → nextQueueId); bounce `sender non-delivery|
/// delay|delivery status notification` and `postmaster ... notification` → BounceGenerated;
/// `removed` → Removed; `NOQUEUE: reject:`/`milter-reject:` (also with a queue id) → SmtpReject.
/// Verify probes (`status=deliverable`/`undeliverable`) and informational lines are ignored.
///
/// A `NOQUEUE: reject: RCPT` of an smtpd session is held until that session's next message
/// gets its queue id (`ID: client=`, same host and pid): a recipient refused before the first
/// accepted one belongs to that message, and the event is emitted with its queue id. The
/// session's connect/disconnect line or the end of the file emits what is still held as it was.
///
/// A line split by a syslog relay (the second part has no header) is joined to the line before
/// when that one was unfinished (no event, or a status text with an open parenthesis): events
/// of an unfinished line are held back one line for that. Thread: one thread at a time.
class PostfixParser final : public LogParser {
public:
    /// 3 when the line is a syslog line from a Postfix program, else 0.
    [[nodiscard]] static int sniffLine(QByteArrayView line);
    /// True for `postfix...` programs and `NAME/.../DAEMON` with a Postfix daemon name.
    [[nodiscard]] static bool isPostfixProgram(QByteArrayView program);

    [[nodiscard]] LogFormat format() const override { return LogFormat::Postfix; }
    [[nodiscard]] LineStatus parseLine(const LogLine& line, ParseContext& context) override;
    void endFile(ParseContext& context) override;
    void reset() override;

private:
    enum class Parsed { Events, Known, Partial, Malformed };
    struct Held {
        bool active = false;
        LogEvent base;          // time, host, program of the held line
        QByteArray message;     // message part (after "prog[pid]: "), joined fragments added
        QByteArray raw;         // raw line(s)
        QList<LogEvent> events; // events not emitted yet
        QString problem;        // diagnostic to give if the line is never completed
        bool unfinished = false;
    };

    Parsed parseMessage(QByteArrayView msg, const LogEvent& base, QList<LogEvent>& out,
                        QString& problem) const;
    void flushHeld(ParseContext& context);
    /// Emits e, holding a NOQUEUE refusal of sl's smtpd session (host and pid) or giving the
    /// held ones of the session the queue id its client= line names.
    void emitInSession(const SyslogLine& sl, LogEvent&& e, const LogLine& line, ParseContext& context);

    Held m_held;
    RefusalHold m_refusals; // per "host pid" of smtpd
    QList<LogEvent> m_scratch;
    SyslogEventBase m_base;
};

} // namespace bi::core::logs
