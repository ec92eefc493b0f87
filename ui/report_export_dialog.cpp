// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/report_export_dialog.h"

#include <QCheckBox>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent>

#include "core/report/csv_export.h"
#include "core/report/report_export.h"
#include "core/store/project_store.h"

using namespace Qt::StringLiterals;

namespace bi::ui {

namespace {

struct Sink final : core::ProgressSink {
    explicit Sink(std::shared_ptr<void> owner, std::atomic<qint64>& done, std::atomic<qint64>& total,
                  std::atomic<bool>& stop)
        : m_owner(std::move(owner)), m_done(done), m_total(total), m_stop(stop)
    {
    }
    void report(qint64 done, qint64 total, QStringView) override
    {
        m_done = done;
        m_total = total;
    }
    bool stopRequested() const override { return m_stop; }

private:
    std::shared_ptr<void> m_owner; ///< keeps the atomics alive when the dialog goes first
    std::atomic<qint64>& m_done;
    std::atomic<qint64>& m_total;
    std::atomic<bool>& m_stop;
};

} // namespace

ReportExportDialog::ReportExportDialog(const QString& projectPath, Mode mode, QWidget* parent)
    : QDialog(parent), m_projectPath(projectPath), m_mode(mode)
{
    setWindowTitle(mode == Mode::Pdf ? tr("Export report") : tr("Export CSV"));
    auto* form = new QFormLayout;
    m_wholeProject = new QCheckBox(tr("Whole project"));
    m_wholeProject->setChecked(true);
    m_from = new QDateEdit(QDate::currentDate().addMonths(-1));
    m_to = new QDateEdit(QDate::currentDate());
    for (QDateEdit* e : {m_from, m_to}) {
        e->setCalendarPopup(true);
        e->setDisplayFormat(u"yyyy-MM-dd"_s);
        e->setEnabled(false);
    }
    connect(m_wholeProject, &QCheckBox::toggled, this, [this](bool whole) {
        m_from->setEnabled(!whole);
        m_to->setEnabled(!whole);
    });
    auto* period = new QHBoxLayout;
    period->addWidget(m_wholeProject);
    period->addWidget(new QLabel(tr("from")));
    period->addWidget(m_from);
    period->addWidget(new QLabel(tr("to")));
    period->addWidget(m_to);
    form->addRow(tr("Period (UTC):"), period);
    m_redact = new QCheckBox(tr("Redact addresses (hash local parts, keep domains; no message content)"));
    form->addRow(QString(), m_redact);
    m_output = new QLineEdit;
    auto* browseButton = new QPushButton(tr("Browse…"));
    connect(browseButton, &QPushButton::clicked, this, &ReportExportDialog::browse);
    auto* output = new QHBoxLayout;
    output->addWidget(m_output, 1);
    output->addWidget(browseButton);
    form->addRow(mode == Mode::Pdf ? tr("PDF file:") : tr("CSV folder:"), output);
    const QFileInfo project(projectPath);
    setOutputPath(project.dir().filePath(project.completeBaseName()
                                         + (mode == Mode::Pdf ? u"-report.pdf"_s : u"-csv"_s)));
    m_progress = new QProgressBar;
    m_progress->setVisible(false);
    m_status = new QLabel;
    m_status->setTextFormat(Qt::PlainText); // paths and errors are shown, never interpreted
    m_status->setWordWrap(true);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    m_buttons->addButton(tr("Export"), QDialogButtonBox::AcceptRole);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ReportExportDialog::start);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ReportExportDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);
    m_poll = new QTimer(this);
    m_poll->setInterval(100);
    connect(m_poll, &QTimer::timeout, this, &ReportExportDialog::poll);
    connect(&m_watcher, &QFutureWatcher<QString>::finished, this, &ReportExportDialog::finished);
}

ReportExportDialog::~ReportExportDialog()
{
    if (m_shared)
        m_shared->stop = true;
    // The job holds its own connection and a share of the progress atomics; waiting here keeps
    // the project file from being closed under it by the caller.
    m_watcher.waitForFinished();
}

void ReportExportDialog::setOutputPath(const QString& path)
{
    m_output->setText(path);
}

void ReportExportDialog::browse()
{
    const QString path = m_mode == Mode::Pdf
        ? QFileDialog::getSaveFileName(this, tr("Export report"), m_output->text(), tr("PDF files (*.pdf)"))
        : QFileDialog::getExistingDirectory(this, tr("Export CSV into folder"), m_output->text());
    if (!path.isEmpty())
        setOutputPath(path);
}

void ReportExportDialog::setRunning(bool running)
{
    for (QWidget* w : std::initializer_list<QWidget*>{m_wholeProject, m_redact, m_output})
        w->setEnabled(!running);
    m_from->setEnabled(!running && !m_wholeProject->isChecked());
    m_to->setEnabled(!running && !m_wholeProject->isChecked());
    for (QAbstractButton* b : m_buttons->buttons()) {
        if (m_buttons->buttonRole(b) == QDialogButtonBox::AcceptRole)
            b->setEnabled(!running);
    }
    m_progress->setVisible(running);
    running ? m_poll->start() : m_poll->stop();
}

void ReportExportDialog::start()
{
    if (m_watcher.isRunning())
        return;
    const QString output = m_output->text().trimmed();
    if (output.isEmpty()) {
        m_status->setText(tr("Choose where to write the export."));
        return;
    }
    core::report::ReportOptions options;
    if (!m_wholeProject->isChecked()) {
        options.from = m_from->date();
        options.to = m_to->date();
        if (options.to < options.from) {
            m_status->setText(tr("The period ends before it starts."));
            return;
        }
    }
    options.redact = m_redact->isChecked();
    m_shared = std::make_shared<Shared>();
    auto shared = m_shared;
    const QString project = m_projectPath;
    const Mode mode = m_mode;
    m_status->setText(tr("Exporting…"));
    setRunning(true);
    // Everything below runs on a pool thread: its own ProjectStore (STYLE §8), nothing thrown out.
    m_watcher.setFuture(QtConcurrent::run([shared, project, mode, options, output]() -> QString {
        try {
            auto store = core::store::ProjectStore::openForReading(project, u"report"_s);
            if (!store)
                return store.error().toString();
            Sink sink(shared, shared->done, shared->total, shared->stop);
            if (mode == Mode::Pdf) {
                auto done = core::report::ReportExport::writePdf(*store, options, output, &sink);
                return done ? QString() : done.error().toString();
            }
            auto done = core::report::CsvExport::write(*store, options, output, &sink);
            return done ? QString() : done.error().toString();
        } catch (const std::exception& e) {
            return QString::fromUtf8(e.what());
        }
    }));
}

void ReportExportDialog::poll()
{
    const qint64 total = m_shared ? m_shared->total.load() : -1;
    if (total > 0) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(1000 * std::min<qint64>(m_shared->done, total) / total));
    } else {
        m_progress->setRange(0, 0);
    }
}

void ReportExportDialog::finished()
{
    setRunning(false);
    const QString error = m_watcher.result();
    if (!error.isEmpty()) {
        m_status->setText(tr("Export failed: %1").arg(error));
        return;
    }
    m_status->setText(tr("Written to %1").arg(m_output->text()));
    emit exported(m_output->text());
}

void ReportExportDialog::reject()
{
    if (m_watcher.isRunning()) {
        m_shared->stop = true;
        m_status->setText(tr("Stopping…"));
        return;
    }
    QDialog::reject();
}

} // namespace bi::ui
