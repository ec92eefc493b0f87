// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/register_mta_decoders.h"

#include "core/bounce/decoders/mta/activehunter_decoder.h"
#include "core/bounce/decoders/mta/amavis_decoder.h"
#include "core/bounce/decoders/mta/apachejames_decoder.h"
#include "core/bounce/decoders/mta/barracuda_decoder.h"
#include "core/bounce/decoders/mta/challenge_response_decoder.h"
#include "core/bounce/decoders/mta/courier_decoder.h"
#include "core/bounce/decoders/mta/domino_decoder.h"
#include "core/bounce/decoders/mta/dragonfly_decoder.h"
#include "core/bounce/decoders/mta/exchange2003_decoder.h"
#include "core/bounce/decoders/mta/exchange2007_decoder.h"
#include "core/bounce/decoders/mta/exim_decoder.h"
#include "core/bounce/decoders/mta/fml_decoder.h"
#include "core/bounce/decoders/mta/imailserver_decoder.h"
#include "core/bounce/decoders/mta/interscanmss_decoder.h"
#include "core/bounce/decoders/mta/mailfoundry_decoder.h"
#include "core/bounce/decoders/mta/mailmarshalsmtp_decoder.h"
#include "core/bounce/decoders/mta/mcafee_decoder.h"
#include "core/bounce/decoders/mta/messagelabs_decoder.h"
#include "core/bounce/decoders/mta/messagingserver_decoder.h"
#include "core/bounce/decoders/mta/mfilter_decoder.h"
#include "core/bounce/decoders/mta/mxlogic_decoder.h"
#include "core/bounce/decoders/mta/notes_decoder.h"
#include "core/bounce/decoders/mta/opensmtpd_decoder.h"
#include "core/bounce/decoders/mta/postfix_decoder.h"
#include "core/bounce/decoders/mta/powermta_decoder.h"
#include "core/bounce/decoders/mta/qmail_decoder.h"
#include "core/bounce/decoders/mta/sendmail_decoder.h"
#include "core/bounce/decoders/mta/sieve_reject_decoder.h"
#include "core/bounce/decoders/mta/surfcontrol_decoder.h"
#include "core/bounce/decoders/mta/v5sendmail_decoder.h"
#include "core/bounce/decoders/mta/x1_decoder.h"
#include "core/bounce/decoders/mta/x2_decoder.h"
#include "core/bounce/decoders/mta/x3_decoder.h"
#include "core/bounce/decoders/mta/x4_decoder.h"
#include "core/bounce/decoders/mta/x5_decoder.h"
#include "core/bounce/decoders/mta/x6_decoder.h"

namespace bi::core::bounce {

void registerMtaDecoders(std::vector<std::unique_ptr<BounceDecoder>>& decoders)
{
    // The order matters. Appliances and gateways are recognised by their own headers and go
    // first; then the MTAs whose notices others imitate (Postfix, Exim, Sendmail, qmail) -
    // V8 Sendmail before Sendmail 5, qmail before its clones (X4); MX Logic, whose subjects
    // and sender are those of plain Exim notices, comes last. A decoder that detects a
    // message but finds no recipient in it passes it on to the next.
    // Challenge-response mails and Sieve rejections first: both borrow the look of other
    // formats (a DSN with "Action: failed", a Postfix 550; an MDN with Auto-Submitted).
    decoders.push_back(std::make_unique<ChallengeResponseDecoder>());
    decoders.push_back(std::make_unique<SieveRejectDecoder>());
    decoders.push_back(std::make_unique<McAfeeDecoder>());
    decoders.push_back(std::make_unique<MessageLabsDecoder>());
    decoders.push_back(std::make_unique<SurfControlDecoder>());
    decoders.push_back(std::make_unique<ActivehunterDecoder>());
    decoders.push_back(std::make_unique<MFilterDecoder>());
    decoders.push_back(std::make_unique<FmlDecoder>());
    decoders.push_back(std::make_unique<AmavisDecoder>());
    decoders.push_back(std::make_unique<MailFoundryDecoder>());
    decoders.push_back(std::make_unique<InterScanMSSDecoder>());
    decoders.push_back(std::make_unique<X5Decoder>());
    decoders.push_back(std::make_unique<DragonFlyDecoder>());
    decoders.push_back(std::make_unique<OpenSMTPDDecoder>());
    decoders.push_back(std::make_unique<Exchange2003Decoder>());
    decoders.push_back(std::make_unique<Exchange2007Decoder>());
    decoders.push_back(std::make_unique<MessagingServerDecoder>());
    decoders.push_back(std::make_unique<DominoDecoder>());
    decoders.push_back(std::make_unique<NotesDecoder>());
    decoders.push_back(std::make_unique<CourierDecoder>());
    decoders.push_back(std::make_unique<ApacheJamesDecoder>());
    decoders.push_back(std::make_unique<IMailServerDecoder>());
    decoders.push_back(std::make_unique<MailMarshalSMTPDecoder>());
    decoders.push_back(std::make_unique<BarracudaDecoder>());
    decoders.push_back(std::make_unique<PowerMTADecoder>());
    decoders.push_back(std::make_unique<PostfixDecoder>());
    decoders.push_back(std::make_unique<EximDecoder>());
    decoders.push_back(std::make_unique<SendmailDecoder>());
    decoders.push_back(std::make_unique<V5sendmailDecoder>());
    decoders.push_back(std::make_unique<QmailDecoder>());
    decoders.push_back(std::make_unique<X4Decoder>());
    decoders.push_back(std::make_unique<X1Decoder>());
    decoders.push_back(std::make_unique<X2Decoder>());
    decoders.push_back(std::make_unique<X3Decoder>());
    decoders.push_back(std::make_unique<X6Decoder>());
    decoders.push_back(std::make_unique<MXLogicDecoder>());
}

} // namespace bi::core::bounce
