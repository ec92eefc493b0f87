# SPDX-License-Identifier: GPL-3.0-or-later
# Vendor bounce decoders for MTA software and appliances (core/bounce/decoders/mta).
bi_add_test(NAME tst_mta_decoders SOURCES tst_mta_decoders.cpp LIBS bi_core_bounce)
target_compile_definitions(tst_mta_decoders PRIVATE BI_MTA_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data/bounce/mta")
# The same executable checks the decoders' fields against the labelled corpus; exits 77
# (skipped) when the corpus is absent.
add_test(NAME tst_mta_corpus COMMAND tst_mta_decoders --corpus)
set_tests_properties(tst_mta_corpus PROPERTIES LABELS "core;corpus" TIMEOUT 600 SKIP_RETURN_CODE 77)
