// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/schema.h"

#include <iterator>

#include <QDateTime>
#include <QList>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include "core/store/log_repository.h"
#include "core/store/message_digest.h"
#include "core/store/raw_message_codec.h"
#include "core/store/recipient_grams.h"
#include "core/store/sql_helpers.h"
#include "core/store/sqlite_statement.h"
#include "core/store/transaction_guard.h"

using namespace Qt::StringLiterals;

// Conventions of every table (so later migrations stay consistent):
// - Times are UTC epoch milliseconds (INTEGER); a message's own offset is kept next to
//   it in seconds, and the header text as written is kept raw (STYLE §8).
// - Text columns are NOT NULL DEFAULT '' ("absent" is ''), so queries never need
//   "IS NULL OR = ''". NULL is used only for numbers/times that are unknown.
// - Vocabulary columns (kind, status, origin, ...) are TEXT without CHECK constraints:
//   SQLite cannot alter a CHECK without rebuilding the table, and the vocabularies grow
//   (log formats in migration 2+). The C++ enums in project_store.cpp are the authority.
// - Raw bytes (messages, later log lines) live in separate tables so scans of the
//   parsed columns never page through megabytes of mail.
// - Child rows go with their parent (ON DELETE CASCADE); removing a source removes
//   everything read from it.

namespace bi::core::store {

namespace {

using Statements = QList<QString>;

// Migration 1: the first project schema.
Statements migration1()
{
    return {
        // schema_history: one row per applied migration, for support ("which version
        // created or upgraded this file?"). user_version stays the authority.
        uR"sql(
CREATE TABLE schema_history (
    version     INTEGER PRIMARY KEY,
    applied_at  INTEGER NOT NULL,            -- UTC epoch ms
    app_version TEXT NOT NULL DEFAULT ''     -- Bounce Inspector version that applied it
))sql"_s,

        // settings: project settings as key/value text (own domains, report options, ...).
        // Values that are lists or records are stored as JSON text by their owner.
        uR"sql(
CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID)sql"_s,

        // sources: one row per file added to the project (mbox, .eml, Maildir, later logs).
        // path is canonical and unique, so adding a file twice finds the first row.
        uR"sql(
CREATE TABLE sources (
    id            INTEGER PRIMARY KEY,
    path          TEXT NOT NULL UNIQUE,      -- canonical absolute path
    kind          TEXT NOT NULL,             -- mbox, message, maildir, folder, later log formats
    size          INTEGER NOT NULL DEFAULT 0 CHECK (size >= 0), -- bytes (decompressed when known)
    sha256        TEXT NOT NULL DEFAULT '',  -- lower-case hex of the whole content; '' until known
    file_modified INTEGER,                   -- file mtime when last read, UTC epoch ms; NULL unknown
    added_at      INTEGER NOT NULL,          -- UTC epoch ms
    updated_at    INTEGER NOT NULL,          -- UTC epoch ms of the last updateSource
    message_count INTEGER NOT NULL DEFAULT 0 CHECK (message_count >= 0),
    bounce_count  INTEGER NOT NULL DEFAULT 0 CHECK (bounce_count >= 0),
    status        TEXT NOT NULL DEFAULT 'new' -- new, importing, complete, partial, failed
))sql"_s,

        // imports: one row per import run. A run is inserted as 'running' and finished as
        // complete / stopped (kept what was committed) / cancelled (open batch rolled back)
        // / failed. A 'running' row whose process died stays 'running'.
        uR"sql(
CREATE TABLE imports (
    id             INTEGER PRIMARY KEY,
    started_at     INTEGER NOT NULL,             -- UTC epoch ms
    finished_at    INTEGER,                      -- UTC epoch ms; NULL while running
    status         TEXT NOT NULL DEFAULT 'running', -- running, complete, stopped, cancelled, failed
    sources        INTEGER NOT NULL DEFAULT 0,   -- files read
    messages_read  INTEGER NOT NULL DEFAULT 0,
    messages_added INTEGER NOT NULL DEFAULT 0,
    duplicates     INTEGER NOT NULL DEFAULT 0,   -- messages already stored (same source, offset, sha256)
    bounces_added  INTEGER NOT NULL DEFAULT 0,
    error          TEXT NOT NULL DEFAULT ''      -- why it failed, for people
))sql"_s,

        // messages: one row per message read, bounce or not, with the decoded report's
        // message-level fields. (source_id, byte_offset, sha256) is unique: importing
        // the same file twice adds nothing, a changed message at the same place is new.
        uR"sql(
