// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/logs/csv_splitter.h"
#include "core/logs/log_parser.h"

namespace bi::core::logs {

/// Exchange message tracking logs (FORMATS.md §6): `#`-header lines (the UTF-8 BOM before the
/// first is skipped), the column order from `#Fields:` (it differs between versions), then CSV
/// rows with UTC `date-time`. `recipient-address` and `recipient-status` are `;`-separated lists
/// in the same order; delivery events are emitted once per recipient.
///
/// event-id: RECEIVE → Received; SEND, DELIVER → DeliveryAttempt sent; DEFER → deferred;
/// FAIL → bounced (expired for `QUEUE.Expired` / 4.4.7); DSN → BounceGenerated with the NDR's
/// internal id as newQueueId, its Message-ID as messageId and `reference` (the original's
/// Message-ID) as referenceMessageId. EXPAND, RESOLVE, REDIRECT, TRANSFER, SUBMIT, AGENTINFO,
/// HA* and the rest are ignored. queueId is `internal-message-id` (per server); the host is
/// the server that logged the event (named by RECEIVE and SEND rows, the first of them read
/// from the file's head; the other rows take it). Thread: one thread at a time.
class ExchangeParser final : public LogParser {
public:
    /// 3 for the Exchange header lines, else 0.
    [[nodiscard]] static int sniffLine(QByteArrayView line);

    [[nodiscard]] LogFormat format() const override { return LogFormat::Exchange; }
    void beginFile(ParseContext& context, QByteArrayView head) override;
    [[nodiscard]] LineStatus parseLine(const LogLine& line, ParseContext& context) override;
    void reset() override;

private:
    struct Columns {
        bool valid = false;
        int dateTime = -1;
        int clientIp = -1;
        int clientHostname = -1;
        int serverIp = -1;
        int serverHostname = -1;
        int source = -1;
        int eventId = -1;
        int internalMessageId = -1;
        int messageId = -1;
        int recipientAddress = -1;
        int recipientStatus = -1;
        int totalBytes = -1;
        int recipientCount = -1;
        int reference = -1;
        int messageSubject = -1;
        int senderAddress = -1;
        int returnPath = -1;
        int connectorId = -1;
    };

    void readFields(QByteArrayView fields);
    [[nodiscard]] static QByteArrayView firstLabel(QByteArrayView host);
    [[nodiscard]] static QByteArrayView localServerOf(QByteArrayView eventId, QByteArrayView clientHost,
                                                      QByteArrayView serverHost);

    CsvSplitter m_csv;
    Columns m_columns;
    bool m_warnedNoHeader = false;
    QByteArray m_localServer; ///< first label of the server that writes the file (localServerOf)
};

} // namespace bi::core::logs
