// SPDX-License-Identifier: GPL-3.0-or-later
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include "core/store/project_store.h"
#include "store_test_util.h"

using namespace Qt::StringLiterals;
using bi::core::Diagnostic;
using bi::core::Diagnostics;
using bi::core::ErrorCode;
using bi::core::bounce::BounceRecipient;
using bi::core::bounce::BounceReport;
using bi::core::bounce::MessageKind;
using bi::core::mail::RawMessage;
using bi::core::store::BounceRow;
using bi::core::store::ImportRun;
using bi::core::store::ImportStatus;
using bi::core::store::ProjectStore;
using bi::core::store::RawMessageCodec;
using bi::core::store::SourceInfo;
using bi::core::store::SourceStatus;
using bi::core::store::StoredMessage;
using bi::test::RawDb;

Q_DECLARE_METATYPE(BounceReport)
Q_DECLARE_METATYPE(RawMessage)

namespace {

QByteArray sha256Hex(const QByteArray& bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

// The digest the store gives a message when the caller gives none: CRLF read as LF, the line
// ends at its end as one (written out here, not with messageSha256()).
QByteArray storedSha(const QByteArray& given, const QByteArray& bytes)
{
    if (!given.isEmpty())
        return given.toLower();
    QByteArray canonical = bytes;
    canonical.replace("\r\n", "\n");
    while (canonical.endsWith('\n') || canonical.endsWith('\r'))
        canonical.chop(1);
    if (!canonical.isEmpty())
        canonical += '\n';
    return sha256Hex(canonical);
}

BounceRecipient fullRecipient()
{
    BounceRecipient r;
    r.kind = MessageKind::Bounce;
    r.recipient = u"zoe.mueller@example.com"_s;
    r.originalRecipient = u"rfc822; Zoe.Mueller@Example.com"_s;
    r.action = u"failed"_s;
    r.status = u"5.1.1"_s;
    r.replyCode = u"550"_s;
    r.reason = u"userunknown"_s;
    r.hardBounce = true;
    r.diagnostic = u"550 5.1.1 <zoe.mueller@example.com>: Recipient address rejected: User unknown"_s;
    r.diagnosticType = u"smtp"_s;
    r.remoteMta = u"dns; mx1.example.com"_s;
    r.lastAttempt = u"Tue, 3 Jan 2023 10:00:00 +0100"_s;
    r.willRetryUntil = u"Fri, 6 Jan 2023 10:00:00 +0100"_s;
    r.feedbackType = u"abuse"_s;
    r.smtpCommand = u"RCPT"_s;
    return r;
}

BounceReport fullReport()
{
    BounceReport r;
    r.kind = MessageKind::Bounce;
    r.family = u"rfc3464"_s;
    r.reportingMta = u"dns; mx.example.net"_s;
    r.receivedFromMta = u"dns; out.example.org"_s;
    r.arrivalDate = u"Tue, 3 Jan 2023 09:59:58 +0100"_s;
    r.envelopeId = u"ENV-42"_s;
    r.queueId = u"4Nm1fB2xz9"_s;
    r.postfixSender = u"rfc822; newsletter@example.org"_s;
    r.bounceMessageId = u"20230103100001.ABC@mx.example.net"_s;
    r.from = u"Mail Delivery System <MAILER-DAEMON@mx.example.net>"_s;
    r.to = u"Zoë Müller <newsletter@example.org>"_s;
    r.subject = u"Undelivered Mail Returned to Sender — Ünïcödé 📧"_s;
    r.date = QDateTime(QDate(2023, 1, 3), QTime(10, 0, 1, 250), Qt::OffsetFromUTC, 2 * 3600);
    r.dateRaw = u"Tue, 3 Jan 2023 10:00:01 +0200 (CEST)"_s;
    r.original.messageId = u"orig-1@example.org"_s;
    r.original.from = u"Newsletter <newsletter@example.org>"_s;
    r.original.to = u"zoe.mueller@example.com"_s;
    r.original.subject = u"Our January news"_s;
    r.original.date = u"Tue, 3 Jan 2023 09:59:00 +0100"_s;
    r.original.returnPath = u"<bounces+123@example.org>"_s;
    r.original.received = {u"from out.example.org by mx.example.net; Tue, 3 Jan 2023 09:59:58 +0100"_s,
                           u"from app by out.example.org\r\n\twith ESMTP; Tue, 3 Jan 2023 09:59:01 +0100"_s};
    BounceRecipient second = fullRecipient();
    second.kind = MessageKind::Delay;
    second.recipient = u"Someone@Example.COM"_s;
    second.action = u"delayed"_s;
    second.status = u"4.2.2"_s;
    second.hardBounce = false;
    second.reason = u"mailboxfull"_s;
    r.recipients = {fullRecipient(), second};
    r.diagnostics = {Diagnostic{Diagnostic::Severity::Warning, u"dsn"_s, u"Status and reply code disagree"_s},
                     Diagnostic{Diagnostic::Severity::Info, u"mime"_s, u"missing charset, assumed UTF-8"_s}};
    return r;
}

RawMessage rawFor(const QString& file, int index, qint64 offset, const QByteArray& bytes)
{
    RawMessage raw;
    raw.bytes = bytes;
    raw.sourcePath = file;
    raw.index = index;
    raw.offset = offset;
    raw.length = bytes.size() + 7;
    return raw;
}

// QCOMPAREs every field; the caller checks QTest::currentTestFailed() afterwards.
void compareDiagnostics(const Diagnostics& actual, const Diagnostics& expected)
{
    QCOMPARE(actual.size(), expected.size());
    for (int i = 0; i < actual.size(); ++i) {
        QCOMPARE(int(actual[i].severity), int(expected[i].severity));
        QCOMPARE(actual[i].where, expected[i].where);
        QCOMPARE(actual[i].what, expected[i].what);
    }
}

void compareRecipient(const BounceRecipient& a, const BounceRecipient& e)
{
    QCOMPARE(int(a.kind), int(e.kind));
    QCOMPARE(a.recipient, e.recipient);
    QCOMPARE(a.originalRecipient, e.originalRecipient);
    QCOMPARE(a.action, e.action);
    QCOMPARE(a.status, e.status);
    QCOMPARE(a.replyCode, e.replyCode);
    QCOMPARE(a.reason, e.reason);
    QCOMPARE(a.hardBounce, e.hardBounce);
    QCOMPARE(a.diagnostic, e.diagnostic);
    QCOMPARE(a.diagnosticType, e.diagnosticType);
    QCOMPARE(a.remoteMta, e.remoteMta);
    QCOMPARE(a.lastAttempt, e.lastAttempt);
    QCOMPARE(a.willRetryUntil, e.willRetryUntil);
    QCOMPARE(a.feedbackType, e.feedbackType);
    QCOMPARE(a.smtpCommand, e.smtpCommand);
}

// Message-level fields only; recipients and diagnostics are compared by the caller.
void compareMessageFields(const BounceReport& a, const BounceReport& e)
{
    QCOMPARE(int(a.kind), int(e.kind));
    QCOMPARE(a.family, e.family);
    QCOMPARE(a.reportingMta, e.reportingMta);
    QCOMPARE(a.receivedFromMta, e.receivedFromMta);
    QCOMPARE(a.arrivalDate, e.arrivalDate);
    QCOMPARE(a.envelopeId, e.envelopeId);
    QCOMPARE(a.queueId, e.queueId);
    QCOMPARE(a.postfixSender, e.postfixSender);
    QCOMPARE(a.bounceMessageId, e.bounceMessageId);
    QCOMPARE(a.from, e.from);
    QCOMPARE(a.to, e.to);
    QCOMPARE(a.subject, e.subject);
    QCOMPARE(a.date.isValid(), e.date.isValid());
    if (e.date.isValid()) {
        QCOMPARE(a.date.toMSecsSinceEpoch(), e.date.toMSecsSinceEpoch());
        QCOMPARE(a.date.offsetFromUtc(), e.date.offsetFromUtc());
        QCOMPARE(a.date, e.date);
    }
    QCOMPARE(a.dateRaw, e.dateRaw);
    QCOMPARE(a.original.messageId, e.original.messageId);
    QCOMPARE(a.original.from, e.original.from);
    QCOMPARE(a.original.to, e.original.to);
    QCOMPARE(a.original.subject, e.original.subject);
    QCOMPARE(a.original.date, e.original.date);
    QCOMPARE(a.original.returnPath, e.original.returnPath);
    QCOMPARE(a.original.received, e.original.received);
}

} // namespace

class TstProjectStore : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_serial = 0;

