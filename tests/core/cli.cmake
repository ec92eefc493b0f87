# SPDX-License-Identifier: GPL-3.0-or-later
# Command-line contract and end-to-end corpus agreement; they drive the built CLI.
add_library(bi_test_corpus STATIC corpus_records.h corpus_records.cpp)
target_link_libraries(bi_test_corpus PUBLIC Qt6::Core)
target_compile_definitions(bi_test_corpus PRIVATE
  BI_SHARED_CORPUS_DIR="${BI_SHARED_CORPUS_DIR}" BI_CLI_PATH="$<TARGET_FILE:bounce-inspector-cli>")
bi_target_settings(bi_test_corpus)

bi_add_test(NAME tst_cli SOURCES tst_cli.cpp LIBS bi_test_corpus LABELS "core;cli;fast")
bi_add_test(NAME tst_bounce_corpus SOURCES tst_bounce_corpus.cpp LIBS bi_test_corpus LABELS "core;cli;corpus")
add_dependencies(tst_cli bounce-inspector-cli)
add_dependencies(tst_bounce_corpus bounce-inspector-cli)
bi_add_test(NAME tst_dsn_parser SOURCES tst_dsn_parser.cpp LIBS bi_core_bounce LABELS "core;bounce;fast")
