// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/logs/csv_splitter.h"
#include "core/logs/log_parser.h"

namespace bi::core::logs {

/// PowerMTA accounting CSV (FORMATS.md §5), read by its header line: the first column is
/// `type`, the others are located by name, and a header may come again at any point (after a
/// rotation, or a changed `<acct-file>` record list). A file without a header line goes on with
/// the previous file's columns.
///
/// Row types: `d` → DeliveryAttempt sent, `b` → bounced (expired when bounceCat is
/// `message-expired`), `t` and `tq` → deferred (tq is queue-level; the recipient may be
/// empty), `r` → Received, `rb`/`rs` → RemoteBounce (outcome from dsnAction), `f` → Complaint.
/// PowerMTA has no queue ids: jobId and envId (and a `header_Message-Id` column when
/// configured) identify the message. The program label is `pmta/<vmta>`; the host is the
/// reader's default host. Thread: one thread at a time.
class PowerMtaParser final : public LogParser {
public:
    /// 3 for an accounting header line (`type,timeLogged,...`), 1 for a row that looks like
    /// one (`d,2026-09-21 12:00:00+0000,...`), else 0.
    [[nodiscard]] static int sniffLine(QByteArrayView line);

    [[nodiscard]] LogFormat format() const override { return LogFormat::PowerMta; }
    [[nodiscard]] LineStatus parseLine(const LogLine& line, ParseContext& context) override;
    void reset() override;

private:
    struct Columns {
        bool valid = false;
        int type = 0;
        int timeLogged = -1;
        int timeQueued = -1;
        int orig = -1;
        int rcpt = -1;
        int orcpt = -1;
        int dsnAction = -1;
        int dsnStatus = -1;
        int dsnDiag = -1;
        int dsnMta = -1;
        int bounceCat = -1;
        int srcMta = -1;
        int dlvSize = -1;
        int vmta = -1;
        int jobId = -1;
        int envId = -1;
        int messageId = -1;
        int feedbackType = -1;
    };

    void readHeader();

    CsvSplitter m_csv;
    Columns m_columns;
    bool m_warnedNoHeader = false;
};

} // namespace bi::core::logs
