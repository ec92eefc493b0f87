// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/import_dialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace bi::ui {

namespace {

QString amount(qint64 value, const QString& unit)
{
    const QLocale locale;
    if (unit == u"bytes"_s)
        return locale.formattedDataSize(value);
    return u"%1 %2"_s.arg(locale.toString(value), unit);
}

QString timeLeft(qint64 seconds)
{
    if (seconds < 0)
        return {};
    if (seconds < 60)
        return ImportDialog::tr("%1 s left").arg(seconds);
    return ImportDialog::tr("%1 min %2 s left").arg(seconds / 60).arg(seconds % 60);
}

} // namespace

ImportDialog::ImportDialog(ImportController* controller, QWidget* parent)
    : QDialog(parent),
      m_controller(controller),
      m_status(new QLabel(this)),
      m_bar(new QProgressBar(this)),
      m_stop(new QPushButton(tr("&Stop"), this)),
      m_cancel(new QPushButton(tr("&Cancel"), this)),
      m_close(new QPushButton(tr("Close"), this)),
      m_log(new QPlainTextEdit(this))
{
    setWindowTitle(tr("Import"));
    setModal(false);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_stop->setToolTip(tr("Stop after the current batch; what was imported so far is kept"));
    m_cancel->setToolTip(tr("Stop and remove the files this import added"));
    m_log->setReadOnly(true);
    // Wrapped: a log file's line (path, format, counts, time zone) is wider than the window.
    m_log->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_log->setPlaceholderText(tr("Every file read and its problems are listed here."));
    auto* buttons = new QDialogButtonBox(this);
    buttons->addButton(m_stop, QDialogButtonBox::ActionRole);
    buttons->addButton(m_cancel, QDialogButtonBox::RejectRole);
    buttons->addButton(m_close, QDialogButtonBox::AcceptRole);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_bar);
    layout->addWidget(m_log, 1);
    layout->addWidget(buttons);
    resize(640, 400);

    connect(m_stop, &QPushButton::clicked, m_controller, &ImportController::stop);
    // The Cancel button must not close the dialog before the run has rolled back.
    disconnect(buttons, &QDialogButtonBox::rejected, this, nullptr);
    connect(m_cancel, &QPushButton::clicked, m_controller, &ImportController::cancel);
    connect(m_close, &QPushButton::clicked, this, &QDialog::hide);
    connect(m_controller, &ImportController::started, this, &ImportDialog::onStarted);
    connect(m_controller, &ImportController::progressed, this, &ImportDialog::onProgress);
    connect(m_controller, &ImportController::finished, this, &ImportDialog::onFinished);
}

QString ImportDialog::logText() const
{
    return m_log->toPlainText();
}

void ImportDialog::onStarted(const QStringList& paths)
{
    m_log->appendPlainText(tr("Importing %n path(s):", nullptr, int(paths.size())));
    for (const QString& p : paths)
        m_log->appendPlainText(u"  "_s + p);
    m_status->setText(tr("Starting…"));
    m_bar->setRange(0, 0);
    m_stop->setEnabled(true);
    m_cancel->setEnabled(true);
    m_close->setEnabled(false);
}

void ImportDialog::onProgress(const ImportController::Progress& p)
{
    if (p.total > 0) {
        m_bar->setRange(0, 1000);
        m_bar->setValue(int(1000.0 * double(p.done) / double(p.total)));
    } else {
        m_bar->setRange(0, 0);
    }
    QString text = p.total > 0 ? tr("%1 of %2").arg(amount(p.done, p.unit), amount(p.total, p.unit))
                               : amount(p.done, p.unit);
    if (p.rate > 0)
        text += u" · "_s + tr("%1/s").arg(amount(qint64(p.rate), p.unit));
    if (const QString left = timeLeft(p.secondsLeft); !left.isEmpty())
        text += u" · "_s + left;
    m_status->setText(text);
}

void ImportDialog::onFinished(const ImportController::Outcome& outcome)
{
    m_bar->setRange(0, 1);
    m_bar->setValue(1);
    m_stop->setEnabled(false);
    m_cancel->setEnabled(false);
    m_close->setEnabled(true);
    for (const QString& line : outcome.fileLog)
        m_log->appendPlainText(line);
    const auto& s = outcome.summary;
    QString result;
    if (!outcome.error.isEmpty())
        result = tr("Import failed: %1").arg(outcome.error);
    else if (outcome.cancelled)
        result = tr("Import cancelled: the files it added were removed.");
    else
        result = tr("%1: %2 messages added (%3 already in the project), %4 log lines, %5 fates.")
                     .arg(s.stopped ? tr("Stopped, what was imported is kept") : tr("Done"))
                     .arg(s.added).arg(s.duplicates).arg(s.logLines).arg(s.fates);
    m_log->appendPlainText(result);
    m_status->setText(result);
}

} // namespace bi::ui
