// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/logs/powermta/powermta_parser.h"

#include "core/logs/log_text.h"
#include "core/logs/stamp_parser.h"

using namespace Qt::StringLiterals;

namespace bi::core::logs {

using text::str;

namespace {

// The header names the columns in any order (FORMATS.md: "always parse by the header", and
// it may change between files or after a rotation): it has a type column and a
// timeLogged or rcpt one. fields: the line as CsvSplitter split it.
bool isHeader(const CsvSplitter& fields)
{
    bool type = false, other = false;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        const QByteArrayView name = fields.at(i).trimmed();
        type = type || name.compare(QByteArrayView("type"), Qt::CaseInsensitive) == 0;
        other = other || name.compare(QByteArrayView("timeLogged"), Qt::CaseInsensitive) == 0
            || name.compare(QByteArrayView("rcpt"), Qt::CaseInsensitive) == 0;
    }
    return type && other;
}

QByteArrayView afterSemicolon(QByteArrayView v)
{
    // "smtp;550 5.1.1 ..." and "rfc822;user@example.com" (RFC 3464 typed values)
    const qsizetype semi = v.indexOf(';');
    return semi >= 0 && semi < 16 ? v.sliced(semi + 1).trimmed() : v.trimmed();
}

bool resolveTime(ParseContext& context, QByteArrayView v, LogClock::Stamp& out)
{
    qsizetype pos = 0;
    WallTime w;
    v = v.trimmed();
    if (!StampParser::iso(v, pos, w))
        return false;
    StampParser::spacedOffset(v, pos, w);
    return context.clock().resolve(w, out);
}

} // namespace

int PowerMtaParser::sniffLine(QByteArrayView line)
{
    CsvSplitter fields;
    if (fields.split(line) && isHeader(fields))
        return 3;
    const qsizetype comma = line.indexOf(',');
    if (comma < 1 || comma > 2)
        return 0;
    const QByteArrayView type = line.first(comma);
    static constexpr const char* kTypes[] = {"d", "b", "t", "tq", "r", "rb", "rs", "f"};
    bool known = false;
    for (const char* t : kTypes)
        known = known || type == QByteArrayView(t);
    qsizetype pos = comma + 1;
    WallTime w;
    return known && StampParser::iso(line, pos, w) ? 1 : 0;
}

void PowerMtaParser::reset()
{
    m_columns = Columns();
    m_warnedNoHeader = false;
}

void PowerMtaParser::readHeader()
{
    Columns c;
    c.valid = true;
    for (qsizetype i = 0; i < m_csv.size(); ++i) {
        const QByteArrayView name = m_csv.at(i).trimmed();
        const int idx = int(i);
        auto is = [&](const char* n) { return name.compare(QByteArrayView(n), Qt::CaseInsensitive) == 0; };
        if (is("type")) c.type = idx;
        else if (is("timeLogged")) c.timeLogged = idx;
        else if (is("timeQueued")) c.timeQueued = idx;
        else if (is("orig")) c.orig = idx;
        else if (is("rcpt")) c.rcpt = idx;
        else if (is("orcpt")) c.orcpt = idx;
        else if (is("dsnAction")) c.dsnAction = idx;
        else if (is("dsnStatus")) c.dsnStatus = idx;
        else if (is("dsnDiag")) c.dsnDiag = idx;
        else if (is("dsnMta")) c.dsnMta = idx;
        else if (is("bounceCat")) c.bounceCat = idx;
        else if (is("srcMta")) c.srcMta = idx;
        else if (is("dlvSize")) c.dlvSize = idx;
        else if (is("vmta")) c.vmta = idx;
        else if (is("jobId")) c.jobId = idx;
        else if (is("envId")) c.envId = idx;
        else if (is("header_Message-Id")) c.messageId = idx;
        else if (is("feedbackType")) c.feedbackType = idx;
    }
    m_columns = c;
}

