// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/project_store.h"

#include <algorithm>
#include <array>
#include <exception>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QUrl>
#include <QVariant>

#include "core/store/connection_scope.h"
#include "core/store/message_digest.h"
#include "core/store/schema.h"
#include "core/store/sql_helpers.h"
#include "core/store/transaction_guard.h"

using namespace Qt::StringLiterals;

namespace bi::core::store {

namespace {

Q_LOGGING_CATEGORY(lcStore, "bi.store")

using bounce::MessageKind;

const QString kMemoryPath = u":memory:"_s;

// The database's own vocabulary for MessageKind. Deliberately separate from
// bounce::kindName (display names may change; stored files must not).
QString kindText(MessageKind kind)
{
    switch (kind) {
    case MessageKind::Bounce: return u"bounce"_s;
    case MessageKind::Delay: return u"delay"_s;
    case MessageKind::Feedback: return u"feedback"_s;
    case MessageKind::AutoReply: return u"auto-reply"_s;
    case MessageKind::Delivered: return u"delivered"_s;
    case MessageKind::Other: return u"other"_s;
    }
    return u"other"_s;
}

MessageKind kindFromText(QStringView text)
{
    if (text == u"bounce")
        return MessageKind::Bounce;
    if (text == u"delay")
        return MessageKind::Delay;
    if (text == u"feedback")
        return MessageKind::Feedback;
    if (text == u"auto-reply")
        return MessageKind::AutoReply;
    if (text == u"delivered")
        return MessageKind::Delivered;
    return MessageKind::Other;
}

enum class Origin { Source, Reader, Decoder };

QString originText(Origin origin)
{
    switch (origin) {
    case Origin::Source: return u"source"_s;
    case Origin::Reader: return u"reader"_s;
    case Origin::Decoder: return u"decoder"_s;
    }
    return u"decoder"_s;
}

QVariant nullInt()
{
    return QVariant(QMetaType::fromType<qint64>());
}

QVariant idOrNull(qint64 id)
{
    return id > 0 ? QVariant(id) : nullInt();
}

QVariant msecsOrNull(const QDateTime& time)
{
    return time.isValid() ? QVariant(time.toMSecsSinceEpoch()) : nullInt();
}

QDateTime utcFromMsecs(const QVariant& value)
{
    return value.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

// Every value passed in here comes from our own bound columns; a missing '@' or
// an address like "user@" gives an empty domain rather than a guess.
QString domainOf(const QString& address)
{
    const qsizetype at = address.lastIndexOf(u'@');
    return at < 0 ? QString(u""_s) : address.mid(at + 1).trimmed().toLower();
}

QString receivedToJson(const QList<QString>& received)
{
    QJsonArray array;
    for (const QString& field : received)
        array.append(field);
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

QList<QString> receivedFromJson(const QString& json)
{
    QList<QString> received;
    const QJsonArray array = QJsonDocument::fromJson(json.toUtf8()).array();
    received.reserve(array.size());
    for (const auto& value : array)
        received.append(value.toString());
    return received;
}

// Accepts the hex digest the importer computed; computes it when empty.
Result<QString> normaliseSha256(const QByteArray& given, const QByteArray& bytes)
{
    if (given.isEmpty())
        return QString::fromLatin1(messageSha256(bytes));
    const QByteArray lower = given.toLower();
    const bool isHex = lower.size() == 64
        && std::all_of(lower.cbegin(), lower.cend(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
    if (!isHex)
        return makeError(ErrorCode::InvalidArgument, u"sha256 must be 64 hex digits"_s, u"addMessage"_s);
    return QString::fromLatin1(lower);
}

template<typename F>
auto guarded(const QString& what, F&& body) -> decltype(body())
{
    // STYLE §5: nothing throws out of core; Qt only throws std::bad_alloc, but the
    // callbacks of the forEach* functions are caller code.
    try {
        return body();
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Database, u"unexpected exception: "_s + QString::fromLocal8Bit(e.what()), what);
    } catch (...) {
        return makeError(ErrorCode::Database, u"unexpected exception"_s, what);
    }
}

// --- SQL ------------------------------------------------------------------------------
// The column lists below and the readers readMessage()/readRecipient() must stay in
// the same order.

const QString kMessageColumns = uR"sql(
    m.id, m.source_id, m.import_id, m.file, m.file_index, m.byte_offset, m.byte_length, m.sha256,
    m.kind, m.family, m.message_id, m.date_utc_ms, m.date_offset_s, m.date_raw,
    m.from_addr, m.to_addr, m.subject, m.reporting_mta, m.received_from_mta, m.arrival_date,
    m.envelope_id, m.queue_id, m.sender, m.orig_message_id, m.orig_from, m.orig_to,
    m.orig_subject, m.orig_date, m.orig_return_path, m.orig_received)sql"_s;
constexpr int kMessageColumnCount = 30;

const QString kRecipientColumns = uR"sql(
    r.idx, r.kind, r.recipient, r.original_recipient, r.action, r.status, r.reply_code, r.reason,
    r.hard_bounce, r.diagnostic, r.diagnostic_type, r.remote_mta, r.last_attempt,
    r.will_retry_until, r.feedback_type, r.smtp_command)sql"_s;

const QString kSourceColumns = uR"sql(
    id, path, kind, size, sha256, file_modified, added_at, updated_at, message_count,
    bounce_count, status)sql"_s;

const QString kImportColumns = uR"sql(
    id, started_at, finished_at, status, sources, messages_read, messages_added, duplicates,
    bounces_added, error)sql"_s;

enum class Stmt {
    Savepoint,
    Release,
    RollbackToSavepoint,
    InsertMessage,
    InsertRaw,
    InsertRecipient,
    InsertDiagnostic,
    InsertSourceDiagnostic,
    SelectMessageRecipients,
    SelectMessageDiagnostics,
    SelectSameMessage,
    Count
};

QString statementSql(Stmt stmt)
{
    switch (stmt) {
    case Stmt::Savepoint: return u"SAVEPOINT add_message"_s;
    case Stmt::Release: return u"RELEASE add_message"_s;
    case Stmt::RollbackToSavepoint: return u"ROLLBACK TO add_message"_s;
    case Stmt::InsertMessage:
        // ON CONFLICT names the one uniqueness that means "already imported"; any other
        // constraint violation is still an error (INSERT OR IGNORE would hide it).
        return uR"sql(
INSERT INTO messages (source_id, import_id, file, file_index, byte_offset, byte_length, sha256,
    kind, family, message_id, date_utc_ms, date_offset_s, date_raw, from_addr, to_addr, subject,
    reporting_mta, received_from_mta, arrival_date, envelope_id, queue_id, sender,
    orig_message_id, orig_from, orig_to, orig_subject, orig_date, orig_return_path, orig_received)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (source_id, byte_offset, sha256) DO NOTHING)sql"_s;
    case Stmt::InsertRaw:
        return u"INSERT INTO message_raw (message_id, envelope_line, raw, encoding) VALUES (?, ?, ?, ?)"_s;
    case Stmt::InsertRecipient:
        return uR"sql(
INSERT INTO bounce_recipients (message_id, idx, kind, recipient, recipient_domain,
    original_recipient, action, status, reply_code, reason, hard_bounce, diagnostic,
    diagnostic_type, remote_mta, last_attempt, will_retry_until, feedback_type, smtp_command)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql"_s;
    case Stmt::InsertDiagnostic:
        return uR"sql(
INSERT INTO diagnostics (source_id, message_id, origin, severity, location, detail)
VALUES (?, ?, ?, ?, ?, ?))sql"_s;
    case Stmt::InsertSourceDiagnostic:
        // A file read again (a log imported twice, a mailbox that grew) finds the same
        // problems at the same places: each is kept once.
        return uR"sql(
INSERT INTO diagnostics (source_id, message_id, origin, severity, location, detail)
SELECT ?, NULL, ?, ?, ?, ?
WHERE NOT EXISTS (SELECT 1 FROM diagnostics WHERE source_id = ? AND message_id IS NULL AND origin = ?
                  AND severity = ? AND location = ? AND detail = ?))sql"_s;
    case Stmt::SelectMessageRecipients:
        return u"SELECT "_s + kRecipientColumns + u" FROM bounce_recipients r WHERE r.message_id = ? ORDER BY r.idx"_s;
    case Stmt::SelectMessageDiagnostics:
        return u"SELECT origin, severity, location, detail FROM diagnostics WHERE message_id = ? ORDER BY id"_s;
    case Stmt::SelectSameMessage:
        return u"SELECT 1 FROM messages WHERE sha256 = ? LIMIT 1"_s;
    case Stmt::Count: break;
    }
    return {};
}

