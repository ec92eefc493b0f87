// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>
#include <memory>

#include <QDialog>
#include <QFutureWatcher>

class QCheckBox;
class QDateEdit;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QTimer;

namespace bi::ui {

/// File → Export report… and File → Export CSV…: asks for the period, redaction and where to
/// write, then runs the same core code as `bounce-inspector-cli report` / `export`
/// (core::report::ReportExport, core::report::CsvExport) on a pool thread with its own
/// connection to the project, showing progress. Closing while it runs asks the job to stop.
/// Thread: GUI thread. Usage: `ReportExportDialog(path, Mode::Pdf, this).exec();` or open().
class ReportExportDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReportExportDialog)
public:
    enum class Mode { Pdf, Csv };

    ReportExportDialog(const QString& projectPath, Mode mode, QWidget* parent = nullptr);
    ~ReportExportDialog() override;

    /// Preset the output (PDF file or CSV folder); the default is next to the project.
    void setOutputPath(const QString& path);

signals:
    /// The PDF or the CSV folder was written.
    void exported(const QString& path);

protected:
    void reject() override;

private:
    void browse();
    void start();
    void finished();
    void poll();
    void setRunning(bool running);

    struct Shared {
        std::atomic<qint64> done{0};
        std::atomic<qint64> total{-1};
        std::atomic<bool> stop{false};
    };

    QString m_projectPath;
    Mode m_mode;
    QCheckBox* m_wholeProject = nullptr;
    QDateEdit* m_from = nullptr;
    QDateEdit* m_to = nullptr;
    QCheckBox* m_redact = nullptr;
    QLineEdit* m_output = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    QTimer* m_poll = nullptr;
    std::shared_ptr<Shared> m_shared;
    QFutureWatcher<QString> m_watcher;
};

} // namespace bi::ui