LineStatus PowerMtaParser::parseLine(const LogLine& line, ParseContext& context)
{
    if (line.text.trimmed().isEmpty())
        return LineStatus::Ignored;
    const bool complete = m_csv.split(line.text);
    if (isHeader(m_csv)) {
        readHeader();
        return LineStatus::Ignored;
    }
    if (!m_columns.valid) {
        if (!m_warnedNoHeader) {
            m_warnedNoHeader = true;
            context.diagnose(Diagnostic::Severity::Warning,
                             u"accounting rows before any header line are skipped"_s);
        }
        return LineStatus::Malformed;
    }
    if (!complete) {
        context.diagnose(Diagnostic::Severity::Warning,
                         u"accounting row ends inside a quoted field (cut off?)"_s);
        return LineStatus::Malformed;
    }
    const Columns& c = m_columns;
    auto col = [&](int i) { return i < 0 ? QByteArrayView() : m_csv.at(i); };

    const QByteArrayView type = col(c.type).trimmed();
    LogEvent e;
    e.format = LogFormat::PowerMta;
    if (text::equals(type, "d")) {
        e.type = LogEventType::DeliveryAttempt;
        e.outcome = DeliveryOutcome::Sent;
    } else if (text::equals(type, "b")) {
        e.type = LogEventType::DeliveryAttempt;
        e.outcome = text::equals(col(c.bounceCat), "message-expired") ? DeliveryOutcome::Expired
                                                          : DeliveryOutcome::Bounced;
    } else if (text::equals(type, "t") || text::equals(type, "tq")) {
        e.type = LogEventType::DeliveryAttempt;
        e.outcome = DeliveryOutcome::Deferred;
    } else if (text::equals(type, "r")) {
        e.type = LogEventType::Received;
    } else if (text::equals(type, "rb") || text::equals(type, "rs")) {
        e.type = LogEventType::RemoteBounce;
        const QByteArrayView action = col(c.dsnAction);
        if (text::equals(action, "delayed"))
            e.outcome = DeliveryOutcome::Deferred;
        else if (text::equals(action, "delivered") || text::equals(action, "relayed") || text::equals(action, "expanded"))
            e.outcome = DeliveryOutcome::Sent;
        else
            e.outcome = DeliveryOutcome::Bounced;
    } else if (text::equals(type, "f")) {
        e.type = LogEventType::Complaint;
    } else {
        return LineStatus::Ignored; // record types we do not report
    }

    LogClock::Stamp logged;
    if (resolveTime(context, col(c.timeLogged), logged)) {
        e.time = logged.utc;
        e.utcOffsetSeconds = logged.offsetSeconds;
    } else {
        context.diagnose(Diagnostic::Severity::Warning, u"row without a usable timeLogged"_s);
    }
    LogClock::Stamp queued;
    if (e.time.isValid() && resolveTime(context, col(c.timeQueued), queued))
        e.delaySeconds = double(queued.utc.msecsTo(e.time)) / 1000.0;

    e.host = context.defaultHost();
    const QByteArrayView vmta = col(c.vmta);
    e.program = vmta.isEmpty() ? u"pmta"_s : u"pmta/"_s + str(vmta);
    if (c.orig >= 0) {
        e.hasSender = true;
        e.sender = str(text::stripAngles(col(c.orig)));
    }
    e.recipient = str(text::stripAngles(col(c.rcpt)));
    e.originalRecipient = str(afterSemicolon(col(c.orcpt)));
    const QByteArrayView status = col(c.dsnStatus).trimmed();
    if (const qsizetype n = text::enhancedStatusLengthAt(status, 0))
        e.dsn = str(status.first(n));
    const QByteArrayView diag = afterSemicolon(col(c.dsnDiag));
    e.replyText = str(diag);
    const text::Reply reply = text::parseReply(diag);
    e.smtpCode = reply.code;
    if (e.dsn.isEmpty())
        e.dsn = str(reply.dsn);
    if (e.type == LogEventType::Received)
        e.client = str(col(c.srcMta));
    else
        e.relay = str(col(c.dsnMta));
    if (e.outcome == DeliveryOutcome::Sent)
        e.nextQueueId = str(text::nextQueueId(diag)); // the receiving server's own queue id
    e.category = str(col(c.bounceCat));
    if (e.type == LogEventType::Complaint && c.feedbackType >= 0)
        e.category = str(col(c.feedbackType));
    qint64 size = 0;
    if (text::parseUInt(col(c.dlvSize), size))
        e.size = size;
    e.jobId = str(col(c.jobId));
    e.envelopeId = str(col(c.envId));
    e.messageId = str(text::stripAngles(col(c.messageId)));
    // PowerMTA logs no queue id: every row is one recipient's, and a recipient's timeline is
    // its t rows, one d or b, and later rb rows for the same rcpt and job (FORMATS.md §5). The
    // message's ENVID, else its job, with the recipient stands in for one, so each timeline is
    // gathered like a queued message's (a job alone can hold millions of recipients).
    if (!e.recipient.isEmpty()) {
        const QString& message = !e.envelopeId.isEmpty() ? e.envelopeId : e.jobId;
        e.queueId = (message.isEmpty() ? u"-"_s : message) + u'/' + e.recipient.toLower();
    }
    context.emitEvent(std::move(e));
    return LineStatus::Event;
}

} // namespace bi::core::logs
