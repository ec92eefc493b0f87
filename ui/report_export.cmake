# SPDX-License-Identifier: GPL-3.0-or-later
# File → Export report / Export CSV (issue 7): the dialog runs the core export in a worker.
target_sources(bi_ui PRIVATE
  report_export_dialog.h report_export_dialog.cpp
)
