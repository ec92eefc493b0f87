# SPDX-License-Identifier: GPL-3.0-or-later
# Dashboard aggregates (core/report), reason groups and the provider table, on a generated scenario.
bi_add_test(NAME tst_dashboard_data SOURCES tst_dashboard_data.cpp LIBS bi_core bi_scenario LABELS "core;report")
