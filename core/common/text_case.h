// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace bi::core {

/// The text in lower case, exactly as QString::toLower() gives it. ASCII text (nearly every
/// bounce) takes a plain table-free loop; any other character sends the whole text through
/// Qt's Unicode case mapping, which may change its length (U+0130 becomes two characters).
/// Thread: any.
[[nodiscard]] QString lowerCase(QStringView text);

} // namespace bi::core