CREATE TABLE messages (
    id                INTEGER PRIMARY KEY,
    source_id         INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    import_id         INTEGER REFERENCES imports(id) ON DELETE SET NULL, -- run that added it
    file              TEXT NOT NULL,             -- file read (inside a Maildir: the message file)
    file_index        INTEGER NOT NULL CHECK (file_index >= 1), -- 1-based number in file
    byte_offset       INTEGER NOT NULL CHECK (byte_offset >= 0), -- in the decompressed file
    byte_length       INTEGER NOT NULL CHECK (byte_length >= 0), -- bytes in file, quoting included
    sha256            TEXT NOT NULL,             -- lower-case hex of the raw message bytes
    kind              TEXT NOT NULL,             -- bounce, delay, feedback, auto-reply, delivered, other
    family            TEXT NOT NULL DEFAULT '',  -- decoder: rfc3464, arf, rfc3834, postfix, qmail, ...
    message_id        TEXT NOT NULL DEFAULT '',  -- the bounce's own Message-ID, no angle brackets
    date_utc_ms       INTEGER,                   -- Date as UTC epoch ms; NULL when unparsable
    date_offset_s     INTEGER,                   -- Date's own UTC offset in seconds
    date_raw          TEXT NOT NULL DEFAULT '',  -- Date as written
    from_addr         TEXT NOT NULL DEFAULT '',  -- decoded From
    to_addr           TEXT NOT NULL DEFAULT '',  -- decoded To
    subject           TEXT NOT NULL DEFAULT '',  -- decoded Subject
    reporting_mta     TEXT NOT NULL DEFAULT '',  -- RFC 3464 Reporting-MTA
    received_from_mta TEXT NOT NULL DEFAULT '',  -- RFC 3464 Received-From-MTA
    arrival_date      TEXT NOT NULL DEFAULT '',  -- RFC 3464 Arrival-Date as written
    envelope_id       TEXT NOT NULL DEFAULT '',  -- RFC 3464 Original-Envelope-Id
    queue_id          TEXT NOT NULL DEFAULT '',  -- X-Postfix-Queue-ID and similar
    sender            TEXT NOT NULL DEFAULT '',  -- envelope sender of the original (X-Postfix-Sender, ...)
    orig_message_id   TEXT NOT NULL DEFAULT '',  -- the quoted original's Message-ID, no angle brackets
    orig_from         TEXT NOT NULL DEFAULT '',
    orig_to           TEXT NOT NULL DEFAULT '',
    orig_subject      TEXT NOT NULL DEFAULT '',
    orig_date         TEXT NOT NULL DEFAULT '',  -- as written
    orig_return_path  TEXT NOT NULL DEFAULT '',
    orig_received     TEXT NOT NULL DEFAULT '[]', -- JSON array of the Received fields, top first
                                                  -- (JSON, not newline-joined: a field may keep a fold)
    UNIQUE (source_id, byte_offset, sha256)
))sql"_s,
        // forEachBounceRow streams in (file, file_index) order.
        u"CREATE INDEX messages_by_file ON messages (file, file_index)"_s,
        // Per-day charts of one kind, and the per-kind counts.
        u"CREATE INDEX messages_by_kind_date ON messages (kind, date_utc_ms)"_s,
        u"CREATE INDEX messages_by_date ON messages (date_utc_ms)"_s,
        // Message-ID lookups: the bounce itself, and the original it reports on (joins to
        // smarthost logs and to the sent mail).
        u"CREATE INDEX messages_by_message_id ON messages (message_id)"_s,
        u"CREATE INDEX messages_by_orig_message_id ON messages (orig_message_id)"_s,
        u"CREATE INDEX messages_by_queue_id ON messages (queue_id)"_s,
        // Deleting an import sets import_id NULL; without an index that scans messages.
        u"CREATE INDEX messages_by_import ON messages (import_id)"_s,

        // message_raw: the message bytes exactly as stored in the mailbox (mbox quoting
        // undone), 1:1 with messages, kept apart so scans of messages stay small.
        uR"sql(
CREATE TABLE message_raw (
    message_id    INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
    envelope_line BLOB NOT NULL DEFAULT x'', -- mbox "From " line without line ending; empty when none
    raw           BLOB NOT NULL
))sql"_s,

        // bounce_recipients: one row per recipient of a report (RFC 3464 §2.3
        // per-recipient fields plus our classification), idx 0-based in report order.
        uR"sql(
CREATE TABLE bounce_recipients (
    id                 INTEGER PRIMARY KEY,
    message_id         INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    idx                INTEGER NOT NULL CHECK (idx >= 0),
    kind               TEXT NOT NULL,            -- same vocabulary as messages.kind
    recipient          TEXT NOT NULL DEFAULT '', -- Final-Recipient address, no angle brackets
    recipient_domain   TEXT NOT NULL DEFAULT '', -- lower-cased part after the last '@'; '' when none
    original_recipient TEXT NOT NULL DEFAULT '', -- Original-Recipient
    action             TEXT NOT NULL DEFAULT '', -- failed, delayed, delivered, relayed, expanded
    status             TEXT NOT NULL DEFAULT '', -- RFC 3463 code, e.g. 5.1.1
    reply_code         TEXT NOT NULL DEFAULT '', -- SMTP reply code, e.g. 550
    reason             TEXT NOT NULL DEFAULT '', -- sisimai vocabulary (userunknown, mailboxfull, ...)
    hard_bounce        INTEGER NOT NULL DEFAULT 0 CHECK (hard_bounce IN (0, 1)),
    diagnostic         TEXT NOT NULL DEFAULT '', -- remote server's text, unfolded
    diagnostic_type    TEXT NOT NULL DEFAULT '', -- smtp, x-unix, ...
    remote_mta         TEXT NOT NULL DEFAULT '',
    last_attempt       TEXT NOT NULL DEFAULT '', -- Last-Attempt-Date as written
    will_retry_until   TEXT NOT NULL DEFAULT '', -- Will-Retry-Until as written
    feedback_type      TEXT NOT NULL DEFAULT '', -- ARF (RFC 5965) Feedback-Type
    smtp_command       TEXT NOT NULL DEFAULT '', -- RCPT, DATA, ... when known
    UNIQUE (message_id, idx)
))sql"_s,
        u"CREATE INDEX recipients_by_recipient ON bounce_recipients (recipient)"_s,
        u"CREATE INDEX recipients_by_domain ON bounce_recipients (recipient_domain, reason)"_s,
        u"CREATE INDEX recipients_by_reason ON bounce_recipients (reason)"_s,

        // diagnostics: problems found in untrusted input (STYLE §5), attached to a message
        // or, for whole-file problems, to a source. origin tells who found it: 'source'
        // (file level), 'reader' (mbox/Maildir reader) or 'decoder' (MIME/DSN decoding).
        // Later migrations add other owners (log lines) as further nullable columns.
        uR"sql(
