// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFutureWatcher>
#include <QObject>

#include "core/common/result.h"
#include "core/store/project_store.h"

namespace bi::ui {

/// Reads a project's recipient results on a worker thread (its own connection) and
/// hands the snapshot to the GUI thread. Results of an older request are dropped.
/// Thread: create and call from the GUI thread.
class ProjectLoader final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProjectLoader)
public:
    struct Snapshot {
        QString path;
        QList<core::store::BounceRow> rows;
        core::store::ProjectStore::Counts counts;
    };

    explicit ProjectLoader(QObject* parent = nullptr);
    ~ProjectLoader() override;

    void load(const QString& path);

signals:
    void loaded(const bi::ui::ProjectLoader::Snapshot& snapshot);
    void failed(const QString& message);

private:
    using Outcome = core::Result<Snapshot>;
    QFutureWatcher<Outcome> m_watcher;
    quint64 m_generation = 0;
    quint64 m_pendingGeneration = 0;
};

} // namespace bi::ui
