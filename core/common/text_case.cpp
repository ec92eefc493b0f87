// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/common/text_case.h"

namespace bi::core {

QString lowerCase(QStringView text)
{
    QString out(text.size(), Qt::Uninitialized);
    char16_t* w = reinterpret_cast<char16_t*>(out.data());
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u >= 0x80)
            return text.toString().toLower();
        *w++ = u >= u'A' && u <= u'Z' ? char16_t(u + 32) : u;
    }
    return out;
}

} // namespace bi::core
