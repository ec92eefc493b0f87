// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/inspect/inspect_detail.h"

#include <algorithm>

#include <QFileInfo>
#include <QHash>
#include <QSet>

#include "core/mail/mime_adapter.h"
#include "core/store/fate_repository.h"
#include "core/store/log_repository.h"
#include "core/store/project_store.h"

using namespace Qt::StringLiterals;

namespace bi::core::inspect {

namespace {

using store::TimelineStep;

void collectText(const mail::MimePart& part, const QString& path, QList<TextPart>& out)
{
    if (!part.children.isEmpty()) {
        // text/rfc822-headers keeps its body and gets a parsed child: show the body once.
        if (part.mimeType() == "text/rfc822-headers") {
            out << TextPart{path, QString::fromLatin1(part.mimeType()), part.text()};
            return;
        }
        for (qsizetype i = 0; i < part.children.size(); ++i)
            collectText(part.children.at(i), path + u'.' + QString::number(i + 1), out);
        return;
    }
    const QByteArray type = part.mimeType();
    if (part.type == "text" || type == "message/delivery-status" || type == "message/global-delivery-status"
        || type == "message/feedback-report")
        out << TextPart{path, QString::fromLatin1(type), part.text()};
}

const mail::MimePart* findFirst(const mail::MimePart& part, const QList<QByteArray>& types)
{
    if (types.contains(part.mimeType()))
        return &part;
    for (const mail::MimePart& child : part.children) {
        if (const mail::MimePart* found = findFirst(child, types))
            return found;
    }
    return nullptr;
}

void sortSteps(QList<TimelineStep>& steps)
{
    // Stable: steps of the same moment keep the engine's order (queued before sent).
    std::stable_sort(steps.begin(), steps.end(), [](const TimelineStep& a, const TimelineStep& b) {
        if (a.time.isValid() != b.time.isValid())
            return a.time.isValid();
        return a.time.isValid() && a.time < b.time;
    });
}

Result<void> loadMessage(const store::ProjectStore& store, qint64 messageRow, InspectDetail& d)
{
    auto raw = store.rawMessage(messageRow);
    if (!raw)
        return raw.error();
    d.messageRow = messageRow;
    d.raw = *raw;
    InspectLoader::splitHeader(d.raw, &d.rawHeader, &d.rawBody);
    d.mime = mail::MimeAdapter::parse(d.raw);
    d.hasMime = true;
    d.textParts = InspectLoader::textParts(d.mime);
    d.embeddedOriginal = InspectLoader::embeddedOriginal(d.mime);
    return {};
}

Result<void> loadLogLines(const store::ProjectStore& store, InspectDetail& d)
{
    store::LogRepository logs(store);
    QList<store::StoredLogEvent> events;
    if (!d.fate.queueId.isEmpty()) {
        auto found = logs.eventsOf(d.fate.host, d.fate.queueId);
        if (!found)
            return found.error();
        events = *found;
    } else {
        QList<qint64> rows;
        for (const TimelineStep& s : std::as_const(d.steps)) {
            if (s.logEventRow)
                rows << s.logEventRow;
        }
        if (rows.isEmpty())
            return {};
        auto found = logs.events(rows);
        if (!found)
            return found.error();
        events = *found;
    }
    // One line can give several events (a delivery and the expiry it causes): show it once.
    QSet<std::pair<qint64, qint64>> seen;
    for (const store::StoredLogEvent& e : std::as_const(events)) {
        if (e.event.rawLine.isEmpty() || seen.contains({e.sourceId, e.event.lineNumber}))
            continue;
        seen.insert({e.sourceId, e.event.lineNumber});
        d.logLines << LogLine{e.sourceId, e.event.lineNumber, e.event.time, e.event.rawLine};
    }
    return {};
}

// "maillog:1234" for a step read from a log line, "bounces.mbox #12" for one from a message.
Result<QStringList> sourcesOfSteps(const store::ProjectStore& store, const QList<TimelineStep>& steps)
{
    QList<qint64> rows;
    for (const TimelineStep& s : steps) {
        if (!s.messageRow && s.logEventRow)
            rows << s.logEventRow;
    }
    QHash<qint64, std::pair<qint64, qint64>> lineOf; // event row -> (source, line)
    if (!rows.isEmpty()) {
        auto found = store::LogRepository(store).events(rows, false);
        if (!found)
            return found.error();
        for (const store::StoredLogEvent& e : std::as_const(*found))
            lineOf.insert(e.row, {e.sourceId, e.event.lineNumber});
    }
    // Only the sources cited (a Maildir makes a source of every message file).
    QHash<qint64, QString> fileOf;
    for (const auto& [sourceId, line] : std::as_const(lineOf)) {
        if (fileOf.contains(sourceId))
            continue;
        auto source = store.source(sourceId);
        if (!source)
            return source.error();
        fileOf.insert(sourceId, QFileInfo(source->path).fileName());
    }
    QStringList out;
    for (const TimelineStep& s : steps) {
        if (s.messageRow) {
            auto message = store.message(s.messageRow);
            out << (message ? u"%1 #%2"_s.arg(QFileInfo(message->file).fileName()).arg(message->message)
                            : u"message %1"_s.arg(s.messageRow));
        } else if (const auto it = lineOf.constFind(s.logEventRow); s.logEventRow && it != lineOf.constEnd()) {
            out << u"%1:%2"_s.arg(fileOf.value(it->first), QString::number(it->second));
        } else {
            out << QString(); // an event gone with its source, or a step of neither
        }
    }
    return out;
}

} // namespace

void InspectLoader::splitHeader(const QByteArray& raw, QByteArray* header, QByteArray* body)
{
    // The header section ends at the first empty line (RFC 5322 §2.1); a message that
    // starts with one has no header fields.
    qsizetype end = -1;
    qsizetype skip = 0;
    if (raw.startsWith("\r\n")) {
        end = 0;
        skip = 2;
    } else if (raw.startsWith('\n')) {
        end = 0;
        skip = 1;
    } else {
        const qsizetype lf = raw.indexOf("\n\n");
        const qsizetype crlf = raw.indexOf("\r\n\r\n");
        if (crlf >= 0 && (lf < 0 || crlf < lf)) {
            end = crlf + 2;
            skip = 2;
        } else if (lf >= 0) {
            end = lf + 1;
            skip = 1;
        }
    }
    if (end < 0) {
        *header = raw;
        body->clear();
        return;
    }
    *header = raw.first(end);
    *body = raw.sliced(end + skip);
}

QList<TextPart> InspectLoader::textParts(const mail::MimePart& root)
{
    QList<TextPart> out;
    collectText(root, u"1"_s, out);
    return out;
}

QByteArray InspectLoader::embeddedOriginal(const mail::MimePart& root)
{
    if (const mail::MimePart* m = findFirst(root, {"message/rfc822", "message/global"})) {
        if (!m->rawBody.isEmpty())
            return m->rawBody;
        if (!m->children.isEmpty()) {
            const mail::MimePart& inner = m->children.constFirst();
            return inner.rawHeader + "\n" + inner.rawBody;
        }
    }
    if (const mail::MimePart* h = findFirst(root, {"text/rfc822-headers"}))
        return h->body.isEmpty() ? h->rawBody : h->body;
    return {};
}

Result<InspectDetail> InspectLoader::loadFate(const store::ProjectStore& store, qint64 fateId)
{
    store::FateRepository fates(store);
    auto fate = fates.byId(fateId);
    if (!fate)
        return fate.error();
    InspectDetail d;
    d.fateId = fateId;
    d.hasFate = true;
    d.fate = *fate;
    d.steps = d.fate.steps;
    sortSteps(d.steps);
    d.title = u"%1 — %2"_s.arg(d.fate.shownRecipient(), store::fateName(d.fate.fate));
    if (!d.fate.reason.isEmpty())
        d.title += u" (%1)"_s.arg(d.fate.reason);

    qint64 messageRow = d.fate.bounceMessageRow;
    for (qsizetype i = d.steps.size() - 1; messageRow == 0 && i >= 0; --i)
        messageRow = d.steps.at(i).messageRow;
    if (messageRow > 0) {
        if (auto ok = loadMessage(store, messageRow, d); !ok)
            return ok.error();
    }
    if (auto ok = loadLogLines(store, d); !ok)
        return ok.error();
    auto sources = sourcesOfSteps(store, d.steps);
    if (!sources)
        return sources.error();
    d.stepSources = *sources;
    return d;
}

Result<InspectDetail> InspectLoader::loadBounce(const store::ProjectStore& store, qint64 messageId)
{
    auto message = store.message(messageId);
    if (!message)
        return message.error();
    InspectDetail d;
    const bounce::BounceReport& r = message->report;
    TimelineStep step;
    step.kind = TimelineStep::Kind::NoticeReceived;
    step.time = r.date.toUTC();
    step.messageRow = messageId;
    if (!r.recipients.isEmpty()) {
        const bounce::BounceRecipient& first = r.recipients.constFirst();
        step.status = first.status;
        step.replyCode = first.replyCode;
        step.text = first.diagnostic;
        step.relay = first.remoteMta;
        d.title = u"%1 — unmatched bounce"_s.arg(first.recipient);
        if (!first.reason.isEmpty())
            d.title += u" (%1)"_s.arg(first.reason);
    } else {
        d.title = u"%1 — unmatched bounce"_s.arg(r.subject);
    }
    d.steps << step;
    d.stepSources << u"%1 #%2"_s.arg(QFileInfo(message->file).fileName()).arg(message->message);
    if (auto ok = loadMessage(store, messageId, d); !ok)
        return ok.error();
    return d;
}

} // namespace bi::core::inspect
