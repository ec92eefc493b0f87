// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QIODevice>

namespace bi::core::logs {

/// Read-only, sequential QIODevice that turns a journal export in JSON (`journalctl -o json`,
/// one entry per line; also `-o json-seq`, each entry after an RS byte) into syslog lines in
/// journalctl's short-unix shape, which every syslog-based parser reads:
///
///     {"__REALTIME_TIMESTAMP":"1772507100123456","_HOSTNAME":"relay1",
///      "SYSLOG_IDENTIFIER":"postfix/qmgr","SYSLOG_PID":"902","MESSAGE":"3F2A81C0A1: removed",...}
///     →  1772507100.123456 relay1 postfix/qmgr[902]: 3F2A81C0A1: removed
///
/// The program is SYSLOG_IDENTIFIER (else _COMM), the pid SYSLOG_PID (else _PID); a MESSAGE the
/// journal stored as bytes (an array of numbers: not UTF-8) is taken byte for byte, and line
/// breaks in it become spaces. An entry without a time or a message, or a line that is no
/// JSON object, gives no line (the raw view then shows the converted line, the one parsed).
/// Memory: one source line and its conversion at a time (lines are cut at maxLineLength).
/// Ownership: the source is not owned; it must be open for reading and outlive this device.
/// Thread: one thread at a time, like any QIODevice.
class JournalJsonDevice final : public QIODevice {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JournalJsonDevice)

public:
    JournalJsonDevice(QIODevice* source, qint64 maxLineLength, QObject* parent = nullptr);

    /// Whether head (a file's first bytes) is a journal export in JSON: its first line an object
    /// with __REALTIME_TIMESTAMP and MESSAGE members.
    [[nodiscard]] static bool looksLikeJournalJson(QByteArrayView head);
    /// One entry as its syslog line, without a line end; empty when the line is no entry with a
    /// time and a message.
    [[nodiscard]] static QByteArray syslogLine(QByteArrayView json);

    /// Opens for reading; any other mode (or a source not open for reading) fails.
    [[nodiscard]] bool open(OpenMode mode) override;
    [[nodiscard]] bool isSequential() const override { return true; }
    [[nodiscard]] bool atEnd() const override;
    /// Bytes consumed from the source so far (for progress against the file's size).
    [[nodiscard]] qint64 sourcePosition() const { return m_sourceRead; }

protected:
    qint64 readData(char* data, qint64 maxSize) override;
    qint64 writeData(const char* data, qint64 maxSize) override;

private:
    [[nodiscard]] bool fill();

    QIODevice* m_source;
    qint64 m_maxLineLength;
    QByteArray m_pending; // converted lines not read yet
    qsizetype m_pendingAt = 0;
    qint64 m_sourceRead = 0;
    bool m_sourceEnded = false;
};

} // namespace bi::core::logs
