// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QString>

#include "core/logs/cached_string.h"
#include "core/logs/log_parser.h"

namespace bi::core::logs {

/// qmail-send logs (FORMATS.md §4) in every stamp style: multilog tai64n (`@4000...`),
/// tai64nlocal (`2020-06-25 08:00:09.681525500`), splogger/syslog (`host qmail: 1157520813.485
/// text`, the epoch wins over the syslog stamp) and bare lines without any stamp (events then
/// have no time).
///
/// Events: `info msg N: bytes B from <S> qp P` → Received (parentQueueId set when qp P was
/// announced by `bounce msg M qp P`: the new message is M's bounce); `delivery D: success|
/// deferral|failure: text` → DeliveryAttempt for the message and recipient of the latest
/// `starting delivery D: msg N to local|remote R` on that host (delivery numbers restart with
/// qmail-send); `bounce msg N qp P` → BounceGenerated (non-delivery); `end msg N` and `triple
/// bounce: discarding bounce/N` → Removed; `rblsmtpd:`/`qmail-smtpd:` refusals → SmtpReject.
/// Texts are decoded: `_` is a space, a `/` that ends a line becomes a space, `#x.y.z` is the
/// status. The pairing tables survive across files, so read rotated files oldest first with
/// one reader. Thread: one thread at a time.
class QmailParser final : public LogParser {
public:
    /// 3 for tai64n lines and qmail programs/texts with a stamp, 2 for bare qmail-send texts.
    [[nodiscard]] static int sniffLine(QByteArrayView line);
    /// Turns qmail-send's logged text back into readable text (`_` → space, line-end `/`).
    [[nodiscard]] static QString decodeText(QByteArrayView text);

    [[nodiscard]] LogFormat format() const override { return LogFormat::Qmail; }
    void beginFile(ParseContext& context, QByteArrayView head) override;
    [[nodiscard]] LineStatus parseLine(const LogLine& line, ParseContext& context) override;
    void reset() override;

    /// Pairing tables are cleared when they grow past this (a log missing its result lines).
    static constexpr int kMaxPending = 100000;

private:
    struct Delivery {
        QString queueId;
        QString recipient;
        bool local = false;
    };

    QHash<QString, Delivery> m_deliveries;   // host + '\n' + delivery number
    QHash<QString, QString> m_bounceByQp;    // host + '\n' + qp → parent msg
    CachedString m_hosts;
    CachedString m_programs;
    bool m_warnedNoTime = false;
};

} // namespace bi::core::logs
