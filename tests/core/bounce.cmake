# SPDX-License-Identifier: GPL-3.0-or-later

# --- reason classification and status codes (core/bounce/status_code.*, reason_classifier.*) ---
bi_add_test(NAME tst_status_code SOURCES tst_status_code.cpp LIBS bi_core_bounce)
bi_add_test(NAME tst_reason_classifier SOURCES tst_reason_classifier.cpp LIBS bi_core_bounce)
bi_add_test(NAME tst_lda_notice SOURCES tst_lda_notice.cpp LIBS bi_core_bounce)
bi_add_test(NAME tst_verp_notice SOURCES tst_verp_notice.cpp LIBS bi_core_bounce)
# The same executable checks agreement with the shared labelled corpus; exits 77 (skipped) without it.
add_test(NAME tst_reason_corpus COMMAND tst_reason_classifier --corpus)
set_tests_properties(tst_reason_corpus PROPERTIES LABELS "core;corpus" TIMEOUT 600 SKIP_RETURN_CODE 77)
# --- end of reason classification tests ---
