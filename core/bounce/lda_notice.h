// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringView>

namespace bi::core::bounce {

/// A local delivery agent's own error, quoted in a bounce's human-readable part: the MTA accepted
/// the message, handed it to Dovecot's LDA, mail.local, procmail, maildrop, vpopmail or vmailmgr,
/// and that agent refused it ("Your message to <x> was automatically rejected:" / "Not enough
/// disk space"). What it says is more precise than the Diagnostic-Code of the DSN around it,
/// which often repeats an earlier SMTP reply (as Sisimai::MDA decides).
struct LdaNotice {
    QString agent;   ///< family name in family_rules.json: dovecot, mail.local, procmail, ...; empty: none
    QString message; ///< the agent's error line
    QString reason;  ///< what the agent's own phrases (family_rules.json) make of it
};

/// Looks for an agent's marker line in \a text and the error line it names (the marker line and
/// the lines after it, up to the first empty one). Empty agent when there is none or when none of
/// the lines is one of the agent's known errors.
[[nodiscard]] LdaNotice findLdaNotice(QStringView text);

} // namespace bi::core::bounce
