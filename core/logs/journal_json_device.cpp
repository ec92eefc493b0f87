// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/logs/journal_json_device.h"

#include <cstring>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace bi::core::logs {

namespace {

constexpr char kRecordSeparator = '\x1e'; // RFC 7464, journalctl -o json-seq
// Converted lines gathered per fill: a few hundred entries, not one read call per entry.
constexpr qsizetype kFillBytes = 64 * 1024;

QByteArrayView withoutSeparator(QByteArrayView line)
{
    while (!line.isEmpty() && (line.front() == kRecordSeparator || line.front() == ' '))
        line = line.sliced(1);
    while (!line.isEmpty() && (line.back() == '\r' || line.back() == '\n' || line.back() == ' '))
        line.chop(1);
    return line;
}

// A member as bytes: a string's UTF-8, an array of byte values (the journal's form for data
// that is not UTF-8), a number's digits; empty for anything else.
QByteArray fieldBytes(const QJsonObject& entry, QLatin1StringView key)
{
    const QJsonValue v = entry.value(key);
    if (v.isString())
        return v.toString().toUtf8();
    if (v.isDouble())
        return QByteArray::number(qint64(v.toDouble()));
    if (v.isArray()) {
        QByteArray bytes;
        for (const QJsonValue& b : v.toArray()) {
            const int n = b.toInt(-1);
            if (n < 0 || n > 255)
                return {};
            bytes += char(n);
        }
        return bytes;
    }
    return {};
}

} // namespace

JournalJsonDevice::JournalJsonDevice(QIODevice* source, qint64 maxLineLength, QObject* parent)
    : QIODevice(parent), m_source(source), m_maxLineLength(maxLineLength)
{
}

bool JournalJsonDevice::looksLikeJournalJson(QByteArrayView head)
{
    qsizetype end = head.indexOf('\n');
    const QByteArrayView first = withoutSeparator(end < 0 ? head : head.first(end));
    return first.startsWith('{') && first.contains("\"__REALTIME_TIMESTAMP\"") && first.contains("\"MESSAGE\"");
}

QByteArray JournalJsonDevice::syslogLine(QByteArrayView json)
{
    json = withoutSeparator(json);
    if (!json.startsWith('{'))
        return {};
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return {};
    const QJsonObject entry = doc.object();
    bool ok = false;
    const qint64 micros = fieldBytes(entry, "__REALTIME_TIMESTAMP"_L1).toLongLong(&ok);
    QByteArray message = fieldBytes(entry, "MESSAGE"_L1);
    if (!ok || micros <= 0 || message.isEmpty())
        return {};
    message.replace('\n', ' ');
    message.replace('\r', ' ');
    QByteArray program = fieldBytes(entry, "SYSLOG_IDENTIFIER"_L1);
    if (program.isEmpty())
        program = fieldBytes(entry, "_COMM"_L1);
    QByteArray pid = fieldBytes(entry, "SYSLOG_PID"_L1);
    if (pid.isEmpty())
        pid = fieldBytes(entry, "_PID"_L1);
    QByteArray host = fieldBytes(entry, "_HOSTNAME"_L1);
    if (program.isEmpty() || program.contains(' ') || host.contains(' '))
        return {};
    if (host.isEmpty())
        host = "-";
    QByteArray line = QByteArray::number(micros / 1000000) + '.'
        + QByteArray::number(micros % 1000000).rightJustified(6, '0') + ' ' + host + ' ' + program;
    if (!pid.isEmpty())
        line += '[' + pid + ']';
    return line + ": " + message;
}

bool JournalJsonDevice::open(OpenMode mode)
{
    if (mode != ReadOnly || !m_source || !m_source->isReadable())
        return false;
    return QIODevice::open(mode);
}

bool JournalJsonDevice::atEnd() const
{
    return m_pendingAt >= m_pending.size() && m_sourceEnded && QIODevice::atEnd();
}

bool JournalJsonDevice::fill()
{
    m_pending.clear();
    m_pendingAt = 0;
    while (m_pending.size() < kFillBytes && !m_sourceEnded) {
        QByteArray line = m_source->readLine(m_maxLineLength);
        if (line.isEmpty()) {
            m_sourceEnded = true;
            break;
        }
        m_sourceRead += line.size();
        if (!line.endsWith('\n') && !m_source->atEnd()) {
            // Longer than a line may be: the rest of it is skipped, the entry given up.
            while (!line.endsWith('\n') && !line.isEmpty()) {
                line = m_source->readLine(m_maxLineLength);
                m_sourceRead += line.size();
            }
            continue;
        }
        const QByteArray converted = syslogLine(line);
        if (!converted.isEmpty())
            m_pending += converted + '\n';
    }
    return !m_pending.isEmpty();
}

qint64 JournalJsonDevice::readData(char* data, qint64 maxSize)
{
    if (m_pendingAt >= m_pending.size() && !fill())
        return 0; // the end, as GzipDevice says it: atEnd() tells the reader
    const qint64 n = std::min<qint64>(maxSize, m_pending.size() - m_pendingAt);
    std::memcpy(data, m_pending.constData() + m_pendingAt, size_t(n));
    m_pendingAt += qsizetype(n);
    return n;
}

qint64 JournalJsonDevice::writeData(const char*, qint64)
{
    return -1;
}

} // namespace bi::core::logs
