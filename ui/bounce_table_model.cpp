// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/bounce_table_model.h"

#include <QLocale>

#include "core/bounce/address.h"
#include "ui/item_roles.h"

using namespace Qt::StringLiterals;

namespace bi::ui {

BounceTableModel::BounceTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void BounceTableModel::setRows(QList<core::store::BounceRow> rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

const core::store::BounceRow* BounceTableModel::rowAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
}

int BounceTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int BounceTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BounceTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const core::store::BounceRow& row = m_rows.at(index.row());
    const core::bounce::BounceReport& report = row.report;
    if (report.recipients.isEmpty())
        return {};
    const core::bounce::BounceRecipient& r = report.recipients.constFirst();
    if (role == MessageIdRole)
        return row.messageId;
    if (role == Qt::ToolTipRole && index.column() == Diagnostic)
        return r.diagnostic;
    if (role != Qt::DisplayRole && role != RawValueRole)
        return {};
    const bool raw = role == RawValueRole;
    switch (Column(index.column())) {
    case Date:
        if (raw)
            return report.date.isValid() ? report.date.toMSecsSinceEpoch() : qint64(0);
        return report.date.isValid() ? QLocale().toString(report.date, QLocale::ShortFormat) : report.dateRaw;
    case Recipient: return r.recipient;
    case Domain: return core::bounce::Address::domainOf(r.recipient);
    case Kind: return raw ? QVariant(int(r.kind)) : QVariant(core::bounce::kindName(r.kind));
    case Reason: return r.reason;
    case Status: return r.status;
    case ReplyCode: return r.replyCode;
    case Hard: return raw ? QVariant(r.hardBounce) : QVariant(r.hardBounce ? tr("hard") : tr("soft"));
    case Family: return report.family;
    case Diagnostic: return r.diagnostic.left(300);
    case ColumnCount: break;
    }
    return {};
}

QVariant BounceTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Date: return tr("Date");
    case Recipient: return tr("Recipient");
    case Domain: return tr("Domain");
    case Kind: return tr("Kind");
    case Reason: return tr("Reason");
    case Status: return tr("Status");
    case ReplyCode: return tr("Reply");
    case Hard: return tr("Bounce");
    case Family: return tr("Format");
    case Diagnostic: return tr("Diagnostic");
    case ColumnCount: break;
    }
    return {};
}

} // namespace bi::ui
