// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/provider/amazonses_decoder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include "core/bounce/address.h"
#include "core/bounce/decoders/mta/mta_text.h"
#include "core/bounce/decoders/provider/provider_support.h"
#include "core/bounce/status_code.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

// The bounce types Amazon documents for SNS notifications that say more than the status does
// (https://docs.aws.amazon.com/ses/latest/dg/notification-contents.html, "bounceType" and
// "bounceSubType"). Permanent/General, NoEmail, Suppressed and the content rejections say
// nothing beyond the status code.
struct BounceType {
    const char16_t* type;
    const char16_t* subType;
    const char16_t* reason;
};
constexpr BounceType kBounceTypes[] = {
    {u"Transient", u"MailboxFull", u"mailboxfull"},
    {u"Transient", u"MessageTooLarge", u"mesgtoobig"},
};

// First line of the human-readable part of SES's DSN e-mails (two generations of wording).
const QStringView kNoticeStarts[] = {u"The following message to <", u"An error occurred while trying to deliver the mail "};

constexpr ReasonPhrase kMessages[] = {
    {u"expired", u"Delivery expired"},
};

// The original headers SES copies into "mail.headers".
struct OriginalHeader {
    const char16_t* name;
    QString OriginalMessage::*field;
};
const OriginalHeader kOriginalHeaders[] = {
    {u"Message-ID", &OriginalMessage::messageId}, {u"From", &OriginalMessage::from},
    {u"To", &OriginalMessage::to},                {u"Subject", &OriginalMessage::subject},
    {u"Date", &OriginalMessage::date},
};

bool isSnsNotification(const DecodeContext& ctx)
{
    return !ctx.root().header("x-amz-sns-message-id").trimmed().isEmpty();
}

// SNS e-mail notifications wrap the JSON at a fixed width: a line that ends with "!" goes on
// with the next line, whose first character (a space) was added by the wrapping.
QByteArray unwrapJson(const QString& body)
{
    QString json;
    bool folded = false;
    for (QString line : ProviderSupport::lines(body)) {
        if (line == u"--")
            break;
        if (line.isEmpty())
            continue;
        if (folded && !line.isEmpty())
            line.remove(0, 1);
        folded = line.endsWith(u'!');
        if (folded)
            line.chop(1);
        json += line;
    }
    return json.toUtf8();
}

QString stripAngles(QString id)
{
    id = id.trimmed();
    if (id.startsWith(u'<') && id.endsWith(u'>'))
        id = id.mid(1, id.size() - 2);
    return id;
}

void fillOriginal(OriginalMessage& original, const QJsonObject& mail)
{
    for (const QJsonValue& v : mail.value(u"headers"_s).toArray()) {
        const QJsonObject h = v.toObject();
        const QString name = h.value(u"name"_s).toString();
        for (const OriginalHeader& oh : kOriginalHeaders) {
            if (name.compare(QStringView(oh.name), Qt::CaseInsensitive) == 0 && (original.*oh.field).isEmpty())
                original.*oh.field = h.value(u"value"_s).toString().simplified();
        }
    }
    original.messageId = stripAngles(original.messageId);
    if (original.messageId.isEmpty())
        original.messageId = mail.value(u"messageId"_s).toString();
    if (original.returnPath.isEmpty())
        original.returnPath = Address::normalize(mail.value(u"source"_s).toString());
}

