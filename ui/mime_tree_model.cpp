// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/mime_tree_model.h"

#include <QLocale>
#include <QStringList>

#include "ui/item_roles.h"

using namespace Qt::StringLiterals;
using bi::core::mail::MimePart;

namespace bi::ui {

MimeTreeModel::MimeTreeModel(QObject* parent) : QAbstractItemModel(parent) {}

MimeTreeModel::~MimeTreeModel() = default;

void MimeTreeModel::setRoot(const MimePart& root, bool hasRoot)
{
    beginResetModel();
    m_nodes.clear();
    m_root = hasRoot ? root : MimePart();
    m_hasRoot = hasRoot;
    // Node pointers point into m_root, which is not modified until the next reset.
    if (m_hasRoot)
        addNode(m_root, -1, 0, u"1"_s);
    endResetModel();
}

void MimeTreeModel::clear()
{
    setRoot({}, false);
}

void MimeTreeModel::addNode(const MimePart& part, int parent, int row, const QString& path)
{
    const int self = int(m_nodes.size());
    m_nodes << Node{&part, parent, row, path, {}};
    if (parent >= 0)
        m_nodes[parent].children << self;
    for (qsizetype i = 0; i < part.children.size(); ++i)
        addNode(part.children.at(i), self, int(i), path + u'.' + QString::number(i + 1));
}

const MimePart* MimeTreeModel::part(const QModelIndex& index) const
{
    if (!index.isValid() || index.model() != this)
        return nullptr;
    const int node = int(index.internalId());
    return node >= 0 && node < m_nodes.size() ? m_nodes.at(node).part : nullptr;
}

QModelIndex MimeTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid()) {
        if (!m_hasRoot || row != 0)
            return {};
        return createIndex(row, column, quintptr(0));
    }
    const int p = int(parent.internalId());
    if (p < 0 || p >= m_nodes.size() || row >= m_nodes.at(p).children.size())
        return {};
    return createIndex(row, column, quintptr(m_nodes.at(p).children.at(row)));
}

QModelIndex MimeTreeModel::parent(const QModelIndex& child) const
{
    if (!child.isValid())
        return {};
    const int node = int(child.internalId());
    if (node <= 0 || node >= m_nodes.size())
        return {};
    const int p = m_nodes.at(node).parent;
    return createIndex(m_nodes.at(p).row, 0, quintptr(p));
}

int MimeTreeModel::rowCount(const QModelIndex& parent) const
{
    if (!parent.isValid())
        return m_hasRoot ? 1 : 0;
    if (parent.column() != 0)
        return 0;
    const int node = int(parent.internalId());
    return node >= 0 && node < m_nodes.size() ? int(m_nodes.at(node).children.size()) : 0;
}

int MimeTreeModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

QVariant MimeTreeModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Node& n = m_nodes.at(int(index.internalId()));
    const MimePart& p = *n.part;
    const qint64 bytes = p.rawHeader.size() + p.rawBody.size();
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Part: return u"%1  %2"_s.arg(n.path, QString::fromLatin1(p.mimeType()));
        case Size: return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
        case Details: {
            QStringList details;
            if (const QString charset = p.params.value("charset"); !charset.isEmpty())
                details << u"charset=%1"_s.arg(charset);
            if (const QString name = p.params.value("name"); !name.isEmpty())
                details << u"name=%1"_s.arg(name);
            if (const QString cte = p.header("Content-Transfer-Encoding"); !cte.isEmpty())
                details << cte.trimmed().toLower();
            if (!p.diagnostics.isEmpty())
                details << tr("%n problem(s)", nullptr, int(p.diagnostics.size()));
            return details.join(u", "_s);
        }
        default: return {};
        }
    }
    if (role == RawValueRole) {
        switch (index.column()) {
        case Part: return n.path;
        case Size: return bytes;
        default: return data(index, Qt::DisplayRole);
        }
    }
    return {};
}

QVariant MimeTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractItemModel::headerData(section, orientation, role);
    switch (section) {
    case Part: return tr("Part");
    case Size: return tr("Size");
    case Details: return tr("Details");
    default: return {};
    }
}

} // namespace bi::ui
