// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/fate/fate_engine.h"

#include <algorithm>

#include "core/bounce/address.h"
#include "core/bounce/reason_classifier.h"
#include "core/bounce/status_code.h"
#include "core/common/text_case.h"
#include "core/fate/relay_names.h"

using namespace Qt::StringLiterals;

namespace bi::core::fate {

using logs::DeliveryOutcome;

namespace {

// A log retries and rejects with the same few replies over and over: each distinct input is
// classified once per engine (the phrase tables cost some 90,000 instructions a reply). The
// classifier reads the recipient only for its domain, so the key holds the domain alone.
constexpr qsizetype kMaxCachedReasons = 4096;

} // namespace

bounce::ReasonResult FateEngine::classifyLogged(const LogMessage& m, const LoggedAttempt& a, const QString& recipient)
{
    const QStringView domain = QStringView(recipient).mid(recipient.lastIndexOf(u'@') + 1);
    // Each text after its length: log text may hold any character, a separator too.
    QString key;
    key.reserve(48 + a.dsn.size() + a.relay.size() + domain.size() + a.text.size());
    key.append(QString::number(int(m.format))).append(u':').append(QString::number(a.smtpCode));
    key.append(u':').append(a.refusedCommand);
    for (const QStringView field : {QStringView(a.dsn), QStringView(a.relay), domain})
        key.append(u':').append(QString::number(field.size())).append(u':').append(field);
    key.append(u':').append(a.text);
    if (const auto it = m_reasons.constFind(key); it != m_reasons.cend())
        return *it;
    bounce::ReasonInput in;
    in.status = a.dsn;
    in.replyCode = a.smtpCode > 0 ? QString::number(a.smtpCode) : QString();
    in.diagnostic = a.text;
    in.action = u"failed"_s;
    in.smtpCommand = bounce::StatusCode::findCommand(a.text);
    if (in.smtpCommand.isEmpty() && a.refused)
        in.smtpCommand = a.refusedCommand;
    in.remoteHost = a.relay.section(u'[', 0, 0);
    in.family = logs::logFormatName(m.format);
    in.recipient = recipient;
    bounce::ReasonResult result = bounce::ReasonClassifier::classify(in);
    if (m_reasons.size() >= kMaxCachedReasons)
        m_reasons.clear();
    m_reasons.insert(key, result);
    return result;
}

namespace {

// A client as the log names it ("app1.example[10.0.0.5]", "app1 [10.0.0.5]:41122"): its
// address in brackets, else the whole name; with the logging host.
QString submitterKey(const QString& host, const QString& client)
{
    const qsizetype open = client.lastIndexOf(u'[');
    const qsizetype close = open < 0 ? -1 : client.indexOf(u']', open);
    const QString who = close > open + 1 ? client.mid(open + 1, close - open - 1) : client.trimmed().toLower();
    return host + u'\n' + who;
}

// Submitting clients remembered at most (one per application server, normally a handful).
constexpr qsizetype kMaxSubmitters = 100000;
// Distinct envelope senders remembered (VERP gives one per recipient): some 16 MB at most.
constexpr qsizetype kMaxLoggedSenders = 1000000;

QString handOffKey(const QString& queueId, const QString& recipient)
{
    return queueId + u'\n' + recipient;
}

// The fate of the message that continues a handed-off one: it starts where the first did.
void continueHandedOff(FateRecord& f, FateRecord&& before)
{
    if (before.queuedAt.isValid())
        f.queuedAt = before.queuedAt;
    if (f.messageId.isEmpty())
        f.messageId = before.messageId;
    if (f.sender.isEmpty())
        f.sender = before.sender;
    if (f.originalRecipient.isEmpty())
        f.originalRecipient = before.originalRecipient;
    if (before.deferrals > 0) {
        f.deferrals += before.deferrals;
        f.attempts += before.deferrals;
        f.firstAttemptAt = before.firstAttemptAt;
    }
    f.evidence << (f.host == before.host
                       ? u"queued again as %1 by the filter or local MTA that %2 (%3) was handed to"_s.arg(
                             f.queueId, before.queueId, before.host)
                       : u"went on as %1 on %2, which %3 on %4 handed it to"_s.arg(f.queueId, f.host, before.queueId,
                                                                                 before.host));
    // Two queue ids (and maybe two hosts) in one timeline: its queued and removed steps say
    // which one they are of.
    const bool twoHosts = f.host != before.host;
    const auto label = [twoHosts](QList<TimelineStep>& steps, const QString& queueId, const QString& host) {
        for (TimelineStep& s : steps) {
            if ((s.kind == TimelineStep::Kind::Queued || s.kind == TimelineStep::Kind::Removed) && s.text.isEmpty()
                && !queueId.isEmpty())
                s.text = twoHosts && !host.isEmpty() ? u"queue id %1 on %2"_s.arg(queueId, host) : u"queue id "_s + queueId;
        }
    };
    label(before.steps, before.queueId, before.host);
    label(f.steps, f.queueId, f.host);
    before.steps << std::move(f.steps);
    f.steps = std::move(before.steps);
}

// How long after a recipient's final result the message's notices and removal still belong
// to its timeline (Postfix writes the non-delivery notice and "removed" in the same second).
constexpr qint64 kMessageStepSlackSeconds = 60;

// "accepted by mx.example[192.0.2.1]: 250 2.0.0 Ok", leaving out what the log did not say.
QString joinedEvidence(const QString& what, const QString& relay, const QString& text)
{
    QString out = what;
    if (relay.compare(u"none"_s, Qt::CaseInsensitive) == 0) // Postfix's relay=none
        out += u" before reaching any host"_s;
    else if (!relay.isEmpty())
        out += (what == u"accepted" ? u" by "_s : u" at "_s) + relay;
    if (!text.isEmpty())
        out += u": "_s + text;
    return out;
}

// Whether a notice the smarthost generated reports on this recipient: one notice covers the
// recipients of its kind in that queue pass, not the whole message (nor anything days after
// the recipient's end). A non-delivery notice
// (and its postmaster copy) follows a failure or the expiry, in the second it was logged or
// shortly after; a delay notice a deferral before it, while still retried; a success notice
// a delivery. A notice of a kind the log does not name goes to every recipient it can.
bool noticeConcerns(const LoggedNotice& n, const FateRecord& f)
{
    if (!n.time.isValid() || !f.finalAt.isValid())
        return n.kind != logs::NotificationKind::Success || f.fate == Fate::Delivered;
    const bool afterFinal = n.time >= f.finalAt.addSecs(-1) && n.time <= f.finalAt.addSecs(kMessageStepSlackSeconds);
    const bool failed = f.fate == Fate::Rejected || f.fate == Fate::Expired;
    // Deferred before the notice and not yet done with then.
    const bool stillRetried = n.time <= f.finalAt.addSecs(kMessageStepSlackSeconds)
        && std::any_of(f.steps.cbegin(), f.steps.cend(), [&n](const TimelineStep& s) {
               return s.kind == TimelineStep::Kind::Deferred && s.time.isValid() && s.time <= n.time;
           });
    switch (n.kind) {
    case logs::NotificationKind::NonDelivery:
    case logs::NotificationKind::PostmasterCopy:
        return failed && afterFinal;
    case logs::NotificationKind::Success:
        return f.fate == Fate::Delivered && afterFinal;
    case logs::NotificationKind::Delay:
        return stillRetried;
    case logs::NotificationKind::Unknown:
    case logs::NotificationKind::None:
        break;
    }
    return f.fate != Fate::Delivered && ((failed && afterFinal) || stillRetried);
}

// The reply code a logged result gave, empty when it gave none.
QString loggedReply(const LoggedAttempt& a)
{
    return a.smtpCode > 0 ? QString::number(a.smtpCode) : QString();
}

// The status a logged result stands for: the log's own DSN code, else the class of its reply
// ("550 NO" is 5.0.0, as the MTA's own notice would say), else the classifier's.
QString loggedStatus(const LoggedAttempt& a, const bounce::ReasonResult& reason)
{
    if (!a.dsn.isEmpty())
        return a.dsn;
    if (a.smtpCode >= 400 && a.smtpCode < 600)
        return QString::number(a.smtpCode / 100) + u".0.0"_s;
    // A failure logged with neither ("** userx@test.ex R=filter : (filter fail)"): the
    // classifier's pseudo-status (5.0.9xx) would read as a code some server gave; the log's
    // own outcome says only its class, as Postfix's notice would (5.0.0).
    if (bounce::StatusCode::isPseudo(reason.status))
        return reason.status.left(1) + u".0.0"_s;
    return reason.status;
}

TimelineStep stepFor(const LoggedAttempt& a)
{
    TimelineStep s;
    switch (a.outcome) {
    case DeliveryOutcome::Sent: s.kind = TimelineStep::Kind::Sent; break;
    case DeliveryOutcome::Deferred: s.kind = TimelineStep::Kind::Deferred; break;
    case DeliveryOutcome::Bounced: s.kind = TimelineStep::Kind::Bounced; break;
    case DeliveryOutcome::Expired: s.kind = TimelineStep::Kind::Expired; break;
    case DeliveryOutcome::None: s.kind = TimelineStep::Kind::Deferred; break;
    }
    s.time = a.time;
    s.status = a.dsn;
    s.replyCode = loggedReply(a);
    s.text = a.text;
    if (a.refused)
        s.kind = TimelineStep::Kind::Refused;
    s.relay = a.refused ? QString() : a.relay; // a refusal's relay field holds the client
    s.logEventRow = a.eventRow;
    return s;
}

// The reason a fate is given. An expired recipient's is the expiry itself however the fate
// was learnt: the log says status=expired, and the smarthost's notice quotes only the last
// deferral, whose own reason (greylisting: blocked) stays in the diagnostic. So a recipient
// gets the same reason with the log imported and from the mailbox alone.
QString fateReason(Fate fate, const QString& decoded)
{
    return fate == Fate::Expired ? u"expired"_s : decoded;
}

// Where the log last shows the message accepted, as a notice about it can tell: the host
// that accepted it; whether the notice's writer is that host (its organisation); and whether
// a hop of ours passed it on, so that a failure our notice reports happened further on
// (handed to a filter or another of our hosts, or the writer quoting a third host's reply).
struct Acceptance {
    QString host;
    bool byWriter = false;
    bool onward = false;
};

Acceptance acceptanceOf(const FateRecord& record, const QString& writer, const QString& remoteMta)
{
    Acceptance a;
    const auto sameOrganisation = [](const QString& x, const QString& y) {
        return !x.isEmpty() && !y.isEmpty() && bounce::Address::organisation(x) == bounce::Address::organisation(y);
    };
    for (auto s = record.steps.crbegin(); s != record.steps.crend(); ++s) {
        if (s->kind != TimelineStep::Kind::Sent && s->kind != TimelineStep::Kind::HandedOn)
            continue;
        a.host = relayHostName(s->relay);
        a.onward = s->kind == TimelineStep::Kind::HandedOn;
        break;
    }
    a.byWriter = sameOrganisation(a.host, writer);
    const QString remote = relayHostName(remoteMta);
    if (a.byWriter && !remote.isEmpty() && !sameOrganisation(remote, writer))
        a.onward = true;
    return a;
}

} // namespace

void FateEngine::sortSteps(FateRecord& r)
{
    const auto earlier = [](const TimelineStep& a, const TimelineStep& b) { return a.time < b.time; };
    // Steps are made in time order nearly always: checking costs less than a stable sort's
    // buffer and moves (which would leave sorted steps as they are).
    if (!std::is_sorted(r.steps.cbegin(), r.steps.cend(), earlier))
        std::stable_sort(r.steps.begin(), r.steps.end(), earlier);
}

FateEngine::FateEngine(OwnIdentity own) : m_own(std::move(own)) {}

void FateEngine::applyMailbox(FateRecord& record, const MailboxEntry& entry, const Match& match)
{
    const store::BounceRow row = entry.row();
    const bounce::BounceReport& report = row.report;
    const bounce::BounceRecipient& r = report.recipients.constFirst();
    TimelineStep step;
    step.time = report.date.toUTC();
    step.status = r.status;
    step.replyCode = r.replyCode;
    step.text = r.diagnostic;
    step.relay = r.remoteMta;
    step.messageRow = row.messageId;
    if (r.kind == bounce::MessageKind::Delay) {
        step.kind = TimelineStep::Kind::DelayNotice;
        record.steps << step;
        return;
    }
    const MailboxVerdict verdict = MailboxVerdictRule::decide(r, entry.writer, m_own);
    record.matchConfidence = std::max(record.matchConfidence, match.confidence);
    record.bounceMessageRow = row.messageId;
    // A message queued before the log begins has no Message-ID there; the notice quotes it.
    if (record.messageId.isEmpty() && match.confidence > kWindowConfidence)
        record.messageId = report.original.messageId;
    record.decidedBy = u"log+mailbox"_s;
    step.kind = TimelineStep::Kind::NoticeReceived;
    // The notice's failure becomes the recipient's fate.
    const auto adopt = [&](Fate fate) {
        record.fate = fate;
        if (fate == Fate::AsyncBounce)
            record.bounceAt = report.date.toUTC();
        record.reason = fateReason(fate, r.reason);
        record.status = r.status;
        record.replyCode = r.replyCode;
        record.diagnostic = r.diagnostic;
        if (fate == Fate::AsyncBounce)
            step.kind = TimelineStep::Kind::AsyncBounce;
    };
    // The mailbox decides what the log left open (still deferred) or what happened after a
    // hop of ours took it on: the notice's own verdict.
    const auto takeVerdict = [&](const QString& why) {
        adopt(verdict.fate);
        record.finalAt = report.date.toUTC();
        record.evidence << why;
        record.evidence << verdict.evidence;
    };
    if (record.fate == Fate::Delivered) {
        const Acceptance accepted = acceptanceOf(record, entry.writer.host, r.remoteMta);
        if (verdict.writtenByUs && accepted.onward) {
            takeVerdict(u"%1, a hop of ours, took it on; its notice tells the rest (matched by %2)"_s.arg(
                accepted.host.isEmpty() ? u"the next hop"_s : accepted.host, match.how));
        } else if (!verdict.writtenByUs || accepted.byWriter) {
            adopt(Fate::AsyncBounce);
            record.evidence.prepend(u"accepted with 2xx, then a bounce arrived (matched by %1)"_s.arg(match.how));
            // The writer's domain may be one of ours (a bounce was addressed there too): it is
            // still the receiving side, which accepted the message before it bounced it.
            if (verdict.writtenByUs)
                record.evidence << u"the notice was written by %1, the server that had accepted it"_s.arg(entry.writer.host);
            else
                record.evidence << verdict.evidence;
        } else {
            record.evidence << u"a notice from our host %1 says it failed, but the log shows %2 accepting it: the log's "
                               u"word stands (matched by %3)"_s.arg(entry.writer.host,
                                                                    accepted.host.isEmpty() ? u"the receiving side"_s
                                                                                            : accepted.host,
                                                                    match.how);
        }
    } else if (record.fate == Fate::Deferred) {
        takeVerdict(u"the log ends while the message was deferred; the mailbox has its notice (%1)"_s.arg(match.how));
    } else {
        record.evidence << u"the notice in the mailbox confirms it (matched by %1)"_s.arg(match.how);
    }
    record.steps << step;
}

bool FateEngine::isInbound(const LogMessage& m, const LoggedRecipient& rcpt) const
{
    if (rcpt.attempts.isEmpty())
        return false;
    // A local user's name ("to=root", "to=gina" where Sendmail's submission program hands
    // the message to the MTA): a mailbox here, whatever the hop.
    if (!rcpt.address.contains(u'@'))
        return true;
    // Put into a mailbox on our side every time it was tried: cron mail to root, mail received
    // for our users, a colleague in copy. No mail left our side for it.
    if (std::all_of(rcpt.attempts.cbegin(), rcpt.attempts.cend(), [](const LoggedAttempt& a) {
            return a.mailbox || a.outcome == DeliveryOutcome::Expired;
        })
        && std::any_of(rcpt.attempts.cbegin(), rcpt.attempts.cend(), [](const LoggedAttempt& a) { return a.mailbox; }))
        return true;
    // Delivered (or refused) by the smarthost's own delivery agent, or refused at RCPT.
    const LoggedAttempt& last = rcpt.attempts.constLast();
    if (!last.refused && !last.mailbox)
        return false;
    const QString senderDomain = bounce::Address::domainOf(m.sender);
    return !senderDomain.isEmpty() && !m_own.isOwnDomain(senderDomain)
        && m_own.isOwnDomain(bounce::Address::domainOf(rcpt.address));
}

QList<FateRecord> FateEngine::decide(const LogMessage& m)
{
    QList<FateRecord> out;
    if (m.isNotice())
        return out; // a bounce we generated: reported with the message it is about
    if (m.hasSender && !m.sender.isEmpty() && m_loggedSenders.size() < kMaxLoggedSenders)
        m_loggedSenders.insert(qHash(m.sender));
    if (!m.client.isEmpty() && m_submitters.size() < kMaxSubmitters) {
        const bool relayedOut = std::any_of(m.recipients.cbegin(), m.recipients.cend(), [](const LoggedRecipient& r) {
            return std::any_of(r.attempts.cbegin(), r.attempts.cend(), [](const LoggedAttempt& a) {
                return !a.refused && !a.relay.isEmpty() && !a.mailbox && !isLoopbackRelay(a.relay);
            });
        });
        if (relayedOut)
            m_submitters.insert(submitterKey(m.host, m.client));
    }
    for (const LoggedRecipient& rcpt : m.recipients) {
        if (isInbound(m, rcpt)) {
            // Nor did it when it came here through a content filter or another transport of
            // ours: the hop before is no fate. Our own notice about it (a colleague's full
            // mailbox) is no fate of its own either.
            m_handedOff.remove(handOffKey(m.queueId, rcpt.address));
            if (!rcpt.originalAddress.isEmpty())
                m_handedOff.remove(handOffKey(m.queueId, rcpt.originalAddress));
            if (!m.messageId.isEmpty())
                m_handedOff.remove(handOffKey(u'<' + m.messageId + u">@"_s + hostLabel(m.host), rcpt.address));
            for (const Match& match : findMatches(m, rcpt, m.queuedAt))
                m_entries[match.index].consumed = true;
            continue;
        }
        FateRecord f;
        f.messageId = m.messageId;
        f.queueId = m.queueId;
        f.host = m.host;
        f.sender = m.sender;
        f.recipient = rcpt.address;
        if (rcpt.originalAddress != rcpt.address)
            f.originalRecipient = rcpt.originalAddress;
        f.queuedAt = m.queuedAt;
        f.decidedBy = u"log"_s;
        f.steps << TimelineStep{TimelineStep::Kind::Queued, m.queuedAt, {}, {}, {}, m.client, m.queuedRow, 0};

        const LoggedAttempt* last = nullptr;
        // A "status=expired" line of the recipient's own (Postfix logs the expiry once per
        // message, "from=<...>, status=expired"; some logs write it per recipient): the end of
        // its retries, not an attempt, and read like the message's expiry.
        const LoggedAttempt* expiry = nullptr;
        for (const LoggedAttempt& a : rcpt.attempts) {
            f.steps << stepFor(a);
            if (a.outcome == DeliveryOutcome::Expired) {
                expiry = &a;
                continue;
            }
            if (!a.refused) {
                ++f.attempts;
                if (!f.firstAttemptAt.isValid())
                    f.firstAttemptAt = a.time;
            }
            if (a.outcome == DeliveryOutcome::Deferred)
                ++f.deferrals;
            last = &a;
        }
        const QDateTime expiredAt = expiry ? expiry->time : m.expiredAt;
        if (!last) {
            f.fate = expiredAt.isValid() ? Fate::Expired : Fate::Deferred;
            f.finalAt = expiredAt;
            if (expiry)
                f.status = expiry->dsn;
            if (!rcpt.skippedText.isEmpty()) {
                f.evidence << u"not tried while the log ran (%1): deferred before it began"_s.arg(rcpt.skippedText)
                        + (f.fate == Fate::Deferred ? u", still pending at its end"_s : QString());
            }
        } else if (last->outcome == DeliveryOutcome::Sent) {
            f.fate = Fate::Delivered;
            f.finalAt = last->time;
            f.status = last->dsn;
            f.replyCode = loggedReply(*last);
            f.evidence << joinedEvidence(u"accepted"_s, last->relay, last->text);
        } else if (last->outcome == DeliveryOutcome::Bounced) {
            const bounce::ReasonResult reason = classifyLogged(m, *last, rcpt.address);
            f.fate = Fate::Rejected;
            f.finalAt = last->time;
            f.reason = reason.reason;
            f.status = loggedStatus(*last, reason);
            f.replyCode = last->smtpCode > 0 ? QString::number(last->smtpCode) : reason.replyCode;
            f.diagnostic = last->text;
            f.evidence << (last->refused ? joinedEvidence(u"the smarthost refused it while "_s
                                                              + (last->relay.isEmpty() ? u"its client"_s : last->relay)
                                                              + u" submitted the message"_s,
                                                          {}, last->text)
                                         : joinedEvidence(u"the smarthost logged a permanent failure"_s, last->relay,
                                                          last->text));
        } else if (expiredAt.isValid() && expiredAt >= last->time) {
            f.fate = Fate::Expired;
            f.finalAt = expiredAt;
            f.reason = fateReason(Fate::Expired, {});
            // The expiry's own code where the log gives one (Exchange, PowerMTA: 4.4.7), else
            // the last deferral's, as Postfix's notice reports it.
            const LoggedAttempt& coded = expiry && !expiry->dsn.isEmpty() ? *expiry : *last;
            f.status = coded.dsn;
            f.replyCode = loggedReply(coded);
            f.diagnostic = last->text;
            const QString retried = f.deferrals == 1 ? u"deferred once"_s : u"retried %1 times"_s.arg(f.deferrals);
            const QString ended = m.expiredByAdmin && !expiry
                ? u"until the administrator expired it (postsuper -e), returned to the sender"_s
                : u"until the queue lifetime ran out"_s;
            f.evidence << retried + u' ' + ended + (last->text.isEmpty() ? QString() : u"; last: "_s + last->text);
            if (!expiry)
                f.steps << TimelineStep{TimelineStep::Kind::Expired, m.expiredAt, last->dsn, {}, {}, {}, m.expiredRow, 0};
        } else if (m.removedAt.isValid() && m.removedAt >= last->time) {
            // Taken out of the queue while still deferred (postsuper -d, Exim "removed by
            // root"): never delivered and no longer retried. The log's last word on it stands.
            f.fate = Fate::Deferred;
            f.finalAt = m.removedAt;
            f.status = last->dsn;
            f.replyCode = loggedReply(*last);
            f.diagnostic = last->text;
            f.evidence << u"removed from the queue while still deferred, without a notice to the sender "
                          u"(deleted by an administrator?)"_s
                    + (last->text.isEmpty() ? QString() : u"; last: "_s + last->text);
        } else {
            f.fate = Fate::Deferred;
            f.status = last->dsn;
            f.replyCode = loggedReply(*last);
            f.diagnostic = last->text;
            f.evidence << u"still deferred at the end of the log: %1"_s.arg(last->text);
        }
        // Accepted, then bounced: the MTA's bounce processor read the receiving side's DSN.
        if (f.fate == Fate::Delivered && !rcpt.remoteBounces.isEmpty()) {
            const LoggedAttempt& rb = rcpt.remoteBounces.constFirst();
            const bounce::ReasonResult reason = classifyLogged(m, rb, rcpt.address);
            f.fate = Fate::AsyncBounce;
            f.bounceAt = rb.time;
            f.reason = reason.reason;
            f.status = loggedStatus(rb, reason);
            f.replyCode = rb.smtpCode > 0 ? QString::number(rb.smtpCode) : reason.replyCode;
            f.diagnostic = rb.text;
            f.evidence.prepend(u"accepted with 2xx, then the smarthost's bounce processor logged a bounce from %1: %2"_s
                                   .arg(rb.relay.isEmpty() ? u"the receiving side"_s : rb.relay, rb.text));
            f.steps << TimelineStep{TimelineStep::Kind::AsyncBounce, rb.time, rb.dsn, f.replyCode, rb.text, rb.relay,
                                    rb.eventRow, 0};
        }
        // The message's notices and its removal, as far as they can concern this recipient: a
        // recipient refused at 11:26 has nothing to do with the delay notice and the expiry of
        // another recipient of the same message days later.
        for (const LoggedNotice& n : m.notices) {
            if (!noticeConcerns(n, f))
                continue;
            TimelineStep s;
            s.kind = TimelineStep::Kind::NoticeGenerated;
            s.time = n.time;
            s.text = logs::notificationKindName(n.kind) + u" notice "_s + n.newQueueId;
            s.logEventRow = n.eventRow;
            f.steps << s;
        }
        if (m.removedAt.isValid()
            && (f.fate == Fate::Deferred || !f.finalAt.isValid()
                || m.removedAt <= f.finalAt.addSecs(kMessageStepSlackSeconds)))
            f.steps << TimelineStep{TimelineStep::Kind::Removed, m.removedAt, {}, {}, {}, {}, m.removedRow, 0};

        // Handed on inside our side: to a content filter or signing proxy on this host, which
        // queues it again under the id it answered with, or to another of our hosts (an
        // Exchange organisation's internal hop, a relay chain), where the message goes on
        // under that id or, when the answer names none, under its Message-ID.
        if (f.fate == Fate::Delivered && last && m_handedOff.size() < kMaxHeld) {
            const bool loopback = isLoopbackRelay(last->relay);
            const QString next = loopback ? QString() : relayHostName(last->relay);
            // Another host of ours whose log may be here: named like a logged host, and in our
            // domains or the sender's organisation (a log alone teaches no domains). A wrong
            // guess waits for a continuation that never comes and is matched at the end.
            // Or the log says so itself (Exchange's Intra-Organization connector), also for
            // this same server's mailbox transport.
            const bool ours = (last->internalHop && !next.isEmpty())
                || (!loopback && !next.isEmpty() && !last->mailbox
                    && hostLabel(next) != hostLabel(m.host) && m_own.hasHostNamed(hostLabel(next))
                    && (m_own.isOwnHost(next)
                        || bounce::Address::organisation(next)
                            == bounce::Address::organisation(bounce::Address::domainOf(m.sender))));
            QString key;
            if ((loopback || ours) && !last->nextQueueId.isEmpty())
                key = handOffKey(last->nextQueueId, rcpt.address);
            else if (ours && !m.messageId.isEmpty())
                key = handOffKey(u'<' + m.messageId + u">@"_s + hostLabel(next), rcpt.address);
            if (!key.isEmpty()) {
                // The 2xx was the filter's or our other host's, not the receiving side's.
                for (auto s = f.steps.rbegin(); s != f.steps.rend(); ++s) {
                    if (s->kind == TimelineStep::Kind::Sent && s->logEventRow == last->eventRow) {
                        s->kind = TimelineStep::Kind::HandedOn;
                        break;
                    }
                }
                f.evidence = {last->nextQueueId.isEmpty()
                                  ? u"handed to %1, another of our hosts"_s.arg(last->relay)
                                  : u"handed to %1, which queued it as %2"_s.arg(last->relay, last->nextQueueId)};
                LogMessage message = m;
                message.recipients.clear();
                message.notices.clear();
                const QDateTime after = f.firstAttemptAt.isValid() ? f.firstAttemptAt : m.queuedAt;
                m_handedOff.insert(key, {std::move(f), std::move(message), rcpt, after});
                continue;
            }
        }
        auto before = m_handedOff.find(handOffKey(m.queueId, rcpt.address));
        if (before == m_handedOff.end() && !m.messageId.isEmpty())
            before = m_handedOff.find(handOffKey(u'<' + m.messageId + u">@"_s + hostLabel(m.host), rcpt.address));
        if (before != m_handedOff.end()) {
            continueHandedOff(f, std::move(before->record));
            m_handedOff.erase(before);
        }
        const QDateTime after = f.firstAttemptAt.isValid() ? f.firstAttemptAt : m.queuedAt;
        const QList<Match> matches = findMatches(m, rcpt, after);
        if (waitsForTheWholeLog(matches) && m_held.size() < kMaxHeld) {
            m_held.append({std::move(f), after, matches});
            continue;
        }
        for (const Match& match : matches) {
            MailboxEntry& entry = m_entries[match.index];
            entry.consumed = true;
            applyMailbox(f, entry, match);
        }
        sortSteps(f);
        // Refused by the smarthost itself while a client submitted it, no notice about it in
        // the mailbox: a fate only when the client is one of ours (inbound spam a milter
        // refused at the end of DATA is not our mail), which the whole log tells.
        const bool onlyRefused = std::all_of(rcpt.attempts.cbegin(), rcpt.attempts.cend(),
                                             [](const LoggedAttempt& a) { return a.refused; });
        if (onlyRefused && matches.isEmpty() && !m.client.isEmpty()
            && !m_submitters.contains(submitterKey(m.host, m.client)) && m_refusedHeld.size() < kMaxHeld) {
            m_refusedHeld.append({std::move(f), submitterKey(m.host, m.client)});
            continue;
        }
        out << f;
    }
    return out;
}

QString FateEngine::mailedRecipient(const bounce::BounceRecipient& r)
{
    const QString original = r.originalRecipient.toLower();
    if (!original.isEmpty() && bounce::Address::isPlausible(original))
        return original;
    return r.recipient.toLower();
}

QString FateEngine::forwardedFrom(const bounce::BounceReport& report)
{
    if (report.recipients.isEmpty() || !report.recipients.constFirst().originalRecipient.isEmpty())
        return {};
    const QString failed = report.recipients.constFirst().recipient.toLower();
    const QString writer = MailboxVerdictRule::writerHost(report);
    if (failed.isEmpty() || writer.isEmpty())
        return {};
    // The notice was written in the domain of one address the original was sent to, about an
    // address of another organisation the original does not name: that one forwarded it there.
    // (A Bcc'd recipient's notice comes from its own domain, which names no To address.)
    QString mailed;
    for (const QString& named : bounce::Address::findAll(report.original.to)) {
        const QString address = bounce::Address::normalize(named).toLower();
        if (address == failed)
            return {};
        const QString domain = bounce::Address::domainOf(address);
        if (domain.isEmpty() || !bounce::Address::isWithinDomain(writer, domain))
            continue;
        if (!mailed.isEmpty())
            return {}; // two addresses of the writer's domain: which one forwarded is unknown
        mailed = address;
    }
    if (mailed.isEmpty() || !bounce::Address::isPlausible(mailed)
        || bounce::Address::organisation(bounce::Address::domainOf(mailed))
            == bounce::Address::organisation(bounce::Address::domainOf(failed)))
        return {};
    // Not an address of the sender's own: mail to oneself, or an alias on our own smarthost.
    const QString organisation = bounce::Address::organisation(bounce::Address::domainOf(mailed));
    for (const QString& ours : {report.to, report.original.from, report.postfixSender}) {
        const QString domain = bounce::Address::domainOf(bounce::Address::normalize(ours)).toLower();
        if (!domain.isEmpty() && bounce::Address::organisation(domain) == organisation)
            return {};
    }
    return mailed;
}

QString FateEngine::mailedRecipient(const bounce::BounceReport& report)
{
    if (report.recipients.isEmpty())
        return {};
    const QString forwarded = forwardedFrom(report);
    return forwarded.isEmpty() ? mailedRecipient(report.recipients.constFirst()) : forwarded;
}

TimelineStep FateEngine::delayStep(const QDateTime& date, const bounce::BounceRecipient& r, qint64 messageRow)
{
    TimelineStep step;
    step.kind = TimelineStep::Kind::DelayNotice;
    step.time = date.toUTC();
    step.status = r.status;
    step.text = r.diagnostic;
    step.messageRow = messageRow;
    return step;
}

std::optional<FateRecord> FateEngine::mailboxFate(const store::BounceRow& row, const NoticeWriter& writer,
                                                  const OwnIdentity& own)
{
    const bounce::BounceReport& report = row.report;
    if (report.recipients.isEmpty() || report.recipients.constFirst().kind != bounce::MessageKind::Bounce)
        return std::nullopt;
    const bounce::BounceRecipient& r = report.recipients.constFirst();
    const MailboxVerdict verdict = MailboxVerdictRule::decide(r, writer, own);
    FateRecord f;
    f.messageId = report.original.messageId;
    f.sender = !report.postfixSender.isEmpty() ? report.postfixSender : bounce::Address::normalize(report.to);
    f.recipient = mailedRecipient(report);
    f.fate = verdict.fate;
    f.reason = fateReason(verdict.fate, r.reason);
    f.status = r.status;
    f.replyCode = r.replyCode;
    f.diagnostic = r.diagnostic;
    f.queueId = report.queueId;
    f.host = verdict.writtenByUs ? writer.host : QString();
    // An asynchronous bounce alone does not tell when the message was accepted: final_at stays
    // unknown (a time to bounce of 0 s would be made up); the bounce's date is bounce_at.
    if (verdict.fate == Fate::AsyncBounce)
        f.bounceAt = report.date.toUTC();
    else
        f.finalAt = report.date.toUTC();
    f.decidedBy = u"mailbox"_s;
    f.evidence = verdict.evidence;
    if (f.recipient != r.recipient.toLower())
        f.evidence << u"the notice is about %1, where %2 (the address the original was sent to) forwarded it"_s.arg(
            r.recipient.toLower(), f.recipient);
    f.bounceMessageRow = row.messageId;
    TimelineStep step;
    step.kind = verdict.fate == Fate::AsyncBounce ? TimelineStep::Kind::AsyncBounce : TimelineStep::Kind::NoticeReceived;
    step.time = report.date.toUTC();
    step.status = r.status;
    step.replyCode = r.replyCode;
    step.text = r.diagnostic;
    step.relay = r.remoteMta;
    step.messageRow = row.messageId;
    f.steps << step;
    return f;
}

QList<FateRecord> FateEngine::mailboxOnly(const QSet<qint64>& backscatter)
{
    QList<FateRecord> out;
    // Before the bounces alone take them: those no log message took.
    m_beforeTheirSendLeft = std::count_if(m_beforeTheirSend.cbegin(), m_beforeTheirSend.cend(),
                                          [this](int index) { return !m_entries.at(index).consumed; });
    QHash<QString, int> seen; // (original Message-ID, recipient) → index in out
    // The bounces first, then the delay notices, which come before their bounce: a warning
    // alone is no fate, one for a failure joins its timeline.
    for (const bool delays : {false, true}) {
        for (MailboxEntry& e : m_entries) {
            const bounce::BounceRecipient& r = e.recipient;
            if (e.consumed || (r.kind == bounce::MessageKind::Delay) != delays)
                continue;
            if (backscatter.contains(e.messageRow)) {
                const bool viaOurs = std::any_of(e.stampHosts.cbegin(), e.stampHosts.cend(), [this](const QString& h) {
                    return m_own.isOwnHost(h) || m_own.hasHostNamed(hostLabel(h));
                });
                const bool toOurSender = m_loggedSenders.size() >= kMaxLoggedSenders
                    || m_loggedSenders.contains(qHash(bounce::Address::normalize(e.to).toLower()));
                if (e.quotesOriginal ? !viaOurs : !toOurSender)
                    continue;
            }
            // Without the original's Message-ID two notices cannot be told to be about one
            // failure (a recipient bounced in 2017 and in 2023): each keeps its own fate.
            const QString key = (e.originalMessageId.isEmpty() ? u"#"_s + QString::number(e.messageRow)
                                                               : e.originalMessageId)
                + u'\n' + mailedRecipient(r);
            const auto it = seen.constFind(key);
            if (it != seen.cend()) {
                // A second notice for the same failure, or a warning before it, joins the first.
                TimelineStep step = delayStep(e.date, r, e.messageRow);
                if (!delays)
                    step.kind = TimelineStep::Kind::NoticeReceived;
                out[it.value()].steps << step;
                continue;
            }
            if (delays)
                continue;
            if (auto f = mailboxFate(e.row(), m_writers.apply(e.writer), m_own)) {
                seen.insert(key, int(out.size()));
                e.consumed = true;
                out << *f;
            }
        }
    }
    for (FateRecord& f : out)
        sortSteps(f);
    return out;
}

std::optional<FateRecord> FateEngine::decideUnqueued(const store::StoredLogEvent& stored)
{
    const logs::LogEvent& e = stored.event;
    if (!isPermanentRefusal(e) || e.client.isEmpty()
        || !m_submitters.contains(submitterKey(e.host, e.client)))
        return std::nullopt;
    LogMessage m;
    m.format = e.format;
    m.host = e.host;
    m.sender = lowerCase(e.sender);
    m.hasSender = e.hasSender;
    m.client = e.client;
    m.queuedAt = e.time;
    const LoggedAttempt a = refusalAttempt(e, stored.row);
    LoggedRecipient& rcpt = m.recipient(e.recipient);
    rcpt.attempts.append(a);
    if (isInbound(m, rcpt))
        return std::nullopt;
    const bounce::ReasonResult reason = classifyLogged(m, a, rcpt.address);
    FateRecord f;
    f.host = m.host;
    f.sender = m.sender;
    f.recipient = rcpt.address;
    f.fate = Fate::Rejected;
    f.queuedAt = e.time;
    f.finalAt = e.time;
    f.reason = reason.reason;
    f.status = e.dsn.isEmpty() ? reason.status : e.dsn;
    f.replyCode = e.smtpCode > 0 ? QString::number(e.smtpCode) : reason.replyCode;
    f.diagnostic = e.replyText;
    f.decidedBy = u"log"_s;
    f.evidence << joinedEvidence(u"the smarthost refused it while "_s + e.client
                                     + u" submitted it; the message was not queued"_s,
                                 {}, e.replyText);
    f.steps << stepFor(a);
    return f;
}

} // namespace bi::core::fate
