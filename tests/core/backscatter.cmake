# SPDX-License-Identifier: GPL-3.0-or-later
# Backscatter (issue 5): each kind of evidence, and verdicts/outbound/series on a generated scenario.
bi_add_test(NAME tst_backscatter SOURCES tst_backscatter.cpp LIBS bi_core_backscatter LABELS "core;backscatter;fast")
bi_add_test(NAME tst_backscatter_scenario SOURCES tst_backscatter_scenario.cpp
            LIBS bi_core bi_core_backscatter bi_scenario LABELS "core;backscatter")
# tst_backscatter_scenario asserts issue 5's targets: precision >= 99 % and recall >= 97 % with
# logs (Postfix and Exim), every outbound notice found, the series adding up; the mailbox-alone
# figures are printed.
bi_add_test(NAME tst_outbound_detector SOURCES tst_outbound_detector.cpp LIBS bi_core_backscatter LABELS "core;backscatter;fast")
