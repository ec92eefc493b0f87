// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/fate/fate_engine.h"

#include <algorithm>
#include <cstdlib>

#include <QRegularExpression>

#include "core/bounce/address.h"
#include "core/bounce/reason_classifier.h"
#include "core/bounce/status_code.h"
#include "core/common/text_case.h"
#include "core/mail/mail_date.h"

using namespace Qt::StringLiterals;

namespace bi::core::fate {

using logs::DeliveryOutcome;

namespace {

// A bounce for mail we sent arrives after the attempt it reports on; leave slack for clocks
// of different hosts, and give up on joins by recipient alone after this long.
constexpr qint64 kClockSlackSeconds = 15 * 60;
constexpr qint64 kRecipientJoinWindowSeconds = 60LL * 24 * 3600;
// A bounce's Arrival-Date or quoted Date names a send this near it (clocks, a message
// written some minutes before it was sent, a receiving relay before the reporting server).
constexpr qint64 kNamedTimeSlackSeconds = 30 * 60;
// The confidence of a match by recipient and time window alone (the last resort).
constexpr double kWindowConfidence = 0.6;
// Fates held for such a match at most (some 2 KB each); past it they are decided at once,
// the bounce going to the first send that claims it, so memory stays bounded.
constexpr qsizetype kMaxHeld = 100000;

QString hostLabel(const QString& host)
{
    return host.section(u'.', 0, 0).toLower();
}

// The queue ids a quoted original's Received fields give, with the first label of the host
// that gave each: "by relay1.shop.example (Postfix) with ESMTPSA id 4QyVtS1kM3z9rxB" (Postfix,
// Exim, Sendmail and OpenSMTPD write "id"); qmail's "(qmail 16552 invoked from network)" names
// the queuing process, given as "qmail qp 16552" with no host. Exchange's "id 15.20.7386.17"
// is its version.
QList<std::pair<QString, QString>> stampIds(const QStringList& received)
{
    static const QRegularExpression byId(uR"(\bby\s+([A-Za-z0-9][A-Za-z0-9.-]*).*?\bid\s+([A-Za-z0-9][A-Za-z0-9._-]{3,}))"_s,
                                         QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression qmail(uR"(^\s*\(qmail\s+(\d+)\s+invoked\b)"_s);
    static const QRegularExpression version(uR"(^[0-9.]+$)"_s);
    QList<std::pair<QString, QString>> out;
    for (const QString& stamp : received) {
        if (const auto m = qmail.match(stamp); m.hasMatch()) {
            out.append({u"qmail qp "_s + m.captured(1), QString()});
            continue;
        }
        const auto m = byId.match(stamp);
        if (m.hasMatch() && !version.match(m.captured(2)).hasMatch())
            out.append({m.captured(2), hostLabel(m.captured(1))});
    }
    return out;
}

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

// A next hop on the same machine: a content filter (amavis on 127.0.0.1:10024), or the local
// MTA a submission program hands its mail to (Sendmail's MSP to [127.0.0.1]).
bool isLoopbackRelay(const QString& relay)
{
    QStringView r = QStringView(relay).trimmed();
    if (r.startsWith(u'['))
        r = r.sliced(1);
    return r.startsWith(u"127.") || r.startsWith(u"localhost", Qt::CaseInsensitive) || r.startsWith(u"::1")
        || r.contains(u"[127.") || r.contains(u"[::1]");
}

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
    before.steps << std::move(f.steps);
    f.steps = std::move(before.steps);
}

// The host name in a relay as the logs write it: "mx.far.example[198.51.100.9]:25" (Postfix),
// "EXCH02.corp.example[10.0.0.32]" (Exchange), "mx.far.example. [198.51.100.9]" (Sendmail),
// "198.51.100.9 (mx.far.example)" (OpenSMTPD); lower case, empty when it names only an address.
QString relayHostName(const QString& relay)
{
    QStringView r = QStringView(relay).trimmed();
    if (const qsizetype open = r.indexOf(u'('); open >= 0) {
        const qsizetype close = r.indexOf(u')', open);
        r = close > open ? r.sliced(open + 1, close - open - 1) : QStringView();
    } else if (const qsizetype bracket = r.indexOf(u'['); bracket >= 0) {
        r = r.first(bracket);
    }
    r = r.trimmed();
    while (r.endsWith(u'.'))
        r.chop(1);
    if (r.isEmpty() || r.contains(u':') || std::all_of(r.begin(), r.end(), [](QChar c) { return c == u'.' || c.isDigit(); }))
        return {};
    return r.toString().toLower();
}

// A delivery agent on the smarthost itself: Postfix local, virtual, pipe to dovecot or
// maildrop, LMTP over a private socket; qmail's and OpenSMTPD's local deliveries.
bool isLocalDeliveryRelay(const QString& relay)
{
    const QString r = relay.toLower();
    return r == u"local" || r == u"virtual" || r == u"maildrop" || r == u"procmail" || r == u"mbox"
        || r == u"maildir" || r.contains(u"private/") || r.contains(u"dovecot");
}

// How long after a recipient's final result the message's notices and removal still belong
// to its timeline (Postfix writes the non-delivery notice and "removed" in the same second).
constexpr qint64 kMessageStepSlackSeconds = 60;

// "accepted by mx.example[192.0.2.1]: 250 2.0.0 Ok", leaving out what the log did not say.
QString joinedEvidence(const QString& what, const QString& relay, const QString& text)
{
    QString out = what;
    if (!relay.isEmpty())
        out += (what == u"accepted" ? u" by "_s : u" at "_s) + relay;
    if (!text.isEmpty())
        out += u": "_s + text;
    return out;
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
    s.replyCode = a.smtpCode > 0 ? QString::number(a.smtpCode) : QString();
    s.text = a.text;
    if (a.refused)
        s.kind = TimelineStep::Kind::Refused;
    s.relay = a.refused ? QString() : a.relay; // a refusal's relay field holds the client
    s.logEventRow = a.eventRow;
    return s;
}

void sortSteps(FateRecord& r)
{
    const auto earlier = [](const TimelineStep& a, const TimelineStep& b) { return a.time < b.time; };
    // Steps are made in time order nearly always: checking costs less than a stable sort's
    // buffer and moves (which would leave sorted steps as they are).
    if (!std::is_sorted(r.steps.cbegin(), r.steps.cend(), earlier))
        std::stable_sort(r.steps.begin(), r.steps.end(), earlier);
}

// The reason a fate is given. An expired recipient's is the expiry itself however the fate
// was learnt: the log says status=expired, and the smarthost's notice quotes only the last
// deferral, whose own reason (greylisting: blocked) stays in the diagnostic. So a recipient
// gets the same reason with the log imported and from the mailbox alone.
QString fateReason(Fate fate, const QString& decoded)
{
    return fate == Fate::Expired ? u"expired"_s : decoded;
}

} // namespace

FateEngine::FateEngine(OwnIdentity own) : m_own(std::move(own)) {}

store::BounceRow FateEngine::MailboxEntry::row() const
{
    store::BounceRow r;
    r.messageId = messageRow;
    r.report.date = date;
    r.report.original.messageId = originalMessageId;
    r.report.queueId = queueId;
    r.report.envelopeId = envelopeId;
    r.report.to = to;
    r.report.postfixSender = postfixSender;
    r.report.reportingMta = writer.host; // writerHost() gives it back as it is
    r.report.recipients = {recipient};
    return r;
}

void FateEngine::addMailboxRecord(const store::BounceRow& row)
{
    if (row.report.recipients.isEmpty())
        return;
    const bounce::BounceRecipient& r = row.report.recipients.constFirst();
    if (r.kind != bounce::MessageKind::Bounce && r.kind != bounce::MessageKind::Delay)
        return;
    const int index = int(m_entries.size());
    MailboxEntry& e = m_entries.emplace_back();
    e.messageRow = row.messageId;
    e.date = row.report.date;
    e.originalMessageId = row.report.original.messageId;
    e.queueId = row.report.queueId;
    e.envelopeId = row.report.envelopeId;
    e.to = row.report.to;
    e.postfixSender = row.report.postfixSender;
    if (const auto d = mail::MailDate::parse(row.report.arrivalDate.toUtf8()))
        e.arrival = *d;
    if (const auto d = mail::MailDate::parse(row.report.original.date.toUtf8()))
        e.originalDate = *d;
    e.writer = MailboxVerdictRule::noticeWriter(row.report);
    if (r.kind == bounce::MessageKind::Bounce)
        m_writers.see(e.writer);
    e.recipient.kind = r.kind;
    e.recipient.recipient = r.recipient;
    e.recipient.originalRecipient = r.originalRecipient.isEmpty() ? forwardedFrom(row.report) : r.originalRecipient;
    e.recipient.action = r.action;
    e.recipient.status = r.status;
    e.recipient.replyCode = r.replyCode;
    e.recipient.reason = r.reason;
    e.recipient.hardBounce = r.hardBounce;
    e.recipient.diagnostic = r.diagnostic;
    e.recipient.remoteMta = r.remoteMta;
    if (!row.report.original.messageId.isEmpty())
        m_byMessageId.insert(row.report.original.messageId, index);
    if (!row.report.queueId.isEmpty())
        m_byQueueId.insert(row.report.queueId, index);
    if (!row.report.envelopeId.isEmpty())
        m_byEnvelopeId.insert(row.report.envelopeId, index);
    for (auto& [id, host] : stampIds(row.report.original.received))
        m_byStampId.insert(id, {index, std::move(host)});
    m_byRecipient.insert(r.recipient.toLower(), index);
    if (!r.originalRecipient.isEmpty() && r.originalRecipient.toLower() != r.recipient.toLower())
        m_byRecipient.insert(r.originalRecipient.toLower(), index);
    const QString verp = bounce::Address::verpRecipient(row.report.to);
    if (!verp.isEmpty() && verp != r.recipient.toLower())
        m_byRecipient.insert(verp, index);
}

QList<FateEngine::Match> FateEngine::findMatches(const LogMessage& m, const LoggedRecipient& rcpt,
                                                 const QDateTime& after)
{
    QList<Match> out;
    auto sameRecipient = [&rcpt](const MailboxEntry& e) {
        const bounce::BounceRecipient& r = e.recipient;
        const QString a = r.recipient.toLower();
        const QString o = r.originalRecipient.toLower();
        return a == rcpt.address || (!rcpt.originalAddress.isEmpty() && a == rcpt.originalAddress)
            || (!o.isEmpty() && o == rcpt.address);
    };
    auto notBefore = [&after](const MailboxEntry& e) {
        const QDateTime d = e.date;
        return !d.isValid() || !after.isValid() || d.secsTo(after) <= kClockSlackSeconds;
    };
    // exact: the bounce names this send by an id only it has; one dated before the send
    // then says the log's dates are off (bouncesBeforeTheirSend()).
    auto consider = [&](int index, double confidence, const auto& how, bool exact) {
        const MailboxEntry& e = m_entries.at(index);
        if (!sameRecipient(e))
            return;
        if (!notBefore(e)) {
            if (exact && m_beforeTheirSend.size() < kMaxHeld)
                m_beforeTheirSend.insert(index);
            return;
        }
        if (e.consumed)
            return;
        for (const Match& existing : out) {
            if (existing.index == index)
                return;
        }
        out.append({index, confidence, how()});
    };
    if (!m.messageId.isEmpty()) {
        for (auto it = m_byMessageId.constFind(m.messageId); it != m_byMessageId.cend() && it.key() == m.messageId; ++it)
            consider(it.value(), 1.0, [&] { return u"original Message-ID <%1>"_s.arg(m.messageId); }, true);
    }
    if (!m.queueId.isEmpty()) {
        for (auto it = m_byQueueId.constFind(m.queueId); it != m_byQueueId.cend() && it.key() == m.queueId; ++it) {
            const QString& writer = m_entries.at(it.value()).writer.host;
            if (writer.isEmpty() || m.host.isEmpty() || hostLabel(writer) == hostLabel(m.host))
                consider(it.value(), 0.95, [&] { return u"queue id %1 quoted by the notice"_s.arg(m.queueId); }, true);
        }
    }
    // Our smarthost's own stamp in the quoted original: its queue id, given by its host (a
    // log without host names, Exim's, takes the id alone: Exim's ids are unique enough).
    if (!m.queueId.isEmpty()) {
        for (auto it = m_byStampId.constFind(m.queueId); it != m_byStampId.cend() && it.key() == m.queueId; ++it) {
            if (m.host.isEmpty() || it->second == hostLabel(m.host)) {
                consider(it->first, 0.95,
                         [&] { return u"queue id %1 in the quoted original's Received field"_s.arg(m.queueId); }, true);
            }
        }
    }
    // The receiving server's own queue id, which it named when it took the message ("250
    // 2.0.0 Ok: queued as 4T19e9f4") and which its later bounce carries (X-Postfix-Queue-ID,
    // its stamp in the quoted original): a bounce written after accepting, by that server.
    for (const LoggedAttempt& a : rcpt.attempts) {
        if (a.outcome != logs::DeliveryOutcome::Sent || a.nextQueueId.isEmpty() || isLoopbackRelay(a.relay)
            || (!m_byQueueId.contains(a.nextQueueId) && !m_byStampId.contains(a.nextQueueId)))
            continue;
        const QString label = hostLabel(relayHostName(a.relay));
        const auto how = [&a] {
            return u"the receiving server's queue id %1, given when it accepted the message"_s.arg(a.nextQueueId);
        };
        for (auto it = m_byQueueId.constFind(a.nextQueueId); it != m_byQueueId.cend() && it.key() == a.nextQueueId; ++it) {
            const QString& writer = m_entries.at(it.value()).writer.host;
            if (label.isEmpty() || writer.isEmpty() || hostLabel(writer) == label)
                consider(it.value(), 0.95, how, true);
        }
        for (auto it = m_byStampId.constFind(a.nextQueueId); it != m_byStampId.cend() && it.key() == a.nextQueueId; ++it) {
            if (label.isEmpty() || it->second.isEmpty() || it->second == label)
                consider(it->first, 0.95, how, true);
        }
    }
    if (!m.queuingProcess.isEmpty()) {
        const QString key = u"qmail qp "_s + m.queuingProcess;
        for (auto it = m_byStampId.constFind(key); it != m_byStampId.cend() && it.key() == key; ++it) {
            consider(it->first, 0.9, [&] {
                return u"qmail process %1 that queued it, in the quoted original's Received field"_s.arg(m.queuingProcess);
            }, false);
        }
    }
    if (!m.envelopeId.isEmpty()) {
        for (auto it = m_byEnvelopeId.constFind(m.envelopeId); it != m_byEnvelopeId.cend() && it.key() == m.envelopeId; ++it)
            consider(it.value(), 0.95, [&] { return u"envelope id %1"_s.arg(m.envelopeId); }, true);
    }
    if (out.isEmpty()) {
        // Last resort: the same recipient, a bounce that names no original we could check,
        // soon enough after the attempt.
        for (auto it = m_byRecipient.constFind(rcpt.address); it != m_byRecipient.cend() && it.key() == rcpt.address; ++it) {
            const MailboxEntry& e = m_entries.at(it.value());
            if (!e.originalMessageId.isEmpty() && !m.messageId.isEmpty())
                continue; // it names another message
            const QDateTime d = e.date;
            if (d.isValid() && after.isValid() && after.secsTo(d) > kRecipientJoinWindowSeconds)
                continue;
            consider(it.value(), kWindowConfidence, [] { return u"recipient and time window"_s; }, false);
        }
    }
    std::stable_sort(out.begin(), out.end(), [this](const Match& a, const Match& b) {
        if (a.confidence != b.confidence)
            return a.confidence > b.confidence;
        return m_entries.at(a.index).date < m_entries.at(b.index).date;
    });
    return out;
}

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
    if (record.fate == Fate::Delivered && !verdict.writtenByUs) {
        record.fate = Fate::AsyncBounce;
        record.bounceAt = report.date.toUTC();
        record.reason = r.reason;
        record.status = r.status;
        record.replyCode = r.replyCode;
        record.diagnostic = r.diagnostic;
        record.decidedBy = u"log+mailbox"_s;
        step.kind = TimelineStep::Kind::AsyncBounce;
        record.evidence.prepend(u"accepted with 2xx, then a bounce arrived (matched by %1)"_s.arg(match.how));
        record.evidence << verdict.evidence;
    } else if (record.fate == Fate::Deferred) {
        // The log ends before the message was given up; the mailbox knows the end.
        record.fate = verdict.fate;
        record.finalAt = report.date.toUTC();
        if (verdict.fate == Fate::AsyncBounce)
            record.bounceAt = report.date.toUTC();
        record.reason = fateReason(verdict.fate, r.reason);
        record.status = r.status;
        record.replyCode = r.replyCode;
        record.diagnostic = r.diagnostic;
        record.decidedBy = u"log+mailbox"_s;
        step.kind = verdict.fate == Fate::AsyncBounce ? TimelineStep::Kind::AsyncBounce : TimelineStep::Kind::NoticeReceived;
        record.evidence << u"the log ends while the message was deferred; the mailbox has its notice (%1)"_s.arg(match.how);
        record.evidence << verdict.evidence;
    } else {
        step.kind = TimelineStep::Kind::NoticeReceived;
        record.decidedBy = u"log+mailbox"_s;
        record.evidence << u"the notice in the mailbox confirms it (matched by %1)"_s.arg(match.how);
    }
    record.steps << step;
}

