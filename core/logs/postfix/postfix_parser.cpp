// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/logs/postfix/postfix_parser.h"

#include "core/logs/log_text.h"
#include "core/logs/syslog/syslog_line.h"

using namespace Qt::StringLiterals;

namespace bi::core::logs {

using text::str;

namespace {

// Postfix daemons (postfix/proto/master.cf and the 3.x additions); a custom syslog_name keeps
// them as the last part of the program field.
constexpr const char* kDaemons[] = {
    "smtpd", "smtp", "lmtp", "qmgr", "oqmgr", "cleanup", "pickup", "local", "virtual", "pipe",
    "error", "retry", "bounce", "defer", "trace", "discard", "postscreen", "anvil", "scache",
    "tlsmgr", "tlsproxy", "dnsblog", "verify", "trivial-rewrite", "showq", "postsuper",
    "sendmail", "postdrop", "master", "flush", "proxymap", "proxywrite", "spawn", "postlog",
    "postqueue", "postmulti", "postfix-script", "relay", "qmqpd",
};

// A Postfix queue id (FORMATS.md §1): the short form is upper-case hex ("123456789" in test
// suites too); the long form (enable_long_queue_ids) uses digits and consonants with a 'z'
// between time and inode part ("44JCRG5tYPzCqt2"). Vowels rule out words like "warning".
qsizetype queueIdLength(QByteArrayView msg)
{
    qsizetype i = 0;
    bool hex = true;
    bool vowel = false;
    bool hasZ = false;
    while (i < msg.size() && i <= 24 && text::isAlnum(msg[i])) {
        const char c = msg[i];
        if (!(text::isDigit(c) || (c >= 'A' && c <= 'F')))
            hex = false;
        const char lower = char(c | 0x20);
        if (lower == 'a' || lower == 'e' || lower == 'i' || lower == 'o' || lower == 'u')
            vowel = true;
        if (c == 'z')
            hasZ = true;
        ++i;
    }
    if (i < 5 || i > 24 || i + 1 >= msg.size() || msg[i] != ':' || msg[i + 1] != ' ')
        return 0;
    if (hex || (!vowel && hasZ && i >= 10))
        return i;
    return 0;
}

// "ab12cd34ef: to=<...>": an event line whose id is not in Postfix's alphabet (lower case,
// vowels in a long id), so it belongs to no message; said, not dropped quietly.
bool hasForeignQueueId(QByteArrayView msg)
{
    qsizetype i = 0;
    while (i < msg.size() && i <= 24 && text::isAlnum(msg[i]))
        ++i;
    if (i < 5 || i > 24 || i + 1 >= msg.size() || msg[i] != ':' || msg[i + 1] != ' ')
        return false;
    const QByteArrayView rest = msg.sliced(i + 2);
    return text::startsWith(rest, "to=<") || text::startsWith(rest, "from=<") || text::startsWith(rest, "message-id=")
        || text::startsWith(rest, "client=") || text::equals(rest.trimmed(), "removed");
}

bool isPrefixOf(QByteArrayView part, QByteArrayView whole)
{
    return !part.isEmpty() && part.size() <= whole.size() && whole.startsWith(part);
}

// The event shapes a cut-off line may be the beginning of (FORMATS.md §1 trap 5).
bool looksLikePartial(QByteArrayView rest)
{
    static constexpr const char* kStarts[] = {
        "sender non-delivery notification: ", "sender delay notification: ",
        "sender delivery status notification: ", "postmaster non-delivery notification: ",
        "postmaster delay notification: ", "removed", "message-id=", "client=", "from=",
        "to=", "uid=",
    };
    for (const char* s : kStarts) {
        if (isPrefixOf(rest, QByteArrayView(s)))
            return true;
    }
    return false;
}

void applyStatusText(LogEvent& e, QByteArrayView textPart, QByteArrayView word)
{
    QByteArrayView t = textPart.trimmed();
    if (t.startsWith('(')) {
        // The text in parentheses runs to the end of the line and may hold parentheses of its
        // own; one that never closes was cut off by a syslog relay.
        int depth = 0;
        qsizetype close = -1;
        for (qsizetype i = 0; i < t.size() && close < 0; ++i) {
            if (t[i] == '(')
                ++depth;
            else if (t[i] == ')' && --depth == 0)
                close = i;
        }
        if (close > 0) {
            t = t.sliced(1, close - 1);
        } else {
            t = t.sliced(1);
            e.truncated = true;
        }
    }
    e.replyText = str(t);

    text::Reply reply;
    if (const qsizetype said = text::find(t, " said: "); said >= 0 && text::startsWith(t, "host "))
        reply = text::parseReply(t.sliced(said + 7));
    else
        reply = text::parseReply(t);
    e.smtpCode = reply.code;
    if (e.dsn.isEmpty() && !reply.dsn.isEmpty())
        e.dsn = str(reply.dsn);

    if (text::equals(word, "sent"))
        e.nextQueueId = str(text::nextQueueId(t));
    // Postfix did not try: the destination is marked dead after an earlier failure. (A bounce
    // with that text is the queue lifetime running out, and counts.)
    if (text::equals(word, "deferred") && text::startsWith(t, "delivery temporarily suspended"))
        e.skipped = true;
}

// "host pid" of an smtpd line, the session its refusals and client= line share; empty for
// other daemons or without a pid.
QByteArray sessionOf(const SyslogLine& sl)
{
    if (sl.pid.isEmpty() || sl.daemon() != QByteArrayView("smtpd"))
        return {};
    QByteArray key;
    key.reserve(sl.host.size() + 1 + sl.pid.size());
    key.append(sl.host).append(' ').append(sl.pid);
    return key;
}

bool endsSession(QByteArrayView msg)
{
    return text::startsWith(msg, "connect from ") || text::startsWith(msg, "disconnect from ")
        || text::startsWith(msg, "lost connection ") || text::startsWith(msg, "timeout after ");
}

} // namespace

bool PostfixParser::isPostfixProgram(QByteArrayView program)
{
    if (text::startsWith(program, "postfix"))
        return true;
    const qsizetype slash = program.lastIndexOf('/');
    if (slash <= 0)
        return false;
    const QByteArrayView daemon = program.sliced(slash + 1);
    for (const char* d : kDaemons) {
        if (daemon == QByteArrayView(d))
            return true;
    }
    return false;
}

int PostfixParser::sniffLine(QByteArrayView line)
{
    SyslogLine sl;
    if (!SyslogLine::parse(line, sl) || sl.isNoise)
        return 0;
    return isPostfixProgram(sl.program) ? 3 : 0;
}

void PostfixParser::reset()
{
    m_held = Held();
    m_refusals.clear();
}

void PostfixParser::emitInSession(const SyslogLine& sl, LogEvent&& e, const LogLine& line, ParseContext& context)
{
    // The session key is made only for the lines that need it: few are refusals or client=.
    if (e.type == LogEventType::SmtpReject && e.queueId.isEmpty() && !e.recipient.isEmpty()) {
        if (const QByteArray session = sessionOf(sl); !session.isEmpty()) {
            m_refusals.hold(session, std::move(e), line, context);
            return;
        }
    } else if (e.type == LogEventType::Received && !e.queueId.isEmpty() && !m_refusals.isEmpty()) {
        if (const QByteArray session = sessionOf(sl); !session.isEmpty())
            m_refusals.claim(session, e.queueId, context);
    }
    context.emitEvent(std::move(e));
}

void PostfixParser::flushHeld(ParseContext& context)
{
    if (!m_held.active)
        return;
    if (m_held.events.isEmpty() && !m_held.problem.isEmpty())
        context.diagnose(Diagnostic::Severity::Warning, m_held.problem, m_held.base.lineNumber);
    for (LogEvent& e : m_held.events)
        context.emitEvent(std::move(e));
    m_held = Held();
}

void PostfixParser::endFile(ParseContext& context)
{
    flushHeld(context);
    m_refusals.releaseAll(context);
}

LineStatus PostfixParser::parseLine(const LogLine& line, ParseContext& context)
{
    SyslogLine sl;
    if (!SyslogLine::parse(line.text, sl)) {
        if (!m_held.active || !m_held.unfinished || line.text.trimmed().isEmpty())
            return LineStatus::Unrecognized;
        // A fragment without header after an unfinished line: the relay split one line in
        // two. Try it glued on directly (cut inside a word) and with the space it ate.
        const QByteArrayView fragment = line.text;
        for (const bool withSpace : {false, true}) {
            QByteArray joined = m_held.message;
            if (withSpace)
                joined += ' ';
            joined += fragment;
            QList<LogEvent> events;
            QString problem;
            const Parsed p = parseMessage(joined, m_held.base, events, problem);
            if (p != Parsed::Events)
                continue;
            m_held.message = joined;
            m_held.raw += '\n';
            m_held.raw += fragment;
            for (LogEvent& e : events)
                e.rawLine = m_held.raw;
            m_held.events = events;
            m_held.problem.clear();
            m_held.unfinished = events.constFirst().truncated;
            context.diagnose(Diagnostic::Severity::Info,
                             u"joined to line %1: the syslog relay split it"_s.arg(
                                 m_held.base.lineNumber));
            return LineStatus::Ignored;
        }
        return LineStatus::Unrecognized;
    }

    flushHeld(context);
    if (sl.isNoise || !isPostfixProgram(sl.program))
        return LineStatus::Ignored; // amavis, dovecot, spamd, opendkim share the file

    LogEvent base = m_base.make(sl, LogFormat::Postfix, context);
    base.lineNumber = line.number;
    base.byteOffset = line.offset;

    QList<LogEvent>& events = m_scratch; // reused: one allocation for the whole file
    events.clear();
    QString problem;
    const Parsed parsed = parseMessage(sl.message, base, events, problem);
    const bool unfinished = parsed == Parsed::Partial
        || (parsed == Parsed::Events && events.constFirst().truncated);
    if (unfinished) {
        m_held.active = true;
        m_held.base = base;
        m_held.message = sl.message.toByteArray();
        m_held.raw = line.text.toByteArray();
        for (LogEvent& e : events)
            e.rawLine = m_held.raw;
        m_held.events = events;
        m_held.problem = problem;
        m_held.unfinished = true;
        return parsed == Parsed::Events ? LineStatus::Event : LineStatus::Malformed;
    }
    if (parsed == Parsed::Malformed) {
        context.diagnose(Diagnostic::Severity::Warning, problem);
        return LineStatus::Malformed;
    }
    if (parsed == Parsed::Known) {
        if (!m_refusals.isEmpty() && endsSession(sl.message)) {
            if (const QByteArray session = sessionOf(sl); !session.isEmpty())
                m_refusals.release(session, context);
        }
        return LineStatus::Ignored;
    }
    for (LogEvent& e : events)
        emitInSession(sl, std::move(e), line, context);
    return LineStatus::Event;
}

PostfixParser::Parsed PostfixParser::parseMessage(QByteArrayView msg, const LogEvent& base,
                                                  QList<LogEvent>& out, QString& problem) const
{
    auto parseReject = [&](QByteArrayView rest, QByteArrayView qid) {
        // "RCPT from client[ip]: 554 5.7.1 <rcpt>: text; from=<s> to=<r> proto=SMTP helo=<h>"
        LogEvent e = base;
        e.type = LogEventType::SmtpReject;
        e.queueId = str(qid);
        QByteArrayView replyPart;
        QByteArrayView tail;
        if (text::startsWith(rest, "header ") || text::startsWith(rest, "body ")) {
            // cleanup's header/body checks refuse the whole message, the reply last:
            // "header Subject: x from client[ip]; from=<s> to=<r> proto=ESMTP helo=<h>: 5.7.1 text"
            const qsizetype k = text::find(rest, "; from=");
            const qsizetype from = k < 0 ? -1 : rest.first(k).lastIndexOf(QByteArrayView(" from "));
            const qsizetype helo = k < 0 ? -1 : text::find(rest, " helo=<", k);
            const qsizetype end = helo < 0 ? -1 : text::find(rest, ">: ", helo);
            if (from < 0 || end < 0) {
                problem = u"reject line without client or reply"_s;
                return Parsed::Partial;
            }
            e.client = str(rest.sliced(from + 6, k - from - 6));
            tail = rest.sliced(k + 2, end + 1 - k - 2);
            replyPart = rest.sliced(end + 3);
        } else {
            const qsizetype from = text::find(rest, " from ");
            const qsizetype colon = from < 0 ? -1 : text::find(rest, ": ", from + 6);
            if (from < 0 || colon < 0) {
                problem = u"reject line without client or reply"_s;
                return Parsed::Partial;
            }
            e.client = str(rest.sliced(from + 6, colon - from - 6));
            replyPart = rest.sliced(colon + 2);
            for (const char* key : {"; from=", "; to=", "; proto="}) {
                if (const qsizetype k = replyPart.lastIndexOf(QByteArrayView(key)); k >= 0) {
                    tail = replyPart.sliced(k + 2);
                    replyPart = replyPart.first(k);
                    break;
                }
            }
        }
        const text::Reply reply = text::parseReply(replyPart);
        e.smtpCode = reply.code;
        e.dsn = str(reply.dsn);
        e.replyText = str(reply.text);
        bool hasFrom = false;
        const QByteArrayView sender = text::fieldValue(tail, "from", " ", &hasFrom);
        if (hasFrom) {
            e.hasSender = true;
            e.sender = str(text::stripAngles(sender.endsWith(',') ? sender.chopped(1) : sender));
        }
        const QByteArrayView rcpt = text::fieldValue(tail, "to", " ");
        e.recipient = str(text::stripAngles(rcpt.endsWith(',') ? rcpt.chopped(1) : rcpt));
        out.append(std::move(e));
        return Parsed::Events;
    };

    if (text::startsWith(msg, "NOQUEUE: ")) {
        const QByteArrayView rest = msg.sliced(9);
        if (text::startsWith(rest, "reject: "))
            return parseReject(rest.sliced(8), {});
        if (text::startsWith(rest, "milter-reject: "))
            return parseReject(rest.sliced(15), {});
        return Parsed::Known; // filter:, discard:, reject_warning: (nothing refused)
    }

    const qsizetype idLen = queueIdLength(msg);
    if (idLen == 0) {
        if (hasForeignQueueId(msg)) {
            problem = u"'%1' is not a Postfix queue id (upper-case hex, or the long form without vowels): line left out"_s
                          .arg(str(msg.first(text::find(msg, ": "))));
            return Parsed::Malformed;
        }
        return Parsed::Known; // connect from, warning:, statistics, TLS chatter
    }
    const QByteArrayView qid = msg.first(idLen);
    const QByteArrayView rest = msg.sliced(idLen + 2);

    LogEvent e = base;
    e.queueId = str(qid);

    if (text::startsWith(rest, "to=")) {
        e.type = LogEventType::DeliveryAttempt;
        QByteArrayView word;
        QByteArrayView statusText;
        bool hasStatus = false;
        qsizetype pos = 0;
        while (pos < rest.size()) {
            const qsizetype eq = text::findChar(rest, '=', pos);
            if (eq < 0)
                break;
            const QByteArrayView key = rest.sliced(pos, eq - pos);
            const qsizetype vstart = eq + 1;
            if (text::equals(key, "status")) {
                // The word ends at a blank, or at a comma ("status=expired, returned to
                // sender", which some logs write per recipient too).
                qsizetype wend = vstart;
                while (wend < rest.size() && rest[wend] != ' ' && rest[wend] != ',')
                    ++wend;
                word = rest.sliced(vstart, wend - vstart);
                statusText = rest.sliced(wend < rest.size() && rest[wend] == ',' ? wend + 1 : wend);
                hasStatus = true;
                break;
            }
            qsizetype vend = -1;
            if (vstart < rest.size() && rest[vstart] == '<') {
                const qsizetype close = text::findChar(rest, '>', vstart);
                if (close >= 0)
                    vend = close + 1;
            }
            if (vend < 0) {
                vend = text::find(rest, ", ", vstart);
                if (vend < 0)
                    vend = rest.size();
            }
            const QByteArrayView value = rest.sliced(vstart, vend - vstart);
            if (text::equals(key, "to")) {
                e.recipient = str(text::stripAngles(value));
            } else if (text::equals(key, "orig_to")) {
                e.originalRecipient = str(text::stripAngles(value));
            } else if (text::equals(key, "relay")) {
                e.relay = str(value);
            } else if (text::equals(key, "delay")) {
                double d = 0;
                if (text::parseSeconds(value, d))
                    e.delaySeconds = d;
            } else if (text::equals(key, "dsn")) {
                e.dsn = str(value);
            }
            const qsizetype next = text::find(rest, ", ", vend);
            if (next < 0)
                break;
            pos = next + 2;
        }
        if (!hasStatus || word.isEmpty()) {
            problem = u"delivery line without status= (cut off?)"_s;
            return Parsed::Partial;
        }
        if (text::equals(word, "sent")) {
            e.outcome = DeliveryOutcome::Sent;
        } else if (text::equals(word, "deferred") || text::equals(word, "SOFTBOUNCE")) {
            // soft_bounce = yes turns a permanent failure into a deferral (the DSN becomes
            // 4.X.X): the message stays queued and is retried like any other.
            e.outcome = DeliveryOutcome::Deferred;
        } else if (text::equals(word, "bounced")) {
            e.outcome = DeliveryOutcome::Bounced;
        } else if (text::equals(word, "expired")) {
            e.outcome = DeliveryOutcome::Expired;
        } else if (text::equals(word, "deliverable") || text::equals(word, "undeliverable")
                   || text::equals(word, "undeliverable-but-not-cached")) {
            // Address verification probes (sender double-bounce), not deliveries.
            return Parsed::Known;
        } else {
            // A word cut off ("status=boun" at the end of a file, or of a line a relay split)
            // or one this parser does not know: said, never dropped quietly; a split line's
            // rest may still complete it.
            problem = u"delivery line with an unknown status '%1' (cut off?)"_s.arg(str(word.first(qMin<qsizetype>(word.size(), 40))));
            return Parsed::Partial;
        }
        applyStatusText(e, statusText, word);
        // A bounce with a temporary status (from dsn= or, before Postfix 2.3, the reply) is
        // Postfix giving up on a temporary failure when the queue lifetime ran out, as releases
        // before "status=expired" logged it: "dsn=4.4.7, status=bounced (message too old)",
        // "dsn=4.4.1, status=bounced (delivery temporarily suspended: connect to ...)".
        if (e.outcome == DeliveryOutcome::Bounced && e.dsn.startsWith(u'4'))
            e.outcome = DeliveryOutcome::Expired;
        out.append(std::move(e));
        return Parsed::Events;
    }

    if (text::startsWith(rest, "from=")) {
        bool hasFrom = false;
        const QByteArrayView sender = text::fieldValue(rest, "from", ", ", &hasFrom);
        e.hasSender = hasFrom;
        e.sender = str(text::stripAngles(sender));
        bool hasStatus = false;
        const QByteArrayView status = text::fieldValue(rest, "status", "\n", &hasStatus);
        if (hasStatus) {
            if (text::startsWith(status, "expired") || text::startsWith(status, "force-expired")) {
                e.type = LogEventType::MessageExpired;
                e.replyText = str(status);
                out.append(std::move(e));
                return Parsed::Events;
            }
            return Parsed::Known;
        }
        bool hasSize = false;
        const QByteArrayView size = text::fieldValue(rest, "size", ", ", &hasSize);
        if (!hasSize) {
            problem = u"queue manager line without size= (cut off?)"_s;
            return Parsed::Partial;
        }
        e.type = LogEventType::Queued;
        qint64 n = 0;
        if (text::parseUInt(size, n))
            e.size = n;
        QByteArrayView nrcpt = text::fieldValue(rest, "nrcpt", ", ");
        if (const qsizetype sp = nrcpt.indexOf(' '); sp >= 0)
            nrcpt = nrcpt.first(sp); // "3 (queue active)"
        if (text::parseUInt(nrcpt, n))
            e.recipientCount = int(qMin<qint64>(n, 1 << 30));
        out.append(std::move(e));
        return Parsed::Events;
    }

    if (text::startsWith(rest, "client=")) {
        e.type = LogEventType::Received;
        e.client = str(text::fieldValue(rest, "client", ", "));
        out.append(std::move(e));
        return Parsed::Events;
    }

    if (text::startsWith(rest, "uid=")) {
        // pickup: "uid=300 from=<sender>" (local submission through sendmail(1))
        e.type = LogEventType::Received;
        bool hasFrom = false;
        const QByteArrayView sender = text::fieldValue(rest, "from", " ", &hasFrom);
        e.hasSender = hasFrom;
        e.sender = str(text::stripAngles(sender));
        out.append(std::move(e));
        return Parsed::Events;
    }

    if (text::startsWith(rest, "message-id=")) {
        // May lack the brackets, be an RFC 2047 word, or be empty ("message-id=<>": the
        // message had none) [postfix/supar..., whyscream...].
        const QByteArrayView id = text::stripAngles(rest.sliced(11));
        e.type = LogEventType::MessageId;
        e.messageId = str(id);
        out.append(std::move(e));
        return Parsed::Events;
    }

    if (text::equals(rest, "removed")) {
        e.type = LogEventType::Removed;
        out.append(std::move(e));
        return Parsed::Events;
    }

    if (const qsizetype n = text::find(rest, " notification: "); n > 0) {
        const QByteArrayView what = rest.first(n);
        QByteArrayView newId = rest.sliced(n + 15).trimmed();
        qsizetype i = 0;
        while (i < newId.size() && text::isAlnum(newId[i]))
            ++i;
        newId = newId.first(i);
        NotificationKind kind = NotificationKind::None;
        if (text::startsWith(what, "postmaster "))
            kind = NotificationKind::PostmasterCopy;
        else if (text::equals(what, "sender non-delivery"))
            kind = NotificationKind::NonDelivery;
        else if (text::equals(what, "sender delay"))
            kind = NotificationKind::Delay;
        else if (text::equals(what, "sender delivery status"))
            kind = NotificationKind::Success;
        if (kind != NotificationKind::None) {
            if (newId.isEmpty()) {
                problem = u"notification line without the new queue id (cut off?)"_s;
                return Parsed::Partial;
            }
            e.type = LogEventType::BounceGenerated;
            e.notification = kind;
            e.newQueueId = str(newId);
            out.append(std::move(e));
            return Parsed::Events;
        }
    }

    if (text::startsWith(rest, "reject: "))
        return parseReject(rest.sliced(8), qid);
    if (text::startsWith(rest, "milter-reject: "))
        return parseReject(rest.sliced(15), qid);

    if (looksLikePartial(rest)) {
        problem = u"line ends before its event is complete (cut off?)"_s;
        return Parsed::Partial;
    }
    if (text::startsWith(rest, "sender ") || text::startsWith(rest, "postmaster ")) {
        // "sender n" / "on-delivery notification: ..." [FORMATS.md §1 trap 5]
        if (!rest.contains(" notification: ")) {
            problem = u"notification line cut off"_s;
            return Parsed::Partial;
        }
    }
    return Parsed::Known; // host said:, lost connection, warning: header, hold, requeued, ...
}

} // namespace bi::core::logs