    QString newPath() { return m_dir.filePath(u"p%1.bip"_s.arg(++m_serial)); }

    // Opens a fresh project with one source; fails the test on error.
    std::optional<ProjectStore> freshStore(qint64* sourceId = nullptr)
    {
        auto store = ProjectStore::open(newPath(), u"test"_s);
        if (!store) {
            qWarning() << store.error().toString();
            return std::nullopt;
        }
        if (sourceId) {
            auto source = store->addSource(m_dir.filePath(u"inbox.mbox"_s), u"mbox"_s, 1000);
            if (!source)
                return std::nullopt;
            *sourceId = source->id;
        }
        return std::move(*store);
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void init()
    {
        // STYLE §8 pitfall 2: removing a connection while a query lives prints this.
        QTest::failOnWarning(QRegularExpression(u"still in use"_s));
        QTest::failOnWarning(QRegularExpression(u"duplicate connection name"_s));
        QTest::failOnWarning(QRegularExpression(u"does not belong to the calling thread"_s));
    }

    void pageSizeOfNewAndOldProjects()
    {
        // A new project gets 16 KiB pages (set before WAL, or SQLite ignores it); a project
        // made with 4 KiB pages opens and keeps them.
        const QString fresh = m_dir.filePath(u"pages-new.bip"_s);
        QVERIFY(ProjectStore::open(fresh, u"test"_s));
        const QString old = m_dir.filePath(u"pages-old.bip"_s);
        {
            RawDb raw(old);
            QVERIFY(raw.exec(u"PRAGMA page_size = 4096"_s));
            QVERIFY(raw.exec(u"PRAGMA journal_mode = WAL"_s));
            QVERIFY(raw.exec(u"CREATE TABLE t (x)"_s));
            QVERIFY(raw.exec(u"DROP TABLE t"_s));
        }
        {
            auto store = ProjectStore::open(old, u"test"_s);
            QVERIFY(store);
            QVERIFY(store->addSource(u"/var/log/mail.log"_s, u"log"_s, 0));
        }
        QCOMPARE(RawDb(fresh).scalar(u"PRAGMA page_size"_s).toInt(), 16384);
        QCOMPARE(RawDb(old).scalar(u"PRAGMA page_size"_s).toInt(), 4096);
    }

    void roundTrip_data()
    {
        QTest::addColumn<BounceReport>("report");
        QTest::addColumn<RawMessage>("raw");
        QTest::addColumn<QByteArray>("givenSha");

        {
            static constexpr char kMail[] = "From: MAILER-DAEMON@mx.example.net\r\nSubject: x\r\n\r\nbody\0with NUL";
            RawMessage raw = rawFor(u"/var/mail/bounces"_s, 3, 1234, QByteArray(kMail, sizeof(kMail) - 1));
            raw.envelopeLine = "From MAILER-DAEMON Tue Jan  3 10:00:01 2023";
            raw.diagnostics = {Diagnostic{Diagnostic::Severity::Error, u"mbox@1234"_s, u"Content-Length too large"_s}};
            QTest::newRow("full-bounce-two-recipients") << fullReport() << raw << sha256Hex(raw.bytes);
        }
        {
            RawMessage raw = rawFor(u"/m/one.eml"_s, 1, 0, "Subject: hi\n\nhello\n");
            QTest::newRow("default-report-null-strings") << BounceReport{} << raw << QByteArray();
        }
        {
            BounceReport r;
            r.kind = MessageKind::Delay;
            r.date = QDateTime(QDate(2022, 12, 31), QTime(23, 59, 59), Qt::OffsetFromUTC, -(3 * 3600 + 30 * 60));
            r.dateRaw = u"Sat, 31 Dec 2022 23:59:59 -0330"_s;
            BounceRecipient only;
            only.kind = MessageKind::Delay;
            only.action = u"delayed"_s;
            r.recipients = {only};
            RawMessage raw = rawFor(u"/m/delay"_s, 2, 99, "x");
            QTest::newRow("negative-half-hour-offset-empty-recipient")
                << r << raw << sha256Hex(raw.bytes).toUpper();
        }
        {
            BounceReport r = fullReport();
            r.date = QDateTime(QDate(1999, 12, 31), QTime(23, 0), Qt::UTC);
            r.recipients.resize(1);
            r.diagnostics.clear();
            QTest::newRow("utc-date") << r << rawFor(u"/m/utc"_s, 5, 4096, "y") << QByteArray();
        }
        {
            BounceReport r;
            r.kind = MessageKind::Feedback;
            r.family = u"arf"_s;
            r.subject = u"tab\there, newline\nthere, NUL "_s + QChar(0) + u" end"_s;
            r.date = QDateTime();
            r.dateRaw = u"garbage date"_s;
            r.original.received = {u""_s, u"only-one-after-an-empty-one"_s};
            BounceRecipient fb;
            fb.kind = MessageKind::Feedback;
            fb.recipient = u"abuse@"_s;
            fb.feedbackType = u"abuse"_s;
            r.recipients = {fb};
            QTest::newRow("control-chars-invalid-date") << r << rawFor(u"/m/arf"_s, 1, 0, "") << QByteArray();
        }
    }

    void roundTrip()
    {
        QFETCH(BounceReport, report);
        QFETCH(RawMessage, raw);
        QFETCH(QByteArray, givenSha);

        qint64 sourceId = 0;
        auto store = freshStore(&sourceId);
        QVERIFY(store);
        auto added = store->addMessage(sourceId, raw, givenSha, report);
        QVERIFY2(added, qPrintable(added ? QString() : added.error().toString()));
        QVERIFY(added->has_value());
        const qint64 id = **added;

        // message(): the whole report.
        auto stored = store->message(id);
        QVERIFY2(stored, qPrintable(stored ? QString() : stored.error().toString()));
        QCOMPARE(stored->id, id);
        QCOMPARE(stored->sourceId, sourceId);
        QCOMPARE(stored->file, raw.sourcePath);
        QCOMPARE(stored->message, raw.index);
        QCOMPARE(stored->offset, raw.offset);
        QCOMPARE(stored->length, raw.length);
        QCOMPARE(stored->sha256, storedSha(givenSha, raw.bytes));
        compareMessageFields(stored->report, report);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(stored->report.recipients.size(), report.recipients.size());
        for (int i = 0; i < report.recipients.size(); ++i) {
            compareRecipient(stored->report.recipients[i], report.recipients[i]);
            if (QTest::currentTestFailed())
                return;
        }
        compareDiagnostics(stored->report.diagnostics, report.diagnostics);
        compareDiagnostics(stored->readerDiagnostics, raw.diagnostics);
        if (QTest::currentTestFailed())
            return;

        // forEachBounceRow(): one row per recipient, each with exactly that recipient.
        QList<BounceRow> rows;
        auto scanned = store->forEachBounceRow([&](const BounceRow& row) {
            rows.append(row);
            return true;
        });
        QVERIFY(scanned);
        QCOMPARE(rows.size(), report.recipients.size());
        for (int i = 0; i < rows.size(); ++i) {
            const BounceRow& row = rows[i];
            QCOMPARE(row.messageId, id);
            QCOMPARE(row.sourceId, sourceId);
            QCOMPARE(row.file, raw.sourcePath);
            QCOMPARE(row.message, raw.index);
            QCOMPARE(row.offset, raw.offset);
            QCOMPARE(row.length, raw.length);
            QCOMPARE(row.sha256, storedSha(givenSha, raw.bytes));
            QCOMPARE(row.recipientIndex, i);
            QCOMPARE(row.report.recipients.size(), 1);
            compareRecipient(row.report.recipients.first(), report.recipients[i]);
            compareMessageFields(row.report, report);
            compareDiagnostics(row.report.diagnostics, report.diagnostics);
            compareDiagnostics(row.readerDiagnostics, raw.diagnostics);
            if (QTest::currentTestFailed())
                return;
        }

        auto bytes = store->rawMessage(id);
        QVERIFY(bytes);
        QCOMPARE(*bytes, raw.bytes);
        QCOMPARE(bytes->size(), raw.bytes.size());

        auto counts = store->counts();
        QVERIFY(counts);
        QCOMPARE(counts->messages, 1);
        QCOMPARE(counts->bounces, report.kind == MessageKind::Bounce ? 1 : 0);
        QCOMPARE(counts->recipients, report.recipients.size());
        QCOMPARE(counts->diagnostics, report.diagnostics.size() + raw.diagnostics.size());
    }

    void recipientDomainAndEnvelopeStored()
    {
        qint64 sourceId = 0;
        auto store = freshStore(&sourceId);
        QVERIFY(store);
        RawMessage raw = rawFor(u"/m/a"_s, 1, 0, "a");
        raw.envelopeLine = "From x@y Mon Jan  2 00:00:00 2023";
        QVERIFY(store->addMessage(sourceId, raw, {}, fullReport()));
        RawDb db(store->path());
        QVERIFY(db.isOpen());
        QCOMPARE(db.column(u"SELECT recipient_domain FROM bounce_recipients ORDER BY idx"_s),
                 QStringList({u"example.com"_s, u"example.com"_s}));
        QCOMPARE(db.scalar(u"SELECT envelope_line FROM message_raw"_s).toByteArray(), raw.envelopeLine);
        QCOMPARE(db.scalar(u"SELECT count(*) FROM diagnostics WHERE source_id IS NOT NULL"_s).toInt(), 2);
    }

    // Raw bytes are stored as zstd frames when that is smaller, as they are otherwise; both
    // read back exactly (schema 8).
    void rawMessagesAreStoredCompressedWhenSmaller()
    {
        qint64 sourceId = 0;
        auto store = freshStore(&sourceId);
        QVERIFY(store);
        RawMessage text = rawFor(u"/m/a"_s, 1, 0, "a");
        text.bytes = "Subject: report\r\n\r\n" + QByteArray("The mailbox is full; try again later.\r\n").repeated(200);
        RawMessage tiny = rawFor(u"/m/a"_s, 2, 100000, "b");
        tiny.bytes = "x";
        auto a = store->addMessage(sourceId, text, {}, fullReport());
        auto b = store->addMessage(sourceId, tiny, {}, fullReport());
        QVERIFY(a && a->has_value() && b && b->has_value());
        RawDb db(store->path());
        QCOMPARE(db.column(u"SELECT encoding FROM message_raw ORDER BY message_id"_s), QStringList({u"1"_s, u"0"_s}));
        QVERIFY(db.scalar(u"SELECT length(raw) FROM message_raw ORDER BY message_id LIMIT 1"_s).toInt()
                < text.bytes.size() / 10);
        QCOMPARE(*store->rawMessage(**a), text.bytes);
        QCOMPARE(*store->rawMessage(**b), tiny.bytes);
    }

    void rawMessageCodecRefusesDamage_data()
    {
        QTest::addColumn<QByteArray>("stored");
        QTest::addColumn<int>("encoding");
        const QByteArray frame = RawMessageCodec::encode(QByteArray("hello, hello, hello, hello, hello").repeated(20)).bytes;
        QTest::newRow("cut-frame") << frame.left(frame.size() / 2) << 1;
        QTest::newRow("not-a-frame") << QByteArray("plain text, not zstd") << 1;
        QTest::newRow("empty-frame") << QByteArray() << 1;
        // Every byte of the frame's content changed in turn: the checksum catches each.
        for (qsizetype i = frame.size() / 2; i < frame.size(); ++i) {
            QByteArray damaged = frame;
            damaged[i] = char(damaged[i] ^ 0x20);
            QTest::addRow("byte-%lld-flipped", qint64(i)) << damaged << 1;
        }
        QTest::newRow("unknown-encoding") << QByteArray("abc") << 7;
    }

    void rawMessageCodecRefusesDamage()
    {
        QFETCH(QByteArray, stored);
        QFETCH(int, encoding);
        const auto decoded = RawMessageCodec::decode(stored, encoding);
        QVERIFY(!decoded);
        QCOMPARE(decoded.error().code, ErrorCode::Database);
    }

    void duplicateAddsNothing()
    {
        qint64 sourceId = 0;
        auto store = freshStore(&sourceId);
        QVERIFY(store);
        const RawMessage raw = rawFor(u"/m/box"_s, 1, 0, "Subject: a\n\nbody\n");
        auto first = store->addMessage(sourceId, raw, {}, fullReport());
        QVERIFY(first && first->has_value());
        auto before = store->counts();
        QVERIFY(before);

        auto again = store->addMessage(sourceId, raw, sha256Hex(raw.bytes), fullReport());
        QVERIFY(again);
        QVERIFY(!again->has_value());
        auto after = store->counts();
        QVERIFY(after);
        QCOMPARE(after->messages, before->messages);
        QCOMPARE(after->recipients, before->recipients);
        QCOMPARE(after->diagnostics, before->diagnostics);

        // Same place, other bytes (the file changed): a new message.
        RawMessage changed = raw;
        changed.bytes += "more\n";
        auto other = store->addMessage(sourceId, changed, {}, fullReport());
        QVERIFY(other && other->has_value());
        // Same bytes in another source (a renamed copy of the mailbox, the message also in
        // another mailbox): the same message, not added again.
        auto source2 = store->addSource(m_dir.filePath(u"other.mbox"_s), u"mbox"_s, 10);
        QVERIFY(source2);
        auto elsewhere = store->addMessage(source2->id, raw, {}, fullReport());
        QVERIFY(elsewhere && !elsewhere->has_value());
        RawMessage moved = raw;
        moved.offset += 4096;
        auto later = store->addMessage(source2->id, moved, {}, fullReport());
        QVERIFY(later && !later->has_value());
        QCOMPARE(store->counts()->messages, 2);
    }

    void invalidArgumentsInsertNothing_data()
    {
        QTest::addColumn<qint64>("sourceDelta");
        QTest::addColumn<int>("index");
        QTest::addColumn<QByteArray>("sha");
        QTest::addColumn<int>("code");
        QTest::newRow("unknown-source-foreign-key") << qint64(1000) << 1 << QByteArray() << int(ErrorCode::Database);
        QTest::newRow("index-zero") << qint64(0) << 0 << QByteArray() << int(ErrorCode::InvalidArgument);
        QTest::newRow("sha-not-hex") << qint64(0) << 1 << QByteArray(64, 'z') << int(ErrorCode::InvalidArgument);
        QTest::newRow("sha-raw-digest") << qint64(0) << 1 << QByteArray(32, 'a') << int(ErrorCode::InvalidArgument);
    }

    void invalidArgumentsInsertNothing()
    {
        QFETCH(qint64, sourceDelta);
        QFETCH(int, index);
        QFETCH(QByteArray, sha);
        QFETCH(int, code);
        qint64 sourceId = 0;
        auto store = freshStore(&sourceId);
        QVERIFY(store);
        QVERIFY(store->begin());
        auto added = store->addMessage(sourceId + sourceDelta, rawFor(u"/m/x"_s, index, 0, "z"), sha, fullReport());
        QVERIFY(!added);
        QCOMPARE(int(added.error().code), code);
        // The failed message left no rows behind and the batch goes on.
        auto ok = store->addMessage(sourceId, rawFor(u"/m/x"_s, 1, 10, "w"), {}, fullReport());
        QVERIFY2(ok, qPrintable(ok ? QString() : ok.error().toString()));
        QVERIFY(store->commit());
        auto counts = store->counts();
        QCOMPARE(counts->messages, 1);
        QCOMPARE(counts->recipients, 2);
        QCOMPARE(counts->diagnostics, 2);
        auto problems = store->checkIntegrity();
        QVERIFY(problems);
        QVERIFY2(problems->isEmpty(), qPrintable(problems->join(u'\n')));
    }

    void rollbackKeepsDatabaseIntact()
    {
        qint64 sourceId = 0;
        auto store = freshStore(&sourceId);
        QVERIFY(store);
        QVERIFY(store->begin());
        QVERIFY(store->addMessage(sourceId, rawFor(u"/m/a"_s, 1, 0, "kept"), {}, fullReport()));
        QVERIFY(store->commit());

        QVERIFY(store->begin());
        QVERIFY(store->inTransaction());
        for (int i = 0; i < 50; ++i)
            QVERIFY(store->addMessage(sourceId, rawFor(u"/m/a"_s, i + 2, 100 + i, QByteArray::number(i)), {}, fullReport()));
        QCOMPARE(store->counts()->messages, 51);
        store->rollback();
        QVERIFY(!store->inTransaction());

        auto counts = store->counts();
        QVERIFY(counts);
        QCOMPARE(counts->messages, 1);
        QCOMPARE(counts->recipients, 2);
        QCOMPARE(counts->diagnostics, 2);
        auto problems = store->checkIntegrity();
        QVERIFY(problems);
        QVERIFY2(problems->isEmpty(), qPrintable(problems->join(u'\n')));

        // The rolled-back messages can be added again afterwards.
        auto again = store->addMessage(sourceId, rawFor(u"/m/a"_s, 2, 100, "0"), {}, fullReport());
        QVERIFY(again && again->has_value());
    }

    void transactionMisuse()
    {
        auto store = freshStore();
        QVERIFY(store);
        QVERIFY(!store->commit());
        QVERIFY(store->begin());
        auto nested = store->begin();
        QVERIFY(!nested);
        QCOMPARE(nested.error().code, ErrorCode::InvalidArgument);
        QVERIFY(store->commit());
        store->rollback(); // no-op without a transaction
        QVERIFY(!store->inTransaction());
    }

    void forEachOrderStopAndFilter()
    {
        qint64 sourceId = 0;
        auto store = freshStore(&sourceId);
        QVERIFY(store);
        struct Item {
            QString file;
            int index;
            MessageKind kind;
            int recipients;
        };
        // Inserted out of order on purpose.
        const QList<Item> items = {{u"/b"_s, 2, MessageKind::Bounce, 2}, {u"/a"_s, 10, MessageKind::Delay, 1},
                                   {u"/b"_s, 1, MessageKind::Bounce, 3}, {u"/a"_s, 2, MessageKind::Other, 0},
                                   {u"/a"_s, 3, MessageKind::Feedback, 1}};
        for (const auto& item : items) {
            BounceReport r;
            r.kind = item.kind;
            for (int i = 0; i < item.recipients; ++i) {
                BounceRecipient rc;
                rc.recipient = u"r%1@%2.example"_s.arg(i).arg(item.index);
                r.recipients.append(rc);
            }
            const QByteArray bytes = item.file.toUtf8() + QByteArray::number(item.index);
            QVERIFY(store->addMessage(sourceId, rawFor(item.file, item.index, item.index * 100, bytes), {}, r));
        }

        QStringList seen;
        QVERIFY(store->forEachBounceRow([&](const BounceRow& row) {
            seen.append(u"%1#%2/%3"_s.arg(row.file).arg(row.message).arg(row.recipientIndex));
            return true;
        }));
        // Numeric message order (10 after 3), recipients in report order.
        QCOMPARE(seen, QStringList({u"/a#3/0"_s, u"/a#10/0"_s, u"/b#1/0"_s, u"/b#1/1"_s, u"/b#1/2"_s, u"/b#2/0"_s,
                                    u"/b#2/1"_s}));

        int calls = 0;
        QVERIFY(store->forEachBounceRow([&](const BounceRow&) { return ++calls < 2; }));
        QCOMPARE(calls, 2);

        QStringList bounces;
        QVERIFY(store->forEachBounceRow({MessageKind::Bounce, MessageKind::Feedback}, [&](const BounceRow& row) {
            bounces.append(u"%1#%2"_s.arg(row.file).arg(row.message));
            return true;
        }));
        QCOMPARE(bounces, QStringList({u"/a#3"_s, u"/b#1"_s, u"/b#1"_s, u"/b#1"_s, u"/b#2"_s, u"/b#2"_s}));

        QStringList messages;
        QVERIFY(store->forEachMessage([&](const StoredMessage& m) {
            messages.append(u"%1#%2:%3"_s.arg(m.file).arg(m.message).arg(m.report.recipients.size()));
            return true;
        }));
        QCOMPARE(messages, QStringList({u"/a#2:0"_s, u"/a#3:1"_s, u"/a#10:1"_s, u"/b#1:3"_s, u"/b#2:2"_s}));

        // A callback may use the store (the raw pane does) while the scan runs.
        int rawsRead = 0;
        QVERIFY(store->forEachBounceRow([&](const BounceRow& row) {
            rawsRead += store->rawMessage(row.messageId) ? 1 : 0;
            return true;
        }));
        QCOMPARE(rawsRead, 7);
    }

    void callbackExceptionIsContained()
    {
        qint64 sourceId = 0;
        auto store = freshStore(&sourceId);
        QVERIFY(store);
        QVERIFY(store->addMessage(sourceId, rawFor(u"/m"_s, 1, 0, "a"), {}, fullReport()));
        auto result = store->forEachBounceRow([](const BounceRow&) -> bool { throw std::runtime_error("boom"); });
        QVERIFY(!result);
        QVERIFY(result.error().message.contains(u"boom"_s));
        QVERIFY(store->counts());
    }

    void sources()
    {
        auto store = freshStore();
        QVERIFY(store);
        const QString file = m_dir.filePath(u"real.mbox"_s);
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("From x\n");
        }
        auto first = store->addSource(file, u"mbox"_s, 7);
        QVERIFY(first);
        QVERIFY(first->id > 0);
        QCOMPARE(first->path, QFileInfo(file).canonicalFilePath());
        QCOMPARE(first->status, SourceStatus::New);
        QVERIFY(first->addedAt.isValid());

        // The same file through another spelling is the same source, returned as it is.
        const QString detour = m_dir.path() + u"/./sub/../real.mbox"_s;
        QVERIFY(QDir(m_dir.path()).mkpath(u"sub"_s));
        auto second = store->addSource(detour, u"message"_s, 999);
        QVERIFY(second);
        QCOMPARE(second->id, first->id);
        QCOMPARE(second->kind, u"mbox"_s);
        QCOMPARE(second->size, 7);

        SourceInfo updated = *first;
        updated.size = 123456;
        updated.sha256 = QByteArray(64, 'A');
        updated.messageCount = 42;
        updated.bounceCount = 17;
        updated.status = SourceStatus::Partial;
        updated.fileModified = QDateTime(QDate(2024, 2, 29), QTime(12, 0), Qt::UTC);
        QVERIFY(store->updateSource(updated));
        auto list = store->sources();
        QVERIFY(list);
        QCOMPARE(list->size(), 1);
        const SourceInfo& s = list->first();
        QCOMPARE(s.size, 123456);
        QCOMPARE(s.sha256, QByteArray(64, 'a'));
        QCOMPARE(s.messageCount, 42);
        QCOMPARE(s.bounceCount, 17);
        QCOMPARE(s.status, SourceStatus::Partial);
        QCOMPARE(s.fileModified, updated.fileModified);
        QVERIFY(s.updatedAt >= s.addedAt);
        // One by id: the same record as in the list.
        auto one = store->source(s.id);
        QVERIFY(one);
        QCOMPARE(one->path, s.path);
        QCOMPARE(one->size, s.size);
        QCOMPARE(one->status, s.status);
        auto none = store->source(4242);
        QVERIFY(!none);
        QCOMPARE(none.error().code, ErrorCode::InvalidArgument);

        updated.id = 4242;
        auto missing = store->updateSource(updated);
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::InvalidArgument);

