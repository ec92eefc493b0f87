// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/logs/log_event.h"

using namespace Qt::StringLiterals;

namespace bi::core::logs {

QString logFormatName(LogFormat format)
{
    switch (format) {
    case LogFormat::Unknown: return u"unknown"_s;
    case LogFormat::Postfix: return u"postfix"_s;
    case LogFormat::Exim: return u"exim"_s;
    case LogFormat::Sendmail: return u"sendmail"_s;
    case LogFormat::Qmail: return u"qmail"_s;
    case LogFormat::PowerMta: return u"powermta"_s;
    case LogFormat::Exchange: return u"exchange"_s;
    case LogFormat::OpenSmtpd: return u"opensmtpd"_s;
    }
    return u"unknown"_s;
}

QString logFormatTitle(LogFormat format)
{
    switch (format) {
    case LogFormat::Unknown: return u"unknown"_s;
    case LogFormat::Postfix: return u"Postfix"_s;
    case LogFormat::Exim: return u"Exim"_s;
    case LogFormat::Sendmail: return u"Sendmail"_s;
    case LogFormat::Qmail: return u"qmail"_s;
    case LogFormat::PowerMta: return u"PowerMTA accounting"_s;
    case LogFormat::Exchange: return u"Exchange message tracking"_s;
    case LogFormat::OpenSmtpd: return u"OpenSMTPD"_s;
    }
    return u"unknown"_s;
}

LogFormat logFormatFromName(QStringView name)
{
    for (LogFormat f : {LogFormat::Postfix, LogFormat::Exim, LogFormat::Sendmail, LogFormat::Qmail,
                        LogFormat::PowerMta, LogFormat::Exchange, LogFormat::OpenSmtpd}) {
        if (name.compare(logFormatName(f), Qt::CaseInsensitive) == 0)
            return f;
    }
    return LogFormat::Unknown;
}

QString logEventTypeName(LogEventType type)
{
    switch (type) {
    case LogEventType::Received: return u"received"_s;
    case LogEventType::Queued: return u"queued"_s;
    case LogEventType::MessageId: return u"message-id"_s;
    case LogEventType::DeliveryAttempt: return u"delivery"_s;
    case LogEventType::MessageExpired: return u"expired"_s;
    case LogEventType::BounceGenerated: return u"bounce-generated"_s;
    case LogEventType::Removed: return u"removed"_s;
    case LogEventType::SmtpReject: return u"smtp-reject"_s;
    case LogEventType::RemoteBounce: return u"remote-bounce"_s;
    case LogEventType::Complaint: return u"complaint"_s;
    }
    return u"received"_s;
}

QString deliveryOutcomeName(DeliveryOutcome outcome)
{
    switch (outcome) {
    case DeliveryOutcome::None: return u"none"_s;
    case DeliveryOutcome::Sent: return u"sent"_s;
    case DeliveryOutcome::Deferred: return u"deferred"_s;
    case DeliveryOutcome::Bounced: return u"bounced"_s;
    case DeliveryOutcome::Expired: return u"expired"_s;
    }
    return u"none"_s;
}

QString notificationKindName(NotificationKind kind)
{
    switch (kind) {
    case NotificationKind::None: return u"none"_s;
    case NotificationKind::NonDelivery: return u"non-delivery"_s;
    case NotificationKind::Delay: return u"delay"_s;
    case NotificationKind::Success: return u"success"_s;
    case NotificationKind::PostmasterCopy: return u"postmaster"_s;
    case NotificationKind::Unknown: return u"unknown"_s;
    }
    return u"none"_s;
}

} // namespace bi::core::logs
