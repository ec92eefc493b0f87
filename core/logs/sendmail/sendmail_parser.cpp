// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/logs/sendmail/sendmail_parser.h"

#include <QVarLengthArray>

#include "core/logs/log_text.h"
#include "core/logs/syslog/syslog_line.h"

using namespace Qt::StringLiterals;

namespace bi::core::logs {

using text::str;

namespace {

struct KeyValue {
    QByteArrayView key;
    QByteArrayView value;
};
using KeyValues = QVarLengthArray<KeyValue, 16>;

bool isKeyChar(char c)
{
    return text::isAlnum(c) || c == '_';
}

// True when s[pos..] reads "key=" with a plausible key.
bool keyAt(QByteArrayView s, qsizetype pos)
{
    qsizetype i = pos;
    while (i < s.size() && isKeyChar(s[i]))
        ++i;
    return i > pos && i < s.size() && s[i] == '=';
}

// "k=v, k=v, ..." where values may hold spaces and commas ("to=<a>,<b>", "ctladdr=root
// (0/0)"); only ", key=" separates. stat= and reject= run to the end of the line.
void splitKeyValues(QByteArrayView s, KeyValues& out)
{
    qsizetype i = 0;
    const qsizetype n = s.size();
    while (i < n) {
        if (!keyAt(s, i))
            break;
        const qsizetype eq = s.indexOf('=', i);
        const QByteArrayView key = s.sliced(i, eq - i);
        const qsizetype vstart = eq + 1;
        if (text::equals(key, "stat") || text::equals(key, "reject")) {
            out.append({key, s.sliced(vstart)});
            break;
        }
        qsizetype end = n;
        for (qsizetype j = vstart;;) {
            const qsizetype c = text::find(s, ", ", j);
            if (c < 0)
                break;
            if (keyAt(s, c + 2)) {
                end = c;
                break;
            }
            j = c + 2;
        }
        out.append({key, s.sliced(vstart, end - vstart)});
        i = end + 2;
    }
}

QByteArrayView valueOf(const KeyValues& kv, QByteArrayView key, bool* found = nullptr)
{
    for (const KeyValue& p : kv) {
        if (p.key == key) {
            if (found)
                *found = true;
            return p.value;
        }
    }
    if (found)
        *found = false;
    return {};
}

// Sendmail queue ids: 14 characters (8 time/sequence + 6 pid) [sendmail/loghub...]; older
// releases used shorter ones.
qsizetype queueIdLength(QByteArrayView s)
{
    qsizetype i = 0;
    while (i < s.size() && i <= 20 && text::isAlnum(s[i]))
        ++i;
    if (i < 8 || i > 20 || i + 1 >= s.size() || s[i] != ':' || s[i + 1] != ' ')
        return 0;
    return i;
}

} // namespace

bool SendmailParser::isSendmailProgram(QByteArrayView program)
{
    return text::equals(program, "sendmail") || text::startsWith(program, "sm-") || text::startsWith(program, "sendmail/");
}

int SendmailParser::sniffLine(QByteArrayView line)
{
    SyslogLine sl;
    if (!SyslogLine::parse(line, sl) || sl.isNoise)
        return 0;
    return isSendmailProgram(sl.program) ? 3 : 0;
}

LineStatus SendmailParser::parseLine(const LogLine& line, ParseContext& context)
{
    SyslogLine sl;
    if (!SyslogLine::parse(line.text, sl))
        return LineStatus::Unrecognized;
    if (sl.isNoise || !isSendmailProgram(sl.program))
        return LineStatus::Ignored;

    LogEvent base = m_base.make(sl, LogFormat::Sendmail, context);

    QByteArrayView msg = sl.message;
    if (text::startsWith(msg, "NOQUEUE: ")) {
        msg = msg.sliced(9);
    } else {
        const qsizetype idLen = queueIdLength(msg);
        if (idLen == 0)
            return LineStatus::Ignored; // daemon chatter: "unable to qualify my own domain"
        base.queueId = str(msg.first(idLen));
        msg = msg.sliced(idLen + 2);
    }

    // "OLDQID: NEWQID: DSN: text" / "... sender notify: text" (8.14 and others) / "... return to
    // sender: text" (older) / "... postmaster notify: ..."
    if (const qsizetype newLen = queueIdLength(msg); newLen > 0 && !base.queueId.isEmpty()) {
        const QByteArrayView newId = msg.first(newLen);
        const QByteArrayView what = msg.sliced(newLen + 2);
        NotificationKind kind = NotificationKind::None;
        QByteArrayView dsnText;
        if (text::startsWith(what, "DSN: ")) {
            dsnText = what.sliced(5);
        } else if (text::startsWith(what, "sender notify: ")) {
            dsnText = what.sliced(15);
        } else if (text::startsWith(what, "return to sender: ")) {
            dsnText = what.sliced(18);
        } else if (text::startsWith(what, "postmaster notify: ")) {
            dsnText = what.sliced(19);
            kind = NotificationKind::PostmasterCopy;
        } else {
            return LineStatus::Ignored;
        }
        if (kind == NotificationKind::None) {
            if (text::startsWith(dsnText, "Warning:"))
                kind = NotificationKind::Delay;
            else if (text::startsWith(dsnText, "Return receipt"))
                kind = NotificationKind::Success;
            else
                kind = NotificationKind::NonDelivery;
        }
        if (kind == NotificationKind::NonDelivery && dsnText.contains("Cannot send message for")) {
            // Timeout.queuereturn ran out: the whole message expired.
            LogEvent x = base;
            x.type = LogEventType::MessageExpired;
            x.replyText = str(dsnText);
            context.emitEvent(std::move(x));
        }
        LogEvent e = base;
        e.type = LogEventType::BounceGenerated;
        e.notification = kind;
        e.newQueueId = str(newId);
        e.replyText = str(dsnText);
        // Sendmail logs no from= line for a notice it makes: this line is where the new
        // message starts, with the null sender, so it is known as a notice and not as mail
        // we were asked to send (its delivery to our sender is no fate of its own).
        LogEvent notice = base;
        notice.type = LogEventType::Received;
        notice.queueId = e.newQueueId;
        notice.hasSender = true;
        notice.parentQueueId = base.queueId;
        context.emitEvent(std::move(e));
        context.emitEvent(std::move(notice));
        return LineStatus::Event;
    }

    // "QID: <rcpt>... User unknown": a recipient refused during the SMTP dialogue.
    if (msg.startsWith('<')) {
        const qsizetype dots = text::find(msg, ">... ");
        if (dots < 0)
            return LineStatus::Ignored;
        LogEvent e = base;
        e.type = LogEventType::SmtpReject;
        e.recipient = str(msg.sliced(1, dots - 1));
        const text::Reply reply = text::parseReply(msg.sliced(dots + 5));
        e.smtpCode = reply.code;
        e.dsn = str(reply.dsn);
        e.replyText = str(reply.text);
        // Without a code the text alone says it: "User unknown", "No such user here" are the
        // permanent 550s; "Deferred"/"Temporary" ones are a 4xx the client retries.
        if (reply.code == 0 && reply.dsn.isEmpty()) {
            const QByteArrayView what = msg.sliced(dots + 5);
            const bool temporary = what.contains("Deferred") || what.contains("emporary") || what.contains("try again");
            e.outcome = temporary ? DeliveryOutcome::Deferred : DeliveryOutcome::Bounced;
        }
        context.emitEvent(std::move(e));
        return LineStatus::Event;
    }

    KeyValues kv;
    splitKeyValues(msg, kv);
    if (kv.isEmpty())
        return LineStatus::Ignored;

    if (text::equals(kv.front().key, "from")) {
        LogEvent e = base;
        e.type = LogEventType::Received;
        e.hasSender = true;
        e.sender = str(text::stripAngles(kv.front().value));
        qint64 n = 0;
        if (text::parseUInt(valueOf(kv, "size"), n))
            e.size = n;
        if (text::parseUInt(valueOf(kv, "nrcpts"), n))
            e.recipientCount = int(qMin<qint64>(n, 1 << 30));
        e.messageId = str(text::stripAngles(valueOf(kv, "msgid")));
        e.client = str(valueOf(kv, "relay"));
        context.emitEvent(std::move(e));
        return LineStatus::Event;
    }

    if (text::equals(kv.front().key, "to")) {
        bool hasStat = false;
        const QByteArrayView stat = valueOf(kv, "stat", &hasStat);
        if (!hasStat) {
            context.diagnose(Diagnostic::Severity::Warning,
                             u"delivery line without stat= (cut off?)"_s);
            return LineStatus::Malformed;
        }
        LogEvent e = base;
        e.type = LogEventType::DeliveryAttempt;
        e.dsn = str(valueOf(kv, "dsn"));
        e.relay = str(valueOf(kv, "relay"));
        // The mailer is Sendmail's delivery agent, as smtp/local are Postfix's: "sm-mta/local".
        if (const QByteArrayView mailer = valueOf(kv, "mailer"); !mailer.isEmpty())
            e.program = base.program + u'/' + str(mailer);
        e.delaySeconds = text::parseClockDuration(valueOf(kv, "delay"));
        e.replyText = str(stat);
        if (const qsizetype r = text::findReply(stat); r >= 0) {
            const text::Reply reply = text::parseReply(stat.sliced(r));
            e.smtpCode = reply.code;
            if (e.dsn.isEmpty())
                e.dsn = str(reply.dsn);
        }
        // "stat=Sent (Ok: queued as 4Z7QxT1Bz2)", or Sendmail's own "Sent (5249C1aC004102
        // Message accepted for delivery)": the MSP handing its mail to the local MTA, or a relay.
        e.nextQueueId = str(text::nextQueueId(stat));
        // FORMATS.md §3: dsn= is the reliable signal; without it only Sent and Deferred are
        // not permanent.
        const QChar cls = e.dsn.isEmpty() ? QChar() : e.dsn.front();
        if (cls == u'2')
            e.outcome = DeliveryOutcome::Sent;
        else if (cls == u'4')
            e.outcome = DeliveryOutcome::Deferred;
        else if (cls == u'5')
            e.outcome = DeliveryOutcome::Bounced;
        else if (text::startsWith(stat, "Sent"))
            e.outcome = DeliveryOutcome::Sent;
        else if (text::startsWith(stat, "Deferred"))
            e.outcome = DeliveryOutcome::Deferred;
        else if (text::startsWith(stat, "queued")) {
            e.outcome = DeliveryOutcome::Deferred;
            e.skipped = true; // DeliveryMode=queue: nothing was tried yet
        } else {
            e.outcome = DeliveryOutcome::Bounced;
        }
        // One to= can list several recipients sent in one SMTP transaction.
        const QByteArrayView to = kv.front().value;
        qsizetype start = 0;
        int emitted = 0;
        while (start <= to.size()) {
            qsizetype comma = to.indexOf(',', start);
            // Commas inside <...> belong to the address (quoted local parts).
            const qsizetype open = to.indexOf('<', start);
            if (open >= 0 && comma > open) {
                const qsizetype close = to.indexOf('>', open);
                if (close > comma)
                    comma = to.indexOf(',', close);
            }
            if (comma < 0)
                comma = to.size();
            const QByteArrayView one = text::stripAngles(to.sliced(start, comma - start));
            if (!one.isEmpty()) {
                LogEvent r = e;
                r.recipient = str(one);
                // A local user an address was aliased to ("to=gina, ctladdr=<gina.klein@
                // example.com> (1007/1007)"): that address is the one mailed.
                if (!one.contains('@')) {
                    const QByteArrayView ctl = valueOf(kv, "ctladdr");
                    const qsizetype open = ctl.indexOf('<');
                    const qsizetype close = open < 0 ? -1 : ctl.indexOf('>', open);
                    if (close > open + 1 && ctl.sliced(open + 1, close - open - 1).contains('@'))
                        r.originalRecipient = str(ctl.sliced(open + 1, close - open - 1));
                }
                context.emitEvent(std::move(r));
                ++emitted;
            }
            start = comma + 1;
        }
        if (emitted == 0) {
            context.diagnose(Diagnostic::Severity::Warning, u"delivery line with an empty to="_s);
            return LineStatus::Malformed;
        }
        return LineStatus::Event;
    }

    bool hasReject = false;
    const QByteArrayView reject = valueOf(kv, "reject", &hasReject);
    if (hasReject) {
        LogEvent e = base;
        e.type = LogEventType::SmtpReject;
        const QByteArrayView ruleset = valueOf(kv, "ruleset");
        const QByteArrayView arg1 = text::stripAngles(valueOf(kv, "arg1"));
        if (text::equals(ruleset, "check_mail")) {
            e.hasSender = true;
            e.sender = str(arg1);
        } else if (text::equals(ruleset, "check_rcpt")) {
            e.recipient = str(arg1);
        }
        e.client = str(valueOf(kv, "relay"));
        const text::Reply reply = text::parseReply(reject);
        e.smtpCode = reply.code;
        e.dsn = str(reply.dsn);
        e.replyText = str(reply.text);
        context.emitEvent(std::move(e));
        return LineStatus::Event;
    }
    return LineStatus::Ignored;
}

} // namespace bi::core::logs
