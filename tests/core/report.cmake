# SPDX-License-Identifier: GPL-3.0-or-later
# Client report and CSV exports (issue 7): they build a generated project through the CLI.
bi_add_test(NAME tst_report SOURCES tst_report.cpp report_test_project.h LIBS bi_core bi_scenario LABELS "core;report")
bi_add_test(NAME tst_csv_export SOURCES tst_csv_export.cpp report_test_project.h LIBS bi_core bi_scenario
            LABELS "core;report")
add_dependencies(tst_report bounce-inspector-cli)
add_dependencies(tst_csv_export bounce-inspector-cli)
