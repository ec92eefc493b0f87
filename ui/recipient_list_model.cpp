// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/recipient_list_model.h"

#include <algorithm>
#include <limits>

#include <QDateTime>

#include "core/store/fate_record.h"
#include "ui/item_roles.h"
#include "ui/recipient_list_worker.h"

using namespace Qt::StringLiterals;
using bi::core::store::RecipientRow;

namespace bi::ui {

namespace {

QString durationText(qint64 seconds)
{
    if (seconds < 0)
        return {};
    if (seconds < 60)
        return QObject::tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return QObject::tr("%1 min").arg(seconds / 60);
    if (seconds < 86400)
        return QObject::tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60, 2, 10, QLatin1Char('0'));
    return QObject::tr("%1 d %2 h").arg(seconds / 86400).arg((seconds % 86400) / 3600);
}

// A fate from the mailbox alone has no count of tries: left blank, not shown as none.
bool attemptsKnown(const core::store::RecipientRow& row)
{
    return core::store::FateRecord::attemptsKnown(row.decidedBy, row.attempts);
}

} // namespace

RecipientListModel::RecipientListModel(QObject* parent) : QAbstractTableModel(parent)
{
    m_thread.setObjectName(u"recipient-list"_s);
    // The callbacks run in the worker thread and hop to this object's thread; a call posted to a
    // model that is gone is dropped with it.
    RecipientListWorker::Callbacks callbacks;
    callbacks.loaded = [this](quint64 generation, qint64 count, QList<RecipientRow> rows) {
        QMetaObject::invokeMethod(
            this, [this, generation, count, rows = std::move(rows)]() mutable { onLoaded(generation, count, std::move(rows)); },
            Qt::QueuedConnection);
    };
    callbacks.firstPage = [this](quint64 generation, QList<RecipientRow> rows) {
        QMetaObject::invokeMethod(
            this, [this, generation, rows = std::move(rows)]() mutable { onFirstPage(generation, std::move(rows)); },
            Qt::QueuedConnection);
    };
    callbacks.pageFetched = [this](quint64 generation, int page, QList<RecipientRow> rows) {
        QMetaObject::invokeMethod(
            this, [this, generation, page, rows = std::move(rows)]() mutable { onPage(generation, page, std::move(rows)); },
            Qt::QueuedConnection);
    };
    callbacks.failed = [this](quint64 generation, QString message) {
        QMetaObject::invokeMethod(this, [this, generation, message] { onFailed(generation, message); },
                                  Qt::QueuedConnection);
    };
    m_worker = new RecipientListWorker(m_generation, std::move(callbacks));
    m_worker->moveToThread(&m_thread);
    // Its connection belongs to the worker thread, so it is destroyed there too.
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

RecipientListModel::~RecipientListModel()
{
    m_generation = std::numeric_limits<quint64>::max(); // every queued request is now stale
    m_thread.quit();
    m_thread.wait(); // the worker is deleted in its thread as it finishes (finished → deleteLater)
}

void RecipientListModel::setProjectPath(const QString& path)
{
    m_path = path;
    if (path.isEmpty()) {
        ++m_generation;
        beginResetModel();
        m_count = 0;
        m_pages.clear();
        m_requested.clear();
        endResetModel();
        QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->close(); }, Qt::QueuedConnection);
        setLoading(false);
        return;
    }
    reload();
}

void RecipientListModel::setFilter(const core::store::RecipientFilter& filter)
{
    m_filter = filter;
    reload();
}

void RecipientListModel::refresh()
{
    reload();
}

void RecipientListModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= int(Column::Count))
        return;
    const core::store::RecipientSort sort{Column(column), order == Qt::DescendingOrder};
    if (sort == m_sort && !m_path.isEmpty() && !m_loading && m_count > 0)
        return;
    m_sort = sort;
    reload();
}

void RecipientListModel::reload()
{
    if (m_path.isEmpty())
        return;
    const quint64 generation = ++m_generation;
    setLoading(true);
    QMetaObject::invokeMethod(
        m_worker,
        [w = m_worker, generation, path = m_path, filter = m_filter, sort = m_sort] {
            w->load(generation, path, filter, sort, kPageSize);
        },
        Qt::QueuedConnection);
}

void RecipientListModel::requestPage(int page) const
{
    if (m_requested.contains(page))
        return;
    m_requested.insert(page);
    const quint64 generation = m_generation.load();
    QMetaObject::invokeMethod(m_worker, [w = m_worker, generation, page] { w->fetch(generation, page); },
                              Qt::QueuedConnection);
}

void RecipientListModel::onFirstPage(quint64 generation, QList<RecipientRow> firstPage)
{
    if (generation != m_generation.load())
        return;
    beginResetModel();
    m_count = int(firstPage.size());
    m_pages.clear();
    m_requested.clear();
    m_pages.insert(0, Page{std::move(firstPage), ++m_useClock});
    m_firstPageShown = generation;
    endResetModel();
    emit firstPageShown(m_count); // still loading: the count follows
}