CREATE TABLE diagnostics (
    id         INTEGER PRIMARY KEY,
    source_id  INTEGER REFERENCES sources(id) ON DELETE CASCADE,
    message_id INTEGER REFERENCES messages(id) ON DELETE CASCADE,
    origin     TEXT NOT NULL,                 -- source, reader, decoder
    severity   TEXT NOT NULL,                 -- info, warning, error
    location   TEXT NOT NULL DEFAULT '',      -- Diagnostic::where: "mime", "mbox@1234", "dsn"
    detail     TEXT NOT NULL DEFAULT '',      -- Diagnostic::what
    CHECK (source_id IS NOT NULL OR message_id IS NOT NULL)
))sql"_s,
        u"CREATE INDEX diagnostics_by_message ON diagnostics (message_id)"_s,
        u"CREATE INDEX diagnostics_by_source ON diagnostics (source_id)"_s,
    };
}

// Migration 2's tables of the log events themselves (also migration 7's, for projects from
// before migration 2 took this form).
Statements logChunkTables()
{
    return {
        // log_chunks: the log events (core/logs/log_event.h) of one (host, queue id) as read
        // from one source, several events per row (issue 4: a row per event made importing
        // 20x slower than reading the log). A message's events are gathered while the log is
        // read and written when it leaves the queue, when the import commits, or when too
        // many messages are open at once; so one message may span several chunks (and
        // sources: rotated logs), which the readers merge by (host, queue_id). Events without
        // a queue id (SMTP-time rejects) are chunked per host with queue_id ''. data holds
        // the events in the compact encoding of core/store/log_repository.cpp (strings as
        // UTF-8, unset fields cost nothing, repeats of the previous event cost one bit pair).
        // An event's id is chunk id * 4096 + its index in the chunk (fates' steps cite it).
        // Queue ids are unique per host only: always with host.
        uR"sql(
CREATE TABLE log_chunks (
    id         INTEGER PRIMARY KEY,
    source_id  INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    host       TEXT NOT NULL DEFAULT '',
    queue_id   TEXT NOT NULL DEFAULT '',
    first_time INTEGER,                   -- UTC ms of the earliest stamped event; NULL when none
    last_time  INTEGER,                   -- UTC ms of the latest stamped event
    first_line INTEGER NOT NULL,          -- 1-based line of the first event in the source
    last_line  INTEGER NOT NULL,
    events     INTEGER NOT NULL CHECK (events BETWEEN 1 AND 4096),
    message_id TEXT NOT NULL DEFAULT '',  -- first RFC 5322 Message-ID among the events, no angle brackets
    data       BLOB NOT NULL              -- the encoded events, without their raw lines
))sql"_s,
        u"CREATE INDEX log_chunks_by_queue ON log_chunks (host, queue_id, first_time)"_s,
        u"CREATE INDEX log_chunks_by_source ON log_chunks (source_id)"_s,
        u"CREATE INDEX log_chunks_by_message_id ON log_chunks (message_id) WHERE message_id <> ''"_s,

        // log_raw: the raw lines of the events, verbatim, for the raw view (STYLE §8); apart
        // from log_chunks so the correlator never pages through them. Every distinct line of a
        // source has an ordinal (seq, in the events' encoding); consecutive lines are stored
        // together, zstd-compressed (core/store/log_raw_blocks.cpp): a tenth of the log's size.
        uR"sql(
CREATE TABLE log_raw (
    id        INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    first_seq INTEGER NOT NULL,           -- seq of the block's first line
    lines     INTEGER NOT NULL,
    data      BLOB NOT NULL               -- zstd frame of (varint length, bytes) per line
))sql"_s,
        u"CREATE UNIQUE INDEX log_raw_by_seq ON log_raw (source_id, first_seq)"_s,

        // log_names: the hosts that logged and the envelope sender domains of the mail they
        // handled, per source, so learning our own identity does not scan every event.
        uR"sql(
