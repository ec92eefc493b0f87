// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/project_loader.h"

#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace bi::ui {

namespace {

core::Result<ProjectLoader::Snapshot> readProject(const QString& path)
{
    auto store = core::store::ProjectStore::open(path, u"gui-load"_s, false);
    if (!store)
        return store.error();
    ProjectLoader::Snapshot snapshot;
    snapshot.path = path;
    auto counts = store->counts();
    if (!counts)
        return counts.error();
    snapshot.counts = *counts;
    auto done = store->forEachBounceRow([&snapshot](const core::store::BounceRow& row) {
        snapshot.rows.append(row);
        return true;
    });
    if (!done)
        return done.error();
    return snapshot;
}

} // namespace

ProjectLoader::ProjectLoader(QObject* parent) : QObject(parent)
{
    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this, [this] {
        const Outcome outcome = m_watcher.result();
        if (m_pendingGeneration != m_generation)
            return; // a newer request is on its way
        if (outcome)
            emit loaded(outcome.value());
        else
            emit failed(outcome.error().toString());
    });
}

ProjectLoader::~ProjectLoader()
{
    m_watcher.waitForFinished();
}

void ProjectLoader::load(const QString& path)
{
    m_pendingGeneration = ++m_generation;
    m_watcher.setFuture(QtConcurrent::run([path] { return readProject(path); }));
}

} // namespace bi::ui
