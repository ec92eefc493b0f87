// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/report/reason_advice.h"

#include <array>

using namespace Qt::StringLiterals;

namespace bi::core::report {

namespace {

struct Entry {
    const char16_t* reason;
    const char16_t* meaning;
    const char16_t* advice;
};

// Meanings follow ../shared/corpus/bounces/README.md (sisimai 5.1 reasons).
constexpr auto kTable = std::to_array<Entry>({
    {u"userunknown", u"the address does not exist at the receiving domain",
     u"Remove these addresses from the list (see the suppression list) and check how they were collected: "
     u"confirmed opt-in stops typos and invented addresses."},
    {u"hostunknown", u"the recipient's domain does not exist or cannot be resolved",
     u"Remove addresses of domains that do not exist; check sign-up forms for misspelt domains."},
    {u"hasmoved", u"the mailbox has moved and mail is not forwarded", u"Remove or update the moved addresses."},
    {u"notaccept", u"the recipient's domain accepts no mail at all (null MX, no mail server)",
     u"Remove the addresses of domains that accept no mail."},
    {u"suspend", u"the recipient's account is suspended or disabled",
     u"Stop mailing suspended accounts; they rarely come back."},
    {u"mailboxfull", u"the recipient's mailbox is full",
     u"Retry full mailboxes later, and suppress those that stay full across several campaigns."},
    {u"exceedlimit", u"the message exceeds a limit of the recipient (size quota)",
     u"Keep messages small: link to large files instead of attaching them."},
    {u"filtered", u"a filter at the recipient refused the message",
     u"Check the refusing recipients' filters and the message headers that triggered them."},
    {u"blocked", u"the sending IP address or host name is on a blocklist or refused by the receiver",
     u"Look the sending IPs up on the blocklists named in the replies, fix the cause and ask for delisting."},
    {u"badreputation", u"the sending IP address has a poor reputation at the receiver",
     u"Reduce volume to the affected providers, remove inactive recipients and warm the IPs up again."},
    {u"authfailure", u"SPF, DKIM or DMARC checks failed",
     u"Fix SPF, DKIM and DMARC for the sending domain: every smarthost must be in SPF and sign with DKIM."},
    {u"requireptr", u"the sending IP has no or a wrong reverse DNS (PTR) record",
     u"Give every sending IP a PTR record whose name resolves back to the same IP."},
    {u"norelaying", u"the receiving server refused to relay", u"Check the smarthost routing and MX records used."},
    {u"networkerror", u"DNS or network trouble between the servers",
     u"Check DNS resolution and outbound connectivity of the smarthosts."},
    {u"systemerror", u"an error on the receiving system", u"Nothing to change on our side unless it persists."},
    {u"systemfull", u"the receiving server's disk is full", u"Nothing to change on our side unless it persists."},
    {u"toomanyconn", u"too many concurrent connections to the receiver",
     u"Lower the number of parallel connections per destination in the smarthost."},
    {u"speeding", u"sending too fast for the receiver's rate limits",
     u"Throttle sending per destination domain and spread campaigns over time."},
    {u"ratelimited", u"sending too fast for the receiver's rate limits",
     u"Throttle sending per destination domain and spread campaigns over time."},
    {u"securityerror", u"a security requirement of the receiver was not met (TLS, authentication)",
     u"Enable TLS on the smarthosts and check the authentication the receiver asks for."},
    {u"expired", u"retries timed out before the message could be delivered",
     u"Look at the deferral replies of expired messages: they name the real cause (throttling, blocklists, "
     u"dead servers)."},
    {u"mailererror", u"a local delivery program at the receiver failed", u"Nothing to change on our side."},
    {u"rejected", u"the envelope sender (MAIL FROM) was refused",
     u"Use a bounce address in a domain that exists, resolves and passes SPF."},
    {u"syntaxerror", u"an SMTP command had a syntax error", u"Check the smarthost software and its configuration."},
    {u"spamdetected", u"the receiver's spam filter refused the message",
     u"Review the content, links and sending patterns of the refused messages; test them before sending."},
    {u"virusdetected", u"a virus scanner refused the message", u"Check attachments and the systems that create them."},
    {u"contenterror", u"the message's header or structure was refused",
     u"Validate the message format (headers, MIME structure) produced by the sending application."},
    {u"policyviolation", u"a local policy of the receiver refused the message (content, attachment type)",
     u"Read the refusing providers' policy texts in the replies and adapt the messages."},
    {u"mesgtoobig", u"the message is bigger than the receiver accepts", u"Keep messages small: link to large files."},
    {u"emailtoolarge", u"the message is bigger than the receiver accepts", u"Keep messages small: link to large files."},
    {u"notcompliantrfc", u"the message does not comply with the RFCs (e.g. duplicate headers)",
     u"Fix the message format produced by the sending application (one Date, one Message-ID, valid headers)."},
    {u"onhold", u"the bounce held too little information to tell", {}},
    {u"undefined", u"the bounce did not say why", {}},
    {u"feedback", u"the recipient complained (feedback-loop report)",
     u"Suppress complainers at once and check that every recipient asked for the mail."},
});

} // namespace

ReasonAdvice reasonAdvice(QStringView reason)
{
    for (const Entry& e : kTable) {
        if (reason.compare(QStringView(e.reason), Qt::CaseInsensitive) == 0)
            return {QString::fromUtf16(e.meaning), e.advice ? QString::fromUtf16(e.advice) : QString()};
    }
    return {u"a reason not described here"_s, {}};
}

} // namespace bi::core::report
