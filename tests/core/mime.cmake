# SPDX-License-Identifier: GPL-3.0-or-later
# MIME layer: header/charset decoding, dates, the mimetic adapter, and a smoke run over the
# shared bounce corpus (skipped, exit 77, when the corpus is absent).
bi_add_test(NAME tst_header_decoder SOURCES tst_header_decoder.cpp LIBS bi_core_mail)
bi_add_test(NAME tst_mail_date SOURCES tst_mail_date.cpp LIBS bi_core_mail)
bi_add_test(NAME tst_text_case SOURCES tst_text_case.cpp LIBS bi_core_common LABELS "core;fast")
bi_add_test(NAME tst_json_text SOURCES tst_json_text.cpp LIBS bi_core_common LABELS "core;fast")
bi_add_test(NAME tst_bounded_queue SOURCES tst_bounded_queue.cpp LIBS bi_core_common LABELS "core;fast")
bi_add_test(NAME tst_mime_adapter SOURCES tst_mime_adapter.cpp LIBS bi_core_mail)
# The MIME fixtures' folder, named on its own for this test.
target_compile_definitions(tst_mime_adapter PRIVATE BI_MIME_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data/mime")
bi_add_test(NAME tst_mime_corpus SOURCES tst_mime_corpus.cpp LIBS bi_core_mail LABELS "core;corpus")
