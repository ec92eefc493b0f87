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

namespace {

// A relay that names a delivery agent on the smarthost itself: Postfix pipe to dovecot or
// maildrop, LMTP over a private socket; qmail's, OpenSMTPD's and Exchange's local deliveries.
bool isLocalDeliveryRelay(const QString& relay)
{
    const QString r = relay.toLower();
    return r == u"local" || r == u"virtual" || r == u"maildrop" || r == u"procmail" || r == u"mbox"
        || r == u"maildir" || r == u"mailbox" || r == u"mda" || r == u"lmtp" || r.contains(u"private/") || r.contains(u"dovecot");
}

} // namespace

bool isMailboxDelivery(const logs::LogEvent& e)
{
    if (e.type != logs::LogEventType::DeliveryAttempt)
        return false;
    const qsizetype slash = e.program.lastIndexOf(u'/');
    const QStringView agent = slash < 0 ? QStringView() : QStringView(e.program).sliced(slash + 1);
    switch (e.format) {
    case logs::LogFormat::Postfix:
        if (agent == u"local" || agent == u"virtual")
            return true;
        if (agent == u"lmtp")
            return e.nextQueueId.isEmpty();
        break;
    case logs::LogFormat::Exim:
        // LMTP into the mail store, over a socket or TCP ("T=dovecot_lmtp H=localhost
        // [127.0.0.1]"), unless it queued the message again. Otherwise a remote transport names
        // the host it tried (H=) or fails before one ("T=remote_smtp: retry timeout exceeded"),
        // and an unrouteable address names no transport at all.
        if (agent.contains(u"lmtp", Qt::CaseInsensitive))
            return e.nextQueueId.isEmpty();
        return e.relay.isEmpty() && !agent.isEmpty() && !agent.contains(u"smtp", Qt::CaseInsensitive);
    case logs::LogFormat::Sendmail:
        // Into the mail store: local and procmail name no relay, LMTP and Cyrus name the
        // server or socket ("relay=localhost", "relay=/var/run/cyrus/socket/lmtp").
        return agent == u"local" || agent == u"procmail" || agent.startsWith(u"cyrus") || agent == u"dovecot"
            || (agent == u"lmtp" && e.nextQueueId.isEmpty());
    default:
        break;
    }
    return isLocalDeliveryRelay(e.relay);
}

bool isInternalHop(const logs::LogEvent& e)
{
    return e.type == logs::LogEventType::DeliveryAttempt && e.format == logs::LogFormat::Exchange
        && e.program.endsWith(u"/Intra-Organization");
}

} // namespace bi::core::fate
