// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <vector>

#include <QByteArray>
#include <QByteArrayView>
#include <QVarLengthArray>

namespace bi::core::logs {

/// Splits one CSV record (RFC 4180: quoted fields, doubled quotes inside them) into views.
/// Used for PowerMTA accounting and Exchange message tracking files, one line per record.
/// The views stay valid until the next split() and while the line's bytes live.
/// Thread: one thread at a time.
class CsvSplitter final {
public:
    /// Splits line; false when a quoted field is still open at the end (a cut-off record).
    /// The fields read so far are kept either way.
    [[nodiscard]] bool split(QByteArrayView line, char separator = ',');

    [[nodiscard]] qsizetype size() const { return m_fields.size(); }
    /// Field i, or an empty view when the record has fewer fields.
    [[nodiscard]] QByteArrayView at(qsizetype i) const
    {
        return i >= 0 && i < m_fields.size() ? m_fields[i] : QByteArrayView();
    }

private:
    QVarLengthArray<QByteArrayView, 48> m_fields;
    std::vector<QByteArray> m_unescaped; // owners of fields that had doubled quotes
};

} // namespace bi::core::logs
