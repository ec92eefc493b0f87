// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/common/diagnostic.h"

using namespace Qt::StringLiterals;

namespace bi::core {

QString Diagnostic::severityName(Severity s)
{
    switch (s) {
    case Severity::Info: return u"info"_s;
    case Severity::Warning: return u"warning"_s;
    case Severity::Error: return u"error"_s;
    }
    return u"warning"_s;
}

Diagnostic::Severity Diagnostic::severityFromName(QStringView name)
{
    if (name == u"info")
        return Severity::Info;
    if (name == u"error")
        return Severity::Error;
    return Severity::Warning;
}

QString Diagnostic::toString() const
{
    return severityName(severity) + u" ["_s + where + u"] "_s + what;
}

} // namespace bi::core
