// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/backscatter/signed_address.h"

#include <QMessageAuthenticationCode>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace bi::core::backscatter {

namespace {

constexpr int kPrvsMaxAgeDays = 7;  // draft-levine-smtp-batv-01 §4.1, Exim's prvscheck
constexpr int kSrsMaxAgeDays = 21;  // libsrs2 and Mail::SRS default maxage
const QString kBase32 = u"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"_s;

bool isHex(QStringView s)
{
    for (QChar c : s) {
        if (!c.isDigit() && !(c >= u'a' && c <= u'f') && !(c >= u'A' && c <= u'F'))
            return false;
    }
    return !s.isEmpty();
}

bool isDigits(QStringView s)
{
    for (QChar c : s) {
        if (c < u'0' || c > u'9')
            return false;
    }
    return !s.isEmpty();
}

bool isSeparator(QChar c)
{
    return c == u'=' || c == u'+' || c == u'-';
}

qint64 epochDay(const QDateTime& at)
{
    return at.toSecsSinceEpoch() / 86400;
}

QByteArray hmacSha1(const QByteArray& secret, const QByteArray& data)
{
    return QMessageAuthenticationCode::hash(data, secret, QCryptographicHash::Sha1);
}

QString prvsHash(const QByteArray& secret, const QByteArray& source)
{
    return QString::fromLatin1(hmacSha1(secret, source).left(3).toHex());
}

QString srsHash(const QByteArray& secret, const QStringList& parts)
{
    return QString::fromLatin1(hmacSha1(secret, parts.join(QString()).toUtf8()).toBase64().left(4));
}

QString srsStampFor(const QDateTime& at)
{
    const int t = int(epochDay(at) % 1024);
    return QString(kBase32.at((t >> 5) & 31)) + kBase32.at(t & 31);
}

int srsStampDay(const QString& stamp)
{
    if (stamp.size() != 2)
        return -1;
    const qsizetype hi = kBase32.indexOf(stamp.at(0).toUpper());
    const qsizetype lo = kBase32.indexOf(stamp.at(1).toUpper());
    if (hi < 0 || lo < 0)
        return -1;
    return int(hi * 32 + lo);
}

// Age in days of a day number kept modulo `cycle`, seen from `at`; -1 means one day ahead.
int ageInCycle(const QDateTime& at, int dayNumber, int cycle)
{
    const int today = int(epochDay(at) % cycle);
    int age = (today - dayNumber + cycle) % cycle;
    if (age == cycle - 1)
        age = -1;
    return age;
}

void parseSrs0Fields(QStringView rest, SignedAddress& s)
{
    // "HHHH=TT=domain=local": the local part may itself hold '='.
    const qsizetype a = rest.indexOf(u'=');
    const qsizetype b = a < 0 ? -1 : rest.indexOf(u'=', a + 1);
    const qsizetype c = b < 0 ? -1 : rest.indexOf(u'=', b + 1);
    if (c < 0)
        return;
    s.hash = rest.left(a).toString();
    s.srsStamp = rest.sliced(a + 1, b - a - 1).toString();
    s.srsHost = rest.sliced(b + 1, c - b - 1).toString();
    s.srsUser = rest.sliced(c + 1).toString();
    if (!s.hash.isEmpty() && !s.srsHost.isEmpty() && !s.srsUser.isEmpty())
        s.inner = (s.srsUser + u'@' + s.srsHost).toLower();
}

} // namespace

