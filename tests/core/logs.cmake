# SPDX-License-Identifier: GPL-3.0-or-later
# Smarthost log readers: time stamps and year inference, the syslog header, the reader
# (sniffing, gzip, rotation, hostile input), one fixture test per format (tests/data/logs), and
# the shared corpus check (tst_log_corpus exits 77, skipped, when the corpus is absent).
set(bi_log_tests
  tst_log_time tst_log_text tst_syslog_line tst_log_reader
  tst_postfix_parser tst_exim_parser tst_sendmail_parser tst_qmail_parser
  tst_powermta_parser tst_exchange_parser tst_opensmtpd_parser)
foreach(test IN LISTS bi_log_tests)
  bi_add_test(NAME ${test} SOURCES ${test}.cpp tst_log_support.h LIBS bi_core_logs ZLIB::ZLIB)
endforeach()
bi_add_test(NAME tst_log_corpus SOURCES tst_log_corpus.cpp tst_log_support.h LIBS bi_core_logs
            LABELS "core;corpus")
