// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/fate_record.h"

using namespace Qt::StringLiterals;

namespace bi::core::store {

namespace {

// The names are QStrings over the literals (u""_s): handing one out copies no text and
// allocates nothing (every stored step and fate asks for one).
const std::pair<Fate, QString> kFateNames[] = {
    {Fate::Delivered, u"delivered"_s}, {Fate::Rejected, u"rejected"_s}, {Fate::Expired, u"expired"_s},
    {Fate::AsyncBounce, u"async_bounce"_s}, {Fate::Deferred, u"deferred"_s},
};

const std::pair<TimelineStep::Kind, QString> kStepNames[] = {
    {TimelineStep::Kind::Queued, u"queued"_s},
    {TimelineStep::Kind::Deferred, u"deferred"_s},
    {TimelineStep::Kind::Sent, u"sent"_s},
    {TimelineStep::Kind::Bounced, u"bounced"_s},
    {TimelineStep::Kind::Expired, u"expired"_s},
    {TimelineStep::Kind::NoticeGenerated, u"notice-generated"_s},
    {TimelineStep::Kind::DelayNotice, u"delay-notice"_s},
    {TimelineStep::Kind::NoticeReceived, u"notice-received"_s},
    {TimelineStep::Kind::AsyncBounce, u"async-bounce"_s},
    {TimelineStep::Kind::Removed, u"removed"_s},
    {TimelineStep::Kind::Refused, u"refused"_s},
    {TimelineStep::Kind::HandedOn, u"handed-on"_s},
};

} // namespace

QString fateName(Fate fate)
{
    for (const auto& [f, name] : kFateNames) {
        if (f == fate)
            return name;
    }
    return {};
}

Fate fateFromName(QStringView name, bool* ok)
{
    for (const auto& [f, n] : kFateNames) {
        if (name == n) {
            if (ok)
                *ok = true;
            return f;
        }
    }
    if (ok)
        *ok = false;
    return Fate::Delivered;
}

QString FateRecord::shownRecipient() const
{
    return originalRecipient.isEmpty() ? recipient : u"%1 (mailed as %2)"_s.arg(recipient, originalRecipient);
}

qint64 TimelineStep::shownGap(const QDateTime& from, const QDateTime& to)
{
    return to.toSecsSinceEpoch() - from.toSecsSinceEpoch();
}

QString TimelineStep::kindName(Kind kind)
{
    for (const auto& [k, name] : kStepNames) {
        if (k == kind)
            return name;
    }
    return {};
}

TimelineStep::Kind TimelineStep::kindFromName(QStringView name)
{
    for (const auto& [k, n] : kStepNames) {
        if (name == n)
            return k;
    }
    return Kind::Queued;
}

qint64 FateRecord::secondsToBounce() const
{
    if (fate != Fate::AsyncBounce || !finalAt.isValid() || !bounceAt.isValid())
        return -1;
    return finalAt.secsTo(bounceAt);
}

} // namespace bi::core::store