SignedAddress SignedAddress::parse(const QString& address)
{
    SignedAddress s;
    // SRS hashes cover the local part as written: keep its case for the fields.
    const QString given = address.trimmed();
    s.address = given.toLower();
    s.inner = s.address;
    const qsizetype at = given.lastIndexOf(u'@');
    if (at <= 0)
        return s;
    const QString local = given.left(at);
    const QString lowerLocal = local.toLower();
    const QString domain = given.mid(at + 1).toLower();

    if (lowerLocal.startsWith(u"prvs=")) {
        s.scheme = Scheme::Prvs;
        s.inner.clear();
        const QStringView rest = QStringView(local).sliced(5);
        // Standard form prvs=KDDDSSSSSS=user; early Exim wrote prvs=user=KDDDSSSSSS.
        QStringView tag, user;
        const qsizetype eq = rest.indexOf(u'=');
        const qsizetype lastEq = rest.lastIndexOf(u'=');
        if (eq == 10 && isDigits(rest.left(4)) && isHex(rest.sliced(4, 6))) {
            tag = rest.left(10);
            user = rest.sliced(11);
        } else if (lastEq > 0 && rest.size() - lastEq - 1 == 10 && isDigits(rest.sliced(lastEq + 1, 4))
                   && isHex(rest.sliced(lastEq + 5, 6))) {
            tag = rest.sliced(lastEq + 1);
            user = rest.left(lastEq);
        }
        if (!tag.isEmpty() && !user.isEmpty()) {
            s.prvsKey = tag.at(0).digitValue();
            s.prvsDay = tag.sliced(1, 3).toInt();
            s.hash = tag.sliced(4).toString().toLower();
            s.inner = (user.toString() + u'@' + domain).toLower();
        }
        return s;
    }
    if ((lowerLocal.startsWith(u"srs0") || lowerLocal.startsWith(u"srs1")) && local.size() > 5
        && isSeparator(local.at(4))) {
        const bool one = local.at(3) == u'1';
        s.scheme = one ? Scheme::Srs1 : Scheme::Srs0;
        s.inner.clear();
        const QStringView rest = QStringView(local).sliced(5);
        if (!one) {
            parseSrs0Fields(rest, s);
            return s;
        }
        // SRS1=HHHH=forwarder==HHHH=TT=domain=local: the outer hash covers forwarder + opaque.
        const qsizetype a = rest.indexOf(u'=');
        const qsizetype b = a < 0 ? -1 : rest.indexOf(u'=', a + 1);
        if (b < 0 || b + 1 >= rest.size())
            return s;
        s.hash = rest.left(a).toString();
        s.srsHost = rest.sliced(a + 1, b - a - 1).toString();
        QStringView opaque = rest.sliced(b + 1);
        if (!opaque.isEmpty() && isSeparator(opaque.at(0)))
            opaque = opaque.sliced(1);
        s.srsOpaque = opaque.toString();
        SignedAddress inner;
        parseSrs0Fields(opaque, inner);
        s.srsInnerHash = inner.hash;
        s.srsStamp = inner.srsStamp;
        s.srsUser = inner.srsUser;
        if (!s.hash.isEmpty() && !s.srsHost.isEmpty() && !inner.inner.isEmpty())
            s.inner = inner.inner;
        return s;
    }
    // VERP: "<box>+user=example.com@" or "<box>-user=example.com@" (RFC-less convention used by
    // qmail, Mailman, ezmlm, SendGrid/SES-style "bounces+ID-user=example.com@").
    const qsizetype lastEq = lowerLocal.lastIndexOf(u'=');
    if (lastEq > 0) {
        const QString& local = lowerLocal;
        const QString encodedDomain = local.mid(lastEq + 1);
        qsizetype sep = local.indexOf(u'+');
        if (sep < 0 || sep > lastEq)
            sep = local.indexOf(u'-');
        if (sep > 0 && sep < lastEq - 1 && encodedDomain.contains(u'.') && !encodedDomain.startsWith(u'.')
            && !encodedDomain.endsWith(u'.')) {
            s.scheme = Scheme::Verp;
            s.verpRecipient = local.mid(sep + 1, lastEq - sep - 1) + u'@' + encodedDomain;
            s.inner = local.left(sep) + u'@' + domain;
        }
    }
    return s;
}

SignedAddress::Check SignedAddress::checkPrvs(const QDateTime& at, const QByteArray& secret) const
{
    if (scheme != Scheme::Prvs)
        return Check::Absent;
    if (inner.isEmpty() || prvsDay < 0)
        return Check::Malformed;
    if (at.isValid()) {
        const int age = ageInCycle(at, prvsDay, 1000);
        if (age > kPrvsMaxAgeDays)
            return Check::Expired;
    }
    if (secret.isEmpty())
        return Check::Unverified;
    const QByteArray tag = QByteArray::number(prvsKey) + QString::number(prvsDay).rightJustified(3, u'0').toLatin1();
    const QByteArray mail = inner.toUtf8();
    // The draft hashes K DDD address; Exim's ${prvs} hashes address K DDD. Both are in use.
    if (prvsHash(secret, tag + mail) == hash || prvsHash(secret, mail + tag) == hash)
        return Check::Valid;
    return Check::BadHash;
}