CREATE TABLE log_names (
    source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    kind      TEXT NOT NULL,              -- host, sender_domain
    name      TEXT NOT NULL,
    PRIMARY KEY (source_id, kind, name)
) WITHOUT ROWID)sql"_s,
        u"CREATE INDEX log_names_by_kind ON log_names (kind, name)"_s,
    };
}

// Migration 2: smarthost logs and fates (issue 4).
Statements migration2()
{
    return Statements{
        // log_sources: how far a log source (a row of sources, kind 'log') has been read.
        // A log is identified by the SHA-256 of its first 64 KiB, decompressed, so a rotated
        // copy resumes where the last import stopped instead of adding every line again.
        uR"sql(
CREATE TABLE log_sources (
    source_id      INTEGER PRIMARY KEY REFERENCES sources (id) ON DELETE CASCADE,
    head_sha256    TEXT NOT NULL DEFAULT '',     -- hex
    imported_bytes INTEGER NOT NULL DEFAULT 0,   -- decompressed bytes whose events are committed
    imported_lines INTEGER NOT NULL DEFAULT 0,
    events         INTEGER NOT NULL DEFAULT 0,
    format         TEXT NOT NULL DEFAULT '',     -- postfix, exim, sendmail, qmail, powermta, exchange, opensmtpd
    time_zone      TEXT NOT NULL DEFAULT ''      -- zone used for stamps without an offset
))sql"_s,
        u"CREATE INDEX log_sources_by_head ON log_sources (head_sha256)"_s,
    } + logChunkTables() + Statements{
        // fates: one row per (message, recipient), recomputed from log_events and the mailbox
        // by the correlator after every import. steps holds the timeline as JSON
        // [{kind, t (UTC ms), status, reply, text, relay, log (log event id), msg (messages.id)}];
        // a step that only repeats its log event is {kind, log, ref: 1} (t, status, reply, text
        // and relay are the event's; a deferred message has dozens of such steps). evidence is
        // a JSON array of readable sentences.
        uR"sql(
CREATE TABLE fates (
    id                INTEGER PRIMARY KEY,
    message_id        TEXT NOT NULL DEFAULT '',
    queue_id          TEXT NOT NULL DEFAULT '',
    host              TEXT NOT NULL DEFAULT '',
    sender            TEXT NOT NULL DEFAULT '',
    recipient         TEXT NOT NULL,
    domain            TEXT NOT NULL DEFAULT '',
    fate              TEXT NOT NULL,                 -- delivered, rejected, expired, async_bounce, deferred
    reason            TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL DEFAULT '',
    reply_code        TEXT NOT NULL DEFAULT '',
    diagnostic        TEXT NOT NULL DEFAULT '',
    queued_at         INTEGER,
    first_attempt_at  INTEGER,
    final_at          INTEGER,
    bounce_at         INTEGER,
    attempts          INTEGER NOT NULL DEFAULT 0,
    deferrals         INTEGER NOT NULL DEFAULT 0,
    decided_by        TEXT NOT NULL DEFAULT '',      -- log, log+mailbox, mailbox
    evidence          TEXT NOT NULL DEFAULT '[]',
    confidence        REAL NOT NULL DEFAULT 0,
    bounce_message_id INTEGER REFERENCES messages (id) ON DELETE SET NULL,
    steps             TEXT NOT NULL DEFAULT '[]'
))sql"_s,
        u"CREATE INDEX fates_by_recipient ON fates (recipient)"_s,
        u"CREATE INDEX fates_by_domain ON fates (domain, final_at)"_s,
        u"CREATE INDEX fates_by_fate ON fates (fate, final_at)"_s,
        u"CREATE INDEX fates_by_queued ON fates (queued_at)"_s,
        u"CREATE INDEX fates_by_message_id ON fates (message_id)"_s,
        u"CREATE INDEX fates_by_bounce_message ON fates (bounce_message_id)"_s,
    };
}

