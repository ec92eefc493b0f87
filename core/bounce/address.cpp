// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/address.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

// RFC 5321 §4.1.2 Mailbox, loosened: real bounces carry addresses with odd local parts
// (quoted strings, slashes, '=' from VERP) and RFC 6533 UTF-8 in both parts.
const QRegularExpression& addressPattern()
{
    static const QRegularExpression re(
        uR"((?:"[^"\r\n]{1,64}"|[\w.!#$%&'*+/=?^`{|}~\-]{1,256})@(?:\[[0-9A-Fa-f:.]+\]|[\w\-]+(?:\.[\w\-]+)+))"_s,
        QRegularExpression::UseUnicodePropertiesOption);
    return re;
}

} // namespace

QString Address::normalize(const QString& text)
{
    QString v = text.trimmed();
    const qsizetype semi = v.indexOf(u';');
    if (semi > 0 && semi < 24 && !v.left(semi).contains(u'@'))
        v = v.mid(semi + 1).trimmed();
    if (const qsizetype lt = v.indexOf(u'<'); lt >= 0) {
        const qsizetype gt = v.indexOf(u'>', lt);
        if (gt > lt)
            v = v.mid(lt + 1, gt - lt - 1);
    }
    const QRegularExpressionMatch m = addressPattern().match(v);
    if (!m.hasMatch())
        return {};
    QString addr = m.captured(0);
    while (addr.endsWith(u'.'))
        addr.chop(1);
    return addr.toLower();
}

QStringList Address::findAll(const QString& text)
{
    QStringList out;
    auto it = addressPattern().globalMatch(text);
    while (it.hasNext()) {
        QString addr = it.next().captured(0).toLower();
        while (addr.endsWith(u'.'))
            addr.chop(1);
        if (!out.contains(addr))
            out << addr;
    }
    return out;
}

QString Address::domainOf(const QString& address)
{
    const qsizetype at = address.lastIndexOf(u'@');
    return at < 0 ? QString() : address.mid(at + 1).toLower();
}

bool Address::isPlausible(const QString& address)
{
    return !normalize(address).isEmpty();
}

} // namespace bi::core::bounce
