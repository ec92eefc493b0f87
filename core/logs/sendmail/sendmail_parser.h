// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/logs/log_parser.h"
#include "core/logs/syslog/syslog_event_base.h"

namespace bi::core::logs {

/// Sendmail syslog lines (FORMATS.md §3) from `sendmail`, `sm-mta`, `sm-msp-queue` and the
/// `sm-*` process titles: `QID: key=value, key=value, ...` read by key.
///
/// Events: `from=` → Received (size, nrcpts, msgid, relay as client); `to=..., stat=` → one
/// DeliveryAttempt per recipient of a comma-separated to= list (dsn= decides the outcome when
/// present, else `Sent` / `Deferred` / anything else = bounced); `QID: NEWQID: DSN: text` and
/// the older `return to sender:` → BounceGenerated (a `Warning:` text is a delay notice; `Cannot
/// send message for` is queue expiry and also gives MessageExpired); `postmaster notify:` →
/// BounceGenerated postmaster copy; `ruleset=check_* ... reject=` → SmtpReject.
/// Thread: one thread at a time.
class SendmailParser final : public LogParser {
public:
    /// 3 for a syslog line from a Sendmail program, else 0.
    [[nodiscard]] static int sniffLine(QByteArrayView line);
    /// sendmail, sm-mta, sm-msp-queue, sm-accepting..., sm-*
    [[nodiscard]] static bool isSendmailProgram(QByteArrayView program);

    [[nodiscard]] LogFormat format() const override { return LogFormat::Sendmail; }
    [[nodiscard]] LineStatus parseLine(const LogLine& line, ParseContext& context) override;

private:
    SyslogEventBase m_base;
};

} // namespace bi::core::logs
