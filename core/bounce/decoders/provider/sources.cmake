# SPDX-License-Identifier: GPL-3.0-or-later
# Decoders for bounces written by mail providers and sending services (Gmail, Yahoo, Outlook, Amazon SES, ...)
target_sources(bi_core_bounce PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/register_provider_decoders.h ${CMAKE_CURRENT_LIST_DIR}/register_provider_decoders.cpp
)
