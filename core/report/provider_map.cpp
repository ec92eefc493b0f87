// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/report/provider_map.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace bi::core::report {

namespace {

QStringList lowerStrings(const QJsonValue& v)
{
    QStringList out;
    for (const QJsonValue& s : v.toArray())
        out << s.toString().trimmed().toLower();
    return out;
}

bool domainMatches(QStringView domain, const QString& pattern)
{
    if (pattern.endsWith(u".*")) {
        // "yahoo.*": the domain's registrable label is yahoo, whatever follows (yahoo.co.uk).
        const QStringView label = QStringView(pattern).chopped(1);
        return domain.startsWith(label) && domain.size() > label.size();
    }
    return domain == pattern;
}

bool hostMatches(QStringView host, const QString& suffix)
{
    return host == suffix || (host.endsWith(suffix) && host.at(host.size() - suffix.size() - 1) == u'.');
}

// "mx.example[192.0.2.1]:25" → "mx.example".
QString bareHost(QStringView relay)
{
    QStringView h = relay.trimmed();
    if (const qsizetype bracket = h.indexOf(u'['); bracket >= 0)
        h = h.first(bracket);
    else if (const qsizetype colon = h.indexOf(u':'); colon >= 0)
        h = h.first(colon);
    QString out = h.toString().toLower();
    while (out.endsWith(u'.'))
        out.chop(1);
    return out;
}

} // namespace

const ProviderMap& ProviderMap::builtIn()
{
    static const ProviderMap map = [] {
        QFile f(u":/bi/report/providers.json"_s);
        if (!f.open(QIODevice::ReadOnly))
            return ProviderMap();
        return fromJson(f.readAll());
    }();
    return map;
}

ProviderMap ProviderMap::fromJson(const QByteArray& json)
{
    ProviderMap map;
    const QJsonArray providers = QJsonDocument::fromJson(json).object().value(u"providers"_s).toArray();
    for (const QJsonValue& v : providers) {
        const QJsonObject o = v.toObject();
        Provider p{o.value(u"name"_s).toString(), lowerStrings(o.value(u"domains"_s)), lowerStrings(o.value(u"mx"_s))};
        if (!p.name.isEmpty())
            map.m_providers << p;
    }
    return map;
}

QString ProviderMap::providerForDomain(QStringView domain) const
{
    const QString d = domain.trimmed().toString().toLower();
    if (d.isEmpty())
        return {};
    for (const Provider& p : m_providers) {
        for (const QString& pattern : p.domains) {
            if (domainMatches(d, pattern))
                return p.name;
        }
    }
    return {};
}

QString ProviderMap::providerForHost(QStringView host) const
{
    const QString h = bareHost(host);
    if (h.isEmpty())
        return {};
    for (const Provider& p : m_providers) {
        for (const QString& suffix : p.mx) {
            if (hostMatches(h, suffix))
                return p.name;
        }
    }
    return {};
}

QString ProviderMap::providerOrDomain(QStringView domain, QStringView mxHost) const
{
    if (QString p = providerForDomain(domain); !p.isEmpty())
        return p;
    if (QString p = providerForHost(mxHost); !p.isEmpty())
        return p;
    return domain.trimmed().toString().toLower();
}

QStringList ProviderMap::providers() const
{
    QStringList out;
    for (const Provider& p : m_providers)
        out << p.name;
    return out;
}

QStringList ProviderMap::domainsOf(const QString& provider) const
{
    for (const Provider& p : m_providers) {
        if (p.name == provider)
            return p.domains;
    }
    return {};
}

} // namespace bi::core::report
