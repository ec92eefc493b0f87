// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include "core/bounce/bounce_report.h"

namespace bi::core::bounce {

/// What a decoder knows about one recipient, as the input of the reason decision.
/// All fields may be empty; the more are filled, the closer the result is to sisimai's.
struct ReasonInput {
    QString status;         ///< RFC 3463 code from the bounce ("5.1.1"); pseudo X.0.9NN codes are ignored
    QString replyCode;      ///< SMTP reply ("550")
    QString diagnostic;     ///< the remote server's text, unfolded
    QString action;         ///< RFC 3464 Action: failed, delayed, delivered, relayed, expanded
    QString smtpCommand;    ///< the command the reply answered: RCPT, DATA, MAIL, CONN, HELO, EHLO ...
    QString remoteHost;     ///< rhost: Remote-MTA or the host that answered
    QString reportingHost;  ///< lhost: Reporting-MTA
    QString family;         ///< decoder family ("rfc3464", "postfix", "qmail", "exim", ...)
    QString hintReason;     ///< a reason the decoder decided from its own format, may be empty
    MessageKind kind = MessageKind::Bounce;
    QString recipient;      ///< final recipient address (or just its domain); selects provider rules
    QString diagnosticType; ///< RFC 3464 Diagnostic-Code type: "smtp" (default when empty), "x-unix", "x-postfix"
};

/// The decision for one recipient.
struct ReasonResult {
    QString reason;       ///< one of the 34 sisimai 5.1 reason names
    QString status;       ///< the status used (from the bounce or its text), else a pseudo X.0.9NN code
    bool hardBounce = false;
    QString replyCode;    ///< the reply code used (given or found in the text), may be empty
    QString smtpCommand;  ///< the command used (given or read from the text), may be empty
};

/// Decides the bounce reason of one recipient the way sisimai 5.1 does (Sisimai::Fact,
/// Sisimai::Rhost, Sisimai::Reason): message kind first, provider-specific rules for known remote
/// hosts, the status code where it maps unambiguously, the phrase tables in sisimai's order, then
/// the SMTP command, the action and the fallbacks onhold/undefined. Hard bounce as in sisimai 5:
/// userunknown, hostunknown, hasmoved, and notaccept unless the failure is temporary.
///
/// The tables are data, loaded once from resources (core/bounce/data/, each file explains its
/// format in "_about"): reason_phrases.json (Sisimai::Reason::* phrase lists and the probe
/// order), provider_rules.json (Sisimai::Rhost::*), family_rules.json (what sisimai's MTA modules
/// decide from their own wording; used only when hintReason is empty) and status_codes.json.
/// Thread: any; classify() is a pure function of its input. It never throws and never asserts on
/// input: text of any size or content gives a result (at worst "undefined").
class ReasonClassifier final {
public:
    ReasonClassifier() = delete;

    [[nodiscard]] static ReasonResult classify(const ReasonInput& input);

    /// True for the reasons sisimai 5 counts as hard bounces (see class comment). \a errorText
    /// is the status plus the diagnostic; it only matters for notaccept.
    [[nodiscard]] static bool isHardBounce(QStringView reason, QStringView errorText);
    /// The reason one of \a family's own phrase rules (family_rules.json) gives \a text; empty
    /// when the family is unknown or none of its rules matches (no fallback). For decoders that
    /// must know whether a line is one of an agent's error messages (core/bounce/lda_notice.h).
    [[nodiscard]] static QString familyRuleReason(QStringView family, QStringView text);

    /// Empty when all data tables were loaded; otherwise what is wrong (a build problem, the
    /// classifier then works from status codes only).
    [[nodiscard]] static QString dataError();
};

} // namespace bi::core::bounce
