// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/report/reason_group.h"

#include <array>
#include <utility>

using namespace Qt::StringLiterals;

namespace bi::core::report {

namespace {

struct Entry {
    const char16_t* reason;
    ReasonGroup group;
};

// The sisimai reason vocabulary (Sisimai::Reason, as used in core/bounce/data/*.json) by
// who can fix it. Kept as data: the dashboard and the PDF report group through this table.
constexpr auto kTable = std::to_array<Entry>({
    // The address or the mailbox: clean the list.
    {u"userunknown", ReasonGroup::Recipient},
    {u"mailboxfull", ReasonGroup::Recipient},
    {u"hasmoved", ReasonGroup::Recipient},
    {u"suspend", ReasonGroup::Recipient},
    {u"filtered", ReasonGroup::Recipient},
    {u"exceedlimit", ReasonGroup::Recipient},
    {u"hostunknown", ReasonGroup::Recipient},
    {u"notaccept", ReasonGroup::Recipient},
    // Sending or receiving systems, reputation and authentication: fix the setup.
    {u"blocked", ReasonGroup::Infrastructure},
    {u"badreputation", ReasonGroup::Infrastructure},
    {u"authfailure", ReasonGroup::Infrastructure},
    {u"requireptr", ReasonGroup::Infrastructure},
    {u"norelaying", ReasonGroup::Infrastructure},
    {u"networkerror", ReasonGroup::Infrastructure},
    {u"systemerror", ReasonGroup::Infrastructure},
    {u"systemfull", ReasonGroup::Infrastructure},
    {u"toomanyconn", ReasonGroup::Infrastructure},
    {u"speeding", ReasonGroup::Infrastructure},
    {u"ratelimited", ReasonGroup::Infrastructure},
    {u"securityerror", ReasonGroup::Infrastructure},
    {u"expired", ReasonGroup::Infrastructure},
    {u"mailererror", ReasonGroup::Infrastructure},
    {u"rejected", ReasonGroup::Infrastructure},
    {u"syntaxerror", ReasonGroup::Infrastructure},
    // What was sent: change the message.
    {u"spamdetected", ReasonGroup::Content},
    {u"virusdetected", ReasonGroup::Content},
    {u"contenterror", ReasonGroup::Content},
    {u"policyviolation", ReasonGroup::Content},
    {u"mesgtoobig", ReasonGroup::Content},
    {u"emailtoolarge", ReasonGroup::Content},
    {u"notcompliantrfc", ReasonGroup::Content},
    // Not failures, or undecided.
    {u"undefined", ReasonGroup::Other},
    {u"onhold", ReasonGroup::Other},
    {u"delivered", ReasonGroup::Other},
    {u"feedback", ReasonGroup::Other},
    {u"vacation", ReasonGroup::Other},
});

constexpr auto kNames = std::to_array<std::pair<ReasonGroup, const char16_t*>>({
    {ReasonGroup::Recipient, u"recipient"},
    {ReasonGroup::Infrastructure, u"infrastructure"},
    {ReasonGroup::Content, u"content"},
    {ReasonGroup::Other, u"other"},
});

} // namespace

QString reasonGroupName(ReasonGroup group)
{
    for (const auto& [g, name] : kNames) {
        if (g == group)
            return QString::fromUtf16(name);
    }
    return u"other"_s;
}

ReasonGroup reasonGroupFromName(QStringView name)
{
    for (const auto& [g, n] : kNames) {
        if (name.compare(QStringView(n), Qt::CaseInsensitive) == 0)
            return g;
    }
    return ReasonGroup::Other;
}

QString reasonGroupTitle(ReasonGroup group)
{
    QString name = reasonGroupName(group);
    name[0] = name[0].toUpper();
    return name;
}

ReasonGroup reasonGroupOf(QStringView reason)
{
    const QStringView r = reason.trimmed();
    for (const Entry& e : kTable) {
        if (r.compare(QStringView(e.reason), Qt::CaseInsensitive) == 0)
            return e.group;
    }
    return ReasonGroup::Other;
}

QList<QString> reasonsIn(ReasonGroup group)
{
    QList<QString> out;
    for (const Entry& e : kTable) {
        if (e.group == group)
            out << QString::fromUtf16(e.reason);
    }
    return out;
}

QList<ReasonGroup> allReasonGroups()
{
    return {ReasonGroup::Recipient, ReasonGroup::Infrastructure, ReasonGroup::Content, ReasonGroup::Other};
}

} // namespace bi::core::report
