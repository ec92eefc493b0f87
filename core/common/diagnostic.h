// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>

namespace bi::core {

/// Something odd found in untrusted input. Stored with the message or line it concerns;
/// never aborts an import (STYLE §5).
struct Diagnostic {
    enum class Severity { Info, Warning, Error };
    Severity severity = Severity::Warning;
    QString where; ///< component and position: "mime", "mbox@1234", "dsn"
    QString what;  ///< one readable line

    [[nodiscard]] QString toString() const;
    [[nodiscard]] static QString severityName(Severity s);
    [[nodiscard]] static Severity severityFromName(QStringView name);
};

using Diagnostics = QList<Diagnostic>;

} // namespace bi::core
