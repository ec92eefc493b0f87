# SPDX-License-Identifier: GPL-3.0-or-later
# The SQLite project store: schema/migrations (fixtures in data/schema/) and ProjectStore.
bi_add_test(NAME tst_schema SOURCES tst_schema.cpp store_test_util.h LIBS bi_core_store)
bi_add_test(NAME tst_project_store SOURCES tst_project_store.cpp store_test_util.h LIBS bi_core_store)
bi_add_test(NAME tst_log_repository SOURCES tst_log_repository.cpp store_test_util.h LIBS bi_core_store)
bi_add_test(NAME tst_recipient_grams SOURCES tst_recipient_grams.cpp LIBS bi_core_store)
bi_add_test(NAME tst_side_reader SOURCES tst_side_reader.cpp LIBS bi_core_store)
bi_add_test(NAME tst_log_chunk_builder SOURCES tst_log_chunk_builder.cpp LIBS bi_core_store)
bi_add_test(NAME tst_fate_repository SOURCES tst_fate_repository.cpp store_test_util.h LIBS bi_core_store)
