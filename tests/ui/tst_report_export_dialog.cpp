// SPDX-License-Identifier: GPL-3.0-or-later
// File → Export report / Export CSV (offscreen): the dialog writes the same PDF and CSV files as
// the CLI, honours redaction and the period, refuses a period that ends before it starts, and
// reports a failure in the dialog instead of crashing.
#include <QCheckBox>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "demo_fixture.h"
#include "core/store/fate_repository.h"
#include "core/store/project_store.h"
#include "ui/report_export_dialog.h"

using namespace Qt::StringLiterals;
using bi::ui::ReportExportDialog;

namespace {

QPushButton* exportButton(ReportExportDialog& dialog)
{
    auto* box = dialog.findChild<QDialogButtonBox*>();
    if (!box)
        return nullptr;
    for (QAbstractButton* b : box->buttons()) {
        if (box->buttonRole(b) == QDialogButtonBox::AcceptRole)
            return qobject_cast<QPushButton*>(b);
    }
    return nullptr;
}

QCheckBox* checkBox(ReportExportDialog& dialog, const QString& textStart)
{
    for (QCheckBox* c : dialog.findChildren<QCheckBox*>()) {
        if (c->text().startsWith(textStart))
            return c;
    }
    return nullptr;
}

QString statusText(ReportExportDialog& dialog)
{
    QStringList texts;
    for (QLabel* l : dialog.findChildren<QLabel*>())
        texts << l->text();
    return texts.join(u'\n');
}

} // namespace

class TstReportExportDialog final : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void pdfExportWritesTheReport();
    void redactedPdfHidesLocalParts();
    void csvExportWritesThreeFiles();
    void periodEndingBeforeItStartsIsRefused();
    void unwritableOutputFailsInTheDialog();

private:
    QString pdfText(const QString& pdf);
    bool exportTo(ReportExportDialog& dialog, const QString& output);
    QTemporaryDir m_dir;
    QString m_project;
    QStringList m_localParts; // of every recipient in the project
};

void TstReportExportDialog::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_project = m_dir.filePath(u"demo.bip"_s);
    const QString error = bi::test::importDemo(m_project);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    auto store = bi::core::store::ProjectStore::open(m_project, u"test-read"_s, false);
    QVERIFY(store);
    bi::core::store::FateRepository fates(*store);
    QVERIFY(fates.forEach([this](const bi::core::store::FateRecord& f) {
        const QString local = f.recipient.section(u'@', 0, 0);
        if (local.size() >= 4) // short ones could occur in any text by chance
            m_localParts << local;
        return true;
    }));
    QVERIFY(m_localParts.size() > 100);
}

QString TstReportExportDialog::pdfText(const QString& pdf)
{
    const QString tool = QStandardPaths::findExecutable(u"pdftotext"_s);
    if (tool.isEmpty())
        return {};
    QProcess p;
    p.start(tool, {u"-enc"_s, u"UTF-8"_s, pdf, u"-"_s});
    if (!p.waitForFinished(60000) || p.exitCode() != 0)
        return {};
    return QString::fromUtf8(p.readAllStandardOutput());
}

bool TstReportExportDialog::exportTo(ReportExportDialog& dialog, const QString& output)
{
    dialog.setOutputPath(output);
    QSignalSpy exported(&dialog, &ReportExportDialog::exported);
    QPushButton* button = exportButton(dialog);
    if (!button || !button->isEnabled())
        return false;
    QTest::mouseClick(button, Qt::LeftButton);
    if (!exported.wait(120000))
        return false;
    return exported.first().first().toString() == output && button->isEnabled();
}

void TstReportExportDialog::pdfExportWritesTheReport()
{
    ReportExportDialog dialog(m_project, ReportExportDialog::Mode::Pdf);
    dialog.show();
    const QString pdf = m_dir.filePath(u"report.pdf"_s);
    QVERIFY(exportTo(dialog, pdf));
    QFile f(pdf);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.read(5) == "%PDF-");
    QVERIFY(statusText(dialog).contains(pdf));
    const QString text = pdfText(pdf);
    if (text.isEmpty())
        QSKIP("pdftotext (poppler-utils) is not installed: the PDF's text was not checked");
    QVERIFY(text.contains(u"Deliverability report"_s));
    QVERIFY(text.contains(u"smarthost.log"_s));
    int named = 0;
    for (const QString& local : std::as_const(m_localParts))
        named += text.contains(local) ? 1 : 0;
    QVERIFY2(named > 0, "an unredacted report names recipients (suppression list, examples)");
}