// Migration 3: backscatter (issue 5).
Statements migration3()
{
    return {
        // Settings this migration's features read (table settings, comma-separated lists):
        // own_domains / own_hosts (typed by the user), own_domains_learned / own_hosts_learned
        // (written by the backscatter pass from the logs and the mailbox), own_excluded (names
        // the user removed from the learned ones), batv_secret / srs_secret (the signing keys,
        // when known, for real signature checks). See core/backscatter/own_settings.h.
        // bounce_verdicts: one row per bounce (messages.kind 'bounce') of the mailbox: was it
        // about mail we sent ('ours'), a notice about spam that forged one of our addresses
        // as its sender ('backscatter'), or can't it be told ('uncertain')? Recomputed after
        // every import by core/backscatter. score is the estimated probability (0..1) that
        // the bounce is backscatter: 'ours' below 0.3, 'backscatter' from 0.7. evidence is a
        // JSON array of readable sentences, strongest first. The other columns feed the
        // volume series without re-reading the messages.
        uR"sql(
CREATE TABLE bounce_verdicts (
    message_id    INTEGER PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE, -- the bounce
    verdict       TEXT NOT NULL,                  -- ours, backscatter, uncertain
    score         REAL NOT NULL DEFAULT 0.5,      -- P(backscatter), 0..1
    evidence      TEXT NOT NULL DEFAULT '[]',     -- JSON array of readable strings
    matched_by    TEXT NOT NULL DEFAULT '',       -- how it matched a logged send: message-id,
                                                  -- queue-id, envelope-id, verp, recipient; '' none
    log_covered   INTEGER NOT NULL DEFAULT 0 CHECK (log_covered IN (0, 1)), -- logs cover its time
    bounce_to     TEXT NOT NULL DEFAULT '',       -- address the bounce was sent to (the sender it
                                                  -- names; forged for backscatter), tags removed
    reporting_mta TEXT NOT NULL DEFAULT '',       -- host that wrote the notice, lower case
    at_utc_ms     INTEGER                         -- the bounce's date (UTC ms); NULL unknown
))sql"_s,
        u"CREATE INDEX bounce_verdicts_by_verdict ON bounce_verdicts (verdict, at_utc_ms)"_s,
        u"CREATE INDEX bounce_verdicts_by_time ON bounce_verdicts (at_utc_ms)"_s,

        // outbound_backscatter: one row per notice one of our smarthosts generated about a
        // message it had accepted (Postfix "sender non-delivery notification", Exim "<= <>"
        // bounce, qmail bounce and double bounce, Sendmail DSN) and sent to an address
        // outside our own domains: the backscatter we send. Recomputed with the verdicts.
        uR"sql(
CREATE TABLE outbound_backscatter (
    id              INTEGER PRIMARY KEY,
    host            TEXT NOT NULL DEFAULT '',     -- our MTA that wrote the notice
    format          TEXT NOT NULL DEFAULT '',     -- log format: postfix, exim, qmail, sendmail, ...
    kind            TEXT NOT NULL DEFAULT '',     -- non-delivery, delay, unknown, double-bounce
    notice_at       INTEGER,                      -- UTC ms the notice was generated; NULL unknown
    notice_queue_id TEXT NOT NULL DEFAULT '',     -- the notice's own queue id, when logged
    notice_to       TEXT NOT NULL DEFAULT '',     -- where the notice went (the original's sender)
    notice_domain   TEXT NOT NULL DEFAULT '',     -- lower-cased domain of notice_to
    notice_result   TEXT NOT NULL DEFAULT '',     -- what became of the notice: sent, deferred,
                                                  -- bounced, expired; '' when not logged
    notice_relay    TEXT NOT NULL DEFAULT '',     -- where it was delivered to
    orig_queue_id   TEXT NOT NULL DEFAULT '',     -- the accepted message that caused it
    orig_message_id TEXT NOT NULL DEFAULT '',     -- its Message-ID, no angle brackets
    orig_client     TEXT NOT NULL DEFAULT '',     -- who handed it to us
    orig_recipient  TEXT NOT NULL DEFAULT '',     -- the recipient that failed
    orig_at         INTEGER,                      -- UTC ms the original was accepted
    status          TEXT NOT NULL DEFAULT '',     -- RFC 3463 code of the failure
    reply_code      TEXT NOT NULL DEFAULT '',
    reason          TEXT NOT NULL DEFAULT '',     -- why it bounced, as logged
    log_event       INTEGER                       -- log event id of the notice (see log_chunks)
))sql"_s,
        u"CREATE INDEX outbound_backscatter_by_time ON outbound_backscatter (notice_at)"_s,
        u"CREATE INDEX outbound_backscatter_by_domain ON outbound_backscatter (notice_domain, notice_at)"_s,
    };
}

// Migration 4: the recipient list on a million rows (issue 6). The list's row time and time to
// bounce are expressions (core/store/recipient_query.cpp spells them exactly like these indexes,
// so SQLite uses them): indexed with the filter columns, a filtered page walks an index in order
// instead of sorting every match, a count reads one index, and sorting by a column (then by
// time) reads its index in order. ProjectStore::updateStatistics() (ANALYZE, after each import)
// tells SQLite how selective each one is. fates_text indexes recipients by
// trigrams so free-text search need not read every row; FateRepository::clear() empties it (all
// fates go at once, so a per-row delete trigger would only slow that down) and the triggers
// keep it in step with inserted and renamed fates.
Statements migration4()
{
    return {
        u"CREATE INDEX fates_by_time ON fates (COALESCE(queued_at, final_at, bounce_at), id)"_s,
        u"CREATE INDEX fates_by_fate_time ON fates (fate, COALESCE(queued_at, final_at, bounce_at), id)"_s,
        u"CREATE INDEX fates_by_reason_time ON fates (reason, COALESCE(queued_at, final_at, bounce_at), id)"_s,
        u"CREATE INDEX fates_by_domain_fate ON fates (domain, fate, COALESCE(queued_at, final_at, bounce_at))"_s,
        u"CREATE INDEX fates_by_domain_time ON fates (domain, COALESCE(queued_at, final_at, bounce_at), id)"_s,
        u"CREATE INDEX fates_by_status_time ON fates (status, COALESCE(queued_at, final_at, bounce_at), id)"_s,
        u"CREATE INDEX fates_by_attempts_time ON fates (attempts, COALESCE(queued_at, final_at, bounce_at), id)"_s,
        // Status class: the RFC 3463 class, or the reply code's first digit when there is none.
        u"CREATE INDEX fates_by_status_class ON fates ((CASE WHEN status <> '' THEN substr(status, 1, 1) "
        u"ELSE substr(reply_code, 1, 1) END), COALESCE(queued_at, final_at, bounce_at), id)"_s,
        u"CREATE INDEX fates_by_bounce_delay ON fates ((CASE WHEN fate = 'async_bounce' AND final_at IS NOT NULL "
        u"AND bounce_at IS NOT NULL THEN (bounce_at - final_at) / 1000 END), id)"_s,
        u"CREATE VIRTUAL TABLE fates_text USING fts5 (recipient, content = 'fates', content_rowid = 'id', "
        u"tokenize = 'trigram', detail = 'none')"_s,
        u"INSERT INTO fates_text (fates_text) VALUES ('rebuild')"_s,
        u"CREATE TRIGGER fates_text_insert AFTER INSERT ON fates BEGIN "
        u"INSERT INTO fates_text (rowid, recipient) VALUES (new.id, new.recipient); END"_s,
        u"CREATE TRIGGER fates_text_update AFTER UPDATE OF recipient ON fates BEGIN "
        u"INSERT INTO fates_text (fates_text, rowid, recipient) VALUES ('delete', old.id, old.recipient); "
        u"INSERT INTO fates_text (rowid, recipient) VALUES (new.id, new.recipient); END"_s,
    };
}

