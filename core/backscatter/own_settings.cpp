// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/backscatter/own_settings.h"

#include <algorithm>

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

#include "core/store/project_store.h"

using namespace Qt::StringLiterals;

namespace bi::core::backscatter {

namespace {

QString clean(const QString& name)
{
    QString v = name.trimmed().toLower();
    if (v.startsWith(u'"') && v.endsWith(u'"') && v.size() >= 2)
        v = v.mid(1, v.size() - 2);
    while (v.endsWith(u'.'))
        v.chop(1);
    return v;
}

// Comma-separated, or a JSON array (older projects and hand edits).
QStringList parseList(const QString& text)
{
    QStringList out;
    const QString t = text.trimmed();
    if (t.startsWith(u'[')) {
        for (const QJsonValue& v : QJsonDocument::fromJson(t.toUtf8()).array()) {
            if (const QString s = clean(v.toString()); !s.isEmpty())
                out << s;
        }
        return out;
    }
    for (const QString& item : t.split(QRegularExpression(u"[,;\\s]+"_s), Qt::SkipEmptyParts)) {
        if (const QString s = clean(item); !s.isEmpty())
            out << s;
    }
    return out;
}

QStringList merged(const QStringList& a, const QStringList& b, const QStringList& excluded)
{
    QSet<QString> out;
    for (const QString& s : a)
        out.insert(clean(s));
    const QSet<QString> skip(excluded.cbegin(), excluded.cend());
    for (const QString& s : b) {
        if (!skip.contains(clean(s)))
            out.insert(clean(s));
    }
    out.remove(QString());
    QStringList list(out.cbegin(), out.cend());
    std::sort(list.begin(), list.end());
    return list;
}

Result<QString> read(const store::ProjectStore& store, const QString& key)
{
    auto value = store.setting(key);
    if (!value)
        return value.error();
    return value->value_or(QString());
}

Result<void> write(store::ProjectStore& store, const QString& key, const QString& value)
{
    if (value.isEmpty())
        return store.removeSetting(key);
    return store.setSetting(key, value);
}

QString joined(const QStringList& list)
{
    return merged(list, {}, {}).join(u',');
}

} // namespace

QStringList OwnSettings::domains() const
{
    return merged(userDomains, learnedDomains, excluded);
}

QStringList OwnSettings::hosts() const
{
    return merged(userHosts, learnedHosts, excluded);
}

Result<OwnSettings> OwnSettings::load(const store::ProjectStore& store)
{
    OwnSettings s;
    const std::pair<const char16_t*, QStringList*> lists[] = {
        {u"own_domains", &s.userDomains},           {u"own_hosts", &s.userHosts},
        {u"own_domains_learned", &s.learnedDomains}, {u"own_hosts_learned", &s.learnedHosts},
        {u"own_excluded", &s.excluded},
    };
    for (const auto& [key, list] : lists) {
        auto value = read(store, QString::fromUtf16(key));
        if (!value)
            return value.error();
        *list = parseList(*value);
    }
    auto batv = read(store, u"batv_secret"_s);
    if (!batv)
        return batv.error();
    s.batvSecret = batv->toUtf8();
    auto srs = read(store, u"srs_secret"_s);
    if (!srs)
        return srs.error();
    s.srsSecret = srs->toUtf8();
    return s;
}

Result<void> OwnSettings::save(store::ProjectStore& store) const
{
    const std::pair<const char16_t*, QString> values[] = {
        {u"own_domains", joined(userDomains)},   {u"own_hosts", joined(userHosts)},
        {u"own_excluded", joined(excluded)},     {u"batv_secret", QString::fromUtf8(batvSecret)},
        {u"srs_secret", QString::fromUtf8(srsSecret)},
    };
    for (const auto& [key, value] : values) {
        if (auto ok = write(store, QString::fromUtf16(key), value); !ok)
            return ok;
    }
    return saveLearned(store);
}

Result<void> OwnSettings::saveLearned(store::ProjectStore& store) const
{
    if (auto ok = write(store, u"own_domains_learned"_s, joined(learnedDomains)); !ok)
        return ok;
    return write(store, u"own_hosts_learned"_s, joined(learnedHosts));
}

} // namespace bi::core::backscatter
