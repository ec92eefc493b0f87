// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFutureWatcher>
#include <QString>
#include <QWidget>

#include "core/common/result.h"
#include "core/inspect/inspect_detail.h"

class QLabel;
class QTableView;

namespace bi::ui {

class RawPane;
class TimelineModel;
class TimelineView;

/// Detail of one recipient (STYLE §6 inspector pattern): the painted timeline, the same
/// steps as a table, and the raw pane (bytes, MIME tree, text parts, original, log lines).
/// Selection drives it through ids: showFate(fates.id) or showBounce(messages.id of a
/// bounce that matches no send). Loading runs in a worker with its own SQLite connection;
/// results of an older request are dropped. Thread: GUI.
class InspectorPane final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InspectorPane)
public:
    explicit InspectorPane(QWidget* parent = nullptr);
    ~InspectorPane() override;

    /// The project to read from; clears what is shown.
    void setProjectPath(const QString& dbPath);
    void showFate(qint64 fateId);
    void showBounce(qint64 messageId);
    void clear();

    [[nodiscard]] TimelineView* timelineView() const { return m_timeline; }
    [[nodiscard]] TimelineModel* detailModel() const { return m_model; }
    [[nodiscard]] QTableView* detailView() const { return m_table; }
    [[nodiscard]] RawPane* rawPane() const { return m_raw; }
    [[nodiscard]] QString titleText() const;

signals:
    /// The detail of the latest request is shown.
    void detailShown(qint64 fateId, qint64 messageId);
    void loadFailed(const QString& message);

private:
    using Outcome = core::Result<core::inspect::InspectDetail>;
    void start(qint64 fateId, qint64 messageId);
    void present(const core::inspect::InspectDetail& detail);

    QString m_path;
    QLabel* m_title = nullptr;
    TimelineView* m_timeline = nullptr;
    TimelineModel* m_model = nullptr;
    QTableView* m_table = nullptr;
    RawPane* m_raw = nullptr;
    QFutureWatcher<Outcome> m_watcher;
    quint64 m_generation = 0;
    quint64 m_pendingGeneration = 0;
};

} // namespace bi::ui
