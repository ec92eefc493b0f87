// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

namespace bi::core::report {

/// Maps a recipient domain (or the MX host that answered for it) to the mailbox provider
/// behind it: Google, Microsoft, Yahoo, Apple, ... The table is data
/// (core/report/data/providers.json, resource :/bi/report/providers.json).
/// Thread: builtIn() is immutable after first use and safe from any thread.
class ProviderMap final {
public:
    /// The shipped table (parsed once).
    [[nodiscard]] static const ProviderMap& builtIn();
    /// A table from JSON text of providers.json's shape; an empty map when unreadable.
    [[nodiscard]] static ProviderMap fromJson(const QByteArray& json);

    /// The provider of a recipient domain ("gmail.com" → "Google"); empty when unknown.
    [[nodiscard]] QString providerForDomain(QStringView domain) const;
    /// The provider of an MX host name ("gmail-smtp-in.l.google.com" → "Google"), also
    /// accepting relay notation "host[ip]:port"; empty when unknown.
    [[nodiscard]] QString providerForHost(QStringView host) const;
    /// The provider of a recipient: by domain first, then by the MX host when given;
    /// otherwise the domain itself (lower case), so unknown domains still group.
    [[nodiscard]] QString providerOrDomain(QStringView domain, QStringView mxHost = {}) const;
    /// Provider names in table order.
    [[nodiscard]] QStringList providers() const;
    /// The domains listed for a provider (patterns such as "yahoo.*" included).
    [[nodiscard]] QStringList domainsOf(const QString& provider) const;

private:
    struct Provider {
        QString name;
        QStringList domains; ///< lower case; "label.*" matches any suffix after label
        QStringList mx;      ///< lower case host suffixes
    };
    QList<Provider> m_providers;
};

} // namespace bi::core::report
