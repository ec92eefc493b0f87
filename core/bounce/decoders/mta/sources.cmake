# SPDX-License-Identifier: GPL-3.0-or-later
# Decoders for bounces written by MTA software and mail appliances (Postfix, Exim, Sendmail, qmail, Domino, ...)
target_sources(bi_core_bounce PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/register_mta_decoders.h ${CMAKE_CURRENT_LIST_DIR}/register_mta_decoders.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mta_text.h ${CMAKE_CURRENT_LIST_DIR}/mta_text.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mta_dsn.h ${CMAKE_CURRENT_LIST_DIR}/mta_dsn.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mta_result.h ${CMAKE_CURRENT_LIST_DIR}/mta_result.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dragonfly_decoder.h ${CMAKE_CURRENT_LIST_DIR}/dragonfly_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/exim_decoder.h ${CMAKE_CURRENT_LIST_DIR}/exim_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/postfix_decoder.h ${CMAKE_CURRENT_LIST_DIR}/postfix_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/qmail_decoder.h ${CMAKE_CURRENT_LIST_DIR}/qmail_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sendmail_decoder.h ${CMAKE_CURRENT_LIST_DIR}/sendmail_decoder.cpp
)
