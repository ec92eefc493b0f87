# SPDX-License-Identifier: GPL-3.0-or-later
# Client report (issue 7): report data, document model, PDF writer and layout, CSV exports.
# The PDF is written by our own small writer, so the CLI needs no QtGui.
target_sources(bi_core_report PRIVATE
  report_data.h
  report_document.h
  report_builder.h report_builder.cpp
  report_composer.h report_composer.cpp
  report_export.h report_export.cpp
  reason_advice.h reason_advice.cpp
  redactor.h redactor.cpp
  suppression_list.h suppression_list.cpp
  csv_export.h csv_export.cpp
  pdf/true_type_font.h pdf/true_type_font.cpp
  pdf/pdf_document.h pdf/pdf_document.cpp
  pdf/pdf_layout.h pdf/pdf_layout.cpp
)
target_link_libraries(bi_core_report PUBLIC bi_core_bounce PRIVATE ZLIB::ZLIB)
