// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/logs/csv_splitter.h"

namespace bi::core::logs {

bool CsvSplitter::split(QByteArrayView line, char separator)
{
    m_fields.clear();
    m_unescaped.clear();
    const qsizetype n = line.size();
    qsizetype i = 0;
    for (;;) {
        if (i < n && line[i] == '"') {
            qsizetype j = i + 1;
            bool doubled = false;
            bool closed = false;
            while (j < n) {
                if (line[j] == '"') {
                    if (j + 1 < n && line[j + 1] == '"') {
                        doubled = true;
                        j += 2;
                        continue;
                    }
                    closed = true;
                    break;
                }
                ++j;
            }
            const QByteArrayView raw = line.sliced(i + 1, j - i - 1);
            if (doubled) {
                QByteArray unescaped = raw.toByteArray();
                unescaped.replace("\"\"", "\"");
                m_unescaped.push_back(std::move(unescaped));
                m_fields.append(QByteArrayView(m_unescaped.back()));
            } else {
                m_fields.append(raw);
            }
            if (!closed)
                return false;
            i = j + 1;
            // Anything between the closing quote and the separator is kept out (lenient).
            const qsizetype sep = line.indexOf(separator, i);
            if (sep < 0)
                return true;
            i = sep + 1;
            continue;
        }
        const qsizetype sep = line.indexOf(separator, i);
        if (sep < 0) {
            m_fields.append(line.sliced(qMin(i, n)));
            return true;
        }
        m_fields.append(line.sliced(i, sep - i));
        i = sep + 1;
    }
}

} // namespace bi::core::logs
