// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/logs/exchange/exchange_parser.h"

#include <QList>

#include "core/logs/log_text.h"
#include "core/logs/stamp_parser.h"

using namespace Qt::StringLiterals;

namespace bi::core::logs {

using text::str;

namespace {

QByteArrayView withoutBom(QByteArrayView line)
{
    return text::startsWith(line, "\xEF\xBB\xBF") ? line.sliced(3) : line;
}

QList<QByteArrayView> splitList(QByteArrayView v)
{
    QList<QByteArrayView> out;
    qsizetype start = 0;
    while (start <= v.size()) {
        qsizetype semi = v.indexOf(';', start);
        if (semi < 0)
            semi = v.size();
        const QByteArrayView one = v.sliced(start, semi - start).trimmed();
        if (!one.isEmpty())
            out.append(one);
        start = semi + 1;
    }
    return out;
}

// Statuses are ';'-separated like the recipients, but a status text may itself contain ';'
// ("550 5.1.10 RESOLVER.ADR.RecipientNotFound; not found"): a piece that does not start a new
// reply belongs to the one before.
QList<QByteArrayView> splitStatuses(QByteArrayView v)
{
    QList<QByteArrayView> out;
    qsizetype start = 0;
    qsizetype pieceStart = 0;
    while (start <= v.size()) {
        qsizetype semi = v.indexOf(';', start);
        if (semi < 0)
            semi = v.size();
        const QByteArrayView next = semi < v.size() ? v.sliced(semi + 1).trimmed() : QByteArrayView();
        const bool nextStartsReply = semi >= v.size() || text::parseReply(next).code != 0
            || text::startsWith(next, "[{");
        if (nextStartsReply) {
            out.append(v.sliced(pieceStart, semi - pieceStart).trimmed());
            pieceStart = semi + 1;
        }
        start = semi + 1;
    }
    return out;
}

QString hostAndIp(QByteArrayView host, QByteArrayView ip)
{
    if (host.isEmpty())
        return ip.isEmpty() ? QString() : u'[' + str(ip) + u']';
    return ip.isEmpty() ? str(host) : str(host) + u'[' + str(ip) + u']';
}

} // namespace

int ExchangeParser::sniffLine(QByteArrayView line)
{
    line = withoutBom(line);
    if (text::startsWith(line, "#Software: Microsoft Exchange") || text::startsWith(line, "#Log-type: Message Tracking"))
        return 3;
    if (text::startsWith(line, "#Fields: date-time,") && line.contains("event-id"))
        return 3;
    return 0;
}

void ExchangeParser::reset()
{
    m_columns = Columns();
    m_warnedNoHeader = false;
    m_localServer.clear();
}

void ExchangeParser::readFields(QByteArrayView fields)
{
    (void)m_csv.split(fields);
    Columns c;
    c.valid = true;
    for (qsizetype i = 0; i < m_csv.size(); ++i) {
        const QByteArrayView name = m_csv.at(i).trimmed();
        const int idx = int(i);
        if (text::equals(name, "date-time")) c.dateTime = idx;
        else if (text::equals(name, "client-ip")) c.clientIp = idx;
        else if (text::equals(name, "client-hostname")) c.clientHostname = idx;
        else if (text::equals(name, "server-ip")) c.serverIp = idx;
        else if (text::equals(name, "server-hostname")) c.serverHostname = idx;
        else if (text::equals(name, "source")) c.source = idx;
        else if (text::equals(name, "event-id")) c.eventId = idx;
        else if (text::equals(name, "internal-message-id")) c.internalMessageId = idx;
        else if (text::equals(name, "message-id")) c.messageId = idx;
        else if (text::equals(name, "recipient-address")) c.recipientAddress = idx;
        else if (text::equals(name, "recipient-status")) c.recipientStatus = idx;
        else if (text::equals(name, "total-bytes")) c.totalBytes = idx;
        else if (text::equals(name, "recipient-count")) c.recipientCount = idx;
        else if (text::equals(name, "reference")) c.reference = idx;
        else if (text::equals(name, "message-subject")) c.messageSubject = idx;
        else if (text::equals(name, "sender-address")) c.senderAddress = idx;
        else if (text::equals(name, "return-path")) c.returnPath = idx;
        else if (text::equals(name, "connector-id")) c.connectorId = idx;
    }
    c.valid = c.eventId >= 0 && c.dateTime >= 0;
    m_columns = c;
}

// A host name's first label: the local server is "EX01" as RECEIVE's server and
// "EX01.corp.example.com" as SEND's client, one name in both. Addresses stay whole.
QByteArrayView ExchangeParser::firstLabel(QByteArrayView host)
{
    if (const qsizetype dot = host.indexOf('.'); dot > 0 && !text::isDigit(host.back()))
        return host.first(dot);
    return host;
}

// The server that wrote a row, where the row says it: RECEIVE names it as the server, SEND as
// the client (the next hop is the server). Other rows are read two ways (DEFER with the
// destination as server-hostname by Microsoft's description of the field, with the local
// server in logs seen elsewhere): empty for them.
QByteArrayView ExchangeParser::localServerOf(QByteArrayView eventId, QByteArrayView clientHost, QByteArrayView serverHost)
{
    if (text::equals(eventId, "RECEIVE"))
        return firstLabel(serverHost.isEmpty() ? clientHost : serverHost);
    if (text::equals(eventId, "SEND"))
        return firstLabel(clientHost.isEmpty() ? serverHost : clientHost);
    return {};
}

void ExchangeParser::beginFile(ParseContext& context, QByteArrayView head)
{
    (void)context;
    // Each file is one server's: its first RECEIVE or SEND row names it, also for the rows
    // before that row (the retries of messages from the file before, or from another run).
    Columns columns = m_columns;
    const QByteArrayView whole = head.first(std::max<qsizetype>(0, head.lastIndexOf('\n')));
    qsizetype pos = 0;
    while (pos < whole.size()) {
        qsizetype end = whole.indexOf('\n', pos);
        if (end < 0)
            end = whole.size();
        const QByteArrayView row = withoutBom(whole.sliced(pos, end - pos)).trimmed();
        pos = end + 1;
        if (text::startsWith(row, "#Fields: ")) {
            readFields(row.sliced(9));
            columns = m_columns;
            continue;
        }
        if (row.isEmpty() || row.startsWith('#') || !columns.valid || !m_csv.split(row))
            continue;
        auto col = [&](int i) { return i < 0 ? QByteArrayView() : m_csv.at(i).trimmed(); };
        const QByteArrayView named = localServerOf(col(columns.eventId), col(columns.clientHostname), col(columns.serverHostname));
        if (!named.isEmpty()) {
            m_localServer = named.toByteArray();
            return;
        }
    }
}

LineStatus ExchangeParser::parseLine(const LogLine& line, ParseContext& context)
{
    const QByteArrayView text = withoutBom(line.text);
    if (text.startsWith('#')) {
        if (text::startsWith(text, "#Fields: "))
            readFields(text.sliced(9));
        return LineStatus::Ignored;
    }
    if (text.trimmed().isEmpty())
        return LineStatus::Ignored;
    if (!m_columns.valid) {
        if (!m_warnedNoHeader) {
            m_warnedNoHeader = true;
            context.diagnose(Diagnostic::Severity::Warning,
                             u"tracking rows before a #Fields: line are skipped"_s);
        }
        return LineStatus::Malformed;
    }
    if (!m_csv.split(text)) {
        context.diagnose(Diagnostic::Severity::Warning,
                         u"tracking row ends inside a quoted field (cut off?)"_s);
        return LineStatus::Malformed;
    }
    const Columns& c = m_columns;
    auto col = [&](int i) { return i < 0 ? QByteArrayView() : m_csv.at(i).trimmed(); };

    const QByteArrayView eventId = col(c.eventId);
    LogEvent base;
    base.format = LogFormat::Exchange;
    enum class Kind { Receive, Delivery, Dsn } kind = Kind::Delivery;
    if (text::equals(eventId, "RECEIVE")) {
        kind = Kind::Receive;
        base.type = LogEventType::Received;
    } else if (text::equals(eventId, "SEND") || text::equals(eventId, "DELIVER")) {
        base.type = LogEventType::DeliveryAttempt;
        base.outcome = DeliveryOutcome::Sent;
    } else if (text::equals(eventId, "DEFER")) {
        base.type = LogEventType::DeliveryAttempt;
        base.outcome = DeliveryOutcome::Deferred;
    } else if (text::equals(eventId, "FAIL")) {
        base.type = LogEventType::DeliveryAttempt;
        base.outcome = DeliveryOutcome::Bounced;
    } else if (text::equals(eventId, "DSN")) {
        kind = Kind::Dsn;
        base.type = LogEventType::BounceGenerated;
    } else {
        return LineStatus::Ignored;
    }

    qsizetype pos = 0;
    WallTime wall;
    LogClock::Stamp stamp;
    if (StampParser::iso(col(c.dateTime), pos, wall) && context.clock().resolve(wall, stamp)) {
        base.time = stamp.utc;
        base.utcOffsetSeconds = stamp.offsetSeconds;
    } else {
        context.diagnose(Diagnostic::Severity::Warning, u"row without a usable date-time"_s);
    }

    // The host is the server that logged the event, which writes the whole file: named by
    // its RECEIVE and SEND rows (localServerOf); the other rows take it.
    const QByteArrayView clientHost = col(c.clientHostname);
    const QByteArrayView serverHost = col(c.serverHostname);
    const QByteArrayView named = localServerOf(eventId, clientHost, serverHost);
    if (!named.isEmpty() && named != m_localServer)
        m_localServer = named.toByteArray();
    QByteArrayView host = !named.isEmpty() ? named : QByteArrayView(m_localServer);
    if (host.isEmpty())
        host = firstLabel(serverHost.isEmpty() ? clientHost : serverHost);
    base.host = host.isEmpty() ? context.defaultHost() : str(host);
    base.program = u"MSExchange/"_s + str(col(c.source));
    base.queueId = str(col(c.internalMessageId));
    base.messageId = str(text::stripAngles(col(c.messageId)));
    // The envelope sender is return-path (MAIL FROM: "<>" for the NDRs and delivery reports
    // Exchange makes, which are then notices, not mail we sent); sender-address is the
    // header's Sender or From, the only one older logs have.
    if (const QByteArrayView returnPath = col(c.returnPath); !returnPath.isEmpty()) {
        base.hasSender = true;
        base.sender = str(text::stripAngles(returnPath));
    } else if (c.senderAddress >= 0) {
        base.hasSender = true;
        base.sender = str(text::stripAngles(col(c.senderAddress)));
    }

    if (kind == Kind::Receive) {
        LogEvent e = base;
        e.client = hostAndIp(clientHost, col(c.clientIp));
        qint64 n = 0;
        if (text::parseUInt(col(c.totalBytes), n))
            e.size = n;
        if (text::parseUInt(col(c.recipientCount), n))
            e.recipientCount = int(qMin<qint64>(n, 1 << 30));
        context.emitEvent(std::move(e));
        return LineStatus::Event;
    }
    if (kind == Kind::Dsn) {
        // The DSN row describes the NDR itself; reference links it to the original message.
        LogEvent e = base;
        e.newQueueId = e.queueId;
        e.queueId.clear();
        const QList<QByteArrayView> refs = splitList(col(c.reference));
        if (!refs.isEmpty())
            e.referenceMessageId = str(text::stripAngles(refs.constFirst()));
        const QByteArrayView subject = col(c.messageSubject);
        if (text::startsWith(subject, "Undeliverable:"))
            e.notification = NotificationKind::NonDelivery;
        else if (text::startsWith(subject, "Delivery delayed:"))
            e.notification = NotificationKind::Delay;
        else if (text::startsWith(subject, "Delivered:") || text::startsWith(subject, "Relayed:"))
            e.notification = NotificationKind::Success;
        else
            e.notification = NotificationKind::Unknown;
        context.emitEvent(std::move(e));
        return LineStatus::Event;
    }

    // The store driver puts the message into a mailbox (DELIVER), or fails or defers that.
    // A SEND on the Intra-Organization connector goes to another transport of our own
    // organisation (this server's mailbox transport, another site): "MSExchange/SMTP/
    // Intra-Organization", a hop inside our side that the next log goes on with.
    if (text::equals(eventId, "DELIVER") || text::equals(col(c.source), "STOREDRIVER")) {
        base.relay = u"mailbox"_s;
    } else if (text::equals(eventId, "SEND")) {
        base.relay = hostAndIp(serverHost, col(c.serverIp));
        if (text::startsWith(col(c.connectorId), "Intra-Organization"))
            base.program += u"/Intra-Organization"_s;
    }
    const QList<QByteArrayView> recipients = splitList(col(c.recipientAddress));
    const QList<QByteArrayView> statuses = splitStatuses(col(c.recipientStatus));
    if (recipients.isEmpty()) {
        context.diagnose(Diagnostic::Severity::Warning, u"delivery row without recipients"_s);
        return LineStatus::Malformed;
    }
    for (qsizetype i = 0; i < recipients.size(); ++i) {
        LogEvent e = base;
        e.recipient = str(text::stripAngles(recipients[i]));
        QByteArrayView status;
        if (statuses.size() == recipients.size())
            status = statuses[i];
        else if (statuses.size() == 1)
            status = statuses.constFirst();
        if (!status.isEmpty()) {
            e.replyText = str(status);
            const text::Reply reply = text::parseReply(status);
            e.smtpCode = reply.code;
            e.dsn = str(reply.dsn.isEmpty() ? text::findEnhancedStatus(status) : reply.dsn);
        }
        // FORMATS.md §6: "550 4.4.7 QUEUE.Expired; message expired" is the expiry failure.
        if (e.outcome == DeliveryOutcome::Bounced
            && (status.contains("QUEUE.Expired") || e.dsn == u"4.4.7"_s)) {
            e.outcome = DeliveryOutcome::Expired;
        }
        context.emitEvent(std::move(e));
    }
    return LineStatus::Event;
}

} // namespace bi::core::logs
