// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/bounce/decoders/mta/mta_text.h"

namespace bi::core::bounce {

/// Exim's own wording for failures that are not an SMTP reply (route.c, transports/*.c,
/// routers/dnslookup.c, parser.c, deliver.c), and the reason each stands for. Also the
/// wording of MTAs built on Exim (MX Logic, Mail.Ru).
inline constexpr ReasonPhrase kEximPhrases[] = {
    {u"userunknown", u"user not found"},
    {u"hostunknown", u"all host address lookups failed permanently"},
    {u"hostunknown", u"all relevant MX records point to non-existent hosts"},
    {u"hostunknown", u"Unrouteable address"},
    {u"mailboxfull", u"mailbox is full"},
    {u"mailboxfull", u"error: quota exceed"},
    {u"notaccept", u"an MX or SRV record indicated no SMTP service"},
    {u"notaccept", u"no host found for existing SMTP connection"},
    {u"syntaxerror", u"angle-brackets nested too deep"},
    {u"syntaxerror", u"expected word or \"<\""},
    {u"syntaxerror", u"domain missing in source-routed address"},
    {u"syntaxerror", u"malformed address:"},
    {u"systemerror", u"delivery to file forbidden"},
    {u"systemerror", u"delivery to pipe forbidden"},
    {u"systemerror", u"local delivery failed"},
    {u"systemerror", u"LMTP error after "},
    {u"contenterror", u"Too many \"Received\" headers"},
    // retry.c, deliver.c, transports/smtp.c: given up after retrying, or delayed/frozen.
    {u"expired", u"retry timeout exceeded"},
    {u"expired", u"No action is required on your part"},
    {u"expired", u"retry time not reached for any host after a long failure period"},
    {u"expired", u"all hosts have been failing for a long time and were last tried"},
    {u"expired", u"Delay reason: "},
    {u"expired", u"has been frozen"},
    {u"expired", u"was frozen on arrival by "},
};

} // namespace bi::core::bounce
