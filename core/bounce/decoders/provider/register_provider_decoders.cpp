// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/provider/register_provider_decoders.h"

#include "core/bounce/decoders/provider/amazonses_decoder.h"
#include "core/bounce/decoders/provider/amazonworkmail_decoder.h"
#include "core/bounce/decoders/provider/aol_airmail_decoder.h"
#include "core/bounce/decoders/provider/aol_decoder.h"
#include "core/bounce/decoders/provider/biglobe_decoder.h"
#include "core/bounce/decoders/provider/einsundeins_decoder.h"
#include "core/bounce/decoders/provider/ezweb_decoder.h"
#include "core/bounce/decoders/provider/facebook_decoder.h"
#include "core/bounce/decoders/provider/gmail_decoder.h"
#include "core/bounce/decoders/provider/gmx_decoder.h"
#include "core/bounce/decoders/provider/googlegroups_decoder.h"
#include "core/bounce/decoders/provider/gsuite_decoder.h"
#include "core/bounce/decoders/provider/kddi_decoder.h"
#include "core/bounce/decoders/provider/mailru_decoder.h"
#include "core/bounce/decoders/provider/office365_decoder.h"
#include "core/bounce/decoders/provider/outlook_decoder.h"
#include "core/bounce/decoders/provider/receivingses_decoder.h"
#include "core/bounce/decoders/provider/sendgrid_decoder.h"
#include "core/bounce/decoders/provider/verizon_decoder.h"
#include "core/bounce/decoders/provider/yahoo_decoder.h"
#include "core/bounce/decoders/provider/yandex_decoder.h"
#include "core/bounce/decoders/provider/zoho_decoder.h"

namespace bi::core::bounce {

void registerProviderDecoders(std::vector<std::unique_ptr<BounceDecoder>>& decoders)
{
    // Most specific first. Amazon WorkMail and SES receipt rules send through SES too (X-SES-
    // Outgoing), so they come before SES's own bounces. Google: DSNs with a delivery-status
    // part (G Suite and current Gmail), then Gmail's plain-text notices, then Google Groups,
    // which is recognised by headers only. Office 365 before Outlook.com (both Microsoft).
    // EZweb before KDDI: both are au, and KDDI's relay headers also appear on EZweb notices.
    decoders.push_back(std::make_unique<AmazonWorkMailDecoder>());
    decoders.push_back(std::make_unique<ReceivingSesDecoder>());
    decoders.push_back(std::make_unique<AmazonSesDecoder>());
    decoders.push_back(std::make_unique<GSuiteDecoder>());
    decoders.push_back(std::make_unique<GmailDecoder>());
    decoders.push_back(std::make_unique<GoogleGroupsDecoder>());
    decoders.push_back(std::make_unique<Office365Decoder>());
    decoders.push_back(std::make_unique<OutlookDecoder>());
    decoders.push_back(std::make_unique<YahooDecoder>());
    decoders.push_back(std::make_unique<AolDecoder>());
    decoders.push_back(std::make_unique<AolAirmailDecoder>()); // AOL notices without a DSN part
    decoders.push_back(std::make_unique<SendGridDecoder>());
    decoders.push_back(std::make_unique<ZohoDecoder>());
    decoders.push_back(std::make_unique<YandexDecoder>());
    decoders.push_back(std::make_unique<MailRuDecoder>());
    decoders.push_back(std::make_unique<GmxDecoder>());
    decoders.push_back(std::make_unique<EinsUndEinsDecoder>());
    decoders.push_back(std::make_unique<FacebookDecoder>());
    decoders.push_back(std::make_unique<VerizonDecoder>());
    decoders.push_back(std::make_unique<EzwebDecoder>());
    decoders.push_back(std::make_unique<KddiDecoder>());
    decoders.push_back(std::make_unique<BiglobeDecoder>());
}

} // namespace bi::core::bounce