bool FateEngine::isInbound(const LogMessage& m, const LoggedRecipient& rcpt) const
{
    if (rcpt.attempts.isEmpty())
        return false;
    // Delivered (or refused) by the smarthost's own delivery agent, or refused at RCPT.
    const LoggedAttempt& last = rcpt.attempts.constLast();
    if (!last.refused && !isLocalDeliveryRelay(last.relay))
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
    if (!m.client.isEmpty() && m_submitters.size() < kMaxSubmitters) {
        const bool relayedOut = std::any_of(m.recipients.cbegin(), m.recipients.cend(), [](const LoggedRecipient& r) {
            return std::any_of(r.attempts.cbegin(), r.attempts.cend(), [](const LoggedAttempt& a) {
                return !a.refused && !a.relay.isEmpty() && !isLocalDeliveryRelay(a.relay) && !isLoopbackRelay(a.relay);
            });
        });
        if (relayedOut)
            m_submitters.insert(submitterKey(m.host, m.client));
    }
    for (const LoggedRecipient& rcpt : m.recipients) {
        if (isInbound(m, rcpt))
            continue;
        FateRecord f;
        f.messageId = m.messageId;
        f.queueId = m.queueId;
        f.host = m.host;
        f.sender = m.sender;
        f.recipient = rcpt.address;
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
        } else if (last->outcome == DeliveryOutcome::Sent) {
            f.fate = Fate::Delivered;
            f.finalAt = last->time;
            f.status = last->dsn;
            f.replyCode = last->smtpCode > 0 ? QString::number(last->smtpCode) : QString();
            f.evidence << joinedEvidence(u"accepted"_s, last->relay, last->text);
        } else if (last->outcome == DeliveryOutcome::Bounced) {
            const bounce::ReasonResult reason = classifyLogged(m, *last, rcpt.address);
            f.fate = Fate::Rejected;
            f.finalAt = last->time;
            f.reason = reason.reason;
            f.status = last->dsn.isEmpty() ? reason.status : last->dsn;
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
            f.status = last->dsn;
            f.replyCode = last->smtpCode > 0 ? QString::number(last->smtpCode) : QString();
            f.diagnostic = last->text;
            f.evidence << (last->text.isEmpty()
                               ? u"retried %1 times until the queue lifetime ran out"_s.arg(f.deferrals)
                               : u"retried %1 times until the queue lifetime ran out; last: %2"_s.arg(f.deferrals).arg(last->text));
            if (!expiry)
                f.steps << TimelineStep{TimelineStep::Kind::Expired, m.expiredAt, last->dsn, {}, {}, {}, m.expiredRow, 0};
        } else if (m.removedAt.isValid() && m.removedAt >= last->time) {
            // Taken out of the queue while still deferred (postsuper -d, Exim "removed by
            // root"): never delivered and no longer retried. The log's last word on it stands.
            f.fate = Fate::Deferred;
            f.finalAt = m.removedAt;
            f.status = last->dsn;
            f.diagnostic = last->text;
            f.evidence << u"removed from the queue while still deferred, without a notice to the sender "
                          u"(deleted by an administrator?)"_s
                    + (last->text.isEmpty() ? QString() : u"; last: "_s + last->text);
        } else {
            f.fate = Fate::Deferred;
            f.status = last->dsn;
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
            f.status = rb.dsn.isEmpty() ? reason.status : rb.dsn;
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
        const auto concerns = [&f](const QDateTime& t) {
            return f.fate == Fate::Deferred || !f.finalAt.isValid() || !t.isValid()
                || t <= f.finalAt.addSecs(kMessageStepSlackSeconds);
        };
        for (const LoggedNotice& n : m.notices) {
            if (!concerns(n.time))
                continue;
            TimelineStep s;
            s.kind = TimelineStep::Kind::NoticeGenerated;
            s.time = n.time;
            s.text = logs::notificationKindName(n.kind) + u" notice "_s + n.newQueueId;
            s.logEventRow = n.eventRow;
            f.steps << s;
        }
        if (m.removedAt.isValid() && concerns(m.removedAt))
            f.steps << TimelineStep{TimelineStep::Kind::Removed, m.removedAt, {}, {}, {}, {}, m.removedRow, 0};

        // Handed on inside our side: to a content filter or signing proxy on this host, which
        // queues it again under the id it answered with, or to another of our hosts (an
        // Exchange organisation's internal hop, a relay chain), where the message goes on
        // under that id or, when the answer names none, under its Message-ID.
        if (f.fate == Fate::Delivered && last && m_handedOff.size() < kMaxHeld) {
            const bool loopback = isLoopbackRelay(last->relay);
            const QString next = loopback ? QString() : relayHostName(last->relay);
            // Another host of ours whose log may be here: in our domains and named like a
            // logged host. Strict, since a fate handed off and never taken up is no longer
            // matched with the mailbox's bounces.
            const bool ours = !loopback && !next.isEmpty() && !isLocalDeliveryRelay(last->relay)
                && hostLabel(next) != hostLabel(m.host) && m_own.hasHostNamed(hostLabel(next)) && m_own.isOwnHost(next);
            QString key;
            if ((loopback || ours) && !last->nextQueueId.isEmpty())
                key = handOffKey(last->nextQueueId, rcpt.address);
            else if (ours && !m.messageId.isEmpty())
                key = handOffKey(u'<' + m.messageId + u">@"_s + hostLabel(next), rcpt.address);
            if (!key.isEmpty()) {
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
        // Matches by recipient and time window come only when there is no better one, and
        // then all are such.
        if (!matches.isEmpty() && matches.constFirst().confidence <= kWindowConfidence && m_held.size() < kMaxHeld) {
            m_held.append({std::move(f), after, matches});
            continue;
        }
        for (const Match& match : matches) {
            MailboxEntry& entry = m_entries[match.index];
            entry.consumed = true;
            applyMailbox(f, entry, match);
        }
        sortSteps(f);
        out << f;
    }
    return out;
}

QList<FateRecord> FateEngine::releaseHeld()
{
    // Handed off, and the message that went on with them is not in the log: delivered to
    // the filter or host is all the log tells, and the mailbox may hold their bounces. In a
    // fixed order (the hash's changes from run to run).
    QList<HandedOff> leftovers;
    leftovers.reserve(m_handedOff.size());
    for (HandedOff& h : m_handedOff)
        leftovers << std::move(h);
    m_handedOff.clear();
    std::sort(leftovers.begin(), leftovers.end(), [](const HandedOff& x, const HandedOff& y) {
        const FateRecord& a = x.record;
        const FateRecord& b = y.record;
        return std::tie(a.queuedAt, a.host, a.queueId, a.recipient) < std::tie(b.queuedAt, b.host, b.queueId, b.recipient);
    });
    QList<FateRecord> handedOff;
    for (HandedOff& h : leftovers) {
        h.record.evidence << u"the log does not show the message after the hand-off"_s;
        const QList<Match> matches = findMatches(h.message, h.recipient, h.after);
        if (!matches.isEmpty() && matches.constFirst().confidence <= kWindowConfidence && m_held.size() < kMaxHeld) {
            m_held.append({std::move(h.record), h.after, matches});
            continue;
        }
        for (const Match& match : matches) {
            MailboxEntry& entry = m_entries[match.index];
            entry.consumed = true;
            applyMailbox(h.record, entry, match);
        }
        sortSteps(h.record);
        handedOff << std::move(h.record);
    }

    // Each bounce to the send that claimed it whose times it names: the reporting server's
    // Arrival-Date near the send's acceptance, else the quoted original's Date near its
    // queueing (a recipient mailed daily gets sends a day apart); without either, or when no
    // claimer is that near, the latest send (every claim is before the bounce: findMatches
    // checked); the first in log order on a tie. A better match made later in the log took
    // it already (consumed).
    const auto distance = [this](const MailboxEntry& e, const Held& held) -> qint64 {
        const FateRecord& f = held.record;
        if (e.arrival.isValid() && f.finalAt.isValid())
            return std::abs(e.arrival.secsTo(f.finalAt));
        if (e.originalDate.isValid() && f.queuedAt.isValid())
            return std::abs(e.originalDate.secsTo(f.queuedAt));
        return -1;
    };
    const auto nearer = [&](const MailboxEntry& e, const Held& a, const Held& b) {
        const qint64 da = distance(e, a), db = distance(e, b);
        const bool aNear = da >= 0 && da <= kNamedTimeSlackSeconds;
        const bool bNear = db >= 0 && db <= kNamedTimeSlackSeconds;
        if (aNear != bNear)
            return aNear;
        if (aNear && da != db)
            return da < db;
        return b.after < a.after;
    };
    QHash<int, qsizetype> winner;
    for (qsizetype h = 0; h < m_held.size(); ++h) {
        for (const Match& match : std::as_const(m_held.at(h).matches)) {
            const MailboxEntry& entry = m_entries.at(match.index);
            if (entry.consumed)
                continue;
            const auto it = winner.find(match.index);
            if (it == winner.end())
                winner.insert(match.index, h);
            else if (nearer(entry, m_held.at(h), m_held.at(*it)))
                *it = h;
        }
    }
    QList<FateRecord> out;
    out.reserve(m_held.size());
    for (qsizetype h = 0; h < m_held.size(); ++h) {
        Held& held = m_held[h];
        for (const Match& match : std::as_const(held.matches)) {
            if (winner.value(match.index, -1) != h)
                continue;
            MailboxEntry& entry = m_entries[match.index];
            entry.consumed = true;
            applyMailbox(held.record, entry, match);
        }
        sortSteps(held.record);
        out << std::move(held.record);
    }
    m_held.clear();
    out << std::move(handedOff);
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

QList<FateRecord> FateEngine::mailboxOnly()
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
