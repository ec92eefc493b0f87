// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include "core/common/result.h"
#include "core/mail/mime_part.h"
#include "core/store/fate_record.h"

namespace bi::core::store {
class ProjectStore;
}

namespace bi::core::inspect {

/// One raw log line of the inspected message, once per line even when it gave several events.
struct LogLine {
    qint64 sourceId = 0;
    qint64 lineNumber = 0;  ///< 1-based in its (decompressed) source
    QDateTime time;         ///< UTC; invalid when the line had no usable stamp
    QByteArray raw;         ///< verbatim, without line ending
};

/// A decoded leaf part worth reading as text (text/*, delivery-status, feedback-report).
struct TextPart {
    QString path;       ///< "1.2": position in the MIME tree, "1" is the root
    QString mimeType;
    QString text;       ///< decoded with the part's charset
};

/// Everything the inspector shows for one fate or one unmatched bounce: plain values, safe to
/// hand from the worker to the GUI thread.
struct InspectDetail {
    qint64 fateId = 0;            ///< fates.id; 0 for an unmatched bounce
    bool hasFate = false;
    store::FateRecord fate;       ///< valid when hasFate
    QList<store::TimelineStep> steps; ///< the timeline, in time order (steps without a time last)
    /// Per step, where it was read: "maillog:1234" (log file and line), "bounces.mbox #12"
    /// (mailbox and message); empty for a step made from neither.
    QStringList stepSources;
    qint64 messageRow = 0;        ///< messages.id of the bounce shown in the raw pane; 0 when none
    QByteArray raw;               ///< its bytes exactly as stored
    QByteArray rawHeader;         ///< raw up to the end of its header section (line ends included)
    QByteArray rawBody;           ///< the rest, after the empty line
    bool hasMime = false;
    mail::MimePart mime;          ///< its MIME tree (MimeAdapter)
    QList<TextPart> textParts;
    QByteArray embeddedOriginal;  ///< the quoted original (message/rfc822 or text/rfc822-headers)
    QList<LogLine> logLines;      ///< the smarthost's lines for the fate's (host, queue id), in time order
    QString title;                ///< one line for people: recipient, fate, reason
};

/// Loads InspectDetail through the store's read APIs and MimeAdapter; no SQL here.
/// Thread: the store's thread (the UI's worker with its own connection).
class InspectLoader final {
public:
    /// Errors: no such fate (ErrorCode::InvalidArgument), SQLite refused.
    [[nodiscard]] static Result<InspectDetail> loadFate(const store::ProjectStore& store, qint64 fateId);
    /// A bounce that matches no send. Errors: no such message, SQLite refused.
    [[nodiscard]] static Result<InspectDetail> loadBounce(const store::ProjectStore& store, qint64 messageId);

    /// Splits a message at the empty line that ends its header section (CRLF or LF).
    static void splitHeader(const QByteArray& raw, QByteArray* header, QByteArray* body);
    /// Readable leaf parts of a MIME tree, in document order.
    [[nodiscard]] static QList<TextPart> textParts(const mail::MimePart& root);
    /// The quoted original of a bounce: the first message/rfc822 (or message/global) part's
    /// bytes, else the first text/rfc822-headers part's; empty when neither.
    [[nodiscard]] static QByteArray embeddedOriginal(const mail::MimePart& root);
};

} // namespace bi::core::inspect
