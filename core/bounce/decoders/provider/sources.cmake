# SPDX-License-Identifier: GPL-3.0-or-later
# Decoders for bounces written by mail providers and sending services (Gmail, Yahoo, Outlook, Amazon SES, ...)
target_sources(bi_core_bounce PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/register_provider_decoders.h ${CMAKE_CURRENT_LIST_DIR}/register_provider_decoders.cpp
  ${CMAKE_CURRENT_LIST_DIR}/provider_support.h ${CMAKE_CURRENT_LIST_DIR}/provider_support.cpp
  ${CMAKE_CURRENT_LIST_DIR}/amazonses_decoder.h ${CMAKE_CURRENT_LIST_DIR}/amazonses_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/amazonworkmail_decoder.h ${CMAKE_CURRENT_LIST_DIR}/amazonworkmail_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/aol_airmail_decoder.h ${CMAKE_CURRENT_LIST_DIR}/aol_airmail_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/aol_decoder.h ${CMAKE_CURRENT_LIST_DIR}/aol_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/biglobe_decoder.h ${CMAKE_CURRENT_LIST_DIR}/biglobe_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/einsundeins_decoder.h ${CMAKE_CURRENT_LIST_DIR}/einsundeins_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ezweb_decoder.h ${CMAKE_CURRENT_LIST_DIR}/ezweb_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/facebook_decoder.h ${CMAKE_CURRENT_LIST_DIR}/facebook_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/gmail_decoder.h ${CMAKE_CURRENT_LIST_DIR}/gmail_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/gmx_decoder.h ${CMAKE_CURRENT_LIST_DIR}/gmx_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/googlegroups_decoder.h ${CMAKE_CURRENT_LIST_DIR}/googlegroups_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/gsuite_decoder.h ${CMAKE_CURRENT_LIST_DIR}/gsuite_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/kddi_decoder.h ${CMAKE_CURRENT_LIST_DIR}/kddi_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mailru_decoder.h ${CMAKE_CURRENT_LIST_DIR}/mailru_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/office365_decoder.h ${CMAKE_CURRENT_LIST_DIR}/office365_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/outlook_decoder.h ${CMAKE_CURRENT_LIST_DIR}/outlook_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/receivingses_decoder.h ${CMAKE_CURRENT_LIST_DIR}/receivingses_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sendgrid_decoder.h ${CMAKE_CURRENT_LIST_DIR}/sendgrid_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/verizon_decoder.h ${CMAKE_CURRENT_LIST_DIR}/verizon_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/yahoo_decoder.h ${CMAKE_CURRENT_LIST_DIR}/yahoo_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/yandex_decoder.h ${CMAKE_CURRENT_LIST_DIR}/yandex_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/zoho_decoder.h ${CMAKE_CURRENT_LIST_DIR}/zoho_decoder.cpp
)