void RecipientListModel::onLoaded(quint64 generation, qint64 count, QList<RecipientRow> firstPage)
{
    if (generation != m_generation.load())
        return;
    if (m_firstPageShown == generation && firstPage.isEmpty()) {
        // The count of the query whose first page is shown: the rows after it are appended.
        const qint64 total = std::min<qint64>(count, std::numeric_limits<int>::max());
        if (total > m_count) {
            beginInsertRows(QModelIndex(), int(m_count), int(total - 1));
            m_count = total;
            endInsertRows();
        }
        setLoading(false);
        emit loaded(m_count);
        return;
    }
    beginResetModel();
    m_count = std::min<qint64>(count, std::numeric_limits<int>::max());
    m_pages.clear();
    m_requested.clear();
    m_pages.insert(0, Page{std::move(firstPage), ++m_useClock});
    endResetModel();
    setLoading(false);
    emit loaded(m_count);
}

void RecipientListModel::onPage(quint64 generation, int page, QList<RecipientRow> rows)
{
    if (generation != m_generation.load())
        return;
    m_requested.remove(page);
    const int first = page * kPageSize;
    if (rows.isEmpty() || first >= m_count)
        return;
    const int last = std::min<int>(first + int(rows.size()), int(m_count)) - 1;
    m_pages.insert(page, Page{std::move(rows), ++m_useClock});
    if (m_pages.size() > kMaxPages) {
        // Evict the least recently used page other than the one just fetched.
        auto oldest = m_pages.end();
        for (auto it = m_pages.begin(); it != m_pages.end(); ++it) {
            if (it.key() != page && (oldest == m_pages.end() || it->lastUse < oldest->lastUse))
                oldest = it;
        }
        if (oldest != m_pages.end())
            m_pages.erase(oldest);
    }
    emit dataChanged(index(first, 0), index(last, int(Column::Count) - 1));
}

void RecipientListModel::onFailed(quint64 generation, const QString& message)
{
    if (generation != m_generation.load())
        return;
    setLoading(false);
    emit failed(message);
}

void RecipientListModel::setLoading(bool loading)
{
    if (loading == m_loading)
        return;
    m_loading = loading;
    emit loadingChanged(loading);
}

const RecipientRow* RecipientListModel::rowAt(int row) const
{
    if (row < 0 || row >= m_count)
        return nullptr;
    const auto it = m_pages.find(row / kPageSize);
    if (it == m_pages.end())
        return nullptr;
    const int inPage = row % kPageSize;
    if (inPage >= it->rows.size())
        return nullptr;
    it->lastUse = ++m_useClock;
    return &it->rows[inPage];
}

int RecipientListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_count);
}

int RecipientListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(Column::Count);
}

QVariant RecipientListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto column = Column(index.column());
    if (role == Qt::TextAlignmentRole) {
        if (column == Column::Attempts || column == Column::TimeToBounce)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    if (role != Qt::DisplayRole && role != RawValueRole && role != FateIdRole && role != MessageIdRole
        && role != Qt::ToolTipRole)
        return {};
    const RecipientRow* row = rowAt(index.row());
    if (!row) {
        requestPage(index.row() / kPageSize);
        return role == Qt::DisplayRole ? QVariant(u"…"_s) : QVariant();
    }
    switch (role) {
    case Qt::DisplayRole: return display(*row, column);
    case RawValueRole: return raw(*row, column);
    case FateIdRole: return row->fateId;
    case MessageIdRole: return row->bounceMessageId;
    case Qt::ToolTipRole:
        if (column == Column::Verdict && row->verdictScore >= 0)
            return tr("P(backscatter) = %1").arg(row->verdictScore, 0, 'f', 2);
        if (column == Column::Fate)
            return tr("decided from: %1").arg(row->decidedBy);
        if (column == Column::Attempts && !attemptsKnown(*row))
            return tr("not known without the smarthost's log");
        return {};
    default: return {};
    }
}

QVariant RecipientListModel::display(const RecipientRow& row, Column column) const
{
    switch (column) {
    case Column::Time:
        return row.timeMs ? QDateTime::fromMSecsSinceEpoch(*row.timeMs, Qt::UTC).toString(u"yyyy-MM-dd HH:mm:ss"_s)
                          : QString();
    case Column::Recipient: return row.recipient;
    case Column::Domain: return row.domain;
    case Column::Fate: return row.fate;
    case Column::Reason: return row.reason;
    case Column::Status: return row.status;
    case Column::Attempts: return attemptsKnown(row) ? QVariant(row.attempts) : QVariant(QString());
    case Column::TimeToBounce: return durationText(row.secondsToBounce);
    case Column::Verdict: return row.verdict;
    case Column::Count: break;
    }
    return {};
}

QVariant RecipientListModel::raw(const RecipientRow& row, Column column) const
{
    switch (column) {
    case Column::Time: return row.timeMs ? QVariant(*row.timeMs) : QVariant();
    case Column::Attempts: return row.attempts;
    case Column::TimeToBounce: return row.secondsToBounce;
    case Column::Verdict: return row.verdictScore;
    default: return display(row, column);
    }
}

QVariant RecipientListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Column::Time: return tr("Time (UTC)");
    case Column::Recipient: return tr("Recipient");
    case Column::Domain: return tr("Domain");
    case Column::Fate: return tr("Fate");
    case Column::Reason: return tr("Reason");
    case Column::Status: return tr("Status");
    case Column::Attempts: return tr("Attempts");
    case Column::TimeToBounce: return tr("Time to bounce");
    case Column::Verdict: return tr("Verdict");
    case Column::Count: break;
    }
    return {};
}

} // namespace bi::ui
