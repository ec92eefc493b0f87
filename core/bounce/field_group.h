// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace bi::core::bounce {

/// One block of "Name: value" fields, as in a message/delivery-status or
/// message/feedback-report body (RFC 3464 §2.1, RFC 5965 §3.1). Values are unfolded.
struct FieldGroup {
    struct Field {
        QByteArray name; ///< as written
        QString value;   ///< unfolded, trimmed
    };
    QList<Field> fields;

    [[nodiscard]] bool isEmpty() const { return fields.isEmpty(); }
    /// First value of the named field (case-insensitive), empty when absent.
    [[nodiscard]] QString value(QByteArrayView name) const;
    /// Every value of the named field, in order.
    [[nodiscard]] QStringList values(QByteArrayView name) const;
    [[nodiscard]] bool has(QByteArrayView name) const;
};

/// Splits text into field groups separated by blank lines. Lines that are not fields
/// and not continuations are ignored (real DSNs carry stray text). Thread: any.
class FieldGroupParser final {
public:
    [[nodiscard]] static QList<FieldGroup> parse(const QByteArray& body);
    /// "rfc822; user@example.com" → "user@example.com" (the part after the first ';', trimmed,
    /// angle brackets and surrounding quotes removed). Values without a type are returned trimmed.
    [[nodiscard]] static QString stripType(const QString& typedValue);
    /// The type before ';' ("smtp", "dns", "rfc822"), lower case; empty when none.
    /// An MTA-name field (Reporting-MTA, Remote-MTA, Received-From-MTA): stripType() and then
    /// without RFC 5322 comments after the name ("dns; p49.example.com (tcp_intranet-daemon)").
    [[nodiscard]] static QString mtaName(const QString& typedValue);
    [[nodiscard]] static QString typeOf(const QString& typedValue);
};

} // namespace bi::core::bounce
