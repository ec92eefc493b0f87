// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/report/suppression_list.h"

#include <array>

#include "core/bounce/reason_classifier.h"

using namespace Qt::StringLiterals;

namespace bi::core::report {

namespace {

constexpr int kMaxEvidence = 10;

// The reasons (core/bounce vocabulary, ../shared/corpus/bounces/README.md) that say something
// about the address itself. Deliberately absent: blocked, badreputation, authfailure,
// requireptr, rejected (our MAIL FROM), securityerror, spamdetected, virusdetected,
// policyviolation, contenterror, filtered, mesgtoobig, exceedlimit, expired, networkerror,
// toomanyconn, speeding, systemerror, systemfull, mailererror, syntaxerror, onhold, undefined.
constexpr auto kOwnFailures = std::to_array<const char16_t*>({
    u"userunknown", u"hostunknown", u"hasmoved", u"notaccept", u"suspend", u"mailboxfull", u"feedback",
});

QDateTime failureTime(const store::FateRecord& f)
{
    for (const QDateTime& t : {f.bounceAt, f.finalAt, f.firstAttemptAt, f.queuedAt}) {
        if (t.isValid())
            return t.toUTC();
    }
    return {};
}

} // namespace

bool SuppressionList::justifiesSuppression(QStringView reason)
{
    for (const char16_t* r : kOwnFailures) {
        if (reason.compare(QStringView(r), Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool SuppressionList::isHard(QStringView reason, QStringView status)
{
    if (reason == u"userunknown" || reason == u"hostunknown" || reason == u"hasmoved" || reason == u"feedback")
        return true;
    return reason == u"notaccept" && !status.startsWith(u'4');
}

void SuppressionList::addFate(const store::FateRecord& f)
{
    if (f.fate != store::Fate::Rejected && f.fate != store::Fate::Expired && f.fate != store::Fate::AsyncBounce)
        return;
    QString reason = f.reason.toLower();
    bool hard = isHard(reason, f.status);
    if (f.fate == store::Fate::Expired) {
        // Retried until the queue lifetime ran out: the expiry is no fault of the address, but
        // the reply it was retried on may be ("450 4.1.1 User unknown", "452 Mailbox full"
        // for five days). Temporary replies only, so never a hard entry.
        bounce::ReasonInput in;
        in.status = f.status;
        in.replyCode = f.replyCode;
        in.diagnostic = f.diagnostic;
        in.action = u"delayed"_s;
        in.recipient = f.recipient;
        reason = in.diagnostic.isEmpty() ? reason : bounce::ReasonClassifier::classify(in).reason;
        hard = false;
    }
    if (!justifiesSuppression(reason) || f.recipient.isEmpty())
        return;
    QStringList ids;
    if (f.bounceMessageRow > 0)
        ids << u"msg:%1"_s.arg(f.bounceMessageRow);
    for (const store::TimelineStep& s : f.steps) {
        using K = store::TimelineStep::Kind;
        if (s.kind != K::Bounced && s.kind != K::Refused && s.kind != K::Expired && s.kind != K::AsyncBounce)
            continue;
        if (s.logEventRow > 0)
            ids << u"log:%1"_s.arg(s.logEventRow);
        if (s.messageRow > 0 && s.messageRow != f.bounceMessageRow)
            ids << u"msg:%1"_s.arg(s.messageRow);
    }
    add(f.recipient, reason, hard, failureTime(f), ids);
}

void SuppressionList::addComplaint(const QString& address, const QDateTime& at, qint64 messageRow)
{
    if (address.isEmpty())
        return;
    add(address, u"feedback"_s, true, at.toUTC(), {u"msg:%1"_s.arg(messageRow)});
}

void SuppressionList::add(const QString& address, const QString& reason, bool hard, const QDateTime& at,
                          const QStringList& ids)
{
    const QString key = address.trimmed().toLower();
    SuppressionEntry& e = m_entries[key];
    const bool first = e.count == 0;
    e.address = key;
    ++e.count;
    const bool later = !e.lastSeen.isValid() || (at.isValid() && at >= e.lastSeen);
    // A hard reason is never replaced by a soft one; among equals the latest decides.
    if (first || (hard && !e.hard) || (hard == e.hard && later)) {
        e.reason = reason;
        e.hard = e.hard || hard;
    }
    if (at.isValid()) {
        if (!e.firstSeen.isValid() || at < e.firstSeen)
            e.firstSeen = at;
        if (!e.lastSeen.isValid() || at > e.lastSeen)
            e.lastSeen = at;
    }
    for (const QString& id : ids) {
        if (e.evidence.size() < kMaxEvidence && !e.evidence.contains(id))
            e.evidence << id;
    }
}

QList<SuppressionEntry> SuppressionList::entries() const
{
    QList<SuppressionEntry> out;
    out.reserve(qsizetype(m_entries.size()));
    for (const auto& [key, e] : m_entries)
        out << e;
    return out;
}

} // namespace bi::core::report
