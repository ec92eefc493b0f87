# SPDX-License-Identifier: GPL-3.0-or-later
bi_add_test(NAME tst_fate_scenario SOURCES tst_fate_scenario.cpp LIBS bi_core bi_scenario LABELS "core;fate")
bi_add_test(NAME tst_mailbox_verdict SOURCES tst_mailbox_verdict.cpp LIBS bi_core LABELS "core;fate;fast")
