// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractTableModel>
#include <QList>

#include "core/store/project_store.h"

namespace bi::ui {

/// The recipient results of a project as a read-only table over an immutable snapshot.
/// Replacing the snapshot resets the model. Thread: GUI thread.
class BounceTableModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BounceTableModel)
public:
    enum Column { Date, Recipient, Domain, Kind, Reason, Status, ReplyCode, Hard, Family, Diagnostic, ColumnCount };

    explicit BounceTableModel(QObject* parent = nullptr);

    void setRows(QList<core::store::BounceRow> rows);
    [[nodiscard]] const core::store::BounceRow* rowAt(int row) const;

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QList<core::store::BounceRow> m_rows;
};

} // namespace bi::ui
