// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractItemModel>
#include <QList>

#include "core/mail/mime_part.h"

namespace bi::ui {

/// The MIME structure of one message (core MimePart tree, built by core/mail MimeAdapter) as a
/// tree model over an immutable copy. Columns: part (path and type), size, details (charset,
/// file name, transfer encoding). RawValueRole of the size column is the byte count; PartRole
/// gives the node index for part().
/// Thread: GUI.
class MimeTreeModel final : public QAbstractItemModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MimeTreeModel)
public:
    enum Column { Part, Size, Details, ColumnCount };

    explicit MimeTreeModel(QObject* parent = nullptr);
    ~MimeTreeModel() override;

    /// Replaces the tree (model reset); an empty root (hasRoot false) clears it.
    void setRoot(const core::mail::MimePart& root, bool hasRoot = true);
    void clear();
    /// The part behind an index; nullptr for an invalid index.
    [[nodiscard]] const core::mail::MimePart* part(const QModelIndex& index) const;

    [[nodiscard]] QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    [[nodiscard]] QModelIndex parent(const QModelIndex& child) const override;
    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Node {
        const core::mail::MimePart* part = nullptr;
        int parent = -1;     ///< node index, -1 for the root
        int row = 0;         ///< position under its parent
        QString path;        ///< "1.2.1"
        QList<int> children; ///< node indexes
    };
    void addNode(const core::mail::MimePart& part, int parent, int row, const QString& path);

    core::mail::MimePart m_root;
    bool m_hasRoot = false;
    QList<Node> m_nodes; ///< m_nodes[0] is the root when m_hasRoot
};

} // namespace bi::ui