StoredMessage readMessage(const QSqlQuery& q)
{
    StoredMessage m;
    int c = 0;
    auto text = [&] { return q.value(c++).toString(); };
    m.id = q.value(c++).toLongLong();
    m.sourceId = q.value(c++).toLongLong();
    m.importId = q.value(c++).toLongLong();
    m.file = text();
    m.message = q.value(c++).toInt();
    m.offset = q.value(c++).toLongLong();
    m.length = q.value(c++).toLongLong();
    m.sha256 = q.value(c++).toString().toLatin1();
    auto& r = m.report;
    r.kind = kindFromText(text());
    r.family = text();
    r.bounceMessageId = text();
    const QVariant dateMs = q.value(c++);
    const QVariant dateOffset = q.value(c++);
    if (!dateMs.isNull()) {
        r.date = QDateTime::fromMSecsSinceEpoch(dateMs.toLongLong(), Qt::OffsetFromUTC, dateOffset.toInt());
    }
    r.dateRaw = text();
    r.from = text();
    r.to = text();
    r.subject = text();
    r.reportingMta = text();
    r.receivedFromMta = text();
    r.arrivalDate = text();
    r.envelopeId = text();
    r.queueId = text();
    r.postfixSender = text();
    r.original.messageId = text();
    r.original.from = text();
    r.original.to = text();
    r.original.subject = text();
    r.original.date = text();
    r.original.returnPath = text();
    r.original.received = receivedFromJson(text());
    Q_ASSERT(c == kMessageColumnCount);
    return m;
}

std::pair<int, bounce::BounceRecipient> readRecipient(const QSqlQuery& q, int first)
{
    bounce::BounceRecipient r;
    int c = first;
    auto text = [&] { return q.value(c++).toString(); };
    const int idx = q.value(c++).toInt();
    r.kind = kindFromText(text());
    r.recipient = text();
    r.originalRecipient = text();
    r.action = text();
    r.status = text();
    r.replyCode = text();
    r.reason = text();
    r.hardBounce = q.value(c++).toInt() != 0;
    r.diagnostic = text();
    r.diagnosticType = text();
    r.remoteMta = text();
    r.lastAttempt = text();
    r.willRetryUntil = text();
    r.feedbackType = text();
    r.smtpCommand = text();
    return {idx, r};
}

SourceInfo readSource(const QSqlQuery& q)
{
    SourceInfo s;
    s.id = q.value(0).toLongLong();
    s.path = q.value(1).toString();
    s.kind = q.value(2).toString();
    s.size = q.value(3).toLongLong();
    s.sha256 = q.value(4).toString().toLatin1();
    s.fileModified = utcFromMsecs(q.value(5));
    s.addedAt = utcFromMsecs(q.value(6));
    s.updatedAt = utcFromMsecs(q.value(7));
    s.messageCount = q.value(8).toLongLong();
    s.bounceCount = q.value(9).toLongLong();
    s.status = sourceStatusFromName(q.value(10).toString());
    return s;
}

ImportRun readImport(const QSqlQuery& q)
{
    ImportRun run;
    run.id = q.value(0).toLongLong();
    run.startedAt = utcFromMsecs(q.value(1));
    run.finishedAt = utcFromMsecs(q.value(2));
    run.status = importStatusFromName(q.value(3).toString());
    run.sources = q.value(4).toLongLong();
    run.messagesRead = q.value(5).toLongLong();
    run.messagesAdded = q.value(6).toLongLong();
    run.duplicates = q.value(7).toLongLong();
    run.bouncesAdded = q.value(8).toLongLong();
    run.error = q.value(9).toString();
    return run;
}

QString canonicalPath(const QString& path)
{
    const QFileInfo info(path);
    const QString canonical = info.canonicalFilePath();
    return canonical.isEmpty() ? QDir::cleanPath(info.absoluteFilePath()) : canonical;
}

// Whether the user may write the file. access(2) says yes to root for any file; the permission
// bits are what the user set, so a project without any write bit is read-only for everyone.
bool isWritableFile(const QFileInfo& info)
{
    const auto writeBits = QFileDevice::WriteOwner | QFileDevice::WriteGroup | QFileDevice::WriteOther;
    return info.isWritable() && (info.permissions() & writeBits);
}

// The first 16 bytes of every SQLite 3 database (https://sqlite.org/fileformat.html §1.3).
// An empty file is a valid empty database.
Result<void> checkExistingFile(const QString& path, bool readOnly)
{
    const QFileInfo info(path);
    if (info.isDir())
        return makeError(ErrorCode::Io, u"is a folder, not a project file"_s, path);
    if (!info.isFile()) // a named pipe would block the open until something writes to it
        return makeError(ErrorCode::Io, u"not a regular file, so not a project file"_s, path);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Io, u"cannot read the project file: "_s + file.errorString(), path);
    const QByteArray head = file.read(16);
    if (!head.isEmpty() && head != QByteArray("SQLite format 3", 16)) {
        return makeError(ErrorCode::Format, u"not a Bounce Inspector project: the file is not an SQLite database"_s,
                         path);
    }
    if (readOnly)
        return {};
    if (!isWritableFile(info)) {
        return makeError(ErrorCode::Io,
                         u"the project file is read-only; make it writable or copy it to a writable folder"_s, path);
    }
    const QFileInfo folder(info.absolutePath());
    if (!folder.isWritable()) {
        return makeError(ErrorCode::Io,
                         u"the project's folder is read-only; SQLite needs to create its -wal and -shm files there"_s,
                         path);
    }
    return {};
}