SignedAddress::Check SignedAddress::checkSrs(const QDateTime& at, const QByteArray& secret) const
{
    if (scheme != Scheme::Srs0 && scheme != Scheme::Srs1)
        return Check::Absent;
    if (inner.isEmpty() || hash.size() < 4)
        return Check::Malformed;
    const int day = srsStampDay(srsStamp);
    if (day < 0)
        return Check::Malformed;
    if (at.isValid() && ageInCycle(at, day, 1024) > kSrsMaxAgeDays)
        return Check::Expired;
    if (secret.isEmpty())
        return Check::Unverified;
    auto matches = [&](const QString& expected, const QStringList& parts) {
        QStringList lower;
        for (const QString& p : parts)
            lower << p.toLower();
        // libsrs2 and Mail::SRS compare hashes case-insensitively (MTAs lower-case local parts);
        // some lower-case the hashed data too.
        return srsHash(secret, parts).compare(expected, Qt::CaseInsensitive) == 0
            || srsHash(secret, lower).compare(expected, Qt::CaseInsensitive) == 0;
    };
    if (scheme == Scheme::Srs0) {
        return matches(hash, {srsStamp, srsHost, srsUser}) || matches(hash, {srsStamp.toUpper(), srsHost, srsUser})
            ? Check::Valid : Check::BadHash;
    }
    // SRS1: only the outer hash is ours; the inner one belongs to the first forwarder.
    return matches(hash, {srsHost, srsOpaque}) ? Check::Valid : Check::BadHash;
}

SignedAddress::Check SignedAddress::check(const QDateTime& at, const QByteArray& prvsSecret,
                                          const QByteArray& srsSecret) const
{
    switch (scheme) {
    case Scheme::Prvs:
        return checkPrvs(at, prvsSecret);
    case Scheme::Srs0:
    case Scheme::Srs1:
        return checkSrs(at, srsSecret);
    case Scheme::Verp:
        return Check::Unverified;
    case Scheme::None:
        break;
    }
    return Check::Absent;
}

QString SignedAddress::signPrvs(const QString& address, const QDateTime& at, int key, const QByteArray& secret)
{
    const QString mail = address.toLower();
    const QString tag = QString::number(qBound(0, key, 9)) + QString::number(epochDay(at) % 1000).rightJustified(3, u'0');
    return u"prvs="_s + tag + prvsHash(secret, tag.toLatin1() + mail.toUtf8()) + u'=' + mail;
}

QString SignedAddress::signSrs0(const QString& address, const QString& forwarderDomain, const QDateTime& at,
                                const QByteArray& secret)
{
    const QString mail = address.toLower();
    const qsizetype atSign = mail.lastIndexOf(u'@');
    const QString user = mail.left(atSign);
    const QString host = mail.mid(atSign + 1);
    const QString stamp = srsStampFor(at);
    return u"SRS0="_s + srsHash(secret, {stamp, host, user}) + u'=' + stamp + u'=' + host + u'=' + user + u'@'
        + forwarderDomain.toLower();
}

QString schemeName(SignedAddress::Scheme scheme)
{
    switch (scheme) {
    case SignedAddress::Scheme::Prvs:
        return u"prvs"_s;
    case SignedAddress::Scheme::Srs0:
        return u"srs0"_s;
    case SignedAddress::Scheme::Srs1:
        return u"srs1"_s;
    case SignedAddress::Scheme::Verp:
        return u"verp"_s;
    case SignedAddress::Scheme::None:
        break;
    }
    return u"none"_s;
}

QString checkName(SignedAddress::Check check)
{
    switch (check) {
    case SignedAddress::Check::Valid:
        return u"valid"_s;
    case SignedAddress::Check::Unverified:
        return u"unverified"_s;
    case SignedAddress::Check::Expired:
        return u"expired"_s;
    case SignedAddress::Check::BadHash:
        return u"bad-hash"_s;
    case SignedAddress::Check::Malformed:
        return u"malformed"_s;
    case SignedAddress::Check::Absent:
        break;
    }
    return u"absent"_s;
}

} // namespace bi::core::backscatter
