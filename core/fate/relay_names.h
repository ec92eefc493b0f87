// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include "core/logs/log_event.h"

namespace bi::core::fate {

/// Host and relay names as the logs write them (the relay of a delivery attempt, a logging
/// host) and what they tell: whether a next hop is on the same machine or is the machine's
/// own delivery agent. Thread: any.

/// A host name's first label, lower case ("mx-out1" for "MX-OUT1.shop.example"): syslog
/// writes the short name where mail headers carry the full one.
[[nodiscard]] QString hostLabel(const QString& host);
/// The host name in a relay: "mx.far.example[198.51.100.9]:25" (Postfix),
/// "EXCH02.corp.example[10.0.0.32]" (Exchange), "mx.far.example. [198.51.100.9]" (Sendmail),
/// "198.51.100.9 (mx.far.example)" (OpenSMTPD); lower case, empty when it names only an address.
[[nodiscard]] QString relayHostName(const QString& relay);
/// A next hop on the same machine: a content filter (amavis on 127.0.0.1:10024), or the local
/// MTA a submission program hands its mail to (Sendmail's MSP to [127.0.0.1]).
[[nodiscard]] bool isLoopbackRelay(const QString& relay);
/// A delivery attempt into a mailbox on our side, not to another MTA: Postfix local, virtual
/// and LMTP (unless the LMTP server queued it again: a content filter), a pipe to a delivery
/// agent; Exim's local transports (no host, a transport that is not SMTP); Sendmail's local,
/// procmail, cyrus and LMTP mailers; Exchange's DELIVER; qmail's and OpenSMTPD's local
/// deliveries. The fates are about mail leaving our side: such recipients (cron mail, mail
/// received for our users, a colleague in copy) get none.
[[nodiscard]] bool isMailboxDelivery(const logs::LogEvent& e);
/// A delivery the log itself says went to another transport of our own organisation
/// (Exchange's Intra-Organization SMTP Send Connector): a hop inside our side, also to the
/// same server's mailbox transport.
[[nodiscard]] bool isInternalHop(const logs::LogEvent& e);

} // namespace bi::core::fate
