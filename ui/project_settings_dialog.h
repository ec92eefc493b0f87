// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>
#include <QFutureWatcher>

#include "core/common/result.h"

class QComboBox;
class QLabel;
class QLineEdit;

namespace bi::ui {

/// Project settings: our own domains and relays (what tells our mail from backscatter), the
/// time zone of the logs' clocks and the day they end (the year of stamps without one). Loads and saves on a pool thread with its own connection.
/// Thread: GUI thread.
class ProjectSettingsDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProjectSettingsDialog)
public:
    struct Values {
        QString ownDomains; ///< comma-separated (settings key own_domains)
        QString ownHosts;   ///< comma-separated (own_hosts)
        QString logTimeZone; ///< IANA id, "" = this machine's (log_time_zone)
        QString logsUntil;   ///< YYYY-MM-DD the logs end, "" = each file's date (logs_until)
    };

    ProjectSettingsDialog(const QString& projectPath, QWidget* parent = nullptr);

    /// Thread: any (opens its own connection).
    [[nodiscard]] static core::Result<Values> load(const QString& projectPath);
    [[nodiscard]] static core::Result<void> save(const QString& projectPath, const Values& values);

signals:
    void saved();

private:
    void accept() override;

    QString m_path;
    QLineEdit* m_domains;
    QLineEdit* m_hosts;
    QComboBox* m_zone;
    QLineEdit* m_until;
    QLabel* m_message;
    QFutureWatcher<core::Result<Values>> m_loading;
    QFutureWatcher<core::Result<void>> m_saving;
};

} // namespace bi::ui
