// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/report/redactor.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QRegularExpression>

#include "core/store/project_store.h"

using namespace Qt::StringLiterals;

namespace bi::core::report {

Result<Redactor> Redactor::forProject(store::ProjectStore& store, bool enabled)
{
    if (!enabled)
        return Redactor();
    const QString key = QString::fromUtf16(kSaltKey);
    auto stored = store.setting(key);
    if (!stored)
        return stored.error();
    if (stored->has_value() && !(*stored)->isEmpty())
        return Redactor(true, (*stored)->toLatin1());
    QByteArray salt(16, Qt::Uninitialized);
    for (char& c : salt)
        c = char(QRandomGenerator::system()->bounded(256));
    const QByteArray hex = salt.toHex();
    // Kept in the project so that its report and its CSV exports hash every address alike.
    if (auto ok = store.setSetting(key, QString::fromLatin1(hex)); !ok) {
        return makeError(ok.error().code,
                         u"redacting needs the project writable once, to keep the salt its hashes use (or redact a "
                         u"writable copy)"_s,
                         store.path());
    }
    return Redactor(true, hex);
}

QString Redactor::hashLocal(QStringView local) const
{
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(m_salt);
    h.addData(QByteArrayView("\0", 1));
    h.addData(local.toString().toLower().toUtf8());
    return u"h-"_s + QString::fromLatin1(h.result().toHex().left(8));
}

QString Redactor::address(const QString& address) const
{
    if (!m_enabled || address.isEmpty())
        return address;
    const qsizetype at = address.lastIndexOf(u'@');
    if (at < 0)
        return hashLocal(address);
    return hashLocal(QStringView(address).first(at)) + address.sliced(at);
}

QString Redactor::text(const QString& text) const
{
    if (!m_enabled || !text.contains(u'@'))
        return text;
    // Loose on purpose: anything shaped like local@domain in a server's reply is hidden.
    static const QRegularExpression kAddress(uR"([^\s<>()\[\]",;:@]+@([A-Za-z0-9.-]+\.[A-Za-z]{2,}))"_s);
    QString out;
    qsizetype last = 0;
    auto it = kAddress.globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        out += QStringView(text).sliced(last, m.capturedStart() - last);
        out += address(m.captured(0));
        last = m.capturedEnd();
    }
    out += QStringView(text).sliced(last);
    return out;
}

QString Redactor::text(const QString& text, const QString& about) const
{
    QString out = this->text(text);
    if (!m_enabled)
        return out;
    const qsizetype at = about.lastIndexOf(u'@');
    const QString local = at > 0 ? about.left(at) : QString();
    if (local.size() < 3 || !out.contains(local, Qt::CaseInsensitive))
        return out; // too short to tell from ordinary words, or not there
    // The local part as a word of its own (not inside a longer word or an address).
    const QRegularExpression alone(u"(?<![\\w.+-])"_s + QRegularExpression::escape(local) + u"(?![\\w@])"_s,
                                   QRegularExpression::CaseInsensitiveOption);
    return out.replace(alone, hashLocal(local));
}

} // namespace bi::core::report
