// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/logs/qmail/qmail_parser.h"

#include "core/logs/log_text.h"
#include "core/logs/stamp_parser.h"
#include "core/logs/syslog/syslog_line.h"

using namespace Qt::StringLiterals;

namespace bi::core::logs {

using text::str;

namespace {

// qmail-send's own texts (qmail-send.c), as they start after the stamp.
constexpr const char* kSendTexts[] = {
    "new msg ", "info msg ", "starting delivery ", "delivery ", "bounce msg ", "end msg ",
    "triple bounce: ", "status: ",
};

bool isSendText(QByteArrayView t)
{
    for (const char* s : kSendTexts) {
        if (t.startsWith(QByteArrayView(s)))
            return true;
    }
    return false;
}

bool isQmailProgram(QByteArrayView p)
{
    return text::equals(p, "qmail") || text::startsWith(p, "qmail-") || text::equals(p, "rblsmtpd") || text::equals(p, "tcpserver")
        || text::equals(p, "splogger");
}

// "word: " at the start of a multilog text names the writing program (tcpserver:, rblsmtpd:).
QByteArrayView programPrefix(QByteArrayView t)
{
    qsizetype i = 0;
    while (i < t.size() && i < 32 && (text::isAlnum(t[i]) || t[i] == '-' || t[i] == '_'))
        ++i;
    if (i > 0 && i + 1 < t.size() && t[i] == ':' && t[i + 1] == ' ')
        return t.first(i);
    return {};
}

struct Split {
    enum class Time { None, Absolute, Wall, Syslog } time = Time::None;
    qint64 msecs = 0;
    WallTime wall;
    SyslogLine syslog;
    QByteArrayView program;
    QByteArrayView host;
    QByteArrayView text;
    bool foreign = false;
};

bool split(QByteArrayView line, Split& s)
{
    qsizetype pos = 0;
    if (StampParser::tai64n(line, pos, s.msecs)) {
        s.time = Split::Time::Absolute;
        s.text = line.sliced(qMin(pos + 1, line.size()));
    } else if (StampParser::iso(line, pos, s.wall) && pos < line.size() && line[pos] == ' ') {
        // tai64nlocal output: local wall clock, no zone.
        s.time = Split::Time::Wall;
        s.text = line.sliced(pos + 1);
    } else if (SyslogLine::parse(line, s.syslog)) {
        if (s.syslog.isNoise || !isQmailProgram(s.syslog.program)) {
            s.foreign = true; // another program's line in a shared syslog file
            return true;
        }
        s.time = Split::Time::Syslog;
        s.host = s.syslog.host;
        s.program = s.syslog.program;
        s.text = s.syslog.message;
        qsizetype p = 0;
        // splogger: "qmail: 1157520813.485077 text" — the epoch is the exact time.
        if (StampParser::epoch(s.text, p, s.msecs)) {
            s.time = Split::Time::Absolute;
            s.text = s.text.sliced(qMin(p + 1, s.text.size()));
        }
    } else {
        s.text = line;
        if (text::startsWith(s.text, "qmail: ")) {
            s.program = s.text.first(5);
            s.text = s.text.sliced(7);
            qsizetype p = 0;
            if (StampParser::epoch(s.text, p, s.msecs)) {
                s.time = Split::Time::Absolute;
                s.text = s.text.sliced(qMin(p + 1, s.text.size()));
            }
        } else if (!isSendText(s.text)) {
            return false;
        }
    }
    const QByteArrayView prefix = programPrefix(s.text);
    if (!prefix.isEmpty() && (isQmailProgram(prefix) || text::equals(prefix, "qmail"))) {
        s.program = prefix;
        s.text = s.text.sliced(prefix.size() + 2);
    }
    return true;
}

QByteArrayView wordAt(QByteArrayView v, qsizetype pos)
{
    qsizetype end = v.indexOf(' ', pos);
    if (end < 0)
        end = v.size();
    return v.sliced(pos, end - pos);
}

} // namespace

QString QmailParser::decodeText(QByteArrayView t)
{
    QByteArray out;
    out.reserve(t.size());
    for (qsizetype i = 0; i < t.size(); ++i) {
        const char c = t[i];
        if (c == '_') {
            out += ' ';
        } else if (c == '/') {
            // qmail-send writes a line end as '/'; a real slash sits inside a word.
            const bool atEnd = i + 1 == t.size();
            const bool beforeLine = !atEnd && (t[i + 1] == '_' || (t[i + 1] >= 'A' && t[i + 1] <= 'Z'));
            if (atEnd)
                continue;
            out += beforeLine ? ' ' : '/';
        } else {
            out += c;
        }
    }
    return QString::fromUtf8(out).simplified();
}

int QmailParser::sniffLine(QByteArrayView line)
{
    if (line.startsWith('@')) {
        qsizetype pos = 0;
        qint64 ms = 0;
        return StampParser::tai64n(line, pos, ms) ? 3 : 0;
    }
    Split s;
    if (!split(line, s) || s.foreign)
        return 0;
    if (s.time == Split::Time::None)
        return text::equals(s.program, "qmail") ? 3 : 2;
    if (s.time == Split::Time::Wall)
        return isSendText(s.text) ? 3 : 0;
    return 3;
}

void QmailParser::beginFile(ParseContext& context, QByteArrayView head)
{
    (void)head;
    (void)context;
    m_warnedNoTime = false;
}

void QmailParser::reset()
{
    m_deliveries.clear();
    m_bounceByQp.clear();
    m_warnedNoTime = false;
}

LineStatus QmailParser::parseLine(const LogLine& line, ParseContext& context)
{
    Split s;
    if (!split(line.text, s))
        return LineStatus::Unrecognized;
    if (s.foreign)
        return LineStatus::Ignored;

    LogEvent base;
    base.format = LogFormat::Qmail;
    LogClock::Stamp stamp;
    switch (s.time) {
    case Split::Time::Absolute:
        stamp = context.clock().fromUtcMSecs(s.msecs);
        break;
    case Split::Time::Wall:
        if (!context.clock().resolve(s.wall, stamp))
            context.diagnose(Diagnostic::Severity::Warning, u"impossible time stamp"_s);
        break;
    case Split::Time::Syslog:
        if (!s.syslog.resolveTime(context.clock(), stamp))
            context.diagnose(Diagnostic::Severity::Warning, u"impossible time stamp"_s);
        break;
    case Split::Time::None:
        if (!m_warnedNoTime) {
            m_warnedNoTime = true;
            context.diagnose(Diagnostic::Severity::Info,
                             u"qmail lines without time stamps: events have no time"_s);
        }
        break;
    }
    base.time = stamp.utc;
    base.utcOffsetSeconds = stamp.offsetSeconds;
    base.host = s.host.isEmpty() ? context.defaultHost() : m_hosts.get(s.host);
    base.program = m_programs.get(s.program.isEmpty() ? QByteArrayView("qmail-send") : s.program);
    const QString hostKey = base.host + u'\n';

    const QByteArrayView t = s.text;

    if (text::equals(s.program, "rblsmtpd") || text::equals(s.program, "qmail-smtpd")) {
        // "rblsmtpd: 198.51.100.77 pid 19597 sbl-xbl.spamhaus.org: 451 http://..." — the
        // client never got to send (qmail/fail2ban-qmail.log, lnav-logfile_tai64n.log).
        const qsizetype r = text::findReply(t);
        if (r < 0)
            return LineStatus::Ignored;
        LogEvent e = base;
        e.type = LogEventType::SmtpReject;
        if (text::equals(s.program, "rblsmtpd"))
            e.client = str(wordAt(t, 0));
        const text::Reply reply = text::parseReply(t.sliced(r));
        e.smtpCode = reply.code;
        e.dsn = str(reply.dsn);
        e.replyText = str(reply.text);
        context.emitEvent(std::move(e));
        return LineStatus::Event;
    }

    if (text::startsWith(t, "info msg ")) {
        // "info msg 54: bytes 743 from <> qp 20357 uid 666"
        const qsizetype colon = t.indexOf(':', 9);
        if (colon < 0) {
            context.diagnose(Diagnostic::Severity::Warning, u"info line without ':'"_s);
            return LineStatus::Malformed;
        }
        LogEvent e = base;
        e.type = LogEventType::Received;
        e.queueId = str(t.sliced(9, colon - 9));
        const QByteArrayView rest = t.sliced(colon + 1);
        if (const qsizetype b = text::find(rest, " bytes "); b >= 0) {
            qint64 n = 0;
            if (text::parseUInt(wordAt(rest, b + 7), n))
                e.size = n;
        }
        if (const qsizetype f = text::find(rest, " from <"); f >= 0) {
            const qsizetype close = rest.indexOf('>', f + 7);
            if (close >= 0) {
                e.hasSender = true;
                e.sender = str(rest.sliced(f + 7, close - f - 7));
            }
        }
        if (const qsizetype q = text::find(rest, " qp "); q >= 0) {
            e.deliveryId = str(wordAt(rest, q + 4));
            const QString key = hostKey + e.deliveryId;
            if (const auto it = m_bounceByQp.constFind(key); it != m_bounceByQp.cend()) {
                // FORMATS.md §4: the bounce's own message carries the qp of `bounce msg`.
                e.parentQueueId = it.value();
                m_bounceByQp.erase(it);
            }
        }
        context.emitEvent(std::move(e));
        return LineStatus::Event;
    }

    if (text::startsWith(t, "starting delivery ")) {
        // "starting delivery 2: msg 53 to local nonexistent@domain"
        const qsizetype colon = text::find(t, ": msg ");
        const qsizetype to = colon < 0 ? -1 : text::find(t, " to ", colon);
        if (colon < 0 || to < 0) {
            context.diagnose(Diagnostic::Severity::Warning, u"starting delivery line cut off"_s);
            return LineStatus::Malformed;
        }
        Delivery d;
        d.queueId = str(t.sliced(colon + 6, to - colon - 6));
        QByteArrayView where = t.sliced(to + 4);
        d.local = text::startsWith(where, "local ");
        if (text::startsWith(where, "local ") || text::startsWith(where, "remote "))
            where = where.sliced(where.indexOf(' ') + 1);
        d.recipient = str(where);
        if (m_deliveries.size() >= kMaxPending) {
            m_deliveries.clear();
            context.diagnose(Diagnostic::Severity::Warning,
                             u"too many deliveries without results; pairing restarted"_s);
        }
        m_deliveries.insert(hostKey + str(t.sliced(18, colon - 18)), d);
        return LineStatus::Ignored;
    }

    if (text::startsWith(t, "delivery ")) {
        // "delivery 2: failure: No_such_address.__#5.1.1_/"
        const qsizetype colon = text::find(t, ": ", 9);
        if (colon < 0) {
            context.diagnose(Diagnostic::Severity::Warning, u"delivery line cut off"_s);
            return LineStatus::Malformed;
        }
        const QString key = hostKey + str(t.sliced(9, colon - 9));
        const auto it = m_deliveries.constFind(key);
        if (it == m_deliveries.cend()) {
            context.diagnose(Diagnostic::Severity::Warning,
                             u"delivery %1 has no 'starting delivery' line"_s.arg(
                                 str(t.sliced(9, colon - 9))));
            return LineStatus::Malformed;
        }
        const Delivery d = it.value();
        m_deliveries.erase(it);
        const QByteArrayView rest = t.sliced(colon + 2);
        LogEvent e = base;
        e.type = LogEventType::DeliveryAttempt;
        e.queueId = d.queueId;
        e.recipient = d.recipient;
        QByteArrayView what;
        if (text::startsWith(rest, "success: ")) {
            e.outcome = DeliveryOutcome::Sent;
            what = rest.sliced(9);
        } else if (text::startsWith(rest, "deferral: ")) {
            e.outcome = DeliveryOutcome::Deferred;
            what = rest.sliced(10);
        } else if (text::startsWith(rest, "failure: ")) {
            // qmail-send turns a deferral into a failure once the message is older than
            // queuelifetime, and appends "I'm_not_going_to_try_again;_this_message_has_been_in
            // _the_queue_too_long./" to the last reply: the queue lifetime ran out.
            what = rest.sliced(9);
            e.outcome = text::find(what, "in_the_queue_too_long") >= 0 ? DeliveryOutcome::Expired
                                                                       : DeliveryOutcome::Bounced;
        } else {
            context.diagnose(Diagnostic::Severity::Warning, u"unknown delivery result"_s);
            return LineStatus::Malformed;
        }
        e.replyText = decodeText(what);
        const QByteArray decoded = e.replyText.toUtf8();
        const QByteArrayView dv(decoded);
        if (const qsizetype hash = dv.indexOf('#'); hash >= 0 && text::enhancedStatusLengthAt(dv, hash + 1))
            e.dsn = str(dv.sliced(hash + 1, text::enhancedStatusLengthAt(dv, hash + 1)));
        text::Reply reply;
        if (const qsizetype said = text::find(dv, "said: "); said >= 0)
            reply = text::parseReply(dv.sliced(said + 6));
        else if (const qsizetype r = text::findReply(dv); r >= 0)
            reply = text::parseReply(dv.sliced(r));
        e.smtpCode = reply.code;
        if (e.dsn.isEmpty())
            e.dsn = str(reply.dsn);
        if (d.local) {
            e.relay = u"local"_s;
        } else {
            // qmail-remote: "1.2.3.4 accepted message." / "Connected to 1.2.3.4 but ..."
            QByteArrayView ipPart = dv;
            if (text::startsWith(ipPart, "Connected to "))
                ipPart = ipPart.sliced(13);
            const QByteArrayView first = wordAt(ipPart, 0);
            if (!first.isEmpty() && (text::isDigit(first[0]) || first.contains(':')))
                e.relay = str(first);
        }
        if (e.outcome == DeliveryOutcome::Expired) {
            // The line is also a last try, which failed temporarily: a deferral, then the
            // expiry (as Postfix logs them on two lines).
            LogEvent tried = e;
            tried.outcome = DeliveryOutcome::Deferred;
            context.emitEvent(std::move(tried));
        }
        context.emitEvent(std::move(e));
        return LineStatus::Event;
    }

    if (text::startsWith(t, "bounce msg ")) {
        // "bounce msg 53 qp 20357"
        LogEvent e = base;
        e.type = LogEventType::BounceGenerated;
        e.notification = NotificationKind::NonDelivery;
        e.queueId = str(wordAt(t, 11));
        if (const qsizetype q = text::find(t, " qp "); q >= 0) {
            if (m_bounceByQp.size() >= kMaxPending)
                m_bounceByQp.clear();
            m_bounceByQp.insert(hostKey + str(wordAt(t, q + 4)), e.queueId);
        }
        context.emitEvent(std::move(e));
        return LineStatus::Event;
    }

    if (text::startsWith(t, "end msg ")) {
        LogEvent e = base;
        e.type = LogEventType::Removed;
        e.queueId = str(wordAt(t, 8));
        context.emitEvent(std::move(e));
        return LineStatus::Event;
    }

    if (text::startsWith(t, "triple bounce: discarding bounce/")) {
        LogEvent e = base;
        e.type = LogEventType::Removed;
        e.queueId = str(wordAt(t, 33));
        e.replyText = u"triple bounce discarded"_s;
        context.emitEvent(std::move(e));
        return LineStatus::Event;
    }
    return LineStatus::Ignored; // new msg, status:, tcpserver, other programs
}

} // namespace bi::core::logs
