// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

#include "core/common/progress_sink.h"
#include "core/common/result.h"

namespace bi::core::store {
class ProjectStore;
}

namespace bi::core::import {

/// Outcome of one import run.
struct ImportSummary {
    qint64 files = 0;        ///< files that yielded messages
    qint64 messages = 0;     ///< messages read
    qint64 added = 0;        ///< messages newly stored
    qint64 duplicates = 0;   ///< messages already in the project (same source, offset, SHA-256)
    qint64 bounces = 0;      ///< new messages of kind bounce
    qint64 recipients = 0;   ///< recipient results of the new messages
    qint64 diagnostics = 0;  ///< diagnostics stored with the new messages
    qint64 bytes = 0;
    QStringList errors;      ///< one line per path that could not be imported
    bool stopped = false;    ///< stopped on request; what was committed stays
};

/// Reads mailboxes, decodes every message and stores it: the pipeline that joins the
/// readers, the bounce parser and the store (which know nothing of each other).
/// Writes in transactions of ~1,000 messages or 250 ms. Thread: runs in the caller's
/// thread; the store must have been opened in that thread.
class ImportJob final {
public:
    explicit ImportJob(store::ProjectStore& store);

    /// Import every path. A path that fails is listed in errors and the others go on;
    /// the Result fails only when the project itself cannot be written.
    [[nodiscard]] Result<ImportSummary> run(const QStringList& paths, ProgressSink* progress = nullptr);

private:
    store::ProjectStore& m_store;
};

} // namespace bi::core::import
