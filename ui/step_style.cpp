// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/step_style.h"

#include <QStringList>

using namespace Qt::StringLiterals;
using Kind = bi::core::store::TimelineStep::Kind;

namespace bi::ui {

QString StepStyle::title(Kind kind)
{
    switch (kind) {
    case Kind::Queued: return u"Queued"_s;
    case Kind::Deferred: return u"Deferred"_s;
    case Kind::Sent: return u"Accepted"_s;
    case Kind::Bounced: return u"Rejected"_s;
    case Kind::Expired: return u"Expired"_s;
    case Kind::NoticeGenerated: return u"Notice generated"_s;
    case Kind::DelayNotice: return u"Delay notice"_s;
    case Kind::NoticeReceived: return u"Notice received"_s;
    case Kind::AsyncBounce: return u"Async bounce"_s;
    case Kind::Removed: return u"Removed"_s;
    case Kind::Refused: return u"Refused by the smarthost"_s;
    case Kind::HandedOn: return u"Handed on"_s;
    }
    return {};
}

QColor StepStyle::color(Kind kind)
{
    switch (kind) {
    case Kind::Queued:
    case Kind::HandedOn: return QColor(0x60, 0x7d, 0x8b);
    case Kind::Deferred: return QColor(0xef, 0x8f, 0x00);
    case Kind::Sent: return QColor(0x2e, 0x7d, 0x32);
    case Kind::Bounced:
    case Kind::Refused: return QColor(0xc6, 0x28, 0x28);
    case Kind::Expired: return QColor(0x8e, 0x24, 0x24);
    case Kind::NoticeGenerated:
    case Kind::DelayNotice:
    case Kind::NoticeReceived: return QColor(0x15, 0x65, 0xc0);
    case Kind::AsyncBounce: return QColor(0x6a, 0x1b, 0x9a);
    case Kind::Removed: return QColor(0x9e, 0x9e, 0x9e);
    }
    return Qt::gray;
}

QString StepStyle::duration(qint64 seconds)
{
    if (seconds < 0)
        return u"−"_s + duration(-seconds);
    constexpr qint64 kMin = 60, kHour = 3600, kDay = 86400, kWeek = 7 * kDay;
    auto two = [](qint64 big, const QString& bigUnit, qint64 small, const QString& smallUnit) {
        return small == 0 ? u"%1 %2"_s.arg(big).arg(bigUnit) : u"%1 %2 %3 %4"_s.arg(big).arg(bigUnit).arg(small).arg(smallUnit);
    };
    if (seconds < kMin)
        return u"%1 s"_s.arg(seconds);
    if (seconds < kHour)
        return u"%1 min"_s.arg(seconds / kMin);
    if (seconds < kDay)
        return two(seconds / kHour, u"h"_s, (seconds % kHour) / kMin, u"min"_s);
    if (seconds < kWeek)
        return two(seconds / kDay, u"d"_s, (seconds % kDay) / kHour, u"h"_s);
    return two(seconds / kWeek, u"wk"_s, (seconds % kWeek) / kDay, u"d"_s);
}

QString StepStyle::toolTip(const core::store::TimelineStep& step)
{
    // Reply texts come from remote servers: escape everything and force rich text so Qt
    // never guesses (a reply like "<b>" must show as written).
    QStringList lines;
    lines << u"<b>%1</b>"_s.arg(title(step.kind).toHtmlEscaped());
    if (step.time.isValid())
        lines << step.time.toUTC().toString(u"yyyy-MM-dd HH:mm:ss 'UTC'"_s).toHtmlEscaped();
    const QString code = QStringList{step.replyCode, step.status}.join(u' ').trimmed();
    if (!code.isEmpty())
        lines << code.toHtmlEscaped();
    if (!step.text.isEmpty())
        lines << step.text.left(600).toHtmlEscaped();
    if (!step.relay.isEmpty())
        lines << (u"relay "_s + step.relay).toHtmlEscaped();
    return u"<qt>"_s + lines.join(u"<br>"_s) + u"</qt>"_s;
}

} // namespace bi::ui
