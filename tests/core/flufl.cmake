# SPDX-License-Identifier: GPL-3.0-or-later
# Decoders for the second labelled corpus (flufl.bounce / BounceParser): AOL AIRmail, challenge-
# response, Sieve rejections as MDNs, text fallback and RFC 3464 additions. Fixtures in
# tests/data/bounce/flufl; the corpus figures themselves are checked by tst_bounce_corpus.
bi_add_test(NAME tst_flufl_decoders SOURCES tst_flufl_decoders.cpp LIBS bi_core_bounce)