std::optional<BounceReport> decodeJson(const QJsonObject& payload)
{
    const QString type = payload.value(u"notificationType"_s).toString();
    BounceReport report = ProviderSupport::newReport(u"amazonses");
    if (type == u"Bounce") {
        const QJsonObject bounce = payload.value(u"bounce"_s).toObject();
        const QString bounceType = bounce.value(u"bounceType"_s).toString();
        const QString subType = bounce.value(u"bounceSubType"_s).toString();
        QString hint;
        for (const BounceType& bt : kBounceTypes) {
            if (bounceType == QStringView(bt.type) && subType == QStringView(bt.subType))
                hint = QString::fromUtf16(bt.reason);
        }
        report.reportingMta = FieldGroupParser::stripType(bounce.value(u"reportingMTA"_s).toString());
        for (const QJsonValue& v : bounce.value(u"bouncedRecipients"_s).toArray()) {
            const QJsonObject o = v.toObject();
            const QString diagnostic = o.value(u"diagnosticCode"_s).toString();
            BounceRecipient r = ProviderSupport::makeRecipient(o.value(u"emailAddress"_s).toString(),
                                                               FieldGroupParser::stripType(diagnostic));
            if (r.recipient.isEmpty())
                continue;
            r.diagnosticType = FieldGroupParser::typeOf(diagnostic);
            if (const QString action = o.value(u"action"_s).toString().toLower(); !action.isEmpty())
                r.action = action;
            if (const QString status = StatusCode::normalize(o.value(u"status"_s).toString()); !status.isEmpty())
                r.status = status;
            r.lastAttempt = bounce.value(u"timestamp"_s).toString();
            r.reason = hint;
            report.recipients.append(std::move(r));
        }
    } else if (type == u"Complaint") {
        const QJsonObject complaint = payload.value(u"complaint"_s).toObject();
        report.kind = MessageKind::Feedback;
        for (const QJsonValue& v : complaint.value(u"complainedRecipients"_s).toArray()) {
            BounceRecipient r;
            r.recipient = Address::normalize(v.toObject().value(u"emailAddress"_s).toString());
            if (r.recipient.isEmpty())
                continue;
            r.kind = MessageKind::Feedback;
            r.reason = u"feedback"_s;
            r.feedbackType = complaint.value(u"complaintFeedbackType"_s).toString();
            r.lastAttempt = complaint.value(u"timestamp"_s).toString();
            report.recipients.append(std::move(r));
        }
    } else if (type == u"Delivery") {
        const QJsonObject delivery = payload.value(u"delivery"_s).toObject();
        report.kind = MessageKind::Delivered;
        report.reportingMta = delivery.value(u"reportingMTA"_s).toString();
        for (const QJsonValue& v : delivery.value(u"recipients"_s).toArray()) {
            BounceRecipient r = ProviderSupport::makeRecipient(v.toString(),
                                                               delivery.value(u"smtpResponse"_s).toString());
            if (r.recipient.isEmpty())
                continue;
            r.kind = MessageKind::Delivered;
            r.action = u"delivered"_s;
            r.reason = u"delivered"_s;
            r.lastAttempt = delivery.value(u"timestamp"_s).toString();
            report.recipients.append(std::move(r));
        }
    }
    if (report.recipients.isEmpty())
        return std::nullopt;
    fillOriginal(report.original, payload.value(u"mail"_s).toObject());
    return report;
}

std::optional<BounceReport> decodeSnsNotification(const DecodeContext& ctx)
{
    const QString body = ctx.root().type == "text" ? ctx.root().text() : ctx.noticeText();
    if (!body.trimmed().startsWith(u'{'))
        return std::nullopt;
    QJsonParseError error{};
    QJsonObject object = QJsonDocument::fromJson(unwrapJson(body), &error).object();
    if (error.error != QJsonParseError::NoError)
        return std::nullopt;
    // An SNS envelope carries the SES notification as a string in "Message".
    if (object.value(u"Message"_s).isString())
        object = QJsonDocument::fromJson(object.value(u"Message"_s).toString().toUtf8()).object();
    return decodeJson(object);
}

// "5.1.0 - Unknown address error 550-'5.2.2 <kijitora@example.jp>... Mailbox Full'"
// (lhost-amazonses-03): SES wraps the remote reply in quotes after its own vague code.
QString quotedRemoteReply(const QString& diagnostic)
{
    static const QRegularExpression quoted(uR"(["'](\d\.\d\.\d.+)['"])"_s);
    const QRegularExpressionMatch m = quoted.match(diagnostic);
    return m.hasMatch() ? m.captured(1) : diagnostic;
}

std::optional<BounceReport> decodeDsnMail(const DecodeContext& ctx)
{
    const QString notice = ctx.noticeText();
    bool started = false;
    for (const QString& line : ProviderSupport::lines(notice)) {
        for (QStringView start : kNoticeStarts)
            started = started || line.startsWith(start);
    }
    if (!started)
        return std::nullopt;
    std::optional<BounceReport> report = ProviderSupport::standardReport(ctx, u"amazonses");
    if (!report)
        return std::nullopt;
    for (BounceRecipient& r : report->recipients) {
        if (ProviderSupport::isVagueStatus(r.status) || r.status.endsWith(u".1.0")) {
            if (const QString found = StatusCode::find(quotedRemoteReply(r.diagnostic)); !found.isEmpty())
                r.status = found;
        }
        if (r.reason.isEmpty())
            r.reason = MtaText::reasonFor(r.diagnostic, kMessages, Qt::CaseInsensitive);
    }
    return report;
}

} // namespace

QString AmazonSesDecoder::family() const
{
    return u"amazonses"_s;
}

bool AmazonSesDecoder::detect(const DecodeContext& ctx) const
{
    const mail::MimePart& root = ctx.root();
    if (isSnsNotification(ctx))
        return true;
    // Amazon WorkMail also sends through SES and has its own decoder.
    if (ProviderSupport::headerContains(root, "X-Mailer", u"Amazon WorkMail"))
        return false;
    return root.hasHeader("X-SES-Outgoing") || root.hasHeader("X-AWS-Outgoing");
}

std::optional<BounceReport> AmazonSesDecoder::decode(const DecodeContext& ctx) const
{
    if (isSnsNotification(ctx))
        return decodeSnsNotification(ctx);
    return decodeDsnMail(ctx);
}

} // namespace bi::core::bounce
