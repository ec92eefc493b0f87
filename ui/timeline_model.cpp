// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/timeline_model.h"

#include <QBrush>

#include "ui/item_roles.h"
#include "ui/step_style.h"

using namespace Qt::StringLiterals;
using bi::core::store::TimelineStep;

namespace bi::ui {

TimelineModel::TimelineModel(QObject* parent) : QAbstractTableModel(parent) {}

TimelineModel::~TimelineModel() = default;

void TimelineModel::setSteps(const QList<TimelineStep>& steps, const QStringList& sources)
{
    beginResetModel();
    m_steps = steps;
    m_sources = sources;
    endResetModel();
}

int TimelineModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_steps.size());
}

int TimelineModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TimelineModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TimelineStep& s = m_steps.at(index.row());
    const TimelineStep* previous = index.row() > 0 ? &m_steps.at(index.row() - 1) : nullptr;
    const bool hasGap = previous && previous->time.isValid() && s.time.isValid();
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Time: return s.time.isValid() ? s.time.toUTC().toString(u"yyyy-MM-dd HH:mm:ss"_s) : QString();
        case Event: return StepStyle::title(s.kind);
        case SincePrevious: return hasGap ? StepStyle::duration(core::store::TimelineStep::shownGap(previous->time, s.time)) : QString();
        case Code: return QStringList{s.replyCode, s.status}.join(u' ').trimmed();
        case Text: return s.text;
        case Relay: return s.relay;
        case Source:
            if (const QString where = m_sources.value(index.row()); !where.isEmpty())
                return where;
            if (s.messageRow)
                return u"message %1"_s.arg(s.messageRow);
            return s.logEventRow ? u"log event %1"_s.arg(s.logEventRow) : QString();
        default: return {};
        }
    }
    if (role == RawValueRole) {
        switch (index.column()) {
        case Time: return s.time.isValid() ? QVariant(s.time.toMSecsSinceEpoch()) : QVariant();
        case Event: return int(s.kind);
        case SincePrevious: return hasGap ? QVariant(core::store::TimelineStep::shownGap(previous->time, s.time)) : QVariant();
        case Source: return s.messageRow ? s.messageRow : s.logEventRow;
        default: return data(index, Qt::DisplayRole);
        }
    }
    if (role == MessageIdRole)
        return s.messageRow;
    if (role == Qt::ForegroundRole && index.column() == Event)
        return QBrush(StepStyle::color(s.kind));
    if (role == Qt::ToolTipRole)
        return StepStyle::toolTip(s);
    return {};
}

QVariant TimelineModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time: return tr("Time (UTC)");
    case Event: return tr("Event");
    case SincePrevious: return tr("After");
    case Code: return tr("Reply");
    case Text: return tr("Text");
    case Relay: return tr("Relay");
    case Source: return tr("Source");
    default: return {};
    }
}

} // namespace bi::ui