Result<void> createPrivateFile(const QString& path)
{
    const QFileInfo info(path);
    if (!QFileInfo(info.absolutePath()).isDir())
        return makeError(ErrorCode::Io, u"the folder does not exist"_s, path);
    QFile file(path);
    // Created 0600 atomically (no window with the umask's mode); SQLite creates the
    // -wal and -shm files with the database file's mode (os_unix.c findCreateFileMode),
    // so bounce contents and addresses never become readable by other users.
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        return makeError(ErrorCode::Io, u"cannot create the project file: "_s + file.errorString(), path);
    return {};
}

void restrictJournalFiles(const QString& path)
{
    for (const QString& suffix : {u"-wal"_s, u"-shm"_s, u"-journal"_s}) {
        const QString name = path + suffix;
        if (QFileInfo::exists(name))
            QFile::setPermissions(name, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }
}

void removeProjectFiles(const QString& path)
{
    for (const QString& suffix : {QString(), u"-wal"_s, u"-shm"_s, u"-journal"_s})
        QFile::remove(path + suffix);
}

} // namespace

// --- Impl -----------------------------------------------------------------------------

struct ProjectStore::Impl {
    explicit Impl(const QString& connectionName)
        : scope(connectionName)
    {
    }
    ~Impl()
    {
        // Members go in reverse order anyway; spelled out because the order is the
        // point: transaction and queries must be gone before the scope removes the
        // connection (STYLE §8, pitfall 2).
        transaction.reset();
        for (auto& statement : statements)
            statement.reset();
    }
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    ConnectionScope scope;
    QString path;
    int schemaVersion = 0;
    QThread* thread = QThread::currentThread();
    Diagnostics openDiagnostics;
    qint64 currentImport = 0;
    std::array<std::unique_ptr<QSqlQuery>, static_cast<std::size_t>(Stmt::Count)> statements;
    std::optional<TransactionGuard> transaction;

    [[nodiscard]] const QSqlDatabase& db() const { return scope.database(); }

    static Result<void> usable(const Impl* d)
    {
        if (!d)
            return makeError(ErrorCode::InvalidArgument, u"the project store is closed"_s);
        if (d->thread != QThread::currentThread()) {
            return makeError(ErrorCode::InvalidArgument,
                             u"the project store was used from a thread that did not open it"_s, d->path);
        }
        return {};
    }

    // Prepared once per store, reused for every message (STYLE §8).
    Result<QSqlQuery*> statement(Stmt which)
    {
        auto& slot = statements[static_cast<std::size_t>(which)];
        if (!slot) {
            auto query = std::make_unique<QSqlQuery>(db());
            if (!query->prepare(statementSql(which)))
                return sqlError(query->lastError(), path);
            slot = std::move(query);
        }
        return slot.get();
    }

    Result<void> run(Stmt which)
    {
        auto query = statement(which);
        if (!query)
            return query.error();
        auto done = execPrepared(**query, path);
        (*query)->finish();
        return done;
    }

    Result<void> insertDiagnostic(qint64 sourceId, qint64 messageId, Origin origin, const Diagnostic& diagnostic)
    {
        auto query = statement(Stmt::InsertDiagnostic);
        if (!query)
            return query.error();
        QSqlQuery& q = **query;
        q.bindValue(0, idOrNull(sourceId));
        q.bindValue(1, idOrNull(messageId));
        q.bindValue(2, originText(origin));
        q.bindValue(3, Diagnostic::severityName(diagnostic.severity));
        q.bindValue(4, textValue(diagnostic.where));
        q.bindValue(5, textValue(diagnostic.what));
        return execPrepared(q, path);
    }

    // A file's own diagnostic (no message): kept once however often the file is read.
    Result<void> insertSourceDiagnostic(qint64 sourceId, const Diagnostic& diagnostic)
    {
        auto query = statement(Stmt::InsertSourceDiagnostic);
        if (!query)
            return query.error();
        QSqlQuery& q = **query;
        for (int at : {0, 5}) {
            q.bindValue(at, idOrNull(sourceId));
            q.bindValue(at + 1, originText(Origin::Source));
            q.bindValue(at + 2, Diagnostic::severityName(diagnostic.severity));
            q.bindValue(at + 3, textValue(diagnostic.where));
            q.bindValue(at + 4, textValue(diagnostic.what));
        }
        return execPrepared(q, path);
    }

    // Reads the diagnostics of one message, split by who found them.
    Result<void> loadDiagnostics(qint64 messageId, Diagnostics& reader, Diagnostics& decoder)
    {
        auto query = statement(Stmt::SelectMessageDiagnostics);
        if (!query)
            return query.error();
        QSqlQuery& q = **query;
        q.bindValue(0, messageId);
        if (auto done = execPrepared(q, path); !done)
            return done;
        while (q.next()) {
            Diagnostic d;
            d.severity = Diagnostic::severityFromName(q.value(1).toString());
            d.where = q.value(2).toString();
            d.what = q.value(3).toString();
            (q.value(0).toString() == u"reader" ? reader : decoder).append(d);
        }
        q.finish();
        return {};
    }

    Result<void> loadRecipients(qint64 messageId, QList<bounce::BounceRecipient>& recipients)
    {
        auto query = statement(Stmt::SelectMessageRecipients);
        if (!query)
            return query.error();
        QSqlQuery& q = **query;
        q.bindValue(0, messageId);
        if (auto done = execPrepared(q, path); !done)
            return done;
        while (q.next())
            recipients.append(readRecipient(q, 0).second);
        q.finish();
        return {};
    }

    Result<void> completeMessage(StoredMessage& message)
    {
        if (auto done = loadRecipients(message.id, message.report.recipients); !done)
            return done;
        return loadDiagnostics(message.id, message.readerDiagnostics, message.report.diagnostics);
    }

    Result<std::optional<qint64>> addMessage(qint64 sourceId, const mail::RawMessage& raw, const QString& sha,
                                             const bounce::BounceReport& report, const EncodedRaw& encoded);
    Result<void> insertMessageRows(qint64 sourceId, const mail::RawMessage& raw, const QString& sha,
                                   const bounce::BounceReport& report, const EncodedRaw& encoded,
                                   std::optional<qint64>& id);
};

Result<std::optional<qint64>> ProjectStore::Impl::addMessage(qint64 sourceId, const mail::RawMessage& raw,
                                                             const QString& sha, const bounce::BounceReport& report,
                                                             const EncodedRaw& encoded)
{
    // A savepoint makes the message, its raw bytes, recipients and diagnostics one unit
    // both inside the caller's batch transaction and without one.
    if (auto done = run(Stmt::Savepoint); !done)
        return done.error();
    std::optional<qint64> id;
    auto done = insertMessageRows(sourceId, raw, sha, report, encoded, id);
    if (!done) {
        if (auto undone = run(Stmt::RollbackToSavepoint); !undone)
            qCWarning(lcStore) << undone.error().toString();
        if (auto released = run(Stmt::Release); !released)
            qCWarning(lcStore) << released.error().toString();
        return done.error();
    }
    if (auto released = run(Stmt::Release); !released)
        return released.error();
    return id;
}

