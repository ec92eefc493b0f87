// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/logs/opensmtpd/opensmtpd_parser.h"

#include <QVarLengthArray>

#include "core/logs/log_text.h"
#include "core/logs/syslog/syslog_line.h"

using namespace Qt::StringLiterals;

namespace bi::core::logs {

using text::str;

namespace {

struct Pair {
    QByteArrayView key;
    QByteArrayView value;
};
using Pairs = QVarLengthArray<Pair, 16>;

// 6.4+: `key=value` or `key="quoted value"` separated by spaces; pre-6.4: `key=value, ` where
// values may hold spaces ("relay=192.0.2.1 (mx.example.org)").
void splitPairs(QByteArrayView s, Pairs& out, bool commaSeparated)
{
    qsizetype i = 0;
    const qsizetype n = s.size();
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == ','))
            ++i;
        qsizetype k = i;
        while (k < n && (text::isAlnum(s[k]) || s[k] == '-' || s[k] == '_'))
            ++k;
        if (k == i || k >= n || s[k] != '=') {
            // not a pair: skip the word
            const qsizetype sp = s.indexOf(' ', i);
            if (sp < 0)
                break;
            i = sp + 1;
            continue;
        }
        const QByteArrayView key = s.sliced(i, k - i);
        qsizetype v = k + 1;
        if (v < n && s[v] == '"') {
            const qsizetype close = s.indexOf('"', v + 1);
            const qsizetype end = close < 0 ? n : close;
            out.append({key, s.sliced(v + 1, end - v - 1)});
            i = close < 0 ? n : close + 1;
            continue;
        }
        qsizetype end = v;
        if (v < n && s[v] == '<') {
            const qsizetype close = s.indexOf('>', v);
            end = close < 0 ? n : close + 1;
        } else if (commaSeparated) {
            const qsizetype sep = text::find(s, ", ", v);
            end = sep < 0 ? n : sep;
        } else {
            while (end < n && s[end] != ' ')
                ++end;
        }
        // Pre-6.4 stat= runs to the end of the line.
        if (text::equals(key, "stat") && !(v < n && s[v] == '"'))
            end = n;
        out.append({key, s.sliced(v, end - v)});
        i = end;
    }
}

QByteArrayView pairValue(const Pairs& pairs, QByteArrayView key)
{
    for (const Pair& p : pairs) {
        if (p.key == key)
            return p.value;
    }
    return {};
}

