# SPDX-License-Identifier: GPL-3.0-or-later
# Inspector panes and dashboard (issue 6 part B): standalone widgets the main window embeds.
target_sources(bi_ui PRIVATE
  step_style.h step_style.cpp
  timeline_view.h timeline_view.cpp
  timeline_model.h timeline_model.cpp
  mime_tree_model.h mime_tree_model.cpp
  raw_pane.h raw_pane.cpp
  inspector_pane.h inspector_pane.cpp
  chart_factory.h chart_factory.cpp
  dashboard_view.h dashboard_view.cpp
)
