# SPDX-License-Identifier: GPL-3.0-or-later
# Mailbox readers: gzip device, mbox splitter, MailReader (sniffing, Maildir, folders).
bi_add_test(NAME tst_gzip_device SOURCES tst_gzip_device.cpp LIBS bi_core_mail ZLIB::ZLIB)
bi_add_test(NAME tst_mbox_reader SOURCES tst_mbox_reader.cpp LIBS bi_core_mail ZLIB::ZLIB)
bi_add_test(NAME tst_mail_reader SOURCES tst_mail_reader.cpp LIBS bi_core_mail ZLIB::ZLIB)
# The mail fixtures' folder, named on its own for these tests.
foreach(test tst_mbox_reader tst_mail_reader)
  target_compile_definitions(${test} PRIVATE BI_MAIL_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data/mail")
endforeach()
# The same executable checks the shared corpus when given --corpus; it exits 77 (skipped) when
# the corpus is absent.
add_test(NAME tst_mail_corpus COMMAND tst_mail_reader --corpus)
set_tests_properties(tst_mail_corpus PROPERTIES LABELS "core;corpus" TIMEOUT 600 SKIP_RETURN_CODE 77)
