// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/recipient_list_worker.h"

#include "core/store/project_store.h"

using namespace Qt::StringLiterals;

namespace bi::ui {

RecipientListWorker::RecipientListWorker(const std::atomic<quint64>& latestGeneration, Callbacks callbacks)
    : m_latest(latestGeneration), m_callbacks(std::move(callbacks))
{
}

RecipientListWorker::~RecipientListWorker()
{
    close();
}

void RecipientListWorker::close()
{
    m_query.reset();
    m_store.reset();
    m_path.clear();
}

void RecipientListWorker::load(quint64 generation, const QString& path, const core::store::RecipientFilter& filter,
                               const core::store::RecipientSort& sort, int pageSize)
{
    if (isStale(generation))
        return;
    if (path != m_path || !m_store) {
        close();
        // Re-opened for every new project only: the schema check and the WAL pragmas run once.
        auto store = core::store::ProjectStore::openForReading(path, u"gui-list"_s);
        if (!store) {
            m_callbacks.failed(generation, store.error().toString());
            return;
        }
        m_store = std::make_unique<core::store::ProjectStore>(std::move(*store));
        m_query = std::make_unique<core::store::RecipientQuery>(*m_store);
        m_path = path;
    }
    m_filter = filter;
    m_sort = sort;
    m_pageSize = pageSize;
    // The first page before the count: with LIMIT it is the cheaper query, and the view shows its
    // rows while the count still scans (a free-text search over a million recipients).
    auto first = m_query->page(m_filter, m_sort, 0, m_pageSize);
    if (!first) {
        m_callbacks.failed(generation, first.error().toString());
        return;
    }
    if (first->size() < m_pageSize) { // the page holds every row: nothing left to count
        const qint64 total = first->size();
        m_callbacks.loaded(generation, total, std::move(*first));
        return;
    }
    m_callbacks.firstPage(generation, std::move(*first));
    if (isStale(generation))
        return;
    auto count = m_query->count(m_filter);
    if (!count) {
        m_callbacks.failed(generation, count.error().toString());
        return;
    }
    m_callbacks.loaded(generation, *count, {});
}

void RecipientListWorker::fetch(quint64 generation, int page)
{
    if (isStale(generation) || !m_query)
        return;
    auto rows = m_query->page(m_filter, m_sort, qint64(page) * m_pageSize, m_pageSize);
    if (!rows) {
        m_callbacks.failed(generation, rows.error().toString());
        return;
    }
    m_callbacks.pageFetched(generation, page, std::move(*rows));
}

} // namespace bi::ui
