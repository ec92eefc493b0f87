// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/inspector_pane.h"

#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "core/store/project_store.h"
#include "ui/raw_pane.h"
#include "ui/splitter_halves.h"
#include "ui/timeline_model.h"
#include "ui/timeline_view.h"

using namespace Qt::StringLiterals;

namespace bi::ui {

namespace {

core::Result<core::inspect::InspectDetail> load(const QString& path, qint64 fateId, qint64 messageId)
{
    // Own connection in this worker thread (STYLE §8), closed when the store goes.
    auto store = core::store::ProjectStore::openForReading(path, u"gui-inspect"_s);
    if (!store)
        return store.error();
    if (fateId > 0)
        return core::inspect::InspectLoader::loadFate(*store, fateId);
    return core::inspect::InspectLoader::loadBounce(*store, messageId);
}

} // namespace

InspectorPane::InspectorPane(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_title = new QLabel(this);
    m_title->setTextFormat(Qt::PlainText);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    layout->addWidget(m_title);

    auto* split = new QSplitter(Qt::Vertical, this);
    auto* top = new QWidget(split);
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    m_timeline = new TimelineView(top);
    topLayout->addWidget(m_timeline);
    m_model = new TimelineModel(this);
    m_table = new QTableView(top);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(TimelineModel::Text, QHeaderView::Stretch);
    m_table->setWordWrap(false);
    topLayout->addWidget(m_table);
    split->addWidget(top);
    m_raw = new RawPane(split);
    split->addWidget(m_raw);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    splitInHalvesWhenShown(split); // the steps' table gets room for a typical timeline, not three rows
    layout->addWidget(split);

    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this, [this] {
        if (m_pendingGeneration != m_generation)
            return; // a newer request (or a clear) came after this one
        const Outcome outcome = m_watcher.result();
        if (!outcome) {
            clear();
            m_title->setText(outcome.error().toString());
            emit loadFailed(outcome.error().toString());
            return;
        }
        present(outcome.value());
    });
}

InspectorPane::~InspectorPane()
{
    // The worker only holds copies; wait so it never outlives the pane it reports to.
    m_watcher.waitForFinished();
}

void InspectorPane::setProjectPath(const QString& dbPath)
{
    m_path = dbPath;
    clear();
}

void InspectorPane::showFate(qint64 fateId)
{
    start(fateId, 0);
}

void InspectorPane::showBounce(qint64 messageId)
{
    start(0, messageId);
}

void InspectorPane::clear()
{
    ++m_generation; // drop whatever is still loading
    m_title->clear();
    m_timeline->clear();
    m_model->setSteps({});
    m_raw->clear();
}

QString InspectorPane::titleText() const
{
    return m_title->text();
}

void InspectorPane::start(qint64 fateId, qint64 messageId)
{
    if (m_path.isEmpty() || (fateId <= 0 && messageId <= 0)) {
        clear();
        return;
    }
    m_pendingGeneration = ++m_generation;
    const QString path = m_path;
    m_watcher.setFuture(QtConcurrent::run([path, fateId, messageId] { return load(path, fateId, messageId); }));
}

void InspectorPane::present(const core::inspect::InspectDetail& d)
{
    m_title->setText(d.title);
    m_timeline->setSteps(d.steps);
    m_model->setSteps(d.steps, d.stepSources);
    m_table->resizeColumnsToContents();
    m_raw->setDetail(d);
    emit detailShown(d.fateId, d.messageRow);
}

} // namespace bi::ui
