// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <QStringList>

#include "core/store/fate_record.h"

namespace bi::ui {

/// The detail model of the inspector (STYLE §6): one row per timeline step of the selected
/// fate, in time order, over an immutable snapshot. DisplayRole strings; RawValueRole gives
/// epoch ms (time), the kind as int, and seconds since the previous step.
/// Thread: GUI.
class TimelineModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimelineModel)
public:
    enum Column { Time, Event, SincePrevious, Code, Text, Relay, Source, ColumnCount };

    explicit TimelineModel(QObject* parent = nullptr);
    ~TimelineModel() override;

    /// Replaces the snapshot (model reset); sources: per step where it was read
    /// (InspectDetail::stepSources), shown in the Source column.
    void setSteps(const QList<core::store::TimelineStep>& steps, const QStringList& sources = {});
    [[nodiscard]] const QList<core::store::TimelineStep>& steps() const { return m_steps; }

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QList<core::store::TimelineStep> m_steps;
    QStringList m_sources;
};

} // namespace bi::ui