        QVERIFY(store->addSourceDiagnostic(s.id, Diagnostic{Diagnostic::Severity::Error, u"gzip"_s, u"truncated"_s}));
        auto diags = store->sourceDiagnostics(s.id);
        QVERIFY(diags);
        QCOMPARE(diags->size(), 1);
        QCOMPARE(diags->first().what, u"truncated"_s);
    }

    void finishSourceCountsStoredMessages()
    {
        qint64 sourceId = 0;
        auto store = freshStore(&sourceId);
        QVERIFY(store);
        QVERIFY(store->addMessage(sourceId, rawFor(u"/m/a"_s, 1, 0, "a"), {}, fullReport()));
        QVERIFY(store->addMessage(sourceId, rawFor(u"/m/a"_s, 2, 10, "b"), {}, BounceReport{}));
        const QDateTime mtime(QDate(2025, 3, 1), QTime(8, 30), Qt::UTC);
        QVERIFY(store->finishSource(sourceId, QByteArray(64, 'B'), SourceStatus::Complete, 2048, mtime));
        auto list = store->sources();
        QVERIFY(list);
        const SourceInfo& s = list->first();
        QCOMPARE(s.sha256, QByteArray(64, 'b'));
        QCOMPARE(s.status, SourceStatus::Complete);
        QCOMPARE(s.size, 2048);
        QCOMPARE(s.fileModified, mtime);
        QCOMPARE(s.messageCount, 2);
        QCOMPARE(s.bounceCount, 1);
        // A partial read has no digest: stored as none, with the rest.
        QVERIFY(store->finishSource(sourceId, {}, SourceStatus::Partial, 4096, mtime));
        list = store->sources();
        QVERIFY(list);
        QVERIFY(list->first().sha256.isEmpty());
        QCOMPARE(list->first().status, SourceStatus::Partial);
        QCOMPARE(list->first().size, 4096);
        QCOMPARE(store->finishSource(4242, {}, SourceStatus::Partial, 0, {}).error().code, ErrorCode::InvalidArgument);
    }

    void removeSourceCascades()
    {
        qint64 sourceId = 0;
        auto store = freshStore(&sourceId);
        QVERIFY(store);
        auto keep = store->addSource(m_dir.filePath(u"keep.mbox"_s), u"mbox"_s, 1);
        QVERIFY(keep);
        auto gone = store->addMessage(sourceId, rawFor(u"/m/1"_s, 1, 0, "a"), {}, fullReport());
        QVERIFY(gone && gone->has_value());
        QVERIFY(store->addSourceDiagnostic(sourceId, Diagnostic{Diagnostic::Severity::Warning, u"x"_s, u"y"_s}));
        auto kept = store->addMessage(keep->id, rawFor(u"/m/2"_s, 1, 0, "b"), {}, fullReport());
        QVERIFY(kept && kept->has_value());

        QVERIFY(store->removeSource(sourceId));
        auto counts = store->counts();
        QCOMPARE(counts->sources, 1);
        QCOMPARE(counts->messages, 1);
        QCOMPARE(counts->recipients, 2);
        QCOMPARE(counts->diagnostics, 2);
        QVERIFY(!store->rawMessage(**gone));
        QVERIFY(store->rawMessage(**kept));
        RawDb db(store->path());
        QCOMPARE(db.scalar(u"SELECT count(*) FROM message_raw"_s).toInt(), 1);
        QVERIFY(!store->removeSource(sourceId));
    }

    void importRuns()
    {
        qint64 sourceId = 0;
        auto store = freshStore(&sourceId);
        QVERIFY(store);
        auto runId = store->startImport();
        QVERIFY(runId);
        auto inRun = store->addMessage(sourceId, rawFor(u"/m"_s, 1, 0, "a"), {}, fullReport());
        QVERIFY(inRun && inRun->has_value());

        ImportRun run;
        run.id = *runId;
        run.status = ImportStatus::Stopped;
        run.sources = 1;
        run.messagesRead = 3;
        run.messagesAdded = 1;
        run.duplicates = 2;
        run.bouncesAdded = 1;
        run.error = u"stopped by user"_s;
        QVERIFY(store->finishImport(run));
        auto afterRun = store->addMessage(sourceId, rawFor(u"/m"_s, 2, 10, "b"), {}, fullReport());
        QVERIFY(afterRun && afterRun->has_value());

        QCOMPARE(store->message(**inRun)->importId, *runId);
        QCOMPARE(store->message(**afterRun)->importId, 0);

        auto runs = store->imports();
        QVERIFY(runs);
        QCOMPARE(runs->size(), 1);
        const ImportRun& r = runs->first();
        QCOMPARE(r.id, *runId);
        QCOMPARE(r.status, ImportStatus::Stopped);
        QCOMPARE(r.messagesRead, 3);
        QCOMPARE(r.messagesAdded, 1);
        QCOMPARE(r.duplicates, 2);
        QCOMPARE(r.bouncesAdded, 1);
        QCOMPARE(r.sources, 1);
        QCOMPARE(r.error, u"stopped by user"_s);
        QVERIFY(r.startedAt.isValid());
        QVERIFY(r.finishedAt >= r.startedAt);

        run.status = ImportStatus::Running;
        QVERIFY(!store->finishImport(run));
    }

    void settings()
    {
        auto store = freshStore();
        QVERIFY(store);
        auto missing = store->setting(u"own_domains"_s);
        QVERIFY(missing);
        QVERIFY(!missing->has_value());
        QVERIFY(store->setSetting(u"own_domains"_s, u"[\"example.org\"]"_s));
        QVERIFY(store->setSetting(u"own_domains"_s, u"[\"example.org\",\"example.net\"]"_s));
        QVERIFY(store->setSetting(u"empty"_s, QString()));
        QCOMPARE(store->setting(u"own_domains"_s)->value(), u"[\"example.org\",\"example.net\"]"_s);
        QCOMPARE(store->setting(u"empty"_s)->value(), QString());
        QVERIFY(store->setting(u"empty"_s)->has_value());
        QVERIFY(store->removeSetting(u"own_domains"_s));
        QVERIFY(!store->setting(u"own_domains"_s)->has_value());
        QVERIFY(!store->setSetting(QString(), u"x"_s));
    }

    void connectionNameAndMove()
    {
        auto opened = ProjectStore::open(newPath(), u"import"_s);
        QVERIFY(opened);
        const QString name = opened->connectionName();
        const auto tid = reinterpret_cast<quintptr>(QThread::currentThreadId());
        QVERIFY2(name.startsWith(u"import-0x"_s + QString::number(tid, 16) + u'-'), qPrintable(name));

        ProjectStore moved(std::move(*opened));
        QVERIFY(!opened->isOpen());
        QVERIFY(!opened->counts());
        QVERIFY(!opened->begin());
        QCOMPARE(moved.connectionName(), name);
        QVERIFY(moved.counts());
        QVERIFY(QSqlDatabase::contains(name));

        auto other = ProjectStore::open(newPath(), u"import"_s);
        QVERIFY(other);
        QVERIFY(other->connectionName() != name);
        const QString otherName = other->connectionName();
        *other = std::move(moved); // the old connection of *other is closed and removed
        QVERIFY(!QSqlDatabase::contains(otherName));
        QCOMPARE(other->connectionName(), name);
        QVERIFY(other->counts());
        other = bi::core::makeError(ErrorCode::Io, u"drop"_s); // destroys the store
        QVERIFY(!QSqlDatabase::contains(name));
    }

    void twoStoresOnOneFile()
    {
        const QString path = newPath();
        auto writer = ProjectStore::open(path, u"import"_s);
        QVERIFY(writer);
        auto reader = ProjectStore::open(path, u"gui"_s, false);
        QVERIFY(reader);
        auto source = writer->addSource(m_dir.filePath(u"s.mbox"_s), u"mbox"_s, 1);
        QVERIFY(source);
        QVERIFY(writer->begin());
        QVERIFY(writer->addMessage(source->id, rawFor(u"/m"_s, 1, 0, "a"), {}, fullReport()));
        // WAL: the reader is not blocked by the open write transaction and sees the last commit.
        auto during = reader->counts();
        QVERIFY2(during, qPrintable(during ? QString() : during.error().toString()));
        QCOMPARE(during->messages, 0);
        QVERIFY(writer->commit());
        QCOMPARE(reader->counts()->messages, 1);
    }

    void otherThreadIsRefused()
    {
        auto store = freshStore();
        QVERIFY(store);
        bi::core::Result<ProjectStore::Counts> fromThread = bi::core::makeError(ErrorCode::Io, u"not run"_s);
        std::unique_ptr<QThread> thread(QThread::create([&] { fromThread = store->counts(); }));
        thread->start();
        QVERIFY(thread->wait(10000));
        QVERIFY(!fromThread);
        QCOMPARE(fromThread.error().code, ErrorCode::InvalidArgument);
        QVERIFY(fromThread.error().message.contains(u"thread"_s));
        QVERIFY(store->counts());
    }
};

QTEST_GUILESS_MAIN(TstProjectStore)
#include "tst_project_store.moc"
