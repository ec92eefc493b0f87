// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/fate_repository.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <optional>

#include <sqlite3.h>

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include "core/common/json_text.h"
#include "core/store/log_repository.h"
#include "core/store/project_store.h"
#include "core/store/recipient_grams.h"
#include "core/store/sql_helpers.h"
#include "core/store/sqlite_statement.h"

using namespace Qt::StringLiterals;

namespace bi::core::store {

namespace {

const QString kColumns = u"message_id, queue_id, host, sender, recipient, fate, reason, status, reply_code, "
                         u"diagnostic, queued_at, first_attempt_at, final_at, bounce_at, attempts, deferrals, "
                         u"decided_by, evidence, confidence, bounce_message_id, steps, original_recipient"_s;

QDateTime timeFrom(const QVariant& v)
{
    return v.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(v.toLongLong(), Qt::UTC);
}

// --- JSON written by hand --------------------------------------------------------------
// QJsonDocument builds a tree of QJsonValues per fate; at a hundred thousand fates with a
// dozen steps each that was a large part of the correlation. The output is the same JSON
// (keys in another order), read back with QJsonDocument; strings go through json::appendString.

// A member's key, `,"key":`, written into buf (keys are short ASCII literals, and buf has
// room for one and a number); returns where it ends.
constexpr size_t kMemberBuffer = 64;
char* putKey(char* buf, const char* key)
{
    const size_t n = std::strlen(key);
    Q_ASSERT(n + 4 + 20 <= kMemberBuffer);
    buf[0] = ',';
    buf[1] = '"';
    std::memcpy(buf + 2, key, n);
    buf[n + 2] = '"';
    buf[n + 3] = ':';
    return buf + n + 4;
}

void appendStringMember(QByteArray& out, const char* key, const QString& value)
{
    if (value.isEmpty())
        return;
    char buf[kMemberBuffer];
    out.append(buf, putKey(buf, key) - buf);
    json::appendString(out, value);
}

// A member with a number, in one append.
void appendIntMember(QByteArray& out, const char* key, qint64 value)
{
    char buf[kMemberBuffer];
    const auto end = std::to_chars(putKey(buf, key), buf + sizeof buf, value).ptr;
    out.append(buf, end - buf);
}

QString replyCodeOf(const logs::LogEvent& e)
{
    return e.smtpCode > 0 ? QString::number(e.smtpCode) : QString();
}

// Whether code is replyCodeOf(e), without making that string (asked for every step).
bool sameReplyCode(const QString& code, const logs::LogEvent& e)
{
    if (e.smtpCode <= 0)
        return code.isEmpty();
    char16_t digits[12];
    qsizetype n = 0;
    for (int v = e.smtpCode; v > 0; v /= 10)
        digits[n++] = char16_t(u'0' + v % 10);
    std::reverse(digits, digits + n);
    return QStringView(digits, n) == code;
}

// A step made from a delivery attempt (fate engine: stepFor) with nothing of its own.
bool repeatsEvent(const TimelineStep& s, const logs::LogEvent& e)
{
    switch (s.kind) {
    case TimelineStep::Kind::Deferred:
    case TimelineStep::Kind::Sent:
    case TimelineStep::Kind::HandedOn:
    case TimelineStep::Kind::Bounced:
    case TimelineStep::Kind::Expired:
    case TimelineStep::Kind::Refused:
        break;
    default:
        return false;
    }
    return s.messageRow == 0 && s.time == e.time && s.status == e.dsn && s.text == e.replyText
        && s.relay == e.relay && sameReplyCode(s.replyCode, e);
}

// The most steps one run stands for when read back: a damaged project cannot make a reader
// build millions of steps.
constexpr qint64 kMaxRun = 100000;

// steps: [{kind, t, status, reply, text, relay, log, msg}]. A step {kind, log, ref: 1} takes
// t, status, reply, text and relay from log event `log`. {kind, log, ref: 1, n, d} stands for n
// such steps of one kind, whose events are log, log + d, ... (d is 1 when left out): the
// deferrals of a recipient retried for days, dozens to hundreds of them, take one member.
QByteArray stepsJson(const QList<TimelineStep>& steps, const FateRepository::LogEventLookup& events)
{
    QByteArray out;
    out.reserve(64 * steps.size() + 2);
    out.append('[');
    const auto refersToEvent = [&events](const TimelineStep& s) {
        const logs::LogEvent* e = s.logEventRow && events ? events(s.logEventRow) : nullptr;
        return e && repeatsEvent(s, *e);
    };
    for (qsizetype i = 0; i < steps.size(); ++i) {
        const TimelineStep& s = steps.at(i);
        if (i > 0)
            out.append(',');
        out.append("{\"kind\":");
        json::appendString(out, TimelineStep::kindName(s.kind));
        if (refersToEvent(s)) {
            appendIntMember(out, "log", s.logEventRow);
            out.append(",\"ref\":1");
            qsizetype run = 1;
            qint64 stride = 0;
            while (i + run < steps.size() && run < kMaxRun) {
                const TimelineStep& next = steps.at(i + run);
                const qint64 step = next.logEventRow - steps.at(i + run - 1).logEventRow;
                if (next.kind != s.kind || step <= 0 || (stride != 0 && step != stride) || !refersToEvent(next))
                    break;
                stride = step;
                ++run;
            }
            if (run > 1) {
                appendIntMember(out, "n", run);
                if (stride != 1)
                    appendIntMember(out, "d", stride);
                i += run - 1;
            }
            out.append('}');
            continue;
        }
        if (s.time.isValid())
            appendIntMember(out, "t", s.time.toMSecsSinceEpoch());
        appendStringMember(out, "status", s.status);
        appendStringMember(out, "reply", s.replyCode);
        appendStringMember(out, "text", s.text);
        appendStringMember(out, "relay", s.relay);
        if (s.logEventRow)
            appendIntMember(out, "log", s.logEventRow);
        if (s.messageRow)
            appendIntMember(out, "msg", s.messageRow);
        out.append('}');
    }
    out.append(']');
    return out;
}

QByteArray evidenceJson(const QStringList& evidence)
{
    QByteArray out;
    json::appendStringArray(out, evidence);
    return out;
}

// Steps as read; references are listed for filling in.
QList<TimelineStep> stepsFrom(const QString& json, QList<std::pair<qsizetype, qint64>>& refs)
{
    QList<TimelineStep> out;
    const QJsonArray a = QJsonDocument::fromJson(json.toUtf8()).array();
    for (const QJsonValue& v : a) {
        const QJsonObject o = v.toObject();
        TimelineStep s;
        s.kind = TimelineStep::kindFromName(o[u"kind"_s].toString());
        if (o.contains(u"t"_s))
            s.time = QDateTime::fromMSecsSinceEpoch(qint64(o[u"t"_s].toDouble()), Qt::UTC);
        s.status = o[u"status"_s].toString();
        s.replyCode = o[u"reply"_s].toString();
        s.text = o[u"text"_s].toString();
        s.relay = o[u"relay"_s].toString();
        s.logEventRow = qint64(o[u"log"_s].toDouble());
        s.messageRow = qint64(o[u"msg"_s].toDouble());
        const bool ref = s.logEventRow && o[u"ref"_s].toInt() == 1;
        const qint64 run = ref ? std::clamp(qint64(o[u"n"_s].toDouble()), qint64(1), kMaxRun) : 1;
        const qint64 stride = o.contains(u"d"_s) ? qint64(o[u"d"_s].toDouble()) : 1;
        for (qint64 k = 0; k < run; ++k) {
            if (ref)
                refs.append({out.size(), s.logEventRow});
            out << s;
            s.logEventRow += stride;
        }
    }
    return out;
}

FateRecord readFate(const QSqlQuery& q, QList<std::pair<qsizetype, qint64>>& refs)
{
    FateRecord f;
    int i = 0;
    f.messageId = q.value(i++).toString();
    f.queueId = q.value(i++).toString();
    f.host = q.value(i++).toString();
    f.sender = q.value(i++).toString();
    f.recipient = q.value(i++).toString();
    f.fate = fateFromName(q.value(i++).toString());
    f.reason = q.value(i++).toString();
    f.status = q.value(i++).toString();
    f.replyCode = q.value(i++).toString();
    f.diagnostic = q.value(i++).toString();
    f.queuedAt = timeFrom(q.value(i++));
    f.firstAttemptAt = timeFrom(q.value(i++));
    f.finalAt = timeFrom(q.value(i++));
    f.bounceAt = timeFrom(q.value(i++));
    f.attempts = q.value(i++).toInt();
    f.deferrals = q.value(i++).toInt();
    f.decidedBy = q.value(i++).toString();
    for (const QJsonValue& v : QJsonDocument::fromJson(q.value(i++).toString().toUtf8()).array())
        f.evidence << v.toString();
    f.matchConfidence = q.value(i++).toDouble();
    f.bounceMessageRow = q.value(i++).toLongLong();
    f.steps = stepsFrom(q.value(i++).toString(), refs);
    f.originalRecipient = q.value(i++).toString();
    return f;
}

} // namespace

struct FateRepository::Impl {
    explicit Impl(const ProjectStore& s) : store(s), db(QSqlDatabase::database(s.connectionName(), false)) {}

