// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringView>

namespace bi::core::report {

/// What a sisimai reason means and what to do about it, in plain words for the client
/// report. Kept as one data table (reason_advice.cpp). Thread: any.
struct ReasonAdvice {
    QString meaning; ///< "the address does not exist at the receiving domain"
    QString advice;  ///< one sentence, imperative; empty when there is nothing to do
};

/// The advice for a reason (case-insensitive); a generic text for unknown reasons.
[[nodiscard]] ReasonAdvice reasonAdvice(QStringView reason);

} // namespace bi::core::report
