// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include "core/logs/log_text.h"

namespace bi::core::logs {

/// Decodes a few recently seen byte strings once and hands out shared QStrings: host and
/// program names repeat on almost every line, and interleaved hosts alternate.
/// Thread: one thread at a time.
class CachedString final {
public:
    [[nodiscard]] const QString& get(QByteArrayView bytes)
    {
        for (Entry& e : m_entries) {
            if (e.used && QByteArrayView(e.bytes) == bytes)
                return e.string;
        }
        Entry& e = m_entries[m_next];
        m_next = (m_next + 1) % m_entries.size();
        e.bytes = bytes.toByteArray();
        e.string = text::str(bytes);
        e.used = true;
        return e.string;
    }

private:
    struct Entry {
        QByteArray bytes;
        QString string;
        bool used = false;
    };
    std::array<Entry, 8> m_entries;
    std::size_t m_next = 0;
};

} // namespace bi::core::logs
