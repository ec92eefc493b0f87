# SPDX-License-Identifier: GPL-3.0-or-later
# Decoders for bounces written by MTA software and mail appliances (Postfix, Exim, Sendmail, qmail, Domino, ...)
target_sources(bi_core_bounce PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/register_mta_decoders.h ${CMAKE_CURRENT_LIST_DIR}/register_mta_decoders.cpp
)