Result<void> ProjectStore::Impl::insertMessageRows(qint64 sourceId, const mail::RawMessage& raw, const QString& sha,
                                                   const bounce::BounceReport& report, const EncodedRaw& encoded,
                                                   std::optional<qint64>& id)
{
    // The same message (the same bytes) from another file or place is one message: a mailbox
    // imported again under another name, a copy inside another mailbox (messages_by_sha256).
    auto same = statement(Stmt::SelectSameMessage);
    if (!same)
        return same.error();
    (*same)->bindValue(0, sha);
    if (auto done = execPrepared(**same, path); !done)
        return done;
    const bool known = (*same)->next();
    (*same)->finish();
    if (known)
        return {};
    auto insert = statement(Stmt::InsertMessage);
    if (!insert)
        return insert.error();
    QSqlQuery& q = **insert;
    const auto& o = report.original;
    const QVariantList values = {
        sourceId,
        idOrNull(currentImport),
        textValue(raw.sourcePath),
        raw.index,
        raw.offset,
        raw.length,
        sha,
        kindText(report.kind),
        textValue(report.family),
        textValue(report.bounceMessageId),
        msecsOrNull(report.date),
        report.date.isValid() ? QVariant(report.date.offsetFromUtc()) : nullInt(),
        textValue(report.dateRaw),
        textValue(report.from),
        textValue(report.to),
        textValue(report.subject),
        textValue(report.reportingMta),
        textValue(report.receivedFromMta),
        textValue(report.arrivalDate),
        textValue(report.envelopeId),
        textValue(report.queueId),
        textValue(report.postfixSender),
        textValue(o.messageId),
        textValue(o.from),
        textValue(o.to),
        textValue(o.subject),
        textValue(o.date),
        textValue(o.returnPath),
        receivedToJson(o.received),
    };
    for (int i = 0; i < values.size(); ++i)
        q.bindValue(i, values.at(i));
    if (auto done = execPrepared(q, path); !done)
        return done;
    if (q.numRowsAffected() == 0)
        return {}; // already stored: (source, offset, sha256) exists (checked above, kept as a guard)
    const qint64 messageId = q.lastInsertId().toLongLong();

    auto rawInsert = statement(Stmt::InsertRaw);
    if (!rawInsert)
        return rawInsert.error();
    (*rawInsert)->bindValue(0, messageId);
    (*rawInsert)->bindValue(1, blobValue(raw.envelopeLine));
    (*rawInsert)->bindValue(2, blobValue(encoded.bytes));
    (*rawInsert)->bindValue(3, int(encoded.encoding));
    if (auto done = execPrepared(**rawInsert, path); !done)
        return done;

    auto recipientInsert = statement(Stmt::InsertRecipient);
    if (!recipientInsert)
        return recipientInsert.error();
    QSqlQuery& rq = **recipientInsert;
    for (int idx = 0; idx < report.recipients.size(); ++idx) {
        const auto& r = report.recipients.at(idx);
        const QVariantList row = {
            messageId,
            idx,
            kindText(r.kind),
            textValue(r.recipient),
            domainOf(r.recipient),
            textValue(r.originalRecipient),
            textValue(r.action),
            textValue(r.status),
            textValue(r.replyCode),
            textValue(r.reason),
            r.hardBounce ? 1 : 0,
            textValue(r.diagnostic),
            textValue(r.diagnosticType),
            textValue(r.remoteMta),
            textValue(r.lastAttempt),
            textValue(r.willRetryUntil),
            textValue(r.feedbackType),
            textValue(r.smtpCommand),
        };
        for (int i = 0; i < row.size(); ++i)
            rq.bindValue(i, row.at(i));
        if (auto done = execPrepared(rq, path); !done)
            return done;
    }

    for (const auto& diagnostic : raw.diagnostics) {
        if (auto done = insertDiagnostic(sourceId, messageId, Origin::Reader, diagnostic); !done)
            return done;
    }
    for (const auto& diagnostic : report.diagnostics) {
        if (auto done = insertDiagnostic(sourceId, messageId, Origin::Decoder, diagnostic); !done)
            return done;
    }
    id = messageId;
    return {};
}

// --- ProjectStore ---------------------------------------------------------------------

ProjectStore::ProjectStore(std::unique_ptr<Impl> impl)
    : m_d(std::move(impl))
{
}

ProjectStore::~ProjectStore() = default;
ProjectStore::ProjectStore(ProjectStore&&) noexcept = default;
ProjectStore& ProjectStore::operator=(ProjectStore&&) noexcept = default;

Result<ProjectStore> ProjectStore::open(const QString& path, const QString& purpose, bool create)
{
    OpenOptions options;
    options.create = create;
    return open(path, purpose, options);
}

Result<ProjectStore> ProjectStore::open(const QString& path, const QString& purpose, const OpenOptions& options)
{
    return guarded(u"open"_s, [&]() -> Result<ProjectStore> {
        if (path.isEmpty())
            return makeError(ErrorCode::InvalidArgument, u"no project file given"_s);
        const bool inMemory = path == kMemoryPath;
        const QString filePath = inMemory ? path : QFileInfo(path).absoluteFilePath();
        bool created = false;
        if (!inMemory) {
            if (QFileInfo::exists(filePath)) {
                if (auto ok = checkExistingFile(filePath, options.readOnly); !ok)
                    return ok.error();
            } else if (!options.create || options.readOnly) {
                return makeError(ErrorCode::Io, u"no such project file"_s, filePath);
            } else {
                if (auto ok = createPrivateFile(filePath); !ok)
                    return ok.error();
                created = true;
            }
        }

        auto impl = std::make_unique<Impl>(ConnectionScope::makeName(purpose));
        impl->path = filePath;
        auto fail = [&](const Error& error) -> Result<ProjectStore> {
            impl.reset();
            if (created)
                removeProjectFiles(filePath);
            return error;
        };

        const int busyMs = std::max(0, options.busyTimeoutMs);
        if (options.readOnly && !inMemory)
            return openReadOnly(std::move(impl), filePath, busyMs);
        if (auto ok = impl->scope.open(filePath, u"QSQLITE_BUSY_TIMEOUT=%1"_s.arg(busyMs)); !ok)
            return fail(ok.error());
        const QSqlDatabase& db = impl->db();

        // Not a transaction-scoped setting: must be set before any BEGIN, on every connection.
        if (auto ok = execSql(db, u"PRAGMA foreign_keys = ON"_s, filePath); !ok)
            return fail(ok.error());
        // A new project's page size (an existing one keeps its own; it can only be set before
        // the first table, and before WAL). Log chunks and raw line blocks are blobs of
        // kilobytes: 16 KiB pages write them with a quarter of the WAL frames (two write
        // calls each) and overflow pages that 4 KiB pages need.
        if (auto ok = execSql(db, u"PRAGMA page_size = 16384"_s, filePath); !ok)
            return fail(ok.error());
        // Queries and guards live in blocks that end before fail() removes the connection.
        std::optional<Error> walError;
        {
            QSqlQuery wal(db);
            if (!wal.exec(u"PRAGMA journal_mode = WAL"_s))
                walError = sqlError(wal.lastError(), filePath);
            const QString mode = wal.next() ? wal.value(0).toString().toLower() : QString();
            if (!walError && mode != u"wal") {
                // Pitfall 6: network file systems and :memory: cannot do WAL; it still
                // works, only readers block the writer.
                Diagnostic d{Diagnostic::Severity::Warning, u"store"_s,
                             u"journal mode is '%1', not WAL: readers and the import will block each other"_s.arg(
                                 mode)};
                qCWarning(lcStore).noquote() << filePath << d.toString();
                impl->openDiagnostics.append(d);
            }
        }
        if (walError)
            return fail(*walError);
        // WAL makes NORMAL durable against application crashes; a power cut may lose
        // the last transactions, never corrupt the file.
        if (auto ok = execSql(db, u"PRAGMA synchronous = NORMAL"_s, filePath); !ok)
            return fail(ok.error());

        // addMessage's per-message SAVEPOINT keeps a statement journal; in a temp file
        // that costs ~40 pwrite calls per message (measured: 4 s vs 1 s for 20k messages).
        if (auto ok = execSql(db, u"PRAGMA temp_store = MEMORY"_s, filePath); !ok)
            return fail(ok.error());

        auto version = Schema::migrate(db);
        if (!version)
            return fail(version.error());
        impl->schemaVersion = *version;

        // A current schema needs no write to open, so probe for the write lock now: a
        // read-only medium or a writer holding the lock beyond the busy timeout is
        // reported here, not in the middle of the first import batch.
        Result<void> writable;
        {
            TransactionGuard probe(db, TransactionGuard::Mode::Immediate);
            writable = probe.begun();
        }
        if (!writable)
            return fail(writable.error());
        if (created)
            restrictJournalFiles(filePath);
        return ProjectStore(std::move(impl));
    });
}

