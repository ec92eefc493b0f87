// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/mail/gzip_device.h"

#include <algorithm>
#include <climits>
#include <cstring>

#include <zlib.h>

using namespace Qt::StringLiterals;

namespace bi::core::mail {

namespace {

constexpr qsizetype kInputChunk = 64 * 1024;

} // namespace

struct GzipDevice::Stream {
    z_stream zs{};
    bool initialised = false;
    bool inMember = false; // a member header was seen and its end not yet reached
};

GzipDevice::GzipDevice(QIODevice* source, QObject* parent)
    : QIODevice(parent), m_source(source), m_stream(std::make_unique<Stream>())
{
}

GzipDevice::~GzipDevice()
{
    if (m_stream->initialised)
        inflateEnd(&m_stream->zs);
}

bool GzipDevice::hasGzipMagic(const QByteArray& head)
{
    return head.size() >= 2 && static_cast<unsigned char>(head.at(0)) == 0x1f
        && static_cast<unsigned char>(head.at(1)) == 0x8b;
}

bool GzipDevice::open(OpenMode mode)
{
    if ((mode & ReadWrite) != ReadOnly || (mode & (Append | Truncate | NewOnly))) {
        setErrorString(u"gzip device is read-only"_s);
        return false;
    }
    if (!m_source || !m_source->isReadable()) {
        setErrorString(u"gzip source is not open for reading"_s);
        return false;
    }
    if (m_stream->initialised) {
        inflateEnd(&m_stream->zs);
        m_stream->initialised = false;
    }
    m_stream->zs = z_stream{};
    // 16 + MAX_WBITS: accept the gzip wrapper only (RFC 1952), not raw zlib (RFC 1950).
    if (inflateInit2(&m_stream->zs, 16 + MAX_WBITS) != Z_OK) {
        setErrorString(u"cannot initialise zlib"_s);
        return false;
    }
    m_stream->initialised = true;
    m_stream->inMember = true;
    m_input.clear();
    m_sourceRead = 0;
    m_members = 1;
    m_sourceEof = false;
    m_finished = false;
    m_failed = false;
    m_trailingGarbage = false;
    return QIODevice::open(mode);
}

void GzipDevice::close()
{
    if (m_stream->initialised) {
        inflateEnd(&m_stream->zs);
        m_stream->initialised = false;
    }
    m_input.clear();
    QIODevice::close();
}

bool GzipDevice::atEnd() const
{
    return !isOpen() || ((m_finished || m_failed) && QIODevice::bytesAvailable() == 0);
}

qint64 GzipDevice::compressedPosition() const
{
    return m_sourceRead - static_cast<qint64>(m_stream->zs.avail_in);
}

void GzipDevice::fail(const QString& message)
{
    m_failed = true;
    setErrorString(message);
}

bool GzipDevice::fillInput()
{
    if (m_sourceEof || m_failed)
        return false;
    z_stream& zs = m_stream->zs;
    const qsizetype keep = zs.avail_in;
    if (keep > 0 && zs.next_in != reinterpret_cast<Bytef*>(m_input.data()))
        std::memmove(m_input.data(), zs.next_in, static_cast<size_t>(keep));
    m_input.resize(keep + kInputChunk);
    const qint64 got = m_source->read(m_input.data() + keep, kInputChunk);
    m_input.resize(keep + std::max<qint64>(got, 0));
    zs.next_in = reinterpret_cast<Bytef*>(m_input.data());
    zs.avail_in = static_cast<uInt>(m_input.size());
    if (got < 0) {
        fail(u"cannot read compressed data: "_s + m_source->errorString());
        return false;
    }
    if (got == 0) {
        m_sourceEof = true;
        return false;
    }
    m_sourceRead += got;
    return true;
}

void GzipDevice::startNextMember()
{
    // RFC 1952 §2.2: a gzip file is a series of members. gzip(1) also skips zero padding
    // (tape blocks) after the last member and ignores, with a warning, anything else.
    z_stream& zs = m_stream->zs;
    m_stream->inMember = false;
    bool sawPadding = false;
    for (;;) {
        while (zs.avail_in > 0 && *zs.next_in == 0) {
            ++zs.next_in;
            --zs.avail_in;
            sawPadding = true;
        }
        if (zs.avail_in == 0) {
            if (fillInput())
                continue;
            m_finished = !m_failed;
            return;
        }
        if (sawPadding)
            break;
        if (zs.avail_in < 2 && fillInput())
            continue;
        if (zs.avail_in >= 2 && zs.next_in[0] == 0x1f && zs.next_in[1] == 0x8b) {
            if (inflateReset(&zs) != Z_OK) {
                fail(u"cannot reset zlib"_s);
                return;
            }
            m_stream->inMember = true;
            ++m_members;
            return;
        }
        break;
    }
    m_trailingGarbage = true;
    m_finished = true;
}

qint64 GzipDevice::readData(char* data, qint64 maxSize)
{
    if (!m_stream->initialised)
        return -1;
    z_stream& zs = m_stream->zs;
    qint64 produced = 0;
    while (produced < maxSize && !m_finished && !m_failed) {
        if (zs.avail_in == 0 && !fillInput()) {
            if (!m_failed) {
                if (m_stream->inMember)
                    fail(u"truncated gzip data (the file ends inside a compressed member)"_s);
                else
                    m_finished = true;
            }
            break;
        }
        const qint64 room = std::min<qint64>(maxSize - produced, UINT_MAX);
        zs.next_out = reinterpret_cast<Bytef*>(data + produced);
        zs.avail_out = static_cast<uInt>(room);
        const int rc = inflate(&zs, Z_NO_FLUSH);
        produced += room - static_cast<qint64>(zs.avail_out);
        switch (rc) {
        case Z_OK:
            break;
        case Z_STREAM_END:
            startNextMember();
            break;
        case Z_BUF_ERROR:
            // No progress possible: either out of input (refilled above next turn) or out of room.
            if (zs.avail_in != 0 && zs.avail_out != 0)
                fail(u"corrupt gzip data"_s);
            break;
        case Z_NEED_DICT:
            fail(u"corrupt gzip data: a preset dictionary is required"_s);
            break;
        case Z_MEM_ERROR:
            fail(u"out of memory while inflating gzip data"_s);
            break;
        default:
            fail(zs.msg ? u"corrupt gzip data: "_s + QString::fromLatin1(zs.msg) : u"corrupt gzip data"_s);
            break;
        }
    }
    if (produced > 0)
        return produced; // a failure, if any, is reported by the next read
    return m_failed ? -1 : 0;
}

qint64 GzipDevice::writeData(const char*, qint64)
{
    setErrorString(u"gzip device is read-only"_s);
    return -1;
}

} // namespace bi::core::mail
