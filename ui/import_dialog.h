// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

#include "ui/import_controller.h"

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace bi::ui {

/// The import window (never modal): a progress bar with the amount read, the rate and the time
/// left, Stop and Cancel, and the import log listing every file with its problems.
/// Thread: GUI thread.
class ImportDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ImportDialog)
public:
    ImportDialog(ImportController* controller, QWidget* parent = nullptr);

    [[nodiscard]] QString logText() const;

private:
    void onStarted(const QStringList& paths);
    void onProgress(const ImportController::Progress& progress);
    void onFinished(const ImportController::Outcome& outcome);

    ImportController* m_controller;
    QLabel* m_status;
    QProgressBar* m_bar;
    QPushButton* m_stop;
    QPushButton* m_cancel;
    QPushButton* m_close;
    QPlainTextEdit* m_log;
};

} // namespace bi::ui
