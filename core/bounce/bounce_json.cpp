// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/bounce_json.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

QString BounceJson::isoDate(const QDateTime& date)
{
    if (!date.isValid())
        return {};
    const int offset = date.offsetFromUtc();
    const int minutes = std::abs(offset) / 60;
    return date.toString(u"yyyy-MM-dd'T'HH:mm:ss"_s) + (offset < 0 ? u'-' : u'+')
        + u"%1:%2"_s.arg(minutes / 60, 2, 10, QChar(u'0')).arg(minutes % 60, 2, 10, QChar(u'0'));
}

QByteArray BounceJson::record(const QString& file, int message, const BounceReport& report, qsizetype index,
                              int ordinal)
{
    const BounceRecipient& r = report.recipients.at(index);
    QJsonObject o;
    o[u"file"_s] = file;
    o[u"message"_s] = message;
    o[u"index"_s] = ordinal > 0 ? ordinal : int(index + 1);
    o[u"kind"_s] = kindName(r.kind);
    o[u"recipient"_s] = r.recipient;
    o[u"original_recipient"_s] = r.originalRecipient;
    o[u"action"_s] = r.action;
    o[u"status"_s] = r.status;
    o[u"replycode"_s] = r.replyCode;
    o[u"reason"_s] = r.reason;
    o[u"hardbounce"_s] = r.hardBounce;
    o[u"diagnostic"_s] = r.diagnostic;
    o[u"diagnostic_type"_s] = r.diagnosticType;
    o[u"smtp_command"_s] = r.smtpCommand;
    o[u"feedbacktype"_s] = r.feedbackType;
    o[u"lhost"_s] = report.reportingMta;
    o[u"rhost"_s] = r.remoteMta;
    o[u"family"_s] = report.family;
    o[u"date"_s] = isoDate(report.date);
    o[u"original_message_id"_s] = report.original.messageId;
    o[u"bounce_message_id"_s] = report.bounceMessageId;
    o[u"queue_id"_s] = report.queueId;
    o[u"envelope_id"_s] = report.envelopeId;
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace bi::core::bounce
