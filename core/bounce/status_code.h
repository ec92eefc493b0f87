// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringView>

namespace bi::core::bounce {

/// RFC 3463 enhanced status codes ("5.1.1") and RFC 5321 reply codes ("550"): finding them in the
/// free text of bounces, and sisimai's tables that map a status code to a bounce reason and a
/// reason back to a pseudo status (X.0.9NN) when a bounce carries none.
///
/// Thread: any; all functions are pure. The tables are read once from the resource
/// `:/bi/bounce/status_codes.json` (thread-safe lazy initialisation). Untrusted text never
/// throws or asserts: an unusable value gives an empty result.
class StatusCode final {
public:
    StatusCode() = delete;

    /// True for a syntactically valid code: class 2, 4 or 5, subject 0-7, detail 0-999
    /// (RFC 3463 §2, detail widened to three digits as RFC 7372/Microsoft use them).
    [[nodiscard]] static bool isValid(QStringView code);

    /// The code at the start of a Status: field value, without comments or trailing text:
    /// "5.1.1 (bad destination mailbox address)" → "5.1.1", "#5.1.1" → "5.1.1". Empty when the
    /// value does not start with a valid code.
    [[nodiscard]] static QString normalize(QStringView value);

    /// The best enhanced status code in free text (a diagnostic), or empty. A code written right
    /// after a reply code ("550 5.1.1", "550-5.7.1", "554 #5.4.6") wins; then "(#5.1.1)" as qmail
    /// writes it; then the first other valid code. Parts of IP addresses ("192.0.2.1"), longer
    /// dotted numbers and version numbers ("Postfix 3.5.1", "Exim 4.94.2") are skipped; 2.X.X is
    /// only taken when no 4.X.X/5.X.X is present.
    [[nodiscard]] static QString find(QStringView text);

    /// The SMTP reply code (RFC 5321 §4.2: 2xx, 4xx, 5xx) in free text, or empty: first a code
    /// at the start of a line or after "said:" (Postfix) and similar markers, then a code written
    /// before an enhanced status code, then any stand-alone 4xx/5xx outside IP addresses.
    [[nodiscard]] static QString findReplyCode(QStringView text);

    /// The class digit of a status or reply code (2, 4 or 5), 0 when there is none.
    [[nodiscard]] static int classDigit(QStringView code);

    /// True when the code (status or reply) or the text around it says the failure is temporary:
    /// class 4 (RFC 3463 §3.2 "persistent transient failure"), or words like "temporary".
    [[nodiscard]] static bool isTemporary(QStringView codeOrText);

    /// True when the code or text says the failure is permanent: class 5, or " permanent ".
    [[nodiscard]] static bool isPermanent(QStringView codeOrText);

    /// True for sisimai's own pseudo codes X.0.9NN ("5.0.910", "4.0.947"), which no MTA sends.
    [[nodiscard]] static bool isPseudo(QStringView code);

    /// The sisimai reason for a status code ("5.2.2" → "mailboxfull"), empty when the code does
    /// not decide one (e.g. "5.0.0", "5.5.1").
    [[nodiscard]] static QString reasonFor(QStringView status);

    /// The pseudo status sisimai gives a reason when the bounce had no code: "5.0.911" for
    /// userunknown. \a temporary asks for the 4.0.9NN form where the reason has one. Empty for
    /// an unknown reason.
    [[nodiscard]] static QString pseudoStatus(QStringView reason, bool temporary);

    /// The SMTP command a reply answered, read from MTA wording: "(in reply to RCPT TO command)"
    /// (Postfix), "after end of data" (Exim), ">>> DATA" (Sendmail transcripts), "refused to
    /// talk to me" (the greeting). Returns CONN, EHLO, HELO, STARTTLS, AUTH, MAIL, RCPT, DATA or
    /// QUIT, or empty when the text does not say.
    [[nodiscard]] static QString findCommand(QStringView text);

    /// Normalises an SMTP command name as a decoder wrote it ("RCPT TO", "mail from", "EHLO",
    /// "end of DATA", "BDAT") to the names findCommand() returns; empty when unknown.
    [[nodiscard]] static QString normalizeCommand(QStringView command);

    /// Empty when the status tables were loaded; otherwise why not (a build problem).
    [[nodiscard]] static QString dataError();
};

} // namespace bi::core::bounce
