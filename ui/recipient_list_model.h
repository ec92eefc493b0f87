// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QSet>
#include <QThread>

#include "core/store/recipient_query.h"

namespace bi::ui {

class RecipientListWorker;

/// The central recipient list (issue 6): one row per (message, recipient) fate, filtered, sorted
/// and paged in SQL on a worker thread with its own connection. Only the pages near what the view
/// shows are in memory (an LRU of kMaxPages pages); rows not fetched yet show an ellipsis and
/// fill in when their page arrives. rowCount() is the COUNT(*) of the current filter. sort()
/// reloads in SQL. Thread: GUI thread.
class RecipientListModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RecipientListModel)
public:
    using Column = core::store::RecipientColumn;
    static constexpr int kPageSize = 500;
    static constexpr int kMaxPages = 64;

    explicit RecipientListModel(QObject* parent = nullptr);
    ~RecipientListModel() override;

    /// Shows another project (empty path: none) with the current filter and sort.
    void setProjectPath(const QString& path);
    [[nodiscard]] QString projectPath() const { return m_path; }
    void setFilter(const core::store::RecipientFilter& filter);
    [[nodiscard]] const core::store::RecipientFilter& filter() const { return m_filter; }
    [[nodiscard]] core::store::RecipientSort currentSort() const { return m_sort; }
    /// Runs the current query again (after an import).
    void refresh();
    [[nodiscard]] bool isLoading() const { return m_loading; }
    /// The row if its page is in memory, else nullptr.
    [[nodiscard]] const core::store::RecipientRow* rowAt(int row) const;

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    void sort(int column, Qt::SortOrder order) override;

signals:
    /// A query finished: the model holds its `count` rows (reset, or its first page shown
    /// before and the rest appended).
    void loaded(qint64 count);
    /// A query's first full page is shown (the model was reset to it) while its rows are still
    /// counted; loaded() follows.
    void firstPageShown(qint64 rows);
    void failed(const QString& message);
    void loadingChanged(bool loading);

private:
    struct Page {
        QList<core::store::RecipientRow> rows;
        quint64 lastUse = 0;
    };
    void reload();
    void requestPage(int page) const;
    void onLoaded(quint64 generation, qint64 count, QList<core::store::RecipientRow> firstPage);
    void onFirstPage(quint64 generation, QList<core::store::RecipientRow> firstPage);
    void onPage(quint64 generation, int page, QList<core::store::RecipientRow> rows);
    void onFailed(quint64 generation, const QString& message);
    void setLoading(bool loading);
    [[nodiscard]] QVariant display(const core::store::RecipientRow& row, Column column) const;
    [[nodiscard]] QVariant raw(const core::store::RecipientRow& row, Column column) const;

    QThread m_thread;
    RecipientListWorker* m_worker = nullptr;
    std::atomic<quint64> m_generation{0};
    QString m_path;
    core::store::RecipientFilter m_filter;
    core::store::RecipientSort m_sort;
    qint64 m_count = 0;
    quint64 m_firstPageShown = 0; ///< generation whose first page is shown while it is counted
    bool m_loading = false;
    // Pages are filled by data() const: lookups refresh their LRU stamp.
    mutable QHash<int, Page> m_pages;
    mutable QSet<int> m_requested;
    mutable quint64 m_useClock = 0;
};

} // namespace bi::ui
