// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QString>

#include "core/logs/log_parser.h"
#include "core/logs/syslog/syslog_event_base.h"

namespace bi::core::logs {

/// OpenSMTPD syslog lines from `smtpd[pid]` (FORMATS.md §7), both shapes:
///
///  * before 6.4: `smtp-in: Accepted message <msgid> on session <sid>: from=<s>, to=<r>,
///    size=N, ndest=N, ...`, `delivery: Ok|TempFail|PermFail for <evpid>: from=, to=, ...,
///    stat=...`, `relay: ... for <evpid>: ..., relay=..., stat=...`, `smtp-in: Failed command
///    on session <sid>: "CMD" => 550 ...`;
///  * 6.4 and later: `<sid> smtp message msgid=... size=N nrcpt=N`, `<sid> mta|mda|lmtp
///    delivery evpid=<16 hex> from=<s> to=<r> ... result="Ok|TempFail|PermFail|Loop"
///    stat="..."`, `<sid> smtp failed-command command="..." result="550 ..."`, `<sid> smtp
///    connected address=... host=...`.
///
/// The message id is the first 8 hex of the envelope id (evpid), which is kept as deliveryId.
/// Clients of sessions are remembered so Received and SmtpReject events carry them.
/// Thread: one thread at a time.
class OpenSmtpdParser final : public LogParser {
public:
    /// 3 for `smtpd` lines in either shape, else 0.
    [[nodiscard]] static int sniffLine(QByteArrayView line);

    [[nodiscard]] LogFormat format() const override { return LogFormat::OpenSmtpd; }
    [[nodiscard]] LineStatus parseLine(const LogLine& line, ParseContext& context) override;
    void reset() override;

    /// Remembered sessions are dropped beyond this many (sessions whose end was not logged).
    static constexpr int kMaxSessions = 50000;

private:
    QHash<QString, QString> m_sessionClients; // host + '\n' + session id → client
    SyslogEventBase m_base;
};

} // namespace bi::core::logs
