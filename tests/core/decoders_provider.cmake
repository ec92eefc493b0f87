# SPDX-License-Identifier: GPL-3.0-or-later
# --- provider decoders (core/bounce/decoders/provider) ---
bi_add_test(NAME tst_provider_decoders SOURCES tst_provider_decoders.cpp LIBS bi_core_bounce)
# --- end of provider decoders ---
