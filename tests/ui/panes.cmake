# SPDX-License-Identifier: GPL-3.0-or-later
# Inspector panes and dashboard (issue 6 part B), on a project imported from a generated scenario.
bi_add_test(NAME tst_inspector_pane SOURCES tst_inspector_pane.cpp LIBS bi_ui bi_scenario LABELS "ui;fast" GUI)
bi_add_test(NAME tst_dashboard_view SOURCES tst_dashboard_view.cpp LIBS bi_ui bi_scenario LABELS "ui;fast" GUI)
