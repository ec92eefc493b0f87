// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/fate/own_identity.h"

#include <algorithm>

#include "core/bounce/address.h"

namespace bi::core::fate {

namespace {

QString clean(const QString& name)
{
    QString v = name.trimmed().toLower();
    while (v.endsWith(u'.'))
        v.chop(1);
    if (const qsizetype bracket = v.indexOf(u'['); bracket > 0)
        v = v.left(bracket); // "mx.example[192.0.2.1]:25"
    return v;
}

} // namespace

void OwnIdentity::addDomain(const QString& domain)
{
    const QString d = clean(domain);
    if (!d.isEmpty() && d.contains(u'.'))
        m_domains.insert(d);
}

void OwnIdentity::addHost(const QString& host)
{
    const QString h = clean(host);
    if (!h.isEmpty())
        m_hosts.insert(h);
}

void OwnIdentity::learnFromAddress(const QString& address)
{
    const qsizetype at = address.lastIndexOf(u'@');
    if (at > 0)
        addDomain(address.mid(at + 1));
}

bool OwnIdentity::isOwnDomain(const QString& domain) const
{
    const QString d = clean(domain);
    if (d.isEmpty())
        return false;
    for (const QString& own : m_domains) {
        if (bounce::Address::isWithinDomain(d, own))
            return true;
    }
    return false;
}

bool OwnIdentity::isOwnHost(const QString& host) const
{
    const QString h = clean(host);
    if (h.isEmpty())
        return false;
    if (m_hosts.contains(h) || isOwnDomain(h))
        return true;
    // Syslog often writes the short name ("mx-out1") where mail headers carry the full one.
    // Only compare first labels when one side is short; "mx" must not match "mx.example.net".
    const QString first = h.section(u'.', 0, 0);
    for (const QString& own : m_hosts) {
        if (!h.contains(u'.') && own.section(u'.', 0, 0) == h)
            return true;
        if (!own.contains(u'.') && own == first && isOwnDomain(h.section(u'.', 1)))
            return true;
    }
    return false;
}

bool OwnIdentity::hasHostNamed(const QString& label) const
{
    const QString l = clean(label);
    return !l.isEmpty() && std::any_of(m_hosts.cbegin(), m_hosts.cend(), [&l](const QString& own) {
        return own.section(u'.', 0, 0) == l;
    });
}

QStringList OwnIdentity::domains() const
{
    QStringList out(m_domains.cbegin(), m_domains.cend());
    std::sort(out.begin(), out.end());
    return out;
}

QStringList OwnIdentity::hosts() const
{
    QStringList out(m_hosts.cbegin(), m_hosts.cend());
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace bi::core::fate
