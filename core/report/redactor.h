// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include "core/common/result.h"

namespace bi::core::store {
class ProjectStore;
}

namespace bi::core::report {

/// Replaces the local parts of e-mail addresses with a stable short hash (first 8 hex digits
/// of SHA-256 over a per-project salt and the lower-cased local part), keeping domains, so a
/// redacted report still groups and counts per address and domain. A disabled Redactor
/// returns everything unchanged. Thread: any (const).
class Redactor final {
public:
    /// The settings key holding the project's salt.
    static constexpr const char16_t* kSaltKey = u"report_redaction_salt";

    Redactor() = default;
    Redactor(bool enabled, QByteArray salt) : m_enabled(enabled), m_salt(std::move(salt)) {}

    /// A redactor for the project: its salt is read from the settings, and created and stored
    /// when missing. Errors: SQLite refused the read or write.
    [[nodiscard]] static Result<Redactor> forProject(store::ProjectStore& store, bool enabled);

    [[nodiscard]] bool isEnabled() const { return m_enabled; }
    /// "alice@example.com" → "h-3f2a9c01@example.com"; text without '@' is hashed whole.
    [[nodiscard]] QString address(const QString& address) const;
    /// Free text (diagnostics, evidence) with every address in it redacted.
    [[nodiscard]] QString text(const QString& text) const;
    /// The same, and the local part of about (the recipient the text is about) also where a
    /// server quoted it alone ('unknown user: "nobody875"').
    [[nodiscard]] QString text(const QString& text, const QString& about) const;

private:
    [[nodiscard]] QString hashLocal(QStringView local) const;
    bool m_enabled = false;
    QByteArray m_salt;
};

} // namespace bi::core::report