Result<ProjectStore> ProjectStore::openForReading(const QString& path, const QString& purpose)
{
    const QFileInfo info(path);
    // An empty file is a project still to be made (mktemp's), not one to read: opening it
    // would write a schema into it.
    if (info.isFile() && info.size() == 0)
        return makeError(ErrorCode::Format, u"not a Bounce Inspector project: the file is empty"_s,
                         info.absoluteFilePath());
    OpenOptions options;
    options.create = false;
    options.readOnly = info.exists() && (!isWritableFile(info) || !QFileInfo(info.absolutePath()).isWritable());
    return open(path, purpose, options);
}

Result<ProjectStore> ProjectStore::openReadOnly(std::unique_ptr<Impl> impl, const QString& filePath, int busyMs)
{
    // SQLite reads a WAL project read-only when it can make (or finds) the -shm file beside
    // it; in a folder it cannot write, only an immutable open reads it.
    const bool folderWritable = QFileInfo(QFileInfo(filePath).absolutePath()).isWritable();
    const bool shmThere = QFileInfo::exists(filePath + u"-shm"_s);
    const bool immutable = !folderWritable && !shmThere;
    const QString name =
        immutable ? QString::fromUtf8(QUrl::fromLocalFile(filePath).toEncoded()) + u"?immutable=1"_s : filePath;
    const QString connect = u"QSQLITE_BUSY_TIMEOUT=%1;QSQLITE_OPEN_READONLY"_s.arg(busyMs)
        + (immutable ? u";QSQLITE_OPEN_URI"_s : QString());
    if (auto ok = impl->scope.open(name, connect); !ok)
        return ok.error();
    const QSqlDatabase& db = impl->db();
    if (auto ok = execSql(db, u"PRAGMA foreign_keys = ON"_s, filePath); !ok)
        return ok.error();
    auto version = Schema::check(db);
    if (!version)
        return version.error();
    if (*version != Schema::kCurrentVersion) {
        return makeError(ErrorCode::Format,
                         u"the project has schema %1 and needs an upgrade: open it once where it can be written"_s.arg(
                             *version),
                         filePath);
    }
    impl->schemaVersion = *version;
    return ProjectStore(std::move(impl));
}

bool ProjectStore::isOpen() const
{
    return m_d != nullptr;
}

QString ProjectStore::path() const
{
    return m_d ? m_d->path : QString();
}

QString ProjectStore::connectionName() const
{
    return m_d ? m_d->scope.name() : QString();
}

int ProjectStore::schemaVersion() const
{
    return m_d ? m_d->schemaVersion : 0;
}

Diagnostics ProjectStore::openDiagnostics() const
{
    return m_d ? m_d->openDiagnostics : Diagnostics();
}

Result<void> ProjectStore::setBusyTimeout(int milliseconds)
{
    if (auto ok = Impl::usable(m_d.get()); !ok)
        return ok;
    // PRAGMA takes no bound parameters; the value is an int, not text.
    return execSql(m_d->db(), u"PRAGMA busy_timeout = %1"_s.arg(std::max(0, milliseconds)), m_d->path);
}

Result<void> ProjectStore::begin()
{
    return beginTransaction(true);
}

Result<void> ProjectStore::beginRead()
{
    return beginTransaction(false);
}

Result<void> ProjectStore::beginTransaction(bool write)
{
    if (auto ok = Impl::usable(m_d.get()); !ok)
        return ok;
    if (m_d->transaction)
        return makeError(ErrorCode::InvalidArgument, u"a transaction is already open"_s, m_d->path);
    return guarded(u"begin"_s, [&]() -> Result<void> {
        m_d->transaction.emplace(m_d->db(), write ? TransactionGuard::Mode::Immediate : TransactionGuard::Mode::Deferred);
        auto begun = m_d->transaction->begun();
        if (!begun)
            m_d->transaction.reset();
        return begun;
    });
}

Result<void> ProjectStore::commit()
{
    if (auto ok = Impl::usable(m_d.get()); !ok)
        return ok;
    if (!m_d->transaction)
        return makeError(ErrorCode::InvalidArgument, u"no transaction is open"_s, m_d->path);
    auto done = m_d->transaction->commit();
    m_d->transaction.reset();
    return done;
}

void ProjectStore::rollback()
{
    if (m_d && m_d->thread == QThread::currentThread())
        m_d->transaction.reset();
}

bool ProjectStore::inTransaction() const
{
    return m_d && m_d->transaction.has_value();
}

Result<SourceInfo> ProjectStore::addSource(const QString& path, const QString& kind, qint64 size)
{
    if (auto ok = Impl::usable(m_d.get()); !ok)
        return ok.error();
    if (path.isEmpty() || size < 0)
        return makeError(ErrorCode::InvalidArgument, u"a source needs a path and a size >= 0"_s, path);
    return guarded(u"addSource"_s, [&]() -> Result<SourceInfo> {
        const QString canonical = canonicalPath(path);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QSqlQuery insert(m_d->db());
        insert.prepare(uR"sql(
INSERT INTO sources (path, kind, size, added_at, updated_at, status) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (path) DO NOTHING)sql"_s);
        insert.bindValue(0, canonical);
        insert.bindValue(1, textValue(kind));
        insert.bindValue(2, size);
        insert.bindValue(3, now);
        insert.bindValue(4, now);
        insert.bindValue(5, sourceStatusName(SourceStatus::New));
        if (auto done = execPrepared(insert, canonical); !done)
            return done.error();

        QSqlQuery select(m_d->db());
        select.prepare(u"SELECT "_s + kSourceColumns + u" FROM sources WHERE path = ?"_s);
        select.bindValue(0, canonical);
        if (auto done = execPrepared(select, canonical); !done)
            return done.error();
        if (!select.next())
            return makeError(ErrorCode::Database, u"the source row vanished after insert"_s, canonical);
        return readSource(select);
    });
}