// Migration 5: the recipient list's free-text index built in C++ (RecipientGrams, table
// fates_grams) instead of the fts5 trigram table of migration 4, which cost more to build than
// the rest of a fate rewrite. fillRecipientGrams() indexes the fates already there.
Statements migration5()
{
    return {
        u"DROP TRIGGER fates_text_insert"_s,
        u"DROP TRIGGER fates_text_update"_s,
        u"DROP TABLE fates_text"_s,
        // gram: three bytes of a recipient as an integer, or -1 for the row that records
        // max(fates.id) when the index was built; first_id: the piece's first fate id; ids:
        // ascending fate ids as varint deltas, going on from the gram's piece before.
        u"CREATE TABLE fates_grams (gram INTEGER NOT NULL, first_id INTEGER NOT NULL, ids BLOB NOT NULL, "
        u"PRIMARY KEY (gram, first_id)) WITHOUT ROWID"_s,
    };
}

// Migration 6: four fates indexes of migration 2 that no query reads (the list, dashboard and
// report queries use migration 4's, which lead with the same columns): each cost a full
// build after every correlation.
Statements migration6()
{
    return {
        u"DROP INDEX fates_by_domain"_s,
        u"DROP INDEX fates_by_fate"_s,
        u"DROP INDEX fates_by_queued"_s,
        u"DROP INDEX fates_by_message_id"_s,
    };
}

Result<void> fillRecipientGrams(const QSqlDatabase& db)
{
    return RecipientGrams::rebuild(sqliteHandle(db));
}

// Migration 7: projects made before migration 2 took its released form keep their log events
// in log_events, a row per event (the v2 fixture), and have none of log_chunks, log_raw and
// log_names: every log import into them failed ("no such table: log_raw"). Their events move
// into the new tables, with their raw lines, as an import would have written them; then
// log_events goes. Projects that never had log_events are left as they are.
Statements migration7()
{
    return {};
}