void TstReportExportDialog::redactedPdfHidesLocalParts()
{
    ReportExportDialog dialog(m_project, ReportExportDialog::Mode::Pdf);
    dialog.show();
    QCheckBox* redact = checkBox(dialog, u"Redact"_s);
    QVERIFY(redact);
    redact->setChecked(true);
    const QString pdf = m_dir.filePath(u"redacted.pdf"_s);
    QVERIFY(exportTo(dialog, pdf));
    const QString text = pdfText(pdf);
    if (text.isEmpty())
        QSKIP("pdftotext (poppler-utils) is not installed: the PDF's text was not checked");
    QVERIFY(text.contains(u"redacted"_s));
    for (const QString& local : std::as_const(m_localParts))
        QVERIFY2(!text.contains(local + u'@'), qPrintable(local));
}

void TstReportExportDialog::csvExportWritesThreeFiles()
{
    ReportExportDialog dialog(m_project, ReportExportDialog::Mode::Csv);
    dialog.show();
    const QString folder = m_dir.filePath(u"csv"_s);
    QVERIFY(exportTo(dialog, folder));
    for (const QString& name : {u"suppression.csv"_s, u"fates.csv"_s, u"bounces.csv"_s}) {
        QFile f(folder + u'/' + name);
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(name));
        const QList<QByteArray> lines = f.readAll().split('\n');
        QVERIFY2(lines.size() > 2, qPrintable(name));
    }
    QFile fates(folder + u"/fates.csv"_s);
    QVERIFY(fates.open(QIODevice::ReadOnly));
    // Header plus one line per fate (plus the final newline): the whole project.
    auto store = bi::core::store::ProjectStore::open(m_project, u"test-count"_s, false);
    QVERIFY(store);
    auto count = bi::core::store::FateRepository(*store).count();
    QVERIFY(count);
    QCOMPARE(qint64(fates.readAll().count('\n')), *count + 1);
}

void TstReportExportDialog::periodEndingBeforeItStartsIsRefused()
{
    ReportExportDialog dialog(m_project, ReportExportDialog::Mode::Pdf);
    dialog.show();
    QCheckBox* whole = checkBox(dialog, u"Whole"_s);
    QVERIFY(whole);
    whole->setChecked(false);
    const QList<QDateEdit*> dates = dialog.findChildren<QDateEdit*>();
    QCOMPARE(dates.size(), 2);
    QVERIFY(dates[0]->isEnabled() && dates[1]->isEnabled());
    dates[0]->setDate(QDate(2026, 5, 1));
    dates[1]->setDate(QDate(2026, 4, 1));
    const QString pdf = m_dir.filePath(u"backwards.pdf"_s);
    dialog.setOutputPath(pdf);
    QSignalSpy exported(&dialog, &ReportExportDialog::exported);
    QTest::mouseClick(exportButton(dialog), Qt::LeftButton);
    QVERIFY(statusText(dialog).contains(u"ends before it starts"_s));
    QVERIFY(!exported.wait(500));
    QVERIFY(!QFile::exists(pdf));
}

void TstReportExportDialog::unwritableOutputFailsInTheDialog()
{
    ReportExportDialog dialog(m_project, ReportExportDialog::Mode::Pdf);
    dialog.show();
    const QString pdf = m_dir.filePath(u"no/such/folder/report.pdf"_s);
    dialog.setOutputPath(pdf);
    QSignalSpy exported(&dialog, &ReportExportDialog::exported);
    QPushButton* button = exportButton(dialog);
    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(statusText(dialog).contains(u"Export failed"_s), 60000);
    QVERIFY(button->isEnabled());
    QCOMPARE(exported.size(), 0);
    QVERIFY(!QFile::exists(pdf));
}

QTEST_MAIN(TstReportExportDialog)
#include "tst_report_export_dialog.moc"
