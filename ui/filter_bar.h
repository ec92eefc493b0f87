// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

#include "core/store/recipient_query.h"

class QComboBox;
class QDateEdit;
class QLabel;
class QLineEdit;
class QTimer;
class QToolButton;

namespace bi::ui {

/// The filter bar above the recipient list: free text plus domain or provider, fate, reason,
/// status class, date range, source and verdict; the fields combine. Typing is debounced, other
/// fields apply at once. Thread: GUI thread.
class FilterBar final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FilterBar)
public:
    explicit FilterBar(QWidget* parent = nullptr);

    [[nodiscard]] core::store::RecipientFilter filter() const;
    /// Sets one field as the dashboard asks (field: fate, reason, reason_group, domain, provider,
    /// verdict, day "YYYY-MM-DD" or "YYYY-MM-DD/YYYY-MM-DD", bounce_hours_min_max "min,max"); the
    /// others stay.
    void applyField(const QString& field, const QString& value);
    void clear();
    [[nodiscard]] QLineEdit* searchEdit() const { return m_text; }

signals:
    void filterChanged(const bi::core::store::RecipientFilter& filter);

private:
    void changed();
    void setCombo(QComboBox* combo, const QString& value);
    void updateExtra();

    QLineEdit* m_text;
    QLineEdit* m_domain;
    QComboBox* m_fate;
    QComboBox* m_reason;
    QComboBox* m_status;
    QDateEdit* m_from;
    QDateEdit* m_to;
    QComboBox* m_source;
    QComboBox* m_verdict;
    QLabel* m_extra;
    QToolButton* m_clear;
    QTimer* m_typing;
    // Set from the dashboard only: a reason group, a bounce-delay range.
    QString m_reasonGroup;
    std::optional<qint64> m_bounceMin;
    std::optional<qint64> m_bounceMax;
    bool m_quiet = false;
};

} // namespace bi::ui
