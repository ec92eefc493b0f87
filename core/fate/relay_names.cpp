// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/fate/relay_names.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace bi::core::fate {

QString hostLabel(const QString& host)
{
    return host.section(u'.', 0, 0).toLower();
}

QString relayHostName(const QString& relay)
{
    QStringView r = QStringView(relay).trimmed();
    if (const qsizetype open = r.indexOf(u'('); open >= 0) {
        const qsizetype close = r.indexOf(u')', open);
        r = close > open ? r.sliced(open + 1, close - open - 1) : QStringView();
    } else if (const qsizetype bracket = r.indexOf(u'['); bracket >= 0) {
        r = r.first(bracket);
    }
    r = r.trimmed();
    while (r.endsWith(u'.'))
        r.chop(1);
    if (r.isEmpty() || r.contains(u':') || std::all_of(r.begin(), r.end(), [](QChar c) { return c == u'.' || c.isDigit(); }))
        return {};
    return r.toString().toLower();
}

bool isLoopbackRelay(const QString& relay)
{
    QStringView r = QStringView(relay).trimmed();
    if (r.startsWith(u'['))
        r = r.sliced(1);
    return r.startsWith(u"127.") || r.startsWith(u"localhost", Qt::CaseInsensitive) || r.startsWith(u"::1")
        || r.contains(u"[127.") || r.contains(u"[::1]");
}

bool isLocalDeliveryRelay(const QString& relay)
{
    const QString r = relay.toLower();
    return r == u"local" || r == u"virtual" || r == u"maildrop" || r == u"procmail" || r == u"mbox"
        || r == u"maildir" || r.contains(u"private/") || r.contains(u"dovecot");
}

} // namespace bi::core::fate
