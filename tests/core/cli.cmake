# SPDX-License-Identifier: GPL-3.0-or-later
# Command-line contract and end-to-end corpus agreement; they drive the built CLI.
add_library(bi_test_corpus STATIC corpus_records.h corpus_records.cpp)
target_link_libraries(bi_test_corpus PUBLIC Qt6::Core)
target_compile_definitions(bi_test_corpus PRIVATE
  BI_SHARED_CORPUS_DIR="${BI_SHARED_CORPUS_DIR}" BI_CLI_PATH="$<TARGET_FILE:bounce-inspector-cli>")
bi_target_settings(bi_test_corpus)

bi_add_test(NAME tst_cli SOURCES tst_cli.cpp LIBS bi_test_corpus bi_core LABELS "core;cli;fast")
bi_add_test(NAME tst_bounce_corpus SOURCES tst_bounce_corpus.cpp LIBS bi_test_corpus LABELS "core;cli;corpus")
add_dependencies(tst_cli bounce-inspector-cli)
add_dependencies(tst_bounce_corpus bounce-inspector-cli)
bi_add_test(NAME tst_dsn_parser SOURCES tst_dsn_parser.cpp LIBS bi_core_bounce LABELS "core;bounce;fast")
# The sources' SHA-256 (sha256sum's figure) and its cancelling when an import stops.
bi_add_test(NAME tst_source_digest SOURCES tst_source_digest.cpp LIBS bi_core_import LABELS "core;cli;fast")
# Crash safety (issue 9): kills the CLI import with SIGKILL at random points.
bi_add_test(NAME tst_import_kill SOURCES tst_import_kill.cpp project_snapshot.h LIBS Qt6::Sql LABELS "core;cli;slow")
target_compile_definitions(tst_import_kill PRIVATE BI_SCENARIO_PATH="$<TARGET_FILE:bi-scenario>")
add_dependencies(tst_import_kill bounce-inspector-cli bi-scenario)
# Faults (issue 9): read-only and locked project, full disk, inputs removed or cut mid-import.
bi_add_test(NAME tst_import_faults SOURCES tst_import_faults.cpp project_snapshot.h LIBS Qt6::Sql LABELS "core;cli;slow")
target_compile_definitions(tst_import_faults PRIVATE BI_SCENARIO_PATH="$<TARGET_FILE:bi-scenario>")
add_dependencies(tst_import_faults bounce-inspector-cli bi-scenario)
# Privacy (issue 9): the programs open no network connection; they do not even load QtNetwork.
set(bi_offline_binaries "$<TARGET_FILE:bounce-inspector-cli>")
if(BI_BUILD_GUI)
  list(APPEND bi_offline_binaries "$<TARGET_FILE:bounce-inspector>")
endif()
add_test(NAME no_network_library
         COMMAND sh -c "for b in \"$@\"; do if ldd \"$b\" | grep -i -e network -e libresolv; then echo \"$b links a network library\"; exit 1; fi; done" sh ${bi_offline_binaries})
set_tests_properties(no_network_library PROPERTIES LABELS "core;fast")
