// SPDX-License-Identifier: GPL-3.0-or-later
// Small helpers shared by the log reader tests: read bytes or a file through LogReader, find
// the event of a line, compare the fields a test row names.
#pragma once

#include <cstdio>

#include <QBuffer>
#include <QDir>
#include <QFileInfo>
#include <QList>
#include <QTest>
#include <QTimeZone>
#include <QVariantMap>

#include "core/logs/log_reader.h"

namespace bi::test::logs {

using namespace bi::core::logs;
using namespace Qt::StringLiterals;

struct Run {
    bool ok = false;
    QString error;
    LogReadSummary summary;
    QList<LogEvent> events;
};

/// Reader options for deterministic tests: UTC source zone unless told, fixed year anchor.
inline LogReaderOptions options(QDateTime anchor = QDateTime(QDate(2025, 12, 31), QTime(23, 59, 59),
                                                             Qt::UTC),
                                QTimeZone zone = QTimeZone::utc())
{
    LogReaderOptions o;
    o.sourceTimeZone = zone;
    o.yearAnchor = anchor;
    return o;
}

inline Run collect(bi::core::Result<LogReadSummary> r, QList<LogEvent> events)
{
    Run run;
    run.ok = r.hasValue();
    if (run.ok)
        run.summary = r.value();
    else
        run.error = r.error().toString();
    run.events = std::move(events);
    return run;
}

inline Run readBytes(const QByteArray& bytes, const LogReaderOptions& o = options(),
                     const QString& name = u"test.log"_s)
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    QList<LogEvent> events;
    LogReader reader(o);
    auto r = reader.readDevice(buffer, name, [&](const LogEvent& e) { events.append(e); }, nullptr,
                               bytes.size());
    return collect(std::move(r), std::move(events));
}

inline Run readPath(const QString& path, const LogReaderOptions& o = options())
{
    QList<LogEvent> events;
    LogReader reader(o);
    auto r = reader.readFile(path, [&](const LogEvent& e) { events.append(e); });
    return collect(std::move(r), std::move(events));
}

inline QString fixture(const QString& relative)
{
    return QString::fromUtf8(BI_TEST_DATA_DIR) + u"/logs/"_s + relative;
}

inline QString corpusDir()
{
    return QString::fromUtf8(BI_SHARED_CORPUS_DIR) + u"/logs"_s;
}

/// True when the shared corpus is there; otherwise prints one line (the caller exits with 77).
inline bool corpusAvailable()
{
    if (QFileInfo(corpusDir() + u"/FORMATS.md"_s).isFile())
        return true;
    std::fprintf(stdout, "shared log corpus not found at %s: skipping\n", qPrintable(corpusDir()));
    return false;
}

inline QDateTime utc(int y, int mo, int d, int h, int mi, int s, int ms = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s, ms), Qt::UTC);
}

/// The n-th (0-based) event of a type emitted for a line.
inline const LogEvent* eventAt(const QList<LogEvent>& events, qint64 line, LogEventType type,
                               int nth = 0)
{
    for (const LogEvent& e : events) {
        if (e.lineNumber == line && e.type == type && nth-- == 0)
            return &e;
    }
    return nullptr;
}

inline QList<LogEvent> ofType(const QList<LogEvent>& events, LogEventType type)
{
    QList<LogEvent> out;
    for (const LogEvent& e : events) {
        if (e.type == type)
            out.append(e);
    }
    return out;
}

/// A field of an event by the name a test row uses; QVariant() for unknown names.
inline QVariant field(const LogEvent& e, const QString& name)
{
    if (name == u"type") return logEventTypeName(e.type);
    if (name == u"outcome") return deliveryOutcomeName(e.outcome);
    if (name == u"notification") return notificationKindName(e.notification);
    if (name == u"format") return logFormatName(e.format);
    if (name == u"time") return e.time;
    if (name == u"offset") return e.utcOffsetSeconds;
    if (name == u"host") return e.host;
    if (name == u"program") return e.program;
    if (name == u"queueId") return e.queueId;
    if (name == u"sender") return e.hasSender ? QVariant(e.sender) : QVariant(u"(none)"_s);
    if (name == u"recipient") return e.recipient;
    if (name == u"originalRecipient") return e.originalRecipient;
    if (name == u"messageId") return e.messageId;
    if (name == u"referenceMessageId") return e.referenceMessageId;
    if (name == u"size") return e.size;
    if (name == u"recipientCount") return e.recipientCount;
    if (name == u"client") return e.client;
    if (name == u"relay") return e.relay;
    if (name == u"dsn") return e.dsn;
    if (name == u"smtpCode") return e.smtpCode;
    if (name == u"replyText") return e.replyText;
    if (name == u"delay") return e.delaySeconds;
    if (name == u"skipped") return e.skipped;
    if (name == u"truncated") return e.truncated;
    if (name == u"nextQueueId") return e.nextQueueId;
    if (name == u"newQueueId") return e.newQueueId;
    if (name == u"parentQueueId") return e.parentQueueId;
    if (name == u"deliveryId") return e.deliveryId;
    if (name == u"jobId") return e.jobId;
    if (name == u"envelopeId") return e.envelopeId;
    if (name == u"category") return e.category;
    return {};
}

/// Compares the named fields. A key ending in '~' checks that the field contains the value.
/// Returns the first difference, or an empty string.
inline QString mismatch(const LogEvent& e, const QVariantMap& expected)
{
    for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
        QString key = it.key();
        const bool contains = key.endsWith(u'~');
        if (contains)
            key.chop(1);
        const QVariant actual = field(e, key);
        if (!actual.isValid())
            return u"unknown field "_s + key;
        bool same = false;
        if (contains)
            same = actual.toString().contains(it.value().toString());
        else if (it.value().typeId() == QMetaType::QDateTime)
            same = actual.toDateTime() == it.value().toDateTime();
        else if (it.value().typeId() == QMetaType::Double)
            same = qAbs(actual.toDouble() - it.value().toDouble()) < 1e-6;
        else
            same = actual.toString() == it.value().toString();
        if (!same) {
            const QString a = actual.typeId() == QMetaType::QDateTime
                ? actual.toDateTime().toString(Qt::ISODateWithMs)
                : actual.toString();
            const QString x = it.value().typeId() == QMetaType::QDateTime
                ? it.value().toDateTime().toString(Qt::ISODateWithMs)
                : it.value().toString();
            return key + u": got \""_s + a + u"\", expected \""_s + x + u'"';
        }
    }
    return {};
}

} // namespace bi::test::logs

/// QVERIFY2 on mismatch() with the difference as message.
#define BI_COMPARE_EVENT(event, expected)                                                          \
    do {                                                                                           \
        const QString bi_diff = ::bi::test::logs::mismatch((event), (expected));                 \
        QVERIFY2(bi_diff.isEmpty(), qPrintable(bi_diff));                                          \
    } while (false)
