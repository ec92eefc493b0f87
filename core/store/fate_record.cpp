// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/fate_record.h"

using namespace Qt::StringLiterals;

namespace bi::core::store {

namespace {

const std::pair<Fate, const char16_t*> kFateNames[] = {
    {Fate::Delivered, u"delivered"}, {Fate::Rejected, u"rejected"}, {Fate::Expired, u"expired"},
    {Fate::AsyncBounce, u"async_bounce"}, {Fate::Deferred, u"deferred"},
};

const std::pair<TimelineStep::Kind, const char16_t*> kStepNames[] = {
    {TimelineStep::Kind::Queued, u"queued"},
    {TimelineStep::Kind::Deferred, u"deferred"},
    {TimelineStep::Kind::Sent, u"sent"},
    {TimelineStep::Kind::Bounced, u"bounced"},
    {TimelineStep::Kind::Expired, u"expired"},
    {TimelineStep::Kind::NoticeGenerated, u"notice-generated"},
    {TimelineStep::Kind::DelayNotice, u"delay-notice"},
    {TimelineStep::Kind::NoticeReceived, u"notice-received"},
    {TimelineStep::Kind::AsyncBounce, u"async-bounce"},
    {TimelineStep::Kind::Removed, u"removed"},
};

} // namespace

QString fateName(Fate fate)
{
    for (const auto& [f, name] : kFateNames) {
        if (f == fate)
            return QString::fromUtf16(name);
    }
    return {};
}

Fate fateFromName(QStringView name, bool* ok)
{
    for (const auto& [f, n] : kFateNames) {
        if (name == QStringView(n)) {
            if (ok)
                *ok = true;
            return f;
        }
    }
    if (ok)
        *ok = false;
    return Fate::Delivered;
}

QString TimelineStep::kindName(Kind kind)
{
    for (const auto& [k, name] : kStepNames) {
        if (k == kind)
            return QString::fromUtf16(name);
    }
    return {};
}

TimelineStep::Kind TimelineStep::kindFromName(QStringView name)
{
    for (const auto& [k, n] : kStepNames) {
        if (name == QStringView(n))
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
