// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/report/report_composer.h"

#include <algorithm>
#include <utility>

#include "core/report/reason_advice.h"

using namespace Qt::StringLiterals;

namespace bi::core::report {

namespace {

using store::Fate;

const QString kScope = u"Scope"_s;
const QString kSummary = u"Executive summary"_s;
const QString kFailures = u"How delivery failed"_s;
const QString kProviders = u"Receiving providers and domains"_s;
const QString kReasons = u"Reasons by cause"_s;
const QString kCharts = u"Charts"_s;
const QString kBackscatter = u"Backscatter"_s;
const QString kRecommendations = u"Recommendations"_s;
const QString kAppendix = u"Appendix: suppression list"_s;

// Palette indexes of the layout (pdf_layout.cpp): green, red, orange, purple, blue, grey.
constexpr int kFateColour[] = {0, 1, 2, 3, 5};
const QString kFateLabel[] = {u"Delivered"_s, u"Rejected"_s, u"Expired"_s, u"Asynchronous bounce"_s,
                              u"Still deferred"_s};

QString utc(const QDateTime& t)
{
    return t.isValid() ? t.toUTC().toString(u"yyyy-MM-dd HH:mm:ss"_s) : u"\u2013"_s;
}

QString duration(double seconds)
{
    if (seconds < 0)
        return u"\u2013"_s;
    if (seconds < 120)
        return u"%1 s"_s.arg(qint64(seconds));
    if (seconds < 7200)
        return u"%1 min"_s.arg(seconds / 60, 0, 'f', 1);
    if (seconds < 2 * 86400)
        return u"%1 h"_s.arg(seconds / 3600, 0, 'f', 1);
    return u"%1 d"_s.arg(seconds / 86400, 0, 'f', 1);
}

// A SHA-256 in two halves of 32 digits, so the table cell wraps between them and a reader
// can compare it with sha256sum's output at a glance.
QString hashText(const QString& sha256)
{
    if (sha256.isEmpty())
        return u"(not recorded)"_s;
    return sha256.size() == 64 ? sha256.left(32) + u' ' + sha256.mid(32) : sha256;
}

QString periodText(const ReportData& d)
{
    const QString from = d.from.isValid() ? d.from.toString(Qt::ISODate)
                                          : (d.firstSeen.isValid() ? d.firstSeen.date().toString(Qt::ISODate) : u"\u2013"_s);
    const QString to = d.to.isValid() ? d.to.toString(Qt::ISODate)
                                      : (d.lastSeen.isValid() ? d.lastSeen.date().toString(Qt::ISODate) : u"\u2013"_s);
    if (!d.from.isValid() && !d.firstSeen.isValid() && d.to.isValid())
        return u"up to %1 (UTC)"_s.arg(to);
    if (!d.to.isValid() && !d.lastSeen.isValid() && (d.from.isValid() || d.firstSeen.isValid()))
        return u"from %1 (UTC)"_s.arg(from);
    return u"%1 to %2 (UTC)"_s.arg(from, to);
}

void titlePage(ReportDocument& doc, const ReportData& d)
{
    doc.heading(u"Deliverability report"_s);
    doc.paragraph(d.title, false, true);
    doc.paragraph(u"Period: %1. Generated %2 UTC by Bounce Inspector from the project file %3.%4"_s.arg(
        periodText(d), utc(d.generatedAt), d.projectFile,
        d.redacted ? u" Addresses are redacted: their local parts are replaced by a stable short hash, domains "
                     u"are kept, and no message content is shown."_s
                   : QString()));
    doc.heading(kScope, 2);
    TableBlock sources{{u"Source"_s, u"Kind"_s, u"SHA-256"_s, u"Records"_s, u"Decoded"_s, u"Status"_s},
                       {2.0, 0.9, 3.4, 1.3, 0.8, 0.8},
                       {false, false, false, true, true, false},
                       {},
                       true};
    for (const ReportData::Source& s : d.sources) {
        const bool log = s.kind.contains(u"log");
        sources.rows << QStringList{s.name, s.kind, hashText(s.sha256),
                                    u"%1 %2"_s.arg(s.records).arg(log ? u"lines"_s : u"messages"_s),
                                    // A log line can hold several events (an Exim bounce arrival,
                                    // an Exchange row for many recipients): they are not lines.
                                    log ? u"%1 events"_s.arg(s.decoded) : QString::number(s.decoded), s.status};
    }
    if (sources.rows.isEmpty())
        doc.paragraph(u"The project has no sources."_s);
    else
        doc.table(sources);
    doc.paragraph(u"Mailboxes: %1 messages read, %2 decoded as delivery reports (bounces, delay notices, "
                  u"complaints, auto-replies) and %3 ordinary messages; %4 bounces could not be decoded to a "
                  u"recipient. Logs: %5 lines read, giving %6 delivery events (a line can give none, one or "
                  u"several)."_s
                      .arg(d.mailboxMessages).arg(d.mailboxReports).arg(d.mailboxOther).arg(d.bouncesUndecoded)
                      .arg(d.logLines).arg(d.logEvents));
}

void summary(ReportDocument& doc, const ReportData& d)
{
    doc.heading(kSummary, 1, true);
    const qint64 n = d.recipients;
    TableBlock t{{u"Outcome"_s, u"Recipients"_s, u"Share"_s}, {3, 1.2, 1.2}, {false, true, true}, {}, false};
    for (int i = 0; i < ReportData::kFates; ++i)
        t.rows << QStringList{kFateLabel[i], QString::number(d.fates[size_t(i)]),
                              ReportComposer::share(d.fates[size_t(i)], n)};
    t.rows << QStringList{u"All recipients"_s, QString::number(n), ReportComposer::share(n, n)};
    t.rows << QStringList{u"Hard bounces"_s, QString::number(d.hardBounces), ReportComposer::share(d.hardBounces, n)};
    t.rows << QStringList{u"Deferred at least once"_s, QString::number(d.deferredOnce),
                          ReportComposer::share(d.deferredOnce, n)};
    t.rows << QStringList{u"Complaints"_s, QString::number(d.complaints), QString()};
    t.rows << QStringList{u"Backscatter received"_s,
                          d.verdictsComputed ? QString::number(d.inboundBackscatter) : u"not computed"_s, QString()};
    t.rows << QStringList{u"Backscatter sent"_s,
                          d.verdictsComputed ? QString::number(d.outboundNotices) : u"not computed"_s, QString()};
    if (n == 0) {
        doc.paragraph(u"No mail was queued in the period: there are no recipients to report on. Choose another "
                      u"period, or import the logs or mailboxes that cover it."_s);
        return;
    }
    doc.paragraph(u"In the period, %1 messages were sent to %2 recipients. %3 of the recipients got the message "
                  u"(%4). %5 were refused outright during the SMTP transaction, %6 expired in the queue after "
                  u"retries, and %7 were accepted first and bounced later; %8 are still being retried."_s
                      .arg(d.messages).arg(n).arg(d.fates[0]).arg(ReportComposer::share(d.fates[0], n))
                      .arg(d.fates[1]).arg(d.fates[2]).arg(d.fates[3]).arg(d.fates[4]));
    doc.paragraph(u"The hard-bounce rate (addresses that do not exist or domains that take no mail) is %1. %2 of "
                  u"the recipients were deferred at least once (deferral rate). %3"_s
                      .arg(ReportComposer::share(d.hardBounces, n), ReportComposer::share(d.deferredOnce, n),
                           d.complaints > 0 ? (d.complaints == 1 ? u"1 complaint arrived through a feedback loop."_s
                                                                  : u"%1 complaints arrived through feedback loops."_s.arg(d.complaints))
                                            : u"No complaint (feedback-loop report) was found."_s));
    doc.table(t);
}

void exampleTimeline(ReportDocument& doc, const std::optional<store::FateRecord>& example)
{
    if (!example) {
        doc.paragraph(u"None in this period."_s);
        return;
    }
    const store::FateRecord& f = *example;
    const QString code = QStringList{f.replyCode, f.status}.join(u' ').trimmed();
    doc.paragraph(u"Example: message %1 to %2 (%3%4)."_s.arg(
                      f.messageId.isEmpty() ? f.queueId : f.messageId, f.recipient,
                      f.reason.isEmpty() ? u"no reason given"_s : u"reason "_s + f.reason,
                      code.isEmpty() ? QString() : u", "_s + code),
                  true);
    TableBlock t{{u"Time (UTC)"_s, u"Step"_s, u"Status"_s, u"Detail"_s}, {1.5, 1.3, 0.8, 4.4}, {}, {}, true};
    const qsizetype steps = f.steps.size();
    for (qsizetype i = 0; i < steps; ++i) {
        // Long retry series: the first and last steps tell the story.
        if (steps > 14 && i == 6) {
            t.rows << QStringList{QString(), u"\u2026"_s, QString(), u"%1 more steps"_s.arg(steps - 12)};
            i = steps - 7;
            continue;
        }
        const store::TimelineStep& s = f.steps[i];
        QString detail = s.text;
        if (!s.relay.isEmpty())
            detail = detail.isEmpty() ? u"relay "_s + s.relay : detail + u" (relay "_s + s.relay + u')';
        t.rows << QStringList{utc(s.time), store::TimelineStep::kindName(s.kind),
                              QStringList{s.replyCode, s.status}.join(u' ').trimmed(), detail};
    }
    doc.table(t);
    if (!f.evidence.isEmpty())
        doc.paragraph(u"Why we know: "_s + f.evidence.first(), true);
}

void failures(ReportDocument& doc, const ReportData& d)
{
    doc.heading(kFailures, 1, true);
    doc.paragraph(u"A recipient's mail fails in one of three ways. Each is explained below with a real timeline "
                  u"from this project."_s);
    doc.heading(u"Rejected during the SMTP transaction (%1)"_s.arg(d.fates[1]), 2);
    doc.paragraph(u"The receiving server refused the recipient or the message with a permanent (5xx) reply "
                  u"while our server was still connected. The mail never arrived, and the reply says why."_s);
    if (d.refusedBySmarthost > 0)
        doc.paragraph(u"%1 of them never left our side: our own smarthost refused the recipient while the "
                      u"application submitted the message (a domain that does not exist, an address its own "
                      u"checks refuse). The application was told at once; these are fixed at the source."_s
                          .arg(d.refusedBySmarthost));
    exampleTimeline(doc, d.examples[0]);
    doc.heading(u"Expired in the queue (%1)"_s.arg(d.fates[2]), 2);
    doc.paragraph(u"The receiving side answered with temporary (4xx) errors or could not be reached; our server "
                  u"retried until the queue lifetime ran out and gave up."_s);
    exampleTimeline(doc, d.examples[1]);
    doc.heading(u"Bounced after acceptance (%1)"_s.arg(d.fates[3]), 2);
    doc.paragraph(u"The receiving server accepted the message (2xx) and later sent a bounce back: the log "
                  u"alone shows these as delivered; only the mailbox reveals them."_s);
    exampleTimeline(doc, d.examples[2]);
}

void providers(ReportDocument& doc, const ReportData& d)
{
    doc.heading(kProviders, 1, true);
    doc.paragraph(u"Per receiving domain: how many recipients (volume), what share was delivered, rejected, "
                  u"expired or bounced later (async), how long delivery took from queueing (median and 95th "
                  u"percentile), and the most frequent failure reasons with the providers' own codes."_s);
    TableBlock t{{u"Provider"_s, u"Domain"_s, u"Volume"_s, u"Deliv."_s, u"Rej."_s, u"Exp."_s, u"Async"_s,
                  u"Median"_s, u"p95"_s, u"Top reasons (code, count)"_s},
                 {1.0, 2.0, 0.8, 0.85, 0.85, 0.8, 0.85, 0.8, 0.8, 2.6},
                 {false, false, true, true, true, true, true, true, true, false},
                 {},
                 true};
    for (const ReportData::DomainRow& r : d.domains) {
        t.rows << QStringList{r.provider.isEmpty() ? u"\u2013"_s : r.provider, r.domain, QString::number(r.total),
                              ReportComposer::share(r.fates[0], r.total), ReportComposer::share(r.fates[1], r.total),
                              ReportComposer::share(r.fates[2], r.total), ReportComposer::share(r.fates[3], r.total),
                              duration(r.medianSeconds), duration(r.p95Seconds), r.topReasons.join(u"; "_s)};
    }
    if (t.rows.isEmpty())
        doc.paragraph(u"No recipient in this period."_s);
    else
        doc.table(t);
}

QString groupIntro(ReasonGroup g)
{
    switch (g) {
    case ReasonGroup::Recipient:
        return u"Problems of the addresses themselves: they do not exist, moved, or their mailboxes are full or "
               u"disabled. The fix is list hygiene."_s;
    case ReasonGroup::Infrastructure:
        return u"Problems of the sending or receiving systems: blocklists, reputation, authentication, DNS, "
               u"rate limits, queue expiry. The fix is in the sending setup, not in the list."_s;
    case ReasonGroup::Content:
        return u"Problems with what was sent: spam or virus filters, size, format or policy. The fix is in the "
               u"messages."_s;
    case ReasonGroup::Other:
        return u"Failures whose bounce did not say enough to tell the cause."_s;
    }
    return {};
}

void reasons(ReportDocument& doc, const ReportData& d)
{
    doc.heading(kReasons, 1, true);
    const qint64 failed = d.failed();
    doc.paragraph(u"The %1 failed recipients (rejected, expired or bounced later) split by who has to act."_s.arg(failed));
    for (const ReasonGroup g : allReasonGroups()) {
        qint64 inGroup = 0;
        TableBlock t{{u"Reason"_s, u"Failures"_s, u"Share"_s, u"Codes seen"_s, u"Meaning and example reply"_s},
                     {1.2, 0.8, 0.8, 1.5, 4.2},
                     {false, true, true, false, false},
                     {},
                     true};
        for (const ReportData::ReasonRow& r : d.reasons) {
            if (r.group != g)
                continue;
            inGroup += r.count;
            QString text = reasonAdvice(r.reason).meaning;
            if (!r.example.isEmpty())
                text += u". Reply: \u201C"_s + r.example.left(300) + u"\u201D"_s;
            t.rows << QStringList{r.reason, QString::number(r.count), ReportComposer::share(r.count, failed),
                                  r.codes.join(u", "_s), text};
        }
        if (g == ReasonGroup::Other && inGroup == 0)
            continue;
        doc.heading(u"%1 problems: %2 failures (%3)"_s.arg(reasonGroupTitle(g)).arg(inGroup)
                        .arg(ReportComposer::share(inGroup, failed)),
                    2);
        doc.paragraph(groupIntro(g));
        if (!t.rows.isEmpty())
            doc.table(t);
    }
}

// "day", "week (from Monday)" or "month", for the time charts' titles.
QString perWhat(PeriodUnit unit)
{
    return unit == PeriodUnit::Week ? u"week (from Monday)"_s : CalendarPeriods::unitName(unit);
}

void charts(ReportDocument& doc, const ReportData& d)
{
    doc.heading(kCharts, 1, true);
    ChartBlock outcomes{ChartBlock::Kind::StackedBars,
                        u"Outcomes per %1 (recipients, by first queueing, UTC)"_s.arg(perWhat(d.perDayUnit)),
                        {},
                        {},
                        u"recipients"_s};
    for (int i = 0; i < ReportData::kFates; ++i)
        outcomes.series << ChartSeries{kFateLabel[i], {}, kFateColour[i]};
    QDate previous;
    for (const ReportData::Day& day : d.perDay) {
        outcomes.categories << CalendarPeriods::shortLabel({day.day, day.last}, d.perDayUnit, std::exchange(previous, day.day));
        for (int i = 0; i < ReportData::kFates; ++i)
            outcomes.series[i].values << double(day.fates[size_t(i)]);
    }
    if (outcomes.categories.isEmpty())
        doc.paragraph(u"No recipient in this period, so there is no outcome chart."_s);
    else
        doc.chart(outcomes);
    if (d.perDayLeftOut > 0)
        doc.paragraph(u"%1 recipients first queued more than a year away from the others are not drawn."_s.arg(d.perDayLeftOut));
    if (d.verdictsComputed && !d.backscatterPerDay.isEmpty()) {
        ChartBlock b{ChartBlock::Kind::Bars, u"Backscatter volume per %1"_s.arg(perWhat(d.backscatterUnit)), {},
                     {ChartSeries{u"Received (inbound)"_s, {}, 3}, ChartSeries{u"Sent by our servers (outbound)"_s, {}, 4}},
                     u"notices"_s};
        QDate before;
        for (const ReportData::BackscatterDay& day : d.backscatterPerDay) {
            b.categories << CalendarPeriods::shortLabel({day.day, day.last}, d.backscatterUnit, std::exchange(before, day.day));
            b.series[0].values << double(day.inbound);
            b.series[1].values << double(day.outbound);
        }
        doc.chart(b);
        if (d.backscatterLeftOut > 0)
            doc.paragraph(u"%1 notices dated more than a year away from the others are not drawn."_s.arg(d.backscatterLeftOut));
    } else {
        doc.paragraph(d.verdictsComputed ? u"Backscatter volume: none in this period."_s
                                         : u"Backscatter volume: no backscatter verdicts were computed for this "
                                           u"project, so there is no chart."_s);
    }
    ChartBlock h{ChartBlock::Kind::Bars, u"Time from acceptance to asynchronous bounce (%1 bounces)"_s.arg(d.asyncWithTimes),
                 {}, {ChartSeries{u"Asynchronous bounces"_s, {}, 3}}, u"bounces"_s};
    for (const HistogramBin& bin : d.timeToBounce) {
        h.categories << bin.label;
        h.series[0].values << double(bin.count);
    }
    if (d.asyncWithTimes == 0)
        doc.paragraph(u"Time to asynchronous bounce: no asynchronous bounce with both times known."_s);
    else
        doc.chart(h);
}

void backscatter(ReportDocument& doc, const ReportData& d)
{
    doc.heading(kBackscatter, 1, true);
    if (!d.verdictsComputed) {
        doc.paragraph(u"No backscatter verdicts were computed for this project, so this report gives no "
                      u"backscatter figures. (Bounces are judged as ours or backscatter when the project is "
                      u"imported with a version that has the backscatter pass.)"_s);
        return;
    }
    doc.heading(u"Inbound: bounces about mail we did not send"_s, 2);
    const qint64 all = d.inboundOurs + d.inboundBackscatter + d.inboundUncertain;
    doc.paragraph(u"Of %1 bounces received in the period, %2 were about our own mail, %3 were backscatter (notices "
                  u"about spam that forged one of our addresses as its sender) and %4 could not be told apart."_s
                      .arg(all).arg(d.inboundOurs).arg(d.inboundBackscatter).arg(d.inboundUncertain));
    TableBlock v{{u"Verdict"_s, u"Bounces"_s, u"Share"_s}, {3, 1, 1}, {false, true, true}, {}, false};
    v.rows << QStringList{u"Ours"_s, QString::number(d.inboundOurs), ReportComposer::share(d.inboundOurs, all)};
    v.rows << QStringList{u"Backscatter"_s, QString::number(d.inboundBackscatter),
                          ReportComposer::share(d.inboundBackscatter, all)};
    v.rows << QStringList{u"Uncertain"_s, QString::number(d.inboundUncertain),
                          ReportComposer::share(d.inboundUncertain, all)};
    doc.table(v);
    if (!d.backscatterEvidence.isEmpty()) {
        doc.paragraph(u"Evidence summary: the strongest reason given for each backscatter verdict."_s);
        TableBlock e{{u"Evidence"_s, u"Verdicts"_s}, {6, 1}, {false, true}, {}, true};
        for (const auto& [text, n] : d.backscatterEvidence)
            e.rows << QStringList{text, QString::number(n)};
        doc.table(e);
    }
    doc.heading(u"Outbound: notices our servers sent to forged senders"_s, 2);
    doc.paragraph(u"Our smarthosts generated %1 bounce notices about accepted mail and sent them to addresses "
                  u"outside our own domains. Such notices hit innocent people whose address was forged, and they "
                  u"hurt our servers' reputation."_s.arg(d.outboundNotices));
    if (!d.outboundByKind.isEmpty()) {
        TableBlock k{{u"Kind of notice"_s, u"Notices"_s}, {4, 1}, {false, true}, {}, false};
        for (const auto& [kind, n] : d.outboundByKind)
            k.rows << QStringList{kind.isEmpty() ? u"(unknown)"_s : kind, QString::number(n)};
        doc.table(k);
    }
    if (!d.outboundByDomain.isEmpty()) {
        TableBlock k{{u"Sent to domain"_s, u"Notices"_s}, {4, 1}, {false, true}, {}, false};
        for (const auto& [domain, n] : d.outboundByDomain)
            k.rows << QStringList{domain.isEmpty() ? u"(none)"_s : domain, QString::number(n)};
        doc.table(k);
    }
}

void recommendations(ReportDocument& doc, const ReportData& d)
{
    doc.heading(kRecommendations, 1, true);
    QList<ReportData::ReasonRow> observed = d.reasons;
    std::stable_sort(observed.begin(), observed.end(), [](const auto& a, const auto& b) { return a.count > b.count; });
    QStringList items;
    for (const ReportData::ReasonRow& r : observed) {
        const ReasonAdvice a = reasonAdvice(r.reason);
        if (!a.advice.isEmpty())
            items << u"%1 (%2 failures: %3.)"_s.arg(a.advice).arg(r.count).arg(a.meaning);
    }
    if (d.recipients > 0 && d.deferredOnce * 10 > d.recipients)
        items << u"%1 of the recipients were deferred at least once: read the deferral replies per provider in "
                 u"the table above and adapt the sending rate to the providers that defer most."_s
                     .arg(ReportComposer::share(d.deferredOnce, d.recipients));
    if (d.complaints > 0)
        items << reasonAdvice(u"feedback").advice
                + (d.complaints == 1 ? u" (1 complaint.)"_s : u" (%1 complaints.)"_s.arg(d.complaints));
    if (d.verdictsComputed && d.outboundNotices > 0)
        items << u"Stop sending backscatter (%1 notices): reject unknown recipients and spam during the SMTP "
                 u"transaction instead of accepting and bouncing later."_s.arg(d.outboundNotices);
    if (!d.suppression.isEmpty())
        items << u"Load the %1 addresses of the appendix (also exported as suppression.csv) into the sending "
                 u"platform's suppression list."_s.arg(d.suppression.size());
    if (items.isEmpty())
        doc.paragraph(u"No failure in this period calls for a change."_s);
    else
        doc.bullets(items);
}

void appendix(ReportDocument& doc, const ReportData& d)
{
    doc.heading(kAppendix, 1, true);
    doc.paragraph(u"Addresses whose own failure justifies suppression: they do not exist, their domain takes no "
                  u"mail, the mailbox is disabled or full, or the owner complained. Addresses refused because of "
                  u"the sender's reputation, authentication, content or policy are not listed: they are not at "
                  u"fault. %1."_s.arg(d.suppression.size() == 1 ? u"1 address"_s
                                                                  : u"%1 addresses"_s.arg(d.suppression.size())));
    if (d.suppression.isEmpty())
        return;
    TableBlock t{{u"Address"_s, u"Reason"_s, u"Hard/soft"_s, u"First seen (UTC)"_s, u"Last seen (UTC)"_s, u"Count"_s},
                 {3, 1.2, 0.8, 1.5, 1.5, 0.6},
                 {false, false, false, false, false, true},
                 {},
                 true};
    for (const SuppressionEntry& e : d.suppression)
        t.rows << QStringList{e.address, e.reason, e.hard ? u"hard"_s : u"soft"_s, utc(e.firstSeen), utc(e.lastSeen),
                              QString::number(e.count)};
    doc.table(t);
}

} // namespace

QString ReportComposer::share(qint64 part, qint64 total)
{
    if (total <= 0)
        return u"\u2013"_s;
    return u"%1\u00a0%"_s.arg(100.0 * double(part) / double(total), 0, 'f', 1);
}

QStringList ReportComposer::sectionTitles()
{
    return {kScope, kSummary, kFailures, kProviders, kReasons, kCharts, kBackscatter, kRecommendations, kAppendix};
}

ReportDocument ReportComposer::compose(const ReportData& d)
{
    ReportDocument doc;
    doc.title = u"Deliverability report \u2013 %1"_s.arg(d.title);
    doc.runningHeader = u"%1 \u2013 %2"_s.arg(d.title, periodText(d));
    titlePage(doc, d);
    summary(doc, d);
    failures(doc, d);
    providers(doc, d);
    reasons(doc, d);
    charts(doc, d);
    backscatter(doc, d);
    recommendations(doc, d);
    appendix(doc, d);
    return doc;
}

} // namespace bi::core::report
