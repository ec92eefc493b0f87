// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/import_controller.h"

#include <mutex>

#include <QDateTime>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include "core/fate/fate_correlator.h"
#include "core/store/project_store.h"
#include "core/store/source_description.h"

using namespace Qt::StringLiterals;

namespace bi::ui {

/// The ProgressSink the job reports to from its threads; the GUI reads it on a timer.
struct ImportController::Sink final : core::ProgressSink {
    std::atomic<qint64> done{0};
    std::atomic<qint64> total{-1};
    std::atomic<bool> stop{false};
    std::atomic<bool> cancel{false};
    mutable std::mutex mutex;
    QString stage;

    void report(qint64 d, qint64 t, QStringView s) override
    {
        done = d;
        total = t;
        std::lock_guard lock(mutex);
        if (s != stage)
            stage = s.toString();
    }
    [[nodiscard]] bool stopRequested() const override { return stop.load(); }
    [[nodiscard]] QString currentStage() const
    {
        std::lock_guard lock(mutex);
        return stage;
    }
};

namespace {

QStringList fileLog(const core::store::ProjectStore& store, const QDateTime& since,
                    const core::import::ImportSummary& summary)
{
    QStringList lines;
    if (auto sources = store.sources()) {
        for (const core::store::SourceInfo& s : *sources) {
            if (s.updatedAt < since)
                continue;
            QString line = core::store::describeSource(store, s);
            if (auto problems = store.sourceDiagnostics(s.id); problems) {
                for (const core::Diagnostic& d : *problems)
                    line += u"\n    "_s + d.toString();
            }
            lines << line;
        }
    }
    for (const QString& e : summary.errors)
        lines << u"error: "_s + e;
    for (const QString& e : summary.skipped)
        lines << u"skipped: "_s + e;
    for (const QString& w : summary.warnings)
        lines << u"warning: "_s + w;
    return lines;
}

ImportController::Outcome runImport(const QString& projectPath, const QStringList& paths,
                                    const std::shared_ptr<ImportController::Sink>& sink)
{
    ImportController::Outcome outcome;
    auto store = core::store::ProjectStore::open(projectPath, u"import"_s);
    if (!store) {
        outcome.error = store.error().toString();
        return outcome;
    }
    core::import::ImportOptions options;
    if (auto zone = store->setting(u"log_time_zone"_s); zone && *zone && !(*zone)->isEmpty()) {
        const QTimeZone tz((*zone)->toLatin1());
        if (tz.isValid())
            options.logTimeZone = tz;
    }
    if (auto until = store->setting(u"logs_until"_s); until && *until)
        options.logsUntil = QDate::fromString(**until, Qt::ISODate);
    // Second precision in the store: a source touched in this second counts as this run's.
    const QDateTime since = QDateTime::currentDateTimeUtc().addSecs(-1);
    core::import::ImportJob job(*store, options);
    auto summary = job.run(paths, sink.get());
    if (!summary) {
        outcome.error = summary.error().toString();
        return outcome;
    }
    outcome.summary = *summary;
    outcome.fileLog = fileLog(*store, since, *summary);
    if (sink->cancel) {
        outcome.cancelled = true;
        if (auto sources = store->sources()) {
            for (const core::store::SourceInfo& s : *sources) {
                if (s.addedAt >= since) {
                    if (auto removed = store->removeSource(s.id); !removed)
                        outcome.fileLog << u"could not remove %1: %2"_s.arg(s.path, removed.error().toString());
                }
            }
        }
    }
    if (summary->stopped) {
        // The job skips the join when stopped; what was kept (or what a cancel left) still gets
        // its fates so the list matches the project.
        if (auto fates = core::fate::FateCorrelator::run(*store); fates)
            outcome.summary.fates = fates->fates;
        else
            outcome.error = fates.error().toString();
    }
    return outcome;
}

} // namespace

ImportController::ImportController(QObject* parent) : QObject(parent), m_poll(new QTimer(this))
{
    m_poll->setInterval(100);
    connect(m_poll, &QTimer::timeout, this, &ImportController::poll);
    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this, [this] {
        m_poll->stop();
        m_running = false;
        const Outcome outcome = m_watcher.result();
        emit finished(outcome);
    });
}

ImportController::~ImportController()
{
    if (m_sink)
        m_sink->stop = true;
    m_watcher.waitForFinished();
}

bool ImportController::start(const QString& projectPath, const QStringList& paths)
{
    if (m_running || paths.isEmpty() || projectPath.isEmpty())
        return false;
    m_running = true;
    m_sink = std::make_shared<Sink>();
    m_clock.start();
    m_lastDone = 0;
    m_lastMs = 0;
    m_rate = 0;
    m_lastUnit.clear();
    m_watcher.setFuture(QtConcurrent::run([projectPath, paths, sink = m_sink] {
        try {
            return runImport(projectPath, paths, sink);
        } catch (const std::exception& e) { // nothing leaves a pool thread (STYLE §5)
            Outcome failed;
            failed.error = QString::fromLocal8Bit(e.what());
            return failed;
        }
    }));
    m_poll->start();
    emit started(paths);
    return true;
}

void ImportController::stop()
{
    if (m_sink)
        m_sink->stop = true;
}

void ImportController::cancel()
{
    if (m_sink) {
        m_sink->cancel = true;
        m_sink->stop = true;
    }
}

void ImportController::poll()
{
    if (!m_sink)
        return;
    Progress p;
    p.done = m_sink->done.load();
    p.total = m_sink->total.load();
    p.unit = m_sink->currentStage();
    const qint64 now = m_clock.elapsed();
    if (p.unit != m_lastUnit || p.done < m_lastDone) {
        m_lastUnit = p.unit;
        m_lastDone = p.done;
        m_lastMs = now;
        m_rate = 0;
    } else if (now - m_lastMs >= 500) {
        // A smoothed rate over half-second windows keeps the time left from jumping.
        const double current = double(p.done - m_lastDone) * 1000.0 / double(now - m_lastMs);
        m_rate = m_rate <= 0 ? current : 0.7 * m_rate + 0.3 * current;
        m_lastDone = p.done;
        m_lastMs = now;
    }
    p.rate = m_rate;
    if (p.total > 0 && m_rate > 0)
        p.secondsLeft = qint64(double(p.total - p.done) / m_rate);
    emit progressed(p);
}

} // namespace bi::ui