Result<void> convertEarlyLogEvents(const QSqlDatabase& db)
{
    const QString context = db.databaseName();
    {
        QSqlQuery probe(db);
        if (!probe.exec(u"SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'log_events'"_s)
            || !probe.next())
            return sqlError(probe.lastError(), context);
        if (probe.value(0).toInt() == 0)
            return {};
    }
    // The new tables exactly as migration 2 makes them now.
    for (const QString& sql : logChunkTables()) {
        if (auto done = execSql(db, sql, context); !done)
            return done;
    }
    LogRepository logs(db);
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(uR"sql(
SELECT source_id, line_no, byte_offset, time_utc, utc_offset, format, type, outcome, notification, host,
    program, queue_id, sender, has_sender, recipient, orig_recipient, message_id, reference_message_id, size,
    nrcpt, client, relay, dsn, smtp_code, reply_text, delay, skipped, truncated, next_queue_id, new_queue_id,
    parent_queue_id, delivery_id, job_id, envelope_id, category, raw
FROM log_events ORDER BY source_id, id)sql"_s))
        return sqlError(q.lastError(), context);
    while (q.next()) {
        logs::LogEvent e;
        int c = 1;
        e.lineNumber = q.value(c++).toLongLong();
        e.byteOffset = q.value(c++).toLongLong();
        if (const QVariant t = q.value(c++); !t.isNull())
            e.time = QDateTime::fromMSecsSinceEpoch(t.toLongLong(), Qt::UTC);
        e.utcOffsetSeconds = q.value(c++).toInt();
        e.format = static_cast<logs::LogFormat>(q.value(c++).toInt());
        e.type = static_cast<logs::LogEventType>(q.value(c++).toInt());
        e.outcome = static_cast<logs::DeliveryOutcome>(q.value(c++).toInt());
        e.notification = static_cast<logs::NotificationKind>(q.value(c++).toInt());
        e.host = q.value(c++).toString();
        e.program = q.value(c++).toString();
        e.queueId = q.value(c++).toString();
        e.sender = q.value(c++).toString();
        e.hasSender = q.value(c++).toInt() != 0;
        e.recipient = q.value(c++).toString();
        e.originalRecipient = q.value(c++).toString();
        e.messageId = q.value(c++).toString();
        e.referenceMessageId = q.value(c++).toString();
        if (const QVariant v = q.value(c++); !v.isNull())
            e.size = v.toLongLong();
        if (const QVariant v = q.value(c++); !v.isNull())
            e.recipientCount = v.toInt();
        e.client = q.value(c++).toString();
        e.relay = q.value(c++).toString();
        e.dsn = q.value(c++).toString();
        e.smtpCode = q.value(c++).toInt();
        e.replyText = q.value(c++).toString();
        if (const QVariant v = q.value(c++); !v.isNull())
            e.delaySeconds = v.toDouble();
        e.skipped = q.value(c++).toInt() != 0;
        e.truncated = q.value(c++).toInt() != 0;
        e.nextQueueId = q.value(c++).toString();
        e.newQueueId = q.value(c++).toString();
        e.parentQueueId = q.value(c++).toString();
        e.deliveryId = q.value(c++).toString();
        e.jobId = q.value(c++).toString();
        e.envelopeId = q.value(c++).toString();
        e.category = q.value(c++).toString();
        e.rawLine = q.value(c++).toByteArray();
        if (auto added = logs.add(q.value(0).toLongLong(), e); !added)
            return added;
    }
    if (q.lastError().isValid())
        return sqlError(q.lastError(), context);
    q.finish();
    if (auto flushed = logs.flush(); !flushed)
        return flushed;
    return execSql(db, u"DROP TABLE log_events"_s, context);
}

// Migration 8: raw messages stored as zstd frames (RawMessageCodec): mail compresses three
// to fourfold, and message_raw was most of a mailbox project. Rows written before keep
// their bytes as they are (encoding 0).
Statements migration8()
{
    return {
        u"ALTER TABLE message_raw ADD COLUMN encoding INTEGER NOT NULL DEFAULT 0"_s,
    };
}

// Migration 9: a message is stored once whatever file it came from (ProjectStore::addMessage
// looks its SHA-256 up): the same mailbox imported under another name added every message
// again and doubled the counts.
Statements migration9()
{
    return {
        u"CREATE INDEX messages_by_sha256 ON messages (sha256)"_s,
    };
}

// Migration 10: messages.sha256 is the digest of the message with its line ends read alike
// (messageSha256()): a CRLF copy of a mailbox, or its messages as Maildir files, were stored
// again and counted twice. The digests of messages with CRLF line ends, or with other than one
// line end at their end, are computed anew from their stored bytes.
Statements migration10()
{
    return {};
}

Result<void> redigestMessages(const QSqlDatabase& db)
{
    const QString context = db.databaseName();
    QSqlQuery read(db);
    read.setForwardOnly(true);
    if (!read.exec(u"SELECT message_id, raw, encoding FROM message_raw"_s))
        return sqlError(read.lastError(), context);
    QSqlQuery update(db);
    if (!update.prepare(u"UPDATE OR IGNORE messages SET sha256 = ? WHERE id = ? AND sha256 <> ?"_s))
        return sqlError(update.lastError(), context);
    while (read.next()) {
        auto bytes = RawMessageCodec::decode(read.value(1).toByteArray(), read.value(2).toInt());
        if (!bytes)
            continue; // a damaged row keeps its digest; reading it says what is wrong
        const bool plain = !bytes->contains('\r') && bytes->endsWith('\n') && !bytes->endsWith("\n\n");
        if (plain)
            continue; // hashes as before
        const QString digest = QString::fromLatin1(messageSha256(*bytes));
        if (digest.isEmpty())
            return makeError(ErrorCode::Io, u"OpenSSL failed while computing a message digest"_s, context);
        update.bindValue(0, digest);
        update.bindValue(1, read.value(0));
        update.bindValue(2, digest);
        if (!update.exec())
            return sqlError(update.lastError(), context);
    }
    if (read.lastError().isValid())
        return sqlError(read.lastError(), context);
    return {};
}

// Migration 11: the address the sender mailed, where the smarthost rewrote it (Postfix
// orig_to=, Exim's "<alias>"): a fate is found and suppressed under it too. Few fates have
// one, so its index holds those alone.
Statements migration11()
{
    return {
        u"ALTER TABLE fates ADD COLUMN original_recipient TEXT NOT NULL DEFAULT ''"_s,
        u"CREATE INDEX fates_by_original_recipient ON fates (original_recipient) WHERE original_recipient <> ''"_s,
    };
}

struct Migration {
    int version;
    Statements (*statements)();
    // What SQL cannot do, run after the statements in the same transaction.
    Result<void> (*fill)(const QSqlDatabase&) = nullptr;
};

