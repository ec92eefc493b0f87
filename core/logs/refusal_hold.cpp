// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/logs/refusal_hold.h"

namespace bi::core::logs {

void RefusalHold::hold(const QByteArray& session, LogEvent&& e, const LogLine& line, ParseContext& context)
{
    if (m_held >= kMaxHeld)
        releaseAll(context);
    if (e.lineNumber == 0) {
        e.lineNumber = line.number;
        e.byteOffset = line.offset;
    }
    if (e.rawLine.isEmpty() && e.lineNumber == line.number)
        e.rawLine = line.text.toByteArray();
    if (e.time.isValid() && (!m_oldest.isValid() || e.time < m_oldest))
        m_oldest = e.time;
    m_sessions[session].append(std::move(e));
    ++m_held;
}

void RefusalHold::claim(const QByteArray& session, const QString& queueId, ParseContext& context)
{
    const auto it = m_sessions.find(session);
    if (it == m_sessions.end())
        return;
    for (LogEvent& e : *it) {
        e.queueId = queueId;
        context.emitEvent(std::move(e));
    }
    m_held -= it->size();
    m_sessions.erase(it);
}

void RefusalHold::release(const QByteArray& session, ParseContext& context)
{
    claim(session, {}, context);
}

void RefusalHold::releaseBefore(const QDateTime& cutoff, ParseContext& context)
{
    if (!m_oldest.isValid() || m_oldest >= cutoff)
        return;
    m_oldest = QDateTime();
    for (auto it = m_sessions.begin(); it != m_sessions.end();) {
        const QDateTime first = it->constFirst().time;
        if (!first.isValid() || first >= cutoff) {
            if (first.isValid() && (!m_oldest.isValid() || first < m_oldest))
                m_oldest = first;
            ++it;
            continue;
        }
        for (LogEvent& e : *it)
            context.emitEvent(std::move(e));
        m_held -= it->size();
        it = m_sessions.erase(it);
    }
}

void RefusalHold::releaseAll(ParseContext& context)
{
    for (QList<LogEvent>& list : m_sessions) {
        for (LogEvent& e : list)
            context.emitEvent(std::move(e));
    }
    clear();
}

void RefusalHold::clear()
{
    m_sessions.clear();
    m_held = 0;
    m_oldest = QDateTime();
}

} // namespace bi::core::logs
