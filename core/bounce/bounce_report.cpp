// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/bounce_report.h"

#include <array>
#include <utility>

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

// The names are stored in the project database and used on the command line: keep them stable.
constexpr std::array<std::pair<MessageKind, QStringView>, 6> kKindNames = {{
    {MessageKind::Bounce, u"bounce"},
    {MessageKind::Delay, u"delay"},
    {MessageKind::Feedback, u"feedback"},
    {MessageKind::AutoReply, u"autoreply"},
    {MessageKind::Delivered, u"delivered"},
    {MessageKind::Other, u"other"},
}};

} // namespace

QString kindName(MessageKind kind)
{
    for (const auto& [k, name] : kKindNames) {
        if (k == kind)
            return name.toString();
    }
    return u"other"_s;
}

MessageKind kindFromName(QStringView name)
{
    const QStringView trimmed = name.trimmed();
    for (const auto& [k, n] : kKindNames) {
        if (trimmed.compare(n, Qt::CaseInsensitive) == 0)
            return k;
    }
    return MessageKind::Other;
}

} // namespace bi::core::bounce
