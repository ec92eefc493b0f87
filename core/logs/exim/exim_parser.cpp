// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/logs/exim/exim_parser.h"

#include <QVarLengthArray>

#include "core/logs/log_text.h"
#include "core/logs/stamp_parser.h"
#include "core/logs/syslog/syslog_line.h"

using namespace Qt::StringLiterals;

namespace bi::core::logs {

using text::str;

namespace {

struct Field {
    QByteArrayView key; // empty for a bare word
    QByteArrayView value;
};
using Fields = QVarLengthArray<Field, 24>;

QByteArrayView tokenAt(QByteArrayView v, qsizetype pos)
{
    qsizetype end = v.indexOf(' ', pos);
    if (end < 0)
        end = v.size();
    return v.sliced(pos, end - pos);
}

void skipSpaces(QByteArrayView v, qsizetype& i)
{
    while (i < v.size() && v[i] == ' ')
        ++i;
}

// Exim `KEY=value` fields (log_selector decides which appear, FORMATS.md §2 trap 5): quoted
// values with backslash escapes (T="...", C="..."), and H=/I= values that go on with
// "(helo)" and "[ip]:port" words.
void tokenize(QByteArrayView s, Fields& out)
{
    qsizetype i = 0;
    const qsizetype n = s.size();
    while (i < n) {
        skipSpaces(s, i);
        if (i >= n)
            break;
        qsizetype k = i;
        while (k < n && (text::isAlnum(s[k]) || s[k] == '_'))
            ++k;
        if (k > i && k < n && s[k] == '=') {
            const QByteArrayView key = s.sliced(i, k - i);
            const qsizetype v = k + 1;
            if (v < n && s[v] == '"') {
                qsizetype j = v + 1;
                while (j < n && s[j] != '"') {
                    if (s[j] == '\\')
                        ++j;
                    ++j;
                }
                const qsizetype end = qMin(j, n);
                out.append({key, s.sliced(v + 1, end - v - 1)});
                i = qMin(j + 1, n);
                continue;
            }
            qsizetype j = s.indexOf(' ', v);
            if (j < 0)
                j = n;
            for (;;) {
                qsizetype p = j;
                skipSpaces(s, p);
                if (p >= n || (s[p] != '(' && s[p] != '['))
                    break;
                qsizetype e = p;
                if (s[p] == '(') {
                    const qsizetype close = s.indexOf(')', p);
                    e = close < 0 ? n : close + 1;
                }
                j = s.indexOf(' ', e);
                if (j < 0)
                    j = n;
            }
            out.append({key, s.sliced(v, j - v)});
            i = j;
            continue;
        }
        qsizetype j = s.indexOf(' ', i);
        if (j < 0)
            j = n;
        out.append({{}, s.sliced(i, j - i)});
        i = j;
    }
}

QByteArrayView field(const Fields& fields, QByteArrayView key)
{
    for (const Field& f : fields) {
        if (f.key == key)
            return f.value;
    }
    return {};
}

QByteArrayView stripStar(QByteArrayView v)
{
    v = v.trimmed();
    // "H=127.0.0.1 [127.0.0.1]*": the star only marks how the host was found.
    while (v.endsWith('*'))
        v.chop(1);
    return v;
}

// The remote's reply inside an Exim error text: "SMTP error from remote mail server after
// RCPT TO:<x>: 550 5.1.1 ...", or anything that looks like a reply.
void applyErrorText(LogEvent& e, QByteArrayView msg)
{
    e.replyText = str(msg);
    text::Reply reply;
    static constexpr QByteArrayView kSmtpError = "SMTP error from remote mail server after ";
    if (const qsizetype s = msg.indexOf(kSmtpError); s >= 0) {
        const qsizetype c = text::find(msg, ": ", s + kSmtpError.size());
        if (c >= 0)
            reply = text::parseReply(msg.sliced(c + 2));
    } else if (const qsizetype r = text::findReply(msg); r >= 0) {
        reply = text::parseReply(msg.sliced(r));
    }
    e.smtpCode = reply.code;
    e.dsn = str(reply.dsn.isEmpty() ? text::findEnhancedStatus(msg) : reply.dsn);
}

bool containsCi(QByteArrayView hay, QByteArrayView needle)
{
    return hay.size() >= needle.size()
        && QByteArrayView(hay).toByteArray().toLower().contains(needle);
}

} // namespace

bool EximParser::isMessageId(QByteArrayView t)
{
    auto run = [&](qsizetype from, qsizetype len) {
        for (qsizetype i = from; i < from + len; ++i) {
            if (!text::isAlnum(t[i]))
                return false;
        }
        return true;
    };
    if (t.size() == 16)
        return t[6] == '-' && t[13] == '-' && run(0, 6) && run(7, 6) && run(14, 2);
    if (t.size() == 23)
        return t[6] == '-' && t[18] == '-' && run(0, 6) && run(7, 11) && run(19, 4);
    return false;
}

namespace {

struct Head {
    WallTime wall;
    bool hasWall = false;
    SyslogLine syslog;
    bool hasSyslog = false;
    QByteArrayView body;
};

// Finds Exim's own stamp (and optional zone and [pid]) at the start of text; body follows.
bool eximStamp(QByteArrayView text, WallTime& wall, QByteArrayView& body)
{
    qsizetype pos = 0;
    WallTime w;
    if (!StampParser::iso(text, pos, w))
        return false;
    StampParser::spacedOffset(text, pos, w);
    skipSpaces(text, pos);
    if (pos < text.size() && text[pos] == '[') {
        const qsizetype close = text.indexOf(']', pos);
        if (close > pos && close - pos < 16) {
            pos = close + 1;
            skipSpaces(text, pos);
        }
    }
    wall = w;
    body = text.sliced(pos);
    return true;
}

bool isEximProgram(QByteArrayView token)
{
    // "exim[123]:", "exim4[123]:", "exim:"
    return text::startsWith(token, "exim") && (token.endsWith(':') || token.contains("]:"));
}

bool splitHead(QByteArrayView line, Head& h)
{
    qsizetype pos = 0;
    WallTime w;
    if (StampParser::iso(line, pos, w)) {
        qsizetype p = pos;
        StampParser::spacedOffset(line, p, w);
        skipSpaces(line, p);
        const QByteArrayView t1 = tokenAt(line, p);
        qsizetype p2 = p + t1.size();
        skipSpaces(line, p2);
        const QByteArrayView t2 = p2 < line.size() ? tokenAt(line, p2) : QByteArrayView();
        if (isEximProgram(t2) && SyslogLine::parse(line, h.syslog)) {
            // syslog-wrapped with an ISO date [exim/fail2ban-exim.log]
            h.hasSyslog = true;
            if (!eximStamp(h.syslog.message, h.wall, h.body)) {
                h.wall = h.syslog.wall;
                h.body = h.syslog.message;
            }
            h.hasWall = true;
            return true;
        }
        if (!eximStamp(line, h.wall, h.body))
            return false;
        h.hasWall = true;
        return true;
    }
    if (SyslogLine::parse(line, h.syslog)) {
        if (!text::startsWith(h.syslog.program, "exim"))
            return false;
        h.hasSyslog = true;
        h.hasWall = eximStamp(h.syslog.message, h.wall, h.body);
        if (!h.hasWall)
            h.body = h.syslog.message;
        return true;
    }
    // "host exim[pid]: 2021-07-17 23:20:49 text": a relay that dropped the syslog stamp.
    const QByteArrayView t1 = tokenAt(line, 0);
    qsizetype p = t1.size();
    skipSpaces(line, p);
    if (p >= line.size() || !isEximProgram(tokenAt(line, p)))
        return false;
    const QByteArrayView prog = tokenAt(line, p);
    p += prog.size();
    skipSpaces(line, p);
    if (!eximStamp(line.sliced(p), h.wall, h.body))
        return false;
    h.hasWall = true;
    h.syslog.host = t1;
    const qsizetype bracket = prog.indexOf('[');
    h.syslog.program = bracket > 0 ? prog.first(bracket) : prog.chopped(1);
    h.hasSyslog = true;
    return true;
}

// Texts Exim writes without a message id (FORMATS.md §2 trap 4).
bool isEximText(QByteArrayView body)
{
    static constexpr const char* kTexts[] = {
        "Start queue run", "End queue run", "SMTP connection from", "SMTP call from",
        "SMTP protocol", "H=", "no host name found", "no IP address found", "exim ",
        "Connection from", "TLS error", "SMTP command timeout", "unexpected disconnection",
        "rejected ", "F=<", "U=", "cwd=", "Spool file",
    };
    for (const char* t : kTexts) {
        if (body.startsWith(QByteArrayView(t)))
            return true;
    }
    return body.contains(" authenticator failed for ") || body.contains(" rejected RCPT ");
}

} // namespace

int EximParser::sniffLine(QByteArrayView line)
{
    Head h;
    if (!splitHead(line, h))
        return 0;
    if (h.hasSyslog)
        return 3;
    const QByteArrayView id = tokenAt(h.body, 0);
    if (isMessageId(id))
        return 3;
    return isEximText(h.body) ? 2 : 0;
}

namespace {

// A refused recipient and the message its client then submitted share host, client and sender.
QByteArray sessionOf(const LogEvent& e)
{
    if (e.client.isEmpty() || !e.hasSender)
        return {};
    return (e.host + u'\n' + e.client + u'\n' + e.sender.toLower()).toUtf8();
}

} // namespace

void EximParser::endFile(ParseContext& context)
{
    m_refusals.releaseAll(context);
}

void EximParser::reset()
{
    m_refusals.clear();
}

LineStatus EximParser::parseLine(const LogLine& line, ParseContext& context)
{
    Head h;
    if (!splitHead(line.text, h))
        return LineStatus::Unrecognized;

    LogEvent base;
    base.format = LogFormat::Exim;
    LogClock::Stamp stamp;
    const bool timeOk = h.hasWall ? context.clock().resolve(h.wall, stamp)
                                  : h.syslog.resolveTime(context.clock(), stamp);
    if (timeOk) {
        base.time = stamp.utc;
        base.utcOffsetSeconds = stamp.offsetSeconds;
    } else {
        context.diagnose(Diagnostic::Severity::Warning, u"impossible time stamp"_s);
    }
    base.host = h.hasSyslog && !h.syslog.host.isEmpty() ? m_hosts.get(h.syslog.host)
                                                        : context.defaultHost();
    base.program = h.hasSyslog ? m_programs.get(h.syslog.program) : m_programs.get("exim");
    if (!m_refusals.isEmpty() && base.time.isValid())
        m_refusals.releaseBefore(base.time.addSecs(-kSessionSeconds), context);

    QByteArrayView body = h.body;
    const QByteArrayView id = tokenAt(body, 0);
    const bool hasId = isMessageId(id);
    if (hasId) {
        base.queueId = str(id);
        body = body.sliced(qMin(id.size() + 1, body.size()));
    }

    auto emitReject = [&](QByteArrayView text) -> LineStatus {
        // "H=host [ip] F=<s> rejected RCPT <r>: reason" (also MAIL, after DATA, by
        // local_scan()); Exim logs its reason, not the reply code.
        const qsizetype r = text::find(text, " rejected ");
        const QByteArrayView headPart = text.first(r);
        if (!(text::startsWith(headPart, "H=") || text::startsWith(headPart, "F=") || text::startsWith(headPart, "U=")
              || headPart.contains(" H=")))
            return LineStatus::Ignored;
        Fields fields;
        tokenize(headPart, fields);
        LogEvent e = base;
        e.type = LogEventType::SmtpReject;
        // Exim logs its reason, not the code: "temporarily rejected" is its 4xx wording.
        e.outcome = headPart.endsWith(" temporarily") ? DeliveryOutcome::Deferred : DeliveryOutcome::Bounced;
        e.client = str(stripStar(field(fields, "H")));
        const QByteArrayView from = field(fields, "F");
        if (!from.isNull()) {
            e.hasSender = true;
            e.sender = str(text::stripAngles(from));
        }
        QByteArrayView what = text.sliced(r + 10);
        const qsizetype colon = text::find(what, ": ");
        const QByteArrayView reason = colon < 0 ? QByteArrayView() : what.sliced(colon + 2);
        if (text::startsWith(what, "RCPT ")) {
            e.recipient = str(text::stripAngles(colon < 0 ? what.sliced(5) : what.sliced(5, colon - 5)));
        } else if (text::startsWith(what, "MAIL ") && !e.hasSender) {
            e.hasSender = true;
            e.sender = str(text::stripAngles(colon < 0 ? what.sliced(5) : what.sliced(5, colon - 5)));
        }
        e.replyText = str(colon < 0 ? what : reason);
        if (const qsizetype rp = text::findReply(reason); rp >= 0) {
            const text::Reply reply = text::parseReply(reason.sliced(rp));
            e.smtpCode = reply.code;
            e.dsn = str(reply.dsn);
        }
        const QByteArray session = e.queueId.isEmpty() && !e.recipient.isEmpty() ? sessionOf(e) : QByteArray();
        if (!session.isEmpty())
            m_refusals.hold(session, std::move(e), line, context);
        else
            context.emitEvent(std::move(e));
        return LineStatus::Event;
    };

    if (!hasId) {
        if (body.contains(" rejected ") && !text::startsWith(body, "SMTP "))
            return emitReject(body);
        return LineStatus::Ignored;
    }

    // A frozen message older than timeout_frozen_after is given up like one whose retries ran
    // out: its recipients still deferred have expired, and Exim bounces it to the sender.
    if (text::startsWith(body, "cancelled by timeout_frozen_after")) {
        LogEvent e = base;
        e.type = LogEventType::MessageExpired;
        e.replyText = str(body);
        context.emitEvent(std::move(e));
        return LineStatus::Event;
    }
    if (text::equals(body, "Completed") || text::startsWith(body, "Completed ") || text::startsWith(body, "removed")) {
        LogEvent e = base;
        e.type = LogEventType::Removed;
        if (text::startsWith(body, "Completed ")) {
            Fields fields;
            tokenize(body.sliced(10), fields);
            const double qt = text::parseUnitDuration(field(fields, "QT"));
            if (qt >= 0)
                e.delaySeconds = qt;
        }
        context.emitEvent(std::move(e));
        return LineStatus::Event;
    }

    if (body.size() < 3 || body[2] != ' ') {
        if (body.contains(" rejected "))
            return emitReject(body);
        return LineStatus::Ignored; // H=... Connection refused, Frozen, error ignored, event ...
    }
    const QByteArrayView flag = body.first(2);
    const QByteArrayView after = body.sliced(3);

    if (text::equals(flag, "<=")) {
        const QByteArrayView senderTok = tokenAt(after, 0);
        Fields fields;
        tokenize(after.sliced(senderTok.size()), fields);
        LogEvent e = base;
        e.type = LogEventType::Received;
        e.hasSender = true;
        e.sender = str(text::stripAngles(senderTok));
        e.client = str(stripStar(field(fields, "H")));
        qint64 size = 0;
        if (text::parseUInt(field(fields, "S"), size))
            e.size = size;
        e.messageId = str(text::stripAngles(field(fields, "id")));
        int recipients = -1;
        for (qsizetype i = 0; i < fields.size(); ++i) {
            if (fields[i].key.isEmpty() && text::equals(fields[i].value, "for")) {
                recipients = 0;
                for (qsizetype j = i + 1; j < fields.size() && fields[j].key.isEmpty(); ++j)
                    ++recipients;
                break;
            }
        }
        e.recipientCount = recipients;
        if (!m_refusals.isEmpty()) {
            if (const QByteArray session = sessionOf(e); !session.isEmpty())
                m_refusals.claim(session, e.queueId, context);
        }
        const QByteArrayView parent = field(fields, "R");
        if (e.sender.isEmpty() && isMessageId(parent)) {
            // "<= <> R=parent": Exim made a bounce or delay warning for parent; the log does
            // not say which (FORMATS.md §2).
            e.parentQueueId = str(parent);
            LogEvent b = base;
            b.type = LogEventType::BounceGenerated;
            b.notification = NotificationKind::Unknown;
            b.queueId = e.parentQueueId;
            b.newQueueId = e.queueId;
            context.emitEvent(std::move(b));
        }
        context.emitEvent(std::move(e));
        return LineStatus::Event;
    }

    if (flag != "=>" && flag != "->" && flag != "==" && flag != "**")
        return LineStatus::Ignored; // "*>" suppressed delivery (-N), or unknown flags

    QByteArrayView head = after;
    QByteArrayView message;
    bool hasMessage = false;
    if (text::equals(flag, "==")) {
        if (const qsizetype d = text::find(after, " defer ("); d >= 0) {
            const QByteArrayView tail = after.sliced(d + 1);
            const qsizetype close = tail.indexOf(')');
            QByteArrayView post = close < 0 ? QByteArrayView() : tail.sliced(close + 1);
            const qsizetype c = text::find(post, ": ");
            QByteArrayView extra;
            if (c >= 0) {
                extra = post.first(c);
                message = post.sliced(c + 2);
            } else {
                message = post.trimmed();
            }
            hasMessage = true;
            head = after.first(d);
            Fields extraFields;
            tokenize(extra, extraFields);
            if (const QByteArrayView hostField = field(extraFields, "H"); !hostField.isEmpty())
                base.relay = str(stripStar(hostField));
        }
    }
    if (!hasMessage && (text::equals(flag, "==") || text::equals(flag, "**"))) {
        if (const qsizetype c = text::find(after, ": "); c >= 0) {
            head = after.first(c);
            message = after.sliced(c + 2);
            hasMessage = true;
        }
    }
    head = head.trimmed();
    while (head.endsWith(':'))
        head.chop(1);

    QByteArrayView addr = tokenAt(head, 0);
    // "=> >usery <userx@test.ex> R=filter T=autoreply": a filter's autoreply or vacation
    // message, sent to ">usery" on userx's behalf, is no delivery of the message to anyone.
    if (addr.startsWith('>') && text::equals(flag, "=>"))
        return LineStatus::Ignored;
    QByteArrayView rest = head.sliced(addr.size());
    // "** b@known.ex: retry timeout exceeded" (but ":blackhole:" is an address as it is)
    if (hasMessage && addr.endsWith(':') && !addr.startsWith(':'))
        addr.chop(1);
    LogEvent e = base;
    e.type = LogEventType::DeliveryAttempt;
    e.recipient = str(addr);
    qsizetype rp = 0;
    skipSpaces(rest, rp);
    if (rp < rest.size() && rest[rp] == '<') {
        const qsizetype close = rest.indexOf('>', rp);
        if (close > rp) {
            e.originalRecipient = str(rest.sliced(rp + 1, close - rp - 1));
            rest = rest.sliced(close + 1);
        }
    }
    // A local delivery logs where it went ("=> alice <alice@example.com>", "=> /home/carol/
    // Maildir/ <carol@example.com>", "=> |/usr/bin/procmail <x@example.com>"): the address in
    // angle brackets is the envelope recipient then.
    if (!addr.contains('@') && e.originalRecipient.contains(u'@'))
        e.recipient = e.originalRecipient;
    Fields fields;
    tokenize(rest, fields);
    if (const QByteArrayView f = field(fields, "F"); !f.isNull()) {
        e.hasSender = true;
        e.sender = str(text::stripAngles(f));
    }
    if (const QByteArrayView hostField = field(fields, "H"); !hostField.isEmpty())
        e.relay = str(stripStar(hostField));
    // The transport is Exim's delivery agent, as smtp/lmtp/pipe are Postfix's: "exim/remote_smtp".
    if (const QByteArrayView transport = field(fields, "T"); !transport.isEmpty())
        e.program = base.program + u'/' + str(transport);
    const double qt = text::parseUnitDuration(field(fields, "QT"));
    if (qt >= 0)
        e.delaySeconds = qt;

    if (text::equals(flag, "=>") || text::equals(flag, "->")) {
        e.outcome = DeliveryOutcome::Sent;
        const QByteArrayView confirmation = field(fields, "C");
        if (!confirmation.isEmpty()) {
            e.replyText = str(confirmation);
            const text::Reply reply = text::parseReply(confirmation);
            e.smtpCode = reply.code;
            e.dsn = str(reply.dsn);
            e.nextQueueId = str(text::nextQueueId(confirmation));
        }
    } else if (text::equals(flag, "==")) {
        e.outcome = DeliveryOutcome::Deferred;
        applyErrorText(e, message);
        // FORMATS.md §2 trap 2: the queue runner skipped the address, no attempt was made.
        e.skipped = containsCi(message, "retry time not reached")
            || containsCi(message, "retry time not yet reached");
    } else {
        // Exim gives up on an address whose hosts kept failing past the retry rules' cutoff
        // with one of these texts (deliver.c, transports/smtp.c): its queue lifetime ran out.
        const bool gaveUp = containsCi(message, "retry timeout exceeded")
            || containsCi(message, "after a long failure period")
            || containsCi(message, "have been failing for a long time");
        e.outcome = gaveUp ? DeliveryOutcome::Expired : DeliveryOutcome::Bounced;
        applyErrorText(e, message);
    }
    context.emitEvent(std::move(e));
    return LineStatus::Event;
}

} // namespace bi::core::logs
