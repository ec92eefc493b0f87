// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/lda_notice.h"

#include <QList>

#include "core/bounce/reason_classifier.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

// The agent a marker line names: "mail.local: ...", or Dovecot's "Your message to <x> was
// automatically rejected:" (the whole line, the error follows on the next one).
QString agentOf(QStringView line)
{
    struct Prefix {
        QStringView prefix;
        QStringView agent;
    };
    static constexpr Prefix kPrefixes[] = {
        {u"mail.local: ", u"mail.local"}, {u"procmail: ", u"procmail"},     {u"maildrop: ", u"maildrop"},
        {u"vdelivermail: ", u"vpopmail"}, {u"vdeliver: ", u"vmailmgr"},
    };
    for (const Prefix& p : kPrefixes) {
        if (line.startsWith(p.prefix))
            return p.agent.toString();
    }
    if (line.startsWith(u"Your message to ") && line.endsWith(u" was automatically rejected:"))
        return u"dovecot"_s;
    return {};
}

} // namespace

LdaNotice findLdaNotice(QStringView text)
{
    LdaNotice found;
    QList<QStringView> lines;
    for (QStringView raw : text.split(u'\n')) {
        const QStringView line = raw.trimmed();
        if (found.agent.isEmpty()) {
            if (line.isEmpty())
                continue;
            found.agent = agentOf(line);
            if (found.agent.isEmpty())
                continue;
        }
        if (line.isEmpty())
            break;
        lines << line;
        if (lines.size() >= 20) // an agent's error is a line or two, not a transcript
            break;
    }
    for (QStringView line : std::as_const(lines)) {
        const QString reason = ReasonClassifier::familyRuleReason(found.agent, line);
        if (!reason.isEmpty()) {
            found.message = line.toString();
            found.reason = reason;
            return found;
        }
    }
    return {};
}

} // namespace bi::core::bounce
