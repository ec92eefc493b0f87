// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/log_chunk_builder.h"

#include <algorithm>

#include "core/store/varint.h"

namespace bi::core::store {

namespace {

// Gathered events of messages still open are bounded by this many bytes (and chunks); past
// it the messages idle longest are handed out. A busy smarthost has a few thousand messages
// in its queue at once, a few KB each: far below.
constexpr qint64 kMaxOpenBytes = 48LL * 1024 * 1024;
constexpr qsizetype kMaxOpenChunks = 100000;
constexpr qint64 kChunkOverhead = 512; // hash node, the previous strings, allocations

} // namespace

qint64 LogChunkBuilder::Open::bytes() const
{
    return encoded.data.capacity() + kChunkOverhead;
}

LogChunkBuilder::LogChunkBuilder(qint64 sourceId, qint64 firstRawSeq)
    : m_sourceId(sourceId)
    , m_seed(QHashSeed::globalSeed())
    , m_hostHash(qHash(QString(), m_seed))
{
    m_raw.sourceId = sourceId;
    m_raw.firstSeq = firstRawSeq;
}

qint64 LogChunkBuilder::rawSeqOf(const logs::LogEvent& e, LogWrites& out)
{
    if (m_lastRawSeq >= 0 && e.lineNumber == m_lastRawLineNumber && e.rawLine == m_lastRaw)
        return m_lastRawSeq;
    if (m_raw.data.isEmpty())
        m_raw.data.reserve(kRawBlockBytes + 4096);
    putVarint(m_raw.data, quint64(e.rawLine.size()));
    m_raw.data.append(e.rawLine);
    m_lastRawSeq = m_raw.firstSeq + m_raw.lines++;
    m_lastRawLineNumber = e.lineNumber;
    m_lastRaw = e.rawLine;
    if (m_raw.data.size() >= kRawBlockBytes)
        closeRawBlock(out);
    return m_lastRawSeq;
}

void LogChunkBuilder::closeRawBlock(LogWrites& out)
{
    if (m_raw.lines == 0)
        return;
    const qint64 next = m_raw.firstSeq + m_raw.lines;
    out.rawBlocks.append(std::move(m_raw));
    m_raw = RawLineBlock{m_sourceId, next, 0, {}};
}

void LogChunkBuilder::close(QHash<Key, Open>::iterator it, LogWrites& out)
{
    m_openBytes -= it->bytes();
    out.chunks.append({m_sourceId, it.key().host, it.key().queueId, std::move(it->encoded)});
    m_open.erase(it);
}

void LogChunkBuilder::switchHost(const QString& host, LogWrites& out)
{
    m_host = host;
    m_hostHash = qHash(host, m_seed);
    // A host's first event is the first of its messages: no chunk of it is open before.
    if (!host.isEmpty() && !m_hosts.contains(host)) {
        m_hosts.insert(host);
        out.newHosts.append({m_sourceId, host});
    }
}

void LogChunkBuilder::add(const logs::LogEvent& e, LogWrites& out)
{
    if (e.host != m_host) // nearly every event has the host of the one before
        switchHost(e.host, out);
    // One string hashed per event, and only once where a find and an insert both need it;
    // seeded per process like QHash's own (queue ids come from untrusted logs).
    Key key{e.host, e.queueId, qHash(e.queueId, m_seed) ^ (m_hostHash * 0x9e3779b97f4a7c15ULL)};
    auto it = m_open.find(key);
    if (it == m_open.end())
        it = m_open.insert(std::move(key), Open{});
    const qint64 rawSeq = rawSeqOf(e, out);
    Open& c = *it;
    const qint64 before = c.bytes();
    c.encoded.add(e, rawSeq);
    m_openBytes += c.bytes() - before;
    c.touched = ++m_serial;
    ++out.events;
    // A message's chunk is complete when it leaves the queue; queue ids come back later as
    // new messages and start a new chunk. SMTP rejects (no queue id) are chunked by size.
    if (c.encoded.events >= kEventsPerChunk || (e.type == logs::LogEventType::Removed && !e.queueId.isEmpty()))
        close(it, out);
    if (m_openBytes > kMaxOpenBytes || m_open.size() > kMaxOpenChunks)
        evictIdle(out);
}

void LogChunkBuilder::evictIdle(LogWrites& out)
{
    // Hand out the half of the open messages that saw no event for longest, oldest first.
    QList<std::pair<qint64, Key>> byAge;
    byAge.reserve(m_open.size());
    for (auto it = m_open.cbegin(); it != m_open.cend(); ++it)
        byAge.append({it->touched, it.key()});
    const qsizetype half = std::max<qsizetype>(1, byAge.size() / 2);
    const auto older = [](const auto& a, const auto& b) { return a.first < b.first; };
    std::nth_element(byAge.begin(), byAge.begin() + (half - 1), byAge.end(), older);
    std::sort(byAge.begin(), byAge.begin() + half, older);
    for (qsizetype i = 0; i < half; ++i) {
        if (auto it = m_open.find(byAge.at(i).second); it != m_open.end())
            close(it, out);
    }
}

void LogChunkBuilder::flush(LogWrites& out)
{
    // In file order of their first line, so chunk ids (and so event ids) follow the file.
    QList<std::tuple<qint64, qint64, Key>> order;
    order.reserve(m_open.size());
    for (auto it = m_open.cbegin(); it != m_open.cend(); ++it)
        order.append({it->encoded.firstLine, it->touched, it.key()});
    std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
        return std::tie(std::get<0>(a), std::get<1>(a)) < std::tie(std::get<0>(b), std::get<1>(b));
    });
    for (const auto& entry : std::as_const(order))
        close(m_open.find(std::get<2>(entry)), out);
    m_openBytes = 0;
    closeRawBlock(out);
}

} // namespace bi::core::store
