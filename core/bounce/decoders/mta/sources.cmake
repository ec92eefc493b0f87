# SPDX-License-Identifier: GPL-3.0-or-later
# Decoders for bounces written by MTA software and mail appliances (Postfix, Exim, Sendmail, qmail, Domino, ...)
target_sources(bi_core_bounce PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/register_mta_decoders.h ${CMAKE_CURRENT_LIST_DIR}/register_mta_decoders.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mta_text.h ${CMAKE_CURRENT_LIST_DIR}/mta_text.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mta_dsn.h ${CMAKE_CURRENT_LIST_DIR}/mta_dsn.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mta_result.h ${CMAKE_CURRENT_LIST_DIR}/mta_result.cpp
  ${CMAKE_CURRENT_LIST_DIR}/activehunter_decoder.h ${CMAKE_CURRENT_LIST_DIR}/activehunter_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/amavis_decoder.h ${CMAKE_CURRENT_LIST_DIR}/amavis_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/apachejames_decoder.h ${CMAKE_CURRENT_LIST_DIR}/apachejames_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/barracuda_decoder.h ${CMAKE_CURRENT_LIST_DIR}/barracuda_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/challenge_response_decoder.h ${CMAKE_CURRENT_LIST_DIR}/challenge_response_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/courier_decoder.h ${CMAKE_CURRENT_LIST_DIR}/courier_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/domino_decoder.h ${CMAKE_CURRENT_LIST_DIR}/domino_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dragonfly_decoder.h ${CMAKE_CURRENT_LIST_DIR}/dragonfly_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/exchange2003_decoder.h ${CMAKE_CURRENT_LIST_DIR}/exchange2003_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/exchange2007_decoder.h ${CMAKE_CURRENT_LIST_DIR}/exchange2007_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/exim_decoder.h ${CMAKE_CURRENT_LIST_DIR}/exim_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/exim_phrases.h
  ${CMAKE_CURRENT_LIST_DIR}/fml_decoder.h ${CMAKE_CURRENT_LIST_DIR}/fml_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/imailserver_decoder.h ${CMAKE_CURRENT_LIST_DIR}/imailserver_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/interscanmss_decoder.h ${CMAKE_CURRENT_LIST_DIR}/interscanmss_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mailfoundry_decoder.h ${CMAKE_CURRENT_LIST_DIR}/mailfoundry_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mailmarshalsmtp_decoder.h ${CMAKE_CURRENT_LIST_DIR}/mailmarshalsmtp_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mcafee_decoder.h ${CMAKE_CURRENT_LIST_DIR}/mcafee_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/messagelabs_decoder.h ${CMAKE_CURRENT_LIST_DIR}/messagelabs_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/messagingserver_decoder.h ${CMAKE_CURRENT_LIST_DIR}/messagingserver_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mfilter_decoder.h ${CMAKE_CURRENT_LIST_DIR}/mfilter_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mxlogic_decoder.h ${CMAKE_CURRENT_LIST_DIR}/mxlogic_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/notes_decoder.h ${CMAKE_CURRENT_LIST_DIR}/notes_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/opensmtpd_decoder.h ${CMAKE_CURRENT_LIST_DIR}/opensmtpd_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/postfix_decoder.h ${CMAKE_CURRENT_LIST_DIR}/postfix_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/powermta_decoder.h ${CMAKE_CURRENT_LIST_DIR}/powermta_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/qmail_decoder.h ${CMAKE_CURRENT_LIST_DIR}/qmail_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sendmail_decoder.h ${CMAKE_CURRENT_LIST_DIR}/sendmail_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sieve_reject_decoder.h ${CMAKE_CURRENT_LIST_DIR}/sieve_reject_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/surfcontrol_decoder.h ${CMAKE_CURRENT_LIST_DIR}/surfcontrol_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/v5sendmail_decoder.h ${CMAKE_CURRENT_LIST_DIR}/v5sendmail_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/x1_decoder.h ${CMAKE_CURRENT_LIST_DIR}/x1_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/x2_decoder.h ${CMAKE_CURRENT_LIST_DIR}/x2_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/x3_decoder.h ${CMAKE_CURRENT_LIST_DIR}/x3_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/x4_decoder.h ${CMAKE_CURRENT_LIST_DIR}/x4_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/x5_decoder.h ${CMAKE_CURRENT_LIST_DIR}/x5_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/x6_decoder.h ${CMAKE_CURRENT_LIST_DIR}/x6_decoder.cpp
)