    // Fills the referencing steps of f from their log events.
    Result<void> resolve(FateRecord& f, const QList<std::pair<qsizetype, qint64>>& refs) const;

    const ProjectStore& store;
    QSqlDatabase db;
    SqliteStatement insert;
    std::optional<RecipientGrams> grams; ///< the recipients added since beginRewrite()
    mutable std::unique_ptr<LogRepository> logs; ///< for resolve(), made when first needed
};

Result<void> FateRepository::Impl::resolve(FateRecord& f, const QList<std::pair<qsizetype, qint64>>& refs) const
{
    if (refs.isEmpty())
        return {};
    QList<qint64> rows;
    rows.reserve(refs.size());
    for (const auto& [index, row] : refs)
        rows << row;
    // The steps need what the events say, not their raw lines: no raw block is decompressed.
    if (!logs)
        logs = std::make_unique<LogRepository>(store);
    auto found = logs->events(rows, false);
    if (!found)
        return found.error();
    QHash<qint64, const logs::LogEvent*> byRow;
    for (const StoredLogEvent& e : std::as_const(*found))
        byRow.insert(e.row, &e.event);
    for (const auto& [index, row] : refs) {
        // An event gone with its source leaves the bare step until the next correlation.
        const logs::LogEvent* e = byRow.value(row, nullptr);
        if (!e || index >= f.steps.size())
            continue;
        TimelineStep& s = f.steps[index];
        s.time = e->time;
        s.status = e->dsn;
        s.replyCode = replyCodeOf(*e);
        s.text = e->replyText;
        s.relay = e->relay;
    }
    return {};
}

FateRepository::FateRepository(const ProjectStore& store) : m_d(std::make_unique<Impl>(store)) {}

FateRepository::~FateRepository() = default;

Result<void> FateRepository::clear()
{
    m_d->grams.reset();
    if (auto ok = RecipientGrams::clear(sqliteHandle(m_d->db)); !ok)
        return ok;
    return execSql(m_d->db, u"DELETE FROM fates"_s, u"fates"_s);
}

Result<void> FateRepository::beginRewrite()
{
    if (auto ok = clear(); !ok)
        return ok;
    m_d->grams.emplace(sqliteHandle(m_d->db));
    return {};
}

Result<void> FateRepository::finishRewrite()
{
    if (!m_d->grams)
        return {};
    const Result<void> written = m_d->grams->finish();
    m_d->grams.reset();
    return written;
}

EncodedFate FateRepository::encode(const FateRecord& f, const LogEventLookup& events)
{
    EncodedFate e;
    int i = 0;
    for (const QString* t : {&f.messageId, &f.queueId, &f.host, &f.sender, &f.recipient})
        e.text[i++] = t->toUtf8();
    e.text[i++] = fateName(f.fate).toUtf8();
    for (const QString* t : {&f.reason, &f.status, &f.replyCode, &f.diagnostic, &f.decidedBy})
        e.text[i++] = t->toUtf8();
    e.text[i++] = evidenceJson(f.evidence);
    e.text[i++] = stepsJson(f.steps, events);
    e.text[i++] = f.recipient.section(u'@', -1).toLower().toUtf8();
    e.text[i++] = f.originalRecipient.toUtf8();
    Q_ASSERT(i == EncodedFate::kTexts);
    i = 0;
    for (const QDateTime* t : {&f.queuedAt, &f.firstAttemptAt, &f.finalAt, &f.bounceAt}) {
        if (t->isValid())
            e.times[i] = t->toMSecsSinceEpoch();
        ++i;
    }
    e.attempts = f.attempts;
    e.deferrals = f.deferrals;
    e.confidence = f.matchConfidence;
    e.bounceMessageRow = f.bounceMessageRow;
    e.recipient = f.recipient;
    return e;
}

Result<qint64> FateRepository::add(const FateRecord& f, const LogEventLookup& events)
{
    return add(encode(f, events));
}

Result<qint64> FateRepository::add(const EncodedFate& f)
{
    SqliteStatement& q = m_d->insert;
    if (!q.isPrepared()) {
        // The text columns first, in EncodedFate::text's order.
        if (auto ok = q.prepare(sqliteHandle(m_d->db),
                                "INSERT INTO fates (message_id, queue_id, host, sender, recipient, fate, reason, "
                                "status, reply_code, diagnostic, decided_by, evidence, steps, domain, original_recipient, "
                                "queued_at, first_attempt_at, final_at, bounce_at, attempts, deferrals, confidence, "
                                "bounce_message_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                "?, ?, ?, ?)",
                                u"fates"_s);
            !ok)
            return ok.error();
    }
    int i = 1;
    for (const QByteArray& t : f.text)
        q.bindText(i++, t);
    for (const std::optional<qint64>& t : f.times) {
        if (t)
            q.bindInt(i++, *t);
        else
            q.bindNull(i++);
    }
    q.bindInt(i++, f.attempts);
    q.bindInt(i++, f.deferrals);
    q.bindDouble(i++, f.confidence);
    if (f.bounceMessageRow > 0)
        q.bindInt(i++, f.bounceMessageRow);
    else
        q.bindNull(i++);
    if (auto ok = q.exec(); !ok)
        return ok.error();
    const qint64 id = sqlite3_last_insert_rowid(sqliteHandle(m_d->db));
    if (m_d->grams) {
        if (auto ok = m_d->grams->add(id, f.recipient); !ok)
            return ok.error();
    }
    return id;
}