bool isHex16(QByteArrayView v)
{
    if (v.size() != 16)
        return false;
    for (char c : v) {
        if (!text::isHex(c))
            return false;
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

DeliveryOutcome outcomeOf(QByteArrayView result)
{
    if (text::equals(result, "Ok"))
        return DeliveryOutcome::Sent;
    if (text::equals(result, "TempFail"))
        return DeliveryOutcome::Deferred;
    if (text::equals(result, "PermFail") || text::equals(result, "Loop"))
        return DeliveryOutcome::Bounced;
    // queue_log(): "relay: Expire for EVPID: ..., stat=Envelope expired" when the envelope's
    // lifetime (`expire`, 4 days) ran out.
    if (text::equals(result, "Expire"))
        return DeliveryOutcome::Expired;
    return DeliveryOutcome::None;
}

bool isOpenSmtpdProgram(QByteArrayView p)
{
    return text::equals(p, "smtpd") || text::equals(p, "opensmtpd");
}

} // namespace

int OpenSmtpdParser::sniffLine(QByteArrayView line)
{
    SyslogLine sl;
    if (!SyslogLine::parse(line, sl) || !isOpenSmtpdProgram(sl.program))
        return 0;
    const QByteArrayView m = sl.message;
    if (text::startsWith(m, "smtp-in: ") || text::startsWith(m, "smtp-out: ") || text::startsWith(m, "delivery: ")
        || text::startsWith(m, "relay: ") || text::startsWith(m, "mta-") || text::startsWith(m, "info: ")
        || text::startsWith(m, "warn: ")) {
        return 3;
    }
    if (m.size() > 17 && isHex16(m.first(16)) && m[16] == ' ')
        return 3;
    return 1;
}

void OpenSmtpdParser::reset()
{
    m_sessionClients.clear();
}

LineStatus OpenSmtpdParser::parseLine(const LogLine& line, ParseContext& context)
{
    SyslogLine sl;
    if (!SyslogLine::parse(line.text, sl))
        return LineStatus::Unrecognized;
    if (sl.isNoise || !isOpenSmtpdProgram(sl.program))
        return LineStatus::Ignored;

    LogEvent base = m_base.make(sl, LogFormat::OpenSmtpd, context);
    const QString hostKey = base.host + u'\n';

    auto rememberClient = [&](QByteArrayView session, QString client) {
        if (m_sessionClients.size() >= kMaxSessions)
            m_sessionClients.clear();
        m_sessionClients.insert(hostKey + str(session), std::move(client));
    };
    auto clientOf = [&](QByteArrayView session) {
        return m_sessionClients.value(hostKey + str(session));
    };
    auto delivery = [&](const Pairs& pairs, QByteArrayView evpid, DeliveryOutcome outcome) {
        LogEvent e = base;
        e.type = LogEventType::DeliveryAttempt;
        e.outcome = outcome;
        e.deliveryId = str(evpid);
        e.queueId = str(evpid.first(qMin<qsizetype>(8, evpid.size())));
        const QByteArrayView from = pairValue(pairs, "from");
        if (!from.isNull()) {
            e.hasSender = true;
            e.sender = str(text::stripAngles(from));
        }
        e.recipient = str(text::stripAngles(pairValue(pairs, "to")));
        const QByteArrayView rcpt = text::stripAngles(pairValue(pairs, "rcpt"));
        if (!rcpt.isEmpty() && rcpt != "-")
            e.originalRecipient = str(rcpt);
        QByteArrayView relay = pairValue(pairs, "relay");
        if (relay.isEmpty())
            relay = pairValue(pairs, "method");
        // mda/lmtp deliveries (and pre-6.4 "delivery:") hand the mail to a local agent.
        e.relay = relay.isEmpty() ? u"local"_s : str(relay);
        e.delaySeconds = text::parseUnitDuration(pairValue(pairs, "delay"));
        const QByteArrayView stat = pairValue(pairs, "stat");
        e.replyText = str(stat);
        const text::Reply reply = text::parseReply(stat);
        e.smtpCode = reply.code;
        e.dsn = str(reply.dsn.isEmpty() ? text::findEnhancedStatus(stat) : reply.dsn);
        // A filter or signing proxy on 127.0.0.1 that queued it again: "250 2.0.0: 92cbaa55
        // Message accepted for delivery" (the fate engine follows loopback hand-offs only).
        if (outcome == DeliveryOutcome::Sent)
            e.nextQueueId = str(text::nextQueueId(stat));
        if (outcome == DeliveryOutcome::Bounced && stat.contains("xpired"))
            e.outcome = DeliveryOutcome::Expired; // envelope lifetime (`expire`, 4 days)
        context.emitEvent(std::move(e));
        return LineStatus::Event;
    };
    auto failedCommand = [&](QByteArrayView session, QByteArrayView command, QByteArrayView result) {
        LogEvent e = base;
        e.type = LogEventType::SmtpReject;
        e.client = clientOf(session);
        const QByteArrayView cmd = command.trimmed();
        if (cmd.size() > 8 && cmd.first(8).compare("RCPT TO:", Qt::CaseInsensitive) == 0) {
            e.recipient = str(text::stripAngles(wordAt(cmd.sliced(8).trimmed(), 0)));
        } else if (cmd.size() > 10 && cmd.first(10).compare("MAIL FROM:", Qt::CaseInsensitive) == 0) {
            e.hasSender = true;
            e.sender = str(text::stripAngles(wordAt(cmd.sliced(10).trimmed(), 0)));
        }
        const text::Reply reply = text::parseReply(result);
        e.smtpCode = reply.code;
        e.dsn = str(reply.dsn);
        e.replyText = str(reply.text);
        context.emitEvent(std::move(e));
        return LineStatus::Event;
    };

    const QByteArrayView m = sl.message;

    // 6.4+: "<session> <subsystem> <event> key=value ..."
    if (m.size() > 17 && isHex16(m.first(16)) && m[16] == ' ') {
        const QByteArrayView session = m.first(16);
        QByteArrayView rest = m.sliced(17);
        const QByteArrayView subsystem = wordAt(rest, 0);
        rest = rest.sliced(qMin(subsystem.size() + 1, rest.size()));
        const QByteArrayView event = wordAt(rest, 0);
        rest = rest.sliced(qMin(event.size() + 1, rest.size()));
        Pairs pairs;
        splitPairs(rest, pairs, false);
        if (text::equals(event, "delivery")) {
            const QByteArrayView evpid = pairValue(pairs, "evpid");
            const DeliveryOutcome outcome = outcomeOf(pairValue(pairs, "result"));
            if (evpid.isEmpty() || outcome == DeliveryOutcome::None) {
                context.diagnose(Diagnostic::Severity::Warning,
                                 u"delivery line without evpid or result"_s);
                return LineStatus::Malformed;
            }
            return delivery(pairs, evpid, outcome);
        }
        if (text::equals(subsystem, "smtp") && text::equals(event, "connected")) {
            QByteArrayView host = pairValue(pairs, "host");
            if (text::equals(host, "<unknown>"))
                host = "unknown"; // as Postfix writes a client without reverse DNS
            QString client = str(host);
            const QByteArrayView address = pairValue(pairs, "address");
            if (!address.isEmpty())
                client += u'[' + str(address) + u']';
            rememberClient(session, client);
            return LineStatus::Ignored;
        }
        if (text::equals(subsystem, "smtp") && text::equals(event, "message")) {
            LogEvent e = base;
            e.type = LogEventType::Received;
            e.queueId = str(pairValue(pairs, "msgid"));
            e.client = clientOf(session);
            qint64 n = 0;
            if (text::parseUInt(pairValue(pairs, "size"), n))
                e.size = n;
            if (text::parseUInt(pairValue(pairs, "nrcpt"), n))
                e.recipientCount = int(qMin<qint64>(n, 1 << 30));
            context.emitEvent(std::move(e));
            return LineStatus::Event;
        }
        if (text::equals(subsystem, "smtp") && text::equals(event, "failed-command"))
            return failedCommand(session, pairValue(pairs, "command"), pairValue(pairs, "result"));
        if (text::equals(subsystem, "smtp") && text::equals(event, "disconnected"))
            m_sessionClients.remove(hostKey + str(session));
        return LineStatus::Ignored;
    }

    if (text::startsWith(m, "smtp-in: ")) {
        const QByteArrayView rest = m.sliced(9);
        if (text::startsWith(rest, "New session ")) {
            // "New session 08d856b172f69c5c from host ix.example.com [local]"
            const QByteArrayView session = wordAt(rest, 12);
            const qsizetype host = text::find(rest, " from host ");
            if (host >= 0) {
                QByteArrayView who = rest.sliced(host + 11);
                QByteArray client = who.toByteArray();
                client.replace(" [", "[");
                rememberClient(session, str(client));
            }
            return LineStatus::Ignored;
        }
        if (text::startsWith(rest, "Accepted message ")) {
            const QByteArrayView msgid = wordAt(rest, 17);
            LogEvent e = base;
            e.type = LogEventType::Received;
            e.queueId = str(msgid);
            const qsizetype on = text::find(rest, " on session ");
            if (on >= 0) {
                QByteArrayView session = wordAt(rest, on + 12);
                if (session.endsWith(':'))
                    session.chop(1);
                e.client = clientOf(session);
            }
            const qsizetype colon = text::find(rest, ": ");
            Pairs pairs;
            if (colon >= 0)
                splitPairs(rest.sliced(colon + 2), pairs, true);
            const QByteArrayView from = pairValue(pairs, "from");
            if (!from.isNull()) {
                e.hasSender = true;
                e.sender = str(text::stripAngles(from));
            }
            qint64 n = 0;
            if (text::parseUInt(pairValue(pairs, "size"), n))
                e.size = n;
            if (text::parseUInt(pairValue(pairs, "ndest"), n))
                e.recipientCount = int(qMin<qint64>(n, 1 << 30));
            context.emitEvent(std::move(e));
            return LineStatus::Event;
        }
        if (text::startsWith(rest, "Failed command on session ")) {
            // "Failed command on session X: "MAIL FROM:<a>  " => 421 4.3.0: Temporary Error"
            QByteArrayView session = wordAt(rest, 26);
            if (session.endsWith(':'))
                session.chop(1);
            const qsizetype q1 = rest.indexOf('"');
            const qsizetype q2 = q1 < 0 ? -1 : rest.indexOf('"', q1 + 1);
            const qsizetype arrow = text::find(rest, "=> ");
            if (q2 < 0 || arrow < 0)
                return LineStatus::Ignored;
            return failedCommand(session, rest.sliced(q1 + 1, q2 - q1 - 1), rest.sliced(arrow + 3));
        }
        if (text::startsWith(rest, "Closing session "))
            m_sessionClients.remove(hostKey + str(wordAt(rest, 16)));
        return LineStatus::Ignored;
    }

    if (text::startsWith(m, "delivery: ") || text::startsWith(m, "relay: ")) {
        // "delivery: TempFail for 4296f4905c7b9df0: from=<a>, to=<b>, ..., stat=..."
        const QByteArrayView rest = m.sliced(m.indexOf(' ') + 1);
        const QByteArrayView result = wordAt(rest, 0);
        const qsizetype forPos = text::find(rest, " for ");
        const qsizetype colon = forPos < 0 ? -1 : text::find(rest, ": ", forPos);
        const DeliveryOutcome outcome = outcomeOf(result);
        if (forPos < 0 || colon < 0 || outcome == DeliveryOutcome::None)
            return LineStatus::Ignored;
        const QByteArrayView evpid = rest.sliced(forPos + 5, colon - forPos - 5);
        Pairs pairs;
        splitPairs(rest.sliced(colon + 2), pairs, true);
        return delivery(pairs, evpid, outcome);
    }
    return LineStatus::Ignored;
}

} // namespace bi::core::logs
