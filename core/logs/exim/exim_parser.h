// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/logs/cached_string.h"
#include "core/logs/log_parser.h"
#include "core/logs/refusal_hold.h"

namespace bi::core::logs {

/// Exim mainlog (FORMATS.md §2): `YYYY-MM-DD hh:mm:ss[.mmm][ +ZZZZ][ [pid]] <id> <flag> ...`,
/// old 16-character (`1Ov4tU-0000Nz-Rm`) and 4.97+ 23-character (`10HmaX-000000005vi-0000`)
/// message ids, and the same lines wrapped by syslog (`... host exim[pid]: ...`, with or
/// without Exim's own stamp inside).
///
/// Events: `<=` → Received (H= client, S= size, id= Message-ID; `<= <> R=parent` also gives a
/// BounceGenerated for the parent, and the Received carries parentQueueId); `=>`/`->` →
/// DeliveryAttempt sent (H= relay, C= reply); `==` → deferred (`retry time not reached` marks
/// it skipped); `**` → bounced, or expired for `retry timeout exceeded`; `Completed` and
/// `removed` → Removed; `H=... rejected RCPT|MAIL|after DATA` → SmtpReject. `*>` (suppressed
/// delivery), host-level connection failures, frozen/unfrozen and queue runs are ignored.
/// The host comes from syslog or the reader's default host; the program label is `exim` (or
/// the syslog program), with the transport appended for deliveries (`exim/remote_smtp`).
///
/// Exim logs no session id by default: a `rejected RCPT` (permanent; `temporarily rejected`
/// is a 4xx) is held until a `<=` line of the same host, client and sender within
/// kSessionSeconds names the message the client went on to submit (RefusalHold).
/// Thread: one thread at a time.
class EximParser final : public LogParser {
public:
    /// 3 for a line with an Exim message id and flag (or from an exim syslog program), 2 for
    /// an Exim stamp followed by Exim's typical id-less texts, else 0.
    [[nodiscard]] static int sniffLine(QByteArrayView line);
    /// True for `XXXXXX-XXXXXX-XX` and `XXXXXX-XXXXXXXXXXX-XXXX` (base 62 or 36).
    [[nodiscard]] static bool isMessageId(QByteArrayView token);

    [[nodiscard]] LogFormat format() const override { return LogFormat::Exim; }
    [[nodiscard]] LineStatus parseLine(const LogLine& line, ParseContext& context) override;
    void endFile(ParseContext& context) override;
    void reset() override;

    /// How long a refused recipient waits for its message's `<=` line: RCPT, DATA and the
    /// upload normally take a second or two. Without a session id, a longer wait joined the
    /// refusals of a submission refused whole to the client's next, unrelated message.
    static constexpr qint64 kSessionSeconds = 5;

private:
    RefusalHold m_refusals;
    CachedString m_hosts;
    CachedString m_programs;
};

} // namespace bi::core::logs