Result<void> ProjectStore::updateSource(const SourceInfo& source)
{
    if (auto ok = Impl::usable(m_d.get()); !ok)
        return ok;
    if (source.size < 0 || source.messageCount < 0 || source.bounceCount < 0)
        return makeError(ErrorCode::InvalidArgument, u"negative size or count"_s, source.path);
    return guarded(u"updateSource"_s, [&]() -> Result<void> {
        QSqlQuery q(m_d->db());
        q.prepare(uR"sql(
UPDATE sources SET kind = ?, size = ?, sha256 = ?, file_modified = ?, message_count = ?,
    bounce_count = ?, status = ?, updated_at = ?
WHERE id = ?)sql"_s);
        q.bindValue(0, textValue(source.kind));
        q.bindValue(1, source.size);
        q.bindValue(2, QString::fromLatin1(source.sha256.toLower()));
        q.bindValue(3, msecsOrNull(source.fileModified));
        q.bindValue(4, source.messageCount);
        q.bindValue(5, source.bounceCount);
        q.bindValue(6, sourceStatusName(source.status));
        q.bindValue(7, QDateTime::currentMSecsSinceEpoch());
        q.bindValue(8, source.id);
        if (auto done = execPrepared(q, m_d->path); !done)
            return done;
        if (q.numRowsAffected() == 0)
            return makeError(ErrorCode::InvalidArgument, u"no source with id %1"_s.arg(source.id), m_d->path);
        return {};
    });
}

Result<void> ProjectStore::finishSource(qint64 sourceId, const QByteArray& sha256, SourceStatus status, qint64 size,
                                        const QDateTime& fileModified)
{
    if (auto ok = Impl::usable(m_d.get()); !ok)
        return ok;
    if (size < 0)
        return makeError(ErrorCode::InvalidArgument, u"negative size"_s, m_d->path);
    return guarded(u"finishSource"_s, [&]() -> Result<void> {
        QSqlQuery q(m_d->db());
        q.prepare(uR"sql(
UPDATE sources SET sha256 = ?, status = ?, size = ?, file_modified = ?,
    message_count = (SELECT count(*) FROM messages WHERE source_id = sources.id),
    bounce_count = (SELECT count(*) FROM messages WHERE source_id = sources.id AND kind = 'bounce'),
    updated_at = ?
WHERE id = ?)sql"_s);
        q.bindValue(0, sha256.isEmpty() ? u""_s : QString::fromLatin1(sha256.toLower())); // '' when not computed
        q.bindValue(1, sourceStatusName(status));
        q.bindValue(2, size);
        q.bindValue(3, msecsOrNull(fileModified));
        q.bindValue(4, QDateTime::currentMSecsSinceEpoch());
        q.bindValue(5, sourceId);
        if (auto done = execPrepared(q, m_d->path); !done)
            return done;
        if (q.numRowsAffected() == 0)
            return makeError(ErrorCode::InvalidArgument, u"no source with id %1"_s.arg(sourceId), m_d->path);
        return {};
    });
}

Result<QList<SourceInfo>> ProjectStore::sources() const
{
    if (auto ok = Impl::usable(m_d.get()); !ok)
        return ok.error();
    return guarded(u"sources"_s, [&]() -> Result<QList<SourceInfo>> {
        QSqlQuery q(m_d->db());
        q.setForwardOnly(true);
        if (!q.exec(u"SELECT "_s + kSourceColumns + u" FROM sources ORDER BY id"_s))
            return sqlError(q.lastError(), m_d->path);
        QList<SourceInfo> list;
        while (q.next())
            list.append(readSource(q));
        return list;
    });
}

Result<SourceInfo> ProjectStore::source(qint64 sourceId) const
{
    if (auto ok = Impl::usable(m_d.get()); !ok)
        return ok.error();
    return guarded(u"source"_s, [&]() -> Result<SourceInfo> {
        QSqlQuery q(m_d->db());
        q.setForwardOnly(true);
        q.prepare(u"SELECT "_s + kSourceColumns + u" FROM sources WHERE id = ?"_s);
        q.bindValue(0, sourceId);
        if (auto done = execPrepared(q, m_d->path); !done)
            return done.error();
        if (!q.next())
            return makeError(ErrorCode::InvalidArgument, u"no source with id %1"_s.arg(sourceId), m_d->path);
        return readSource(q);
    });
}

Result<void> ProjectStore::removeSource(qint64 sourceId)
{
    if (auto ok = Impl::usable(m_d.get()); !ok)
        return ok;
    return guarded(u"removeSource"_s, [&]() -> Result<void> {
        QSqlQuery q(m_d->db());
        q.prepare(u"DELETE FROM sources WHERE id = ?"_s);
        q.bindValue(0, sourceId);
        if (auto done = execPrepared(q, m_d->path); !done)
            return done;
        if (q.numRowsAffected() == 0)
            return makeError(ErrorCode::InvalidArgument, u"no source with id %1"_s.arg(sourceId), m_d->path);
        return {};
    });
}

Result<void> ProjectStore::addSourceDiagnostic(qint64 sourceId, const Diagnostic& diagnostic)
{
    if (auto ok = Impl::usable(m_d.get()); !ok)
        return ok;
    return guarded(u"addSourceDiagnostic"_s,
                   [&]() { return m_d->insertSourceDiagnostic(sourceId, diagnostic); });
}

Result<Diagnostics> ProjectStore::sourceDiagnostics(qint64 sourceId) const
{
    if (auto ok = Impl::usable(m_d.get()); !ok)
        return ok.error();
    return guarded(u"sourceDiagnostics"_s, [&]() -> Result<Diagnostics> {
        QSqlQuery q(m_d->db());
        q.setForwardOnly(true);
        q.prepare(u"SELECT severity, location, detail FROM diagnostics WHERE source_id = ? AND origin = ? ORDER BY id"_s);
        q.bindValue(0, sourceId);
        q.bindValue(1, originText(Origin::Source));
        if (auto done = execPrepared(q, m_d->path); !done)
            return done.error();
        Diagnostics list;
        while (q.next()) {
            list.append(Diagnostic{Diagnostic::severityFromName(q.value(0).toString()), q.value(1).toString(),
                                   q.value(2).toString()});
        }
        return list;
    });
}

Result<qint64> ProjectStore::startImport()
{
    if (auto ok = Impl::usable(m_d.get()); !ok)
        return ok.error();
    return guarded(u"startImport"_s, [&]() -> Result<qint64> {
        QSqlQuery q(m_d->db());
        q.prepare(u"INSERT INTO imports (started_at, status) VALUES (?, ?)"_s);
        q.bindValue(0, QDateTime::currentMSecsSinceEpoch());
        q.bindValue(1, importStatusName(ImportStatus::Running));
        if (auto done = execPrepared(q, m_d->path); !done)
            return done.error();
        m_d->currentImport = q.lastInsertId().toLongLong();
        return m_d->currentImport;
    });
}