Result<void> FateRepository::forEach(const std::function<bool(const FateRecord&)>& callback) const
{
    QSqlQuery q(m_d->db);
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT "_s + kColumns + u" FROM fates ORDER BY COALESCE(queued_at, final_at, bounce_at), recipient, id"_s))
        return sqlError(q.lastError(), u"fates"_s);
    while (q.next()) {
        QList<std::pair<qsizetype, qint64>> refs;
        FateRecord f = readFate(q, refs);
        if (auto ok = m_d->resolve(f, refs); !ok)
            return ok;
        if (!callback(f))
            break;
    }
    return {};
}

Result<QList<FateRecord>> FateRepository::forRecipient(const QString& address) const
{
    QSqlQuery q(m_d->db);
    q.setForwardOnly(true);
    // Also under the address the sender mailed, where the smarthost rewrote it.
    q.prepare(u"SELECT "_s + kColumns
              + u" FROM fates WHERE recipient = ? OR (original_recipient = ? AND original_recipient <> '') "
                u"ORDER BY COALESCE(queued_at, final_at, bounce_at), id"_s);
    const QString key = address.trimmed().toLower();
    q.addBindValue(key);
    q.addBindValue(key);
    if (auto ok = execPrepared(q, u"fates"_s); !ok)
        return ok.error();
    QList<FateRecord> out;
    while (q.next()) {
        QList<std::pair<qsizetype, qint64>> refs;
        FateRecord f = readFate(q, refs);
        if (auto ok = m_d->resolve(f, refs); !ok)
            return ok.error();
        out << f;
    }
    return out;
}

Result<FateRecord> FateRepository::byId(qint64 id) const
{
    QSqlQuery q(m_d->db);
    q.setForwardOnly(true);
    q.prepare(u"SELECT "_s + kColumns + u" FROM fates WHERE id = ?"_s);
    q.addBindValue(id);
    if (auto ok = execPrepared(q, u"fates"_s); !ok)
        return ok.error();
    if (!q.next())
        return makeError(ErrorCode::InvalidArgument, u"no fate with id %1"_s.arg(id), u"fates"_s);
    QList<std::pair<qsizetype, qint64>> refs;
    FateRecord f = readFate(q, refs);
    if (auto ok = m_d->resolve(f, refs); !ok)
        return ok.error();
    return f;
}

Result<qint64> FateRepository::count() const
{
    QSqlQuery q(m_d->db);
    if (!q.exec(u"SELECT count(*) FROM fates"_s) || !q.next())
        return sqlError(q.lastError(), u"fates"_s);
    return q.value(0).toLongLong();
}

} // namespace bi::core::store
