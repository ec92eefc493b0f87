// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include "core/common/result.h"
#include "core/report/report_document.h"

namespace bi::core::report::pdf {

/// Lays a ReportDocument out on A4 pages and returns the PDF file: margins, running header,
/// footer "Page N of M", word wrapping by glyph widths, tables that break across pages
/// repeating their header row, charts as vector paths. Fonts are DejaVu Sans and DejaVu Sans
/// Bold, found at run time (fontDirectory()), embedded whole; letters they lack (Chinese,
/// Japanese, Korean) come from Droid Sans Fallback when it is installed (fallbackFont()),
/// embedded only when used.
/// Thread: any. Errors: fonts missing or unreadable (Io, with the places searched).
class PdfLayout final {
public:
    PdfLayout() = delete;
    [[nodiscard]] static Result<QByteArray> render(const ReportDocument& document);
    /// Where the DejaVu fonts are: $BI_FONT_DIR, then the usual Debian/Fedora/Homebrew folders.
    [[nodiscard]] static Result<QString> fontDirectory();
    /// DroidSansFallbackFull.ttf in $BI_FONT_DIR or Debian's fonts-droid-fallback folder;
    /// empty when neither has it (such letters are then drawn as empty boxes).
    [[nodiscard]] static QString fallbackFont();
};

} // namespace bi::core::report::pdf
