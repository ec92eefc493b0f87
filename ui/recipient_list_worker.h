// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

#include <QList>
#include <QObject>
#include <QString>

#include "core/store/recipient_query.h"

namespace bi::core::store {
class ProjectStore;
}

namespace bi::ui {

/// Runs the recipient list's SQL on its own thread and connection (STYLE §7, §8): the count and
/// first page of a new query, then pages on demand. Requests older than the newest generation are
/// skipped before they touch SQLite. Results go back through the callbacks, which the owner makes
/// queued calls into the GUI thread. Thread: lives in its worker thread; every method runs there.
class RecipientListWorker final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RecipientListWorker)
public:
    struct Callbacks {
        std::function<void(quint64 generation, qint64 count, QList<core::store::RecipientRow> firstPage)> loaded;
        /// A full first page, shown while its query's rows are still being counted; loaded
        /// follows with the count and no rows.
        std::function<void(quint64 generation, QList<core::store::RecipientRow> firstPage)> firstPage;
        std::function<void(quint64 generation, int page, QList<core::store::RecipientRow> rows)> pageFetched;
        std::function<void(quint64 generation, QString message)> failed;
    };

    RecipientListWorker(const std::atomic<quint64>& latestGeneration, Callbacks callbacks);
    ~RecipientListWorker() override;

    void load(quint64 generation, const QString& path, const core::store::RecipientFilter& filter,
              const core::store::RecipientSort& sort, int pageSize);
    void fetch(quint64 generation, int page);
    /// Closes the connection (in this thread) so the file can be deleted or replaced.
    void close();

private:
    [[nodiscard]] bool isStale(quint64 generation) const { return generation != m_latest.load(); }

    const std::atomic<quint64>& m_latest;
    Callbacks m_callbacks;
    QString m_path;
    std::unique_ptr<core::store::ProjectStore> m_store;
    std::unique_ptr<core::store::RecipientQuery> m_query;
    core::store::RecipientFilter m_filter;
    core::store::RecipientSort m_sort;
    int m_pageSize = 500;
};

} // namespace bi::ui
