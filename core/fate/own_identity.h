// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSet>
#include <QString>
#include <QStringList>

namespace bi::core::fate {

/// Which domains and hosts are "ours" (the client's sending side): from project settings,
/// and learned from the logs (smarthost names, envelope senders) and the mailbox (the
/// addresses bounces are sent to). Thread: value type.
class OwnIdentity final {
public:
    void addDomain(const QString& domain);
    void addHost(const QString& host);
    /// Domains and hosts learned from an address ("user@shop.example" → shop.example).
    void learnFromAddress(const QString& address);

    /// True when host is one of our hosts, or lies inside one of our domains
    /// ("mx-out1.shop.example" with "shop.example"), or its first label is one of our
    /// short host names as syslog writes them ("mx-out1").
    [[nodiscard]] bool isOwnHost(const QString& host) const;
    [[nodiscard]] bool isOwnDomain(const QString& domain) const;
    /// True when one of our hosts (logged, or set) has this first label ("exch02" for
    /// "EXCH02" or "exch02.corp.example"): with isOwnHost(), a relay whose log may be here.
    [[nodiscard]] bool hasHostNamed(const QString& label) const;
    [[nodiscard]] QStringList domains() const;
    [[nodiscard]] QStringList hosts() const;

private:
    QSet<QString> m_domains;
    QSet<QString> m_hosts;
};

} // namespace bi::core::fate
