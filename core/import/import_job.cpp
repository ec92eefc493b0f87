// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/import/import_job.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHash>

#include "core/bounce/bounce_parser.h"
#include "core/mail/mail_reader.h"
#include "core/store/project_store.h"

using namespace Qt::StringLiterals;

namespace bi::core::import {

namespace {

constexpr int kBatchMessages = 1000;
constexpr qint64 kBatchMillis = 250;

QString kindName(mail::MailSourceKind kind)
{
    switch (kind) {
    case mail::MailSourceKind::Mbox: return u"mbox"_s;
    case mail::MailSourceKind::Message: return u"message"_s;
    case mail::MailSourceKind::Maildir: return u"maildir"_s;
    case mail::MailSourceKind::Folder: return u"folder"_s;
    case mail::MailSourceKind::Unknown: break;
    }
    return u"unknown"_s;
}

} // namespace

ImportJob::ImportJob(store::ProjectStore& store) : m_store(store) {}

Result<ImportSummary> ImportJob::run(const QStringList& paths, ProgressSink* progress)
{
    ImportSummary summary;
    std::optional<Error> fatal;
    QHash<QString, qint64> sourceIds;
    int inBatch = 0;
    QElapsedTimer batchTimer;

    auto commitBatch = [&]() -> bool {
        if (inBatch == 0)
            return true;
        if (auto ok = m_store.commit(); !ok) {
            fatal = ok.error();
            return false;
        }
        inBatch = 0;
        return true;
    };

    for (const QString& path : paths) {
        const mail::MailSourceKind kind = mail::MailReader::sniff(path);
        const QString sourceKind = kindName(kind);
        auto sink = [&](mail::RawMessage&& raw) -> bool {
            ++summary.messages;
            summary.bytes += raw.length;
            qint64 sourceId = sourceIds.value(raw.sourcePath, 0);
            if (sourceId == 0) {
                auto source = m_store.addSource(raw.sourcePath, sourceKind, QFileInfo(raw.sourcePath).size());
                if (!source) {
                    fatal = source.error();
                    return false;
                }
                sourceId = source->id;
                sourceIds.insert(raw.sourcePath, sourceId);
                ++summary.files;
            }
            if (inBatch == 0) {
                if (auto ok = m_store.begin(); !ok) {
                    fatal = ok.error();
                    return false;
                }
                batchTimer.start();
            }
            const QByteArray sha = QCryptographicHash::hash(raw.bytes, QCryptographicHash::Sha256).toHex();
            const bounce::BounceReport report = bounce::BounceParser::parse(raw.bytes);
            auto added = m_store.addMessage(sourceId, raw, sha, report);
            if (!added) {
                fatal = added.error();
                return false;
            }
            ++inBatch;
            if (added->has_value()) {
                ++summary.added;
                if (report.kind == bounce::MessageKind::Bounce)
                    ++summary.bounces;
                summary.recipients += report.recipients.size();
                summary.diagnostics += report.diagnostics.size() + raw.diagnostics.size();
            } else {
                ++summary.duplicates;
            }
            if (inBatch >= kBatchMessages || batchTimer.elapsed() >= kBatchMillis)
                return commitBatch();
            return true;
        };
        auto read = mail::MailReader::read(path, sink, progress);
        if (fatal) {
            if (inBatch > 0)
                m_store.rollback();
            return *fatal;
        }
        if (!commitBatch())
            return *fatal;
        if (!read) {
            summary.errors << read.error().toString();
            continue;
        }
        if (read->stopped || (progress && progress->stopRequested())) {
            summary.stopped = true;
            break;
        }
    }
    return summary;
}

} // namespace bi::core::import