Result<void> ProjectStore::finishImport(const ImportRun& run)
{
    if (auto ok = Impl::usable(m_d.get()); !ok)
        return ok;
    if (run.status == ImportStatus::Running)
        return makeError(ErrorCode::InvalidArgument, u"finishImport needs a final status"_s, m_d->path);
    return guarded(u"finishImport"_s, [&]() -> Result<void> {
        QSqlQuery q(m_d->db());
        q.prepare(uR"sql(
UPDATE imports SET finished_at = ?, status = ?, sources = ?, messages_read = ?, messages_added = ?,
    duplicates = ?, bounces_added = ?, error = ?
WHERE id = ?)sql"_s);
        q.bindValue(0, QDateTime::currentMSecsSinceEpoch());
        q.bindValue(1, importStatusName(run.status));
        q.bindValue(2, run.sources);
        q.bindValue(3, run.messagesRead);
        q.bindValue(4, run.messagesAdded);
        q.bindValue(5, run.duplicates);
        q.bindValue(6, run.bouncesAdded);
        q.bindValue(7, textValue(run.error));
        q.bindValue(8, run.id);
        if (auto done = execPrepared(q, m_d->path); !done)
            return done;
        if (q.numRowsAffected() == 0)
            return makeError(ErrorCode::InvalidArgument, u"no import run with id %1"_s.arg(run.id), m_d->path);
        if (m_d->currentImport == run.id)
            m_d->currentImport = 0;
        return {};
    });
}

Result<QList<ImportRun>> ProjectStore::imports() const
{
    if (auto ok = Impl::usable(m_d.get()); !ok)
        return ok.error();
    return guarded(u"imports"_s, [&]() -> Result<QList<ImportRun>> {
        QSqlQuery q(m_d->db());
        q.setForwardOnly(true);
        if (!q.exec(u"SELECT "_s + kImportColumns + u" FROM imports ORDER BY id"_s))
            return sqlError(q.lastError(), m_d->path);
        QList<ImportRun> list;
        while (q.next())
            list.append(readImport(q));
        return list;
    });
}

Result<std::optional<qint64>> ProjectStore::addMessage(qint64 sourceId, const mail::RawMessage& raw,
                                                       const QByteArray& sha256, const bounce::BounceReport& report,
                                                       const EncodedRaw* encoded)
{
    if (auto ok = Impl::usable(m_d.get()); !ok)
        return ok.error();
    if (sourceId <= 0 || raw.index < 1 || raw.offset < 0 || raw.length < 0) {
        return makeError(ErrorCode::InvalidArgument,
                         u"addMessage needs a source id, a 1-based index and offset/length >= 0"_s, raw.sourcePath);
    }
    return guarded(u"addMessage"_s, [&]() -> Result<std::optional<qint64>> {
        auto sha = normaliseSha256(sha256, raw.bytes);
        if (!sha)
            return sha.error();
        if (encoded)
            return m_d->addMessage(sourceId, raw, *sha, report, *encoded);
        return m_d->addMessage(sourceId, raw, *sha, report, RawMessageCodec::encode(raw.bytes));
    });
}

Result<void> ProjectStore::forEachBounceRow(const std::function<bool(const BounceRow&)>& callback) const
{
    return forEachBounceRow(QList<bounce::MessageKind>(), callback);
}

Result<void> ProjectStore::forEachBounceRow(const QList<bounce::MessageKind>& kinds,
                                            const std::function<bool(const BounceRow&)>& callback,
                                            RowDiagnostics diagnostics) const
{
    if (auto ok = Impl::usable(m_d.get()); !ok)
        return ok;
    if (!callback)
        return makeError(ErrorCode::InvalidArgument, u"no callback"_s, u"forEachBounceRow"_s);
    return guarded(u"forEachBounceRow"_s, [&]() -> Result<void> {
        // Own query per call (not cached): the callback may start another scan.
        // The order matches messages_by_file (file, file_index, rowid) and the
        // (message_id, idx) unique index, so SQLite streams without a sort. The kind test is
        // written +m.kind so the planner cannot pick messages_by_kind_date instead: that plan
        // sorts every row in a temp b-tree, in memory (temp_store), and a 2 GB mailbox then
        // took 440 MB.
        QString sql = u"SELECT "_s + kMessageColumns + u", "_s + kRecipientColumns
            + u" FROM messages m JOIN bounce_recipients r ON r.message_id = m.id"_s;
        QJsonArray kindNames;
        for (const auto kind : kinds)
            kindNames.append(kindText(kind));
        if (!kinds.isEmpty())
            sql += u" WHERE +m.kind IN (SELECT value FROM json_each(?))"_s;
        sql += u" ORDER BY m.file, m.file_index, m.id, r.idx"_s;

        QSqlQuery q(m_d->db());
        q.setForwardOnly(true);
        if (!q.prepare(sql))
            return sqlError(q.lastError(), m_d->path);
        if (!kinds.isEmpty())
            q.bindValue(0, QString::fromUtf8(QJsonDocument(kindNames).toJson(QJsonDocument::Compact)));
        if (auto done = execPrepared(q, m_d->path); !done)
            return done;

        qint64 diagnosticsOf = 0;
        Diagnostics readerDiagnostics;
        Diagnostics decoderDiagnostics;
        while (q.next()) {
            StoredMessage m = readMessage(q);
            auto [idx, recipient] = readRecipient(q, kMessageColumnCount);
            if (m.id != diagnosticsOf && diagnostics == RowDiagnostics::Loaded) {
                readerDiagnostics.clear();
                decoderDiagnostics.clear();
                if (auto done = m_d->loadDiagnostics(m.id, readerDiagnostics, decoderDiagnostics); !done)
                    return done;
                diagnosticsOf = m.id;
            }
            BounceRow row;
            row.messageId = m.id;
            row.sourceId = m.sourceId;
            row.file = m.file;
            row.message = m.message;
            row.offset = m.offset;
            row.length = m.length;
            row.sha256 = m.sha256;
            row.report = std::move(m.report);
            row.report.recipients = {recipient};
            row.report.diagnostics = decoderDiagnostics;
            row.recipientIndex = idx;
            row.readerDiagnostics = readerDiagnostics;
            if (!callback(row))
                break;
        }
        if (q.lastError().isValid())
            return sqlError(q.lastError(), m_d->path);
        return {};
    });
}

Result<void> ProjectStore::forEachMessage(const std::function<bool(const StoredMessage&)>& callback) const
{
    if (auto ok = Impl::usable(m_d.get()); !ok)
        return ok;
    if (!callback)
        return makeError(ErrorCode::InvalidArgument, u"no callback"_s, u"forEachMessage"_s);
    return guarded(u"forEachMessage"_s, [&]() -> Result<void> {
        QSqlQuery q(m_d->db());
        q.setForwardOnly(true);
        if (!q.exec(u"SELECT "_s + kMessageColumns + u" FROM messages m ORDER BY m.file, m.file_index, m.id"_s))
            return sqlError(q.lastError(), m_d->path);
        while (q.next()) {
            StoredMessage m = readMessage(q);
            if (auto done = m_d->completeMessage(m); !done)
                return done;
            if (!callback(m))
                break;
        }
        if (q.lastError().isValid())
            return sqlError(q.lastError(), m_d->path);
        return {};
    });
}

