// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QStringList>
#include <QStringView>

namespace bi::core::json {

/// JSON written by hand where QJsonDocument's tree of values per record was most of the work
/// (every stored fate's steps, every line of `fates --jsonl`). The text is what
/// QJsonDocument::toJson() writes for the same value, byte for byte.

/// Appends s as a JSON string: quoted, `"` `\` and control characters escaped (\b \f \n \r \t,
/// others as \u00XX), other text as UTF-8, a lone surrogate as \uXXXX.
void appendString(QByteArray& out, QStringView s);

/// Appends items as a JSON array of strings.
void appendStringArray(QByteArray& out, const QStringList& items);

/// Appends t in UTC as a JSON string the way QDateTime::toString(Qt::ISODate) writes it
/// ("2026-01-03T10:00:00Z"); an invalid t as "".
void appendIsoUtc(QByteArray& out, const QDateTime& t);

/// Appends v as QJsonDocument writes a double: an integral value up to 2^53 as that integer,
/// another as the shortest text that reads back as v; null for infinities and NaN.
void appendDouble(QByteArray& out, double v);

/// Appends a decimal integer.
void appendInt(QByteArray& out, qint64 v);

} // namespace bi::core::json
