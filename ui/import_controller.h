// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>
#include <memory>

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QObject>
#include <QStringList>

#include "core/import/import_job.h"

class QTimer;

namespace bi::ui {

/// Runs one import at a time in the background (STYLE §7): the ImportJob on a pool thread with
/// its own write connection, progress polled ten times a second, Stop (what is committed stays,
/// and its fates are computed) and Cancel (the files this run added are removed again).
/// Thread: GUI thread.
class ImportController final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ImportController)
public:
    /// How an import ended, for the import log.
    struct Outcome {
        core::import::ImportSummary summary;
        QStringList fileLog;  ///< one entry per file: what was read and its problems
        QString error;        ///< the project could not be written; empty when fine
        bool cancelled = false;
    };
    /// Progress as shown: done/total in `unit` (bytes, messages, lines), rate per second, seconds
    /// left (-1 when unknown).
    struct Progress {
        qint64 done = 0;
        qint64 total = -1;
        QString unit;
        double rate = 0;
        qint64 secondsLeft = -1;
    };

    struct Sink; ///< the job's ProgressSink (import_controller.cpp)

    explicit ImportController(QObject* parent = nullptr);
    ~ImportController() override;

    /// Starts importing paths into the project; false (and nothing starts) while one runs.
    bool start(const QString& projectPath, const QStringList& paths);
    void stop();
    void cancel();
    [[nodiscard]] bool isRunning() const { return m_running; }

signals:
    void started(const QStringList& paths);
    void progressed(const bi::ui::ImportController::Progress& progress);
    void finished(const bi::ui::ImportController::Outcome& outcome);

private:
    void poll();

    std::shared_ptr<Sink> m_sink;
    QFutureWatcher<Outcome> m_watcher;
    QTimer* m_poll;
    QElapsedTimer m_clock;
    qint64 m_lastDone = 0;
    qint64 m_lastMs = 0;
    double m_rate = 0;
    QString m_lastUnit;
    bool m_running = false;
};

} // namespace bi::ui
