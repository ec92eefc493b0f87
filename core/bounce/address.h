// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace bi::core::bounce {

/// E-mail address helpers for bounce decoding. Thread: any.
class Address final {
public:
    /// Clean one address as it appears in a DSN field or header: strips display names,
    /// angle brackets, quotes, "rfc822;" types, trailing comments; lower-cases it.
    /// Returns an empty string when no plausible addr-spec is found.
    [[nodiscard]] static QString normalize(const QString& text);
    /// Every plausible address in free text, normalised, in order, without duplicates.
    [[nodiscard]] static QStringList findAll(const QString& text);
    /// The domain part (after the last '@'), lower case.
    [[nodiscard]] static QString domainOf(const QString& address);
    [[nodiscard]] static bool isPlausible(const QString& address);
    /// True when \a host is \a domain or one of its subdomains (whole labels: "me.com" is not
    /// within "e.com"). Both already lower case.
    [[nodiscard]] static bool isWithinDomain(QStringView host, QStringView domain);
    /// The organisation a host name belongs to: its registrable domain by the Public Suffix
    /// List ("mx1.mail.example.com" -> "example.com", "mx1.example.co.uk" -> "example.co.uk",
    /// "mout.web.de" -> "web.de"); the host itself when it is an IP literal or a public
    /// suffix. Tells one organisation's hops from another's; lower case in, lower case out.
    [[nodiscard]] static QString organisation(const QString& host);
    /// The recipient a VERP return path encodes ("bounces+user=example.net@shop.example" or
    /// "box-user=example.net@..." gives "user@example.net"), lower case; empty when \a address
    /// is not one.
    [[nodiscard]] static QString verpRecipient(const QString& address);
};

} // namespace bi::core::bounce
