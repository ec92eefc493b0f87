// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/logs/log_event.h"

using namespace Qt::StringLiterals;

namespace bi::core::logs {

namespace {

// Each format's stable name (diagnostics, JSON, the project) and the one people know it by.
struct FormatNames {
    LogFormat format;
    QStringView name;
    QStringView title;
};
constexpr FormatNames kFormatNames[] = {
    {LogFormat::Postfix, u"postfix", u"Postfix"},
    {LogFormat::Exim, u"exim", u"Exim"},
    {LogFormat::Sendmail, u"sendmail", u"Sendmail"},
    {LogFormat::Qmail, u"qmail", u"qmail"},
    {LogFormat::PowerMta, u"powermta", u"PowerMTA accounting"},
    {LogFormat::Exchange, u"exchange", u"Exchange message tracking"},
    {LogFormat::OpenSmtpd, u"opensmtpd", u"OpenSMTPD"},
};

const FormatNames* namesOf(LogFormat format)
{
    for (const FormatNames& n : kFormatNames) {
        if (n.format == format)
            return &n;
    }
    return nullptr;
}

} // namespace

QString logFormatName(LogFormat format)
{
    const FormatNames* n = namesOf(format);
    return n ? n->name.toString() : u"unknown"_s;
}

QString logFormatTitle(LogFormat format)
{
    const FormatNames* n = namesOf(format);
    return n ? n->title.toString() : u"unknown"_s;
}

LogFormat logFormatFromName(QStringView name)
{
    for (const FormatNames& n : kFormatNames) {
        if (name.compare(n.name, Qt::CaseInsensitive) == 0)
            return n.format;
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
