// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/report/csv_export.h"

#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

#include "core/bounce/address.h"
#include "core/report/redactor.h"
#include "core/report/suppression_list.h"
#include "core/store/fate_repository.h"
#include "core/store/project_store.h"

using namespace Qt::StringLiterals;

namespace bi::core::report {

namespace {

QString iso(const QDateTime& t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODate) : QString();
}

class CsvFile {
public:
    CsvFile(const QString& path, const QStringList& header) : m_file(path)
    {
        m_ok = m_file.open(QIODevice::WriteOnly);
        add(header);
    }
    void add(const QStringList& fields)
    {
        if (m_ok && m_file.write(CsvExport::record(fields)) < 0)
            m_ok = false;
    }
    Result<void> commit()
    {
        if (!m_ok || !m_file.commit())
            return makeError(ErrorCode::Io, u"cannot write: %1"_s.arg(m_file.errorString()), m_file.fileName());
        return {};
    }

private:
    QSaveFile m_file;
    bool m_ok = false;
};

} // namespace

QByteArray CsvExport::field(const QString& value)
{
    QByteArray utf8 = value.toUtf8();
    if (!utf8.contains(',') && !utf8.contains('"') && !utf8.contains('\n') && !utf8.contains('\r'))
        return utf8;
    utf8.replace("\"", "\"\"");
    return '"' + utf8 + '"';
}

QString CsvExport::untrusted(const QString& value)
{
    if (!value.isEmpty() && (value[0] == u'=' || value[0] == u'+' || value[0] == u'-' || value[0] == u'@'
                             || value[0] == u'\t' || value[0] == u'\r'))
        return u'\'' + value;
    return value;
}

QByteArray CsvExport::record(const QStringList& fields)
{
    QByteArray out;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (i)
            out += ',';
        out += field(fields[i]);
    }
    return out + "\r\n";
}

Result<CsvExport::Summary> CsvExport::write(store::ProjectStore& store, const ReportOptions& options,
                                            const QString& directory, ProgressSink* progress)
{
    // The redactor first: a project that cannot give one leaves no empty folder behind.
    auto redactorOr = Redactor::forProject(store, options.redact);
    if (!redactorOr)
        return redactorOr.error();
    if (!QDir().mkpath(directory))
        return makeError(ErrorCode::Io,
                         QFileInfo(directory).isFile()
                             ? u"is a file; the CSV files go into a folder of this name, which cannot be made here"_s
                             : u"cannot create the folder"_s,
                         directory);
    const Redactor r = *redactorOr;
    const QDir dir(directory);
    Summary summary;
    SuppressionList suppression;

    CsvFile fates(dir.filePath(u"fates.csv"_s),
                  {u"message_id"_s, u"queue_id"_s, u"host"_s, u"sender"_s, u"recipient"_s, u"domain"_s, u"fate"_s,
                   u"reason"_s, u"status"_s, u"reply_code"_s, u"diagnostic"_s, u"queued_at"_s, u"first_attempt_at"_s,
                   u"final_at"_s, u"bounce_at"_s, u"attempts"_s, u"deferrals"_s, u"decided_by"_s,
                   u"original_recipient"_s});
    store::FateRepository repo(store);
    bool stopped = false;
    auto done = repo.forEach([&](const store::FateRecord& f) {
        if (!ReportBuilder::inPeriod(ReportBuilder::fateTime(f), options))
            return true;
        ++summary.fates;
        suppression.addFate(f);
        fates.add({untrusted(f.messageId), untrusted(f.queueId), untrusted(f.host), untrusted(r.address(f.sender)),
                   untrusted(r.address(f.recipient)), untrusted(bounce::Address::domainOf(f.recipient).toLower()),
                   store::fateName(f.fate), untrusted(f.reason), untrusted(f.status), untrusted(f.replyCode),
                   untrusted(r.text(f.diagnostic, f.recipient)), iso(f.queuedAt), iso(f.firstAttemptAt), iso(f.finalAt),
                   iso(f.bounceAt), QString::number(f.attempts), QString::number(f.deferrals), f.decidedBy,
                   f.originalRecipient.isEmpty() ? QString() : untrusted(r.address(f.originalRecipient))});
        if (progress && summary.fates % 2000 == 0) {
            progress->report(summary.fates, -1, u"fates");
            if (progress->stopRequested()) {
                stopped = true;
                return false;
            }
        }
        return true;
    });
    if (!done)
        return done.error();
    if (stopped)
        return makeError(ErrorCode::Cancelled, u"export stopped"_s);

    CsvFile bounces(dir.filePath(u"bounces.csv"_s),
                    {u"message"_s, u"file"_s, u"index"_s, u"date"_s, u"kind"_s, u"family"_s, u"recipient"_s,
                     u"action"_s, u"status"_s, u"reply_code"_s, u"reason"_s, u"hard"_s, u"diagnostic"_s,
                     u"remote_mta"_s, u"feedback_type"_s, u"orig_message_id"_s});
    const bool open = !options.from.isValid() && !options.to.isValid();
    done = store.forEachBounceRow([&](const store::BounceRow& row) {
        const QDateTime at = row.report.date.toUTC();
        if (!(open || ReportBuilder::inPeriod(at, options)))
            return true;
        const bounce::BounceRecipient& b = row.report.recipients.constFirst();
        if (b.kind == bounce::MessageKind::Feedback)
            suppression.addComplaint(b.recipient, at, row.messageId);
        ++summary.bounces;
        bounces.add({QString::number(row.messageId), untrusted(r.isEnabled() ? QString() : row.file),
                     QString::number(row.message), iso(at), bounce::kindName(b.kind), untrusted(row.report.family),
                     untrusted(r.address(b.recipient)), untrusted(b.action), untrusted(b.status),
                     untrusted(b.replyCode), untrusted(b.reason), b.hardBounce ? u"1"_s : u"0"_s,
                     untrusted(r.text(b.diagnostic, b.recipient)), untrusted(b.remoteMta), untrusted(b.feedbackType),
                     untrusted(row.report.original.messageId)});
        return true;
    });
    if (!done)
        return done.error();

    CsvFile list(dir.filePath(u"suppression.csv"_s), {u"address"_s, u"reason"_s, u"type"_s, u"first_seen"_s,
                                                      u"last_seen"_s, u"count"_s, u"evidence"_s});
    for (const SuppressionEntry& e : suppression.entries()) {
        ++summary.suppressed;
        list.add({untrusted(r.address(e.address)), e.reason, e.hard ? u"hard"_s : u"soft"_s, iso(e.firstSeen),
                  iso(e.lastSeen), QString::number(e.count), e.evidence.join(u' ')});
    }
    for (CsvFile* f : {&fates, &bounces, &list}) {
        if (auto ok = f->commit(); !ok)
            return ok.error();
    }
    return summary;
}

} // namespace bi::core::report
