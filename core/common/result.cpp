// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/common/result.h"

using namespace Qt::StringLiterals;

namespace bi::core {

QString Error::toString() const
{
    return context.isEmpty() ? message : context + u": "_s + message;
}

Error makeError(ErrorCode code, QString message, QString context)
{
    return Error{code, std::move(message), std::move(context)};
}

} // namespace bi::core
