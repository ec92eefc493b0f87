# SPDX-License-Identifier: GPL-3.0-or-later
# MIME layer: header/charset decoding, dates, the mimetic adapter, and a smoke run over the
# shared bounce corpus (skipped, exit 77, when the corpus is absent).
bi_add_test(NAME tst_header_decoder SOURCES tst_header_decoder.cpp LIBS bi_core_mail)
bi_add_test(NAME tst_mail_date SOURCES tst_mail_date.cpp LIBS bi_core_mail)
