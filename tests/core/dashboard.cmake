# SPDX-License-Identifier: GPL-3.0-or-later
# Dashboard aggregates (core/report), reason groups and the provider table, on a generated scenario;
# the time charts' calendar periods.
bi_add_test(NAME tst_dashboard_data SOURCES tst_dashboard_data.cpp LIBS bi_core bi_scenario LABELS "core;report")
bi_add_test(NAME tst_calendar_periods SOURCES tst_calendar_periods.cpp LIBS bi_core_report LABELS "core;fast")