Result<StoredMessage> ProjectStore::message(qint64 messageId) const
{
    if (auto ok = Impl::usable(m_d.get()); !ok)
        return ok.error();
    return guarded(u"message"_s, [&]() -> Result<StoredMessage> {
        QSqlQuery q(m_d->db());
        q.setForwardOnly(true);
        q.prepare(u"SELECT "_s + kMessageColumns + u" FROM messages m WHERE m.id = ?"_s);
        q.bindValue(0, messageId);
        if (auto done = execPrepared(q, m_d->path); !done)
            return done.error();
        if (!q.next())
            return makeError(ErrorCode::InvalidArgument, u"no message with id %1"_s.arg(messageId), m_d->path);
        StoredMessage m = readMessage(q);
        q.finish();
        if (auto done = m_d->completeMessage(m); !done)
            return done.error();
        return m;
    });
}

Result<QByteArray> ProjectStore::rawMessage(qint64 messageId) const
{
    if (auto ok = Impl::usable(m_d.get()); !ok)
        return ok.error();
    return guarded(u"rawMessage"_s, [&]() -> Result<QByteArray> {
        QSqlQuery q(m_d->db());
        q.setForwardOnly(true);
        q.prepare(u"SELECT raw, encoding FROM message_raw WHERE message_id = ?"_s);
        q.bindValue(0, messageId);
        if (auto done = execPrepared(q, m_d->path); !done)
            return done.error();
        if (!q.next())
            return makeError(ErrorCode::InvalidArgument, u"no message with id %1"_s.arg(messageId), m_d->path);
        return RawMessageCodec::decode(q.value(0).toByteArray(), q.value(1).toInt());
    });
}

Result<std::optional<QString>> ProjectStore::setting(const QString& key) const
{
    if (auto ok = Impl::usable(m_d.get()); !ok)
        return ok.error();
    return guarded(u"setting"_s, [&]() -> Result<std::optional<QString>> {
        QSqlQuery q(m_d->db());
        q.setForwardOnly(true);
        q.prepare(u"SELECT value FROM settings WHERE key = ?"_s);
        q.bindValue(0, textValue(key));
        if (auto done = execPrepared(q, m_d->path); !done)
            return done.error();
        if (!q.next())
            return std::optional<QString>();
        return std::optional<QString>(q.value(0).toString());
    });
}

Result<void> ProjectStore::setSetting(const QString& key, const QString& value)
{
    if (auto ok = Impl::usable(m_d.get()); !ok)
        return ok;
    if (key.isEmpty())
        return makeError(ErrorCode::InvalidArgument, u"empty setting key"_s, m_d->path);
    return guarded(u"setSetting"_s, [&]() -> Result<void> {
        QSqlQuery q(m_d->db());
        q.prepare(u"INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"_s);
        q.bindValue(0, key);
        q.bindValue(1, textValue(value));
        return execPrepared(q, m_d->path);
    });
}

Result<void> ProjectStore::removeSetting(const QString& key)
{
    if (auto ok = Impl::usable(m_d.get()); !ok)
        return ok;
    return guarded(u"removeSetting"_s, [&]() -> Result<void> {
        QSqlQuery q(m_d->db());
        q.prepare(u"DELETE FROM settings WHERE key = ?"_s);
        q.bindValue(0, textValue(key));
        return execPrepared(q, m_d->path);
    });
}

Result<ProjectStore::Counts> ProjectStore::counts() const
{
    if (auto ok = Impl::usable(m_d.get()); !ok)
        return ok.error();
    return guarded(u"counts"_s, [&]() -> Result<Counts> {
        QSqlQuery q(m_d->db());
        q.setForwardOnly(true);
        q.prepare(uR"sql(
SELECT (SELECT count(*) FROM sources), (SELECT count(*) FROM messages),
       (SELECT count(*) FROM messages WHERE kind = ?), (SELECT count(*) FROM bounce_recipients),
       (SELECT count(*) FROM diagnostics))sql"_s);
        q.bindValue(0, kindText(MessageKind::Bounce));
        if (auto done = execPrepared(q, m_d->path); !done)
            return done.error();
        if (!q.next())
            return sqlError(q.lastError(), m_d->path);
        Counts c;
        c.sources = q.value(0).toLongLong();
        c.messages = q.value(1).toLongLong();
        c.bounces = q.value(2).toLongLong();
        c.recipients = q.value(3).toLongLong();
        c.diagnostics = q.value(4).toLongLong();
        return c;
    });
}

Result<void> ProjectStore::updateStatistics()
{
    if (auto ok = Impl::usable(m_d.get()); !ok)
        return ok;
    return guarded(u"updateStatistics"_s, [&]() -> Result<void> {
        for (const QString& table : {u"fates"_s, u"bounce_verdicts"_s}) {
            if (auto done = execSql(m_d->db(), u"ANALYZE "_s + table, m_d->path); !done)
                return done;
        }
        return {};
    });
}

Result<QStringList> ProjectStore::checkIntegrity() const
{
    if (auto ok = Impl::usable(m_d.get()); !ok)
        return ok.error();
    return guarded(u"checkIntegrity"_s, [&]() -> Result<QStringList> {
        QStringList problems;
        QSqlQuery q(m_d->db());
        q.setForwardOnly(true);
        if (!q.exec(u"PRAGMA integrity_check"_s))
            return sqlError(q.lastError(), m_d->path);
        while (q.next()) {
            const QString line = q.value(0).toString();
            if (line != u"ok")
                problems.append(line);
        }
        if (!q.exec(u"PRAGMA foreign_key_check"_s))
            return sqlError(q.lastError(), m_d->path);
        while (q.next()) {
            problems.append(u"%1 row %2 refers to a missing %3 row"_s.arg(q.value(0).toString(), q.value(1).toString(),
                                                                         q.value(2).toString()));
        }
        return problems;
    });
}

// --- vocabularies ---------------------------------------------------------------------

QString sourceStatusName(SourceStatus status)
{
    switch (status) {
    case SourceStatus::New: return u"new"_s;
    case SourceStatus::Importing: return u"importing"_s;
    case SourceStatus::Complete: return u"complete"_s;
    case SourceStatus::Partial: return u"partial"_s;
    case SourceStatus::Failed: return u"failed"_s;
    }
    return u"new"_s;
}

SourceStatus sourceStatusFromName(QStringView name)
{
    if (name == u"importing")
        return SourceStatus::Importing;
    if (name == u"complete")
        return SourceStatus::Complete;
    if (name == u"partial")
        return SourceStatus::Partial;
    if (name == u"failed")
        return SourceStatus::Failed;
    return SourceStatus::New;
}

QString importStatusName(ImportStatus status)
{
    switch (status) {
    case ImportStatus::Running: return u"running"_s;
    case ImportStatus::Complete: return u"complete"_s;
    case ImportStatus::Stopped: return u"stopped"_s;
    case ImportStatus::Cancelled: return u"cancelled"_s;
    case ImportStatus::Failed: return u"failed"_s;
    }
    return u"running"_s;
}

ImportStatus importStatusFromName(QStringView name)
{
    if (name == u"complete")
        return ImportStatus::Complete;
    if (name == u"stopped")
        return ImportStatus::Stopped;
    if (name == u"cancelled")
        return ImportStatus::Cancelled;
    if (name == u"failed")
        return ImportStatus::Failed;
    return ImportStatus::Running;
}

} // namespace bi::core::store
