// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>

#include <QByteArray>
#include <QIODevice>

namespace bi::core::mail {

/// Read-only, sequential QIODevice that inflates gzip data (RFC 1952) read from another device.
///
/// Concatenated members (`cat a.gz b.gz`, or `gzip` appending) are read as one stream, as gzip(1)
/// does. Zero padding after the last member is ignored; other trailing bytes end the stream and
/// set hasTrailingGarbage(). Corrupt or truncated input makes read() return -1 with a one-line
/// errorString() ("truncated gzip data", "corrupt gzip data: invalid block type"); everything that
/// could be inflated before that point is delivered first.
/// Memory: fixed (zlib window + a 64 KiB input buffer), independent of the data size.
/// Ownership: the source is not owned; it must be open for reading and outlive this device.
/// Thread: one thread at a time, like any QIODevice.
class GzipDevice final : public QIODevice {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GzipDevice)

public:
    explicit GzipDevice(QIODevice* source, QObject* parent = nullptr);
    ~GzipDevice() override;

    /// True when data starts with the gzip magic bytes 1f 8b (RFC 1952 §2.3.1).
    [[nodiscard]] static bool hasGzipMagic(const QByteArray& head);

    /// Opens for reading; any other mode (or a source not open for reading) fails.
    [[nodiscard]] bool open(OpenMode mode) override;
    void close() override;
    [[nodiscard]] bool isSequential() const override { return true; }
    /// True once the last member has been inflated (or an error stopped the stream) and every
    /// inflated byte was read.
    [[nodiscard]] bool atEnd() const override;

    /// Bytes consumed from the source so far (for progress against the compressed file size).
    [[nodiscard]] qint64 compressedPosition() const;
    /// Number of gzip members started so far.
    [[nodiscard]] int memberCount() const { return m_members; }
    /// True when non-gzip, non-zero bytes followed the last member; they were ignored.
    [[nodiscard]] bool hasTrailingGarbage() const { return m_trailingGarbage; }
    /// True when reading stopped on corrupt or truncated data (see errorString()).
    [[nodiscard]] bool hasError() const { return m_failed; }

protected:
    qint64 readData(char* data, qint64 maxSize) override;
    qint64 writeData(const char* data, qint64 maxSize) override;

private:
    struct Stream;

    [[nodiscard]] bool fillInput();
    void startNextMember();
    void fail(const QString& message);

    QIODevice* m_source = nullptr;
    std::unique_ptr<Stream> m_stream;
    QByteArray m_input;
    qint64 m_sourceRead = 0; // bytes read from the source, used or still in m_input
    int m_members = 0;
    bool m_sourceEof = false;
    bool m_finished = false; // no more output will come
    bool m_failed = false;
    bool m_trailingGarbage = false;
};

} // namespace bi::core::mail
