// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/report/report_export.h"

#include <QSaveFile>

#include "core/report/pdf/pdf_layout.h"
#include "core/report/report_composer.h"

using namespace Qt::StringLiterals;

namespace bi::core::report {

Result<ReportExport::Summary> ReportExport::writePdf(store::ProjectStore& store, const ReportOptions& options,
                                                     const QString& pdfPath, ProgressSink* progress)
{
    auto data = ReportBuilder::build(store, options, progress);
    if (!data)
        return data.error();
    if (progress)
        progress->report(0, -1, u"layout");
    const ReportDocument document = ReportComposer::compose(*data);
    auto pdf = pdf::PdfLayout::render(document);
    if (!pdf)
        return pdf.error();
    QSaveFile file(pdfPath);
    if (!file.open(QIODevice::WriteOnly) || file.write(*pdf) != pdf->size() || !file.commit())
        return makeError(ErrorCode::Io, u"cannot write the report: %1"_s.arg(file.errorString()), pdfPath);
    Summary s;
    s.bytes = pdf->size();
    s.pages = int(pdf->count("/Type /Page ") );
    s.recipients = data->recipients;
    return s;
}

} // namespace bi::core::report