// Append only; never edit a released migration (fixtures in tests/data/schema/ pin them).
constexpr Migration kMigrations[] = {
    {1, &migration1},
    {2, &migration2},
    {3, &migration3},
    {4, &migration4},
    {5, &migration5, &fillRecipientGrams},
    {6, &migration6},
    {7, &migration7, &convertEarlyLogEvents},
    {8, &migration8},
    {9, &migration9},
    {10, &migration10, &redigestMessages},
    {11, &migration11},
};
static_assert(std::size(kMigrations) == Schema::kCurrentVersion, "one migration per version");

Result<int> pragmaInt(const QSqlDatabase& db, const QString& pragma)
{
    QSqlQuery query(db);
    if (!query.exec(u"PRAGMA "_s + pragma))
        return sqlError(query.lastError(), db.databaseName());
    if (!query.next())
        return makeError(ErrorCode::Database, u"PRAGMA %1 returned nothing"_s.arg(pragma), db.databaseName());
    return query.value(0).toInt();
}

Result<qint64> objectCount(const QSqlDatabase& db)
{
    QSqlQuery query(db);
    if (!query.exec(u"SELECT count(*) FROM sqlite_schema"_s))
        return sqlError(query.lastError(), db.databaseName());
    if (!query.next())
        return makeError(ErrorCode::Database, u"cannot read the schema table"_s, db.databaseName());
    return query.value(0).toLongLong();
}

} // namespace

Result<int> Schema::userVersion(const QSqlDatabase& db)
{
    return pragmaInt(db, u"user_version"_s);
}

Result<int> Schema::applicationId(const QSqlDatabase& db)
{
    return pragmaInt(db, u"application_id"_s);
}

Result<int> Schema::migrate(const QSqlDatabase& db)
{
    auto version = check(db);
    if (!version)
        return version.error();
    for (int next = *version + 1; next <= kCurrentVersion; ++next) {
        if (auto done = migrateTo(db, next); !done)
            return done.error();
    }
    return userVersion(db);
}

Result<int> Schema::check(const QSqlDatabase& db)
{
    const QString context = db.databaseName();
    auto version = userVersion(db);
    if (!version)
        return version.error();
    auto appId = applicationId(db);
    if (!appId)
        return appId.error();

    if (*appId != kApplicationId) {
        // Ours are stamped by migration 1; anything else must be a brand-new empty file
        // (0 bytes, or SQLite with no tables). An SQLite file of another program is
        // refused rather than having our tables added to it.
        auto objects = objectCount(db);
        if (!objects)
            return objects.error();
        if (*version != 0 || *objects != 0 || *appId != 0) {
            return makeError(ErrorCode::Format,
                             u"not a Bounce Inspector project: an SQLite database of another program "
                             "(application id %1, schema %2, %3 tables/indexes)"_s
                                 .arg(*appId).arg(*version).arg(*objects),
                             context);
        }
    } else if (*version > kCurrentVersion) {
        return makeError(ErrorCode::Format,
                         u"the project was made by a newer Bounce Inspector (schema %1; this version "
                         "understands up to schema %2)"_s.arg(*version).arg(kCurrentVersion),
                         context);
    } else if (*version < 1) {
        return makeError(ErrorCode::Format, u"damaged project: application id set but no schema version"_s,
                         context);
    }
    return *version;
}

Result<void> Schema::migrateTo(const QSqlDatabase& db, int version)
{
    const QString context = db.databaseName();
    if (version < 1 || version > kCurrentVersion)
        return makeError(ErrorCode::InvalidArgument, u"no migration to schema %1"_s.arg(version), context);

    TransactionGuard tx(db, TransactionGuard::Mode::Immediate);
    if (auto begun = tx.begun(); !begun)
        return begun.error();

    // Re-read inside the write lock: another process may have migrated meanwhile.
    auto current = userVersion(db);
    if (!current)
        return current.error();
    if (*current >= version)
        return {};
    if (*current != version - 1) {
        return makeError(ErrorCode::Format,
                         u"cannot migrate schema %1 to %2: expected schema %3"_s.arg(*current).arg(version).arg(
                             version - 1),
                         context);
    }

    const Migration& migration = kMigrations[version - 1];
    for (const QString& sql : migration.statements()) {
        if (auto done = execSql(db, sql, context); !done)
            return done.error();
    }
    if (migration.fill) {
        if (auto done = migration.fill(db); !done)
            return done.error();
    }

    QSqlQuery history(db);
    history.prepare(u"INSERT INTO schema_history (version, applied_at, app_version) VALUES (?, ?, ?)"_s);
    history.bindValue(0, version);
    history.bindValue(1, QDateTime::currentMSecsSinceEpoch());
    history.bindValue(2, QString::fromLatin1(BI_VERSION));
    if (auto done = execPrepared(history, context); !done)
        return done.error();

    // PRAGMAs take no bound parameters; both values are integers from this file, not data.
    // Both are transactional (they live in the database header, page 1).
    if (auto done = execSql(db, u"PRAGMA application_id = %1"_s.arg(kApplicationId), context); !done)
        return done.error();
    if (auto done = execSql(db, u"PRAGMA user_version = %1"_s.arg(version), context); !done)
        return done.error();

    return tx.commit();
}

} // namespace bi::core::store
