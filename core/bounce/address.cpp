// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/address.h"

#include <libpsl.h>

#include <algorithm>
#include <cstring>

#include <QChar>

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

// The pattern this file used to run through QRegularExpression (with Unicode properties), now
// matched by hand, since normalize() runs on every address field of every message:
//   (?:"[^"\r\n]{1,64}"|[\w.!#$%&'*+/=?^`{|}~\-]{1,256})@(?:\[[0-9A-Fa-f:.]+\]|[\w\-]+(?:\.[\w\-]+)+)
// RFC 5321 §4.1.2 Mailbox, loosened: real bounces carry addresses with odd local parts
// (quoted strings, slashes, '=' from VERP) and RFC 6533 UTF-8 in both parts. The first
// (leftmost) match is found, as the regular expression found it; counts are in code points.

// One code point at i and its length in UTF-16 units.
char32_t codePointAt(QStringView s, qsizetype i, qsizetype* width)
{
    const char16_t u = s.at(i).unicode();
    if (QChar::isHighSurrogate(u) && i + 1 < s.size() && QChar::isLowSurrogate(s.at(i + 1).unicode())) {
        *width = 2;
        return QChar::surrogateToUcs4(u, s.at(i + 1).unicode());
    }
    *width = 1;
    return u;
}

// PCRE2 (10.42) \w with Unicode properties: \p{L}, \p{N} and '_'.
bool isWord(char32_t c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    const QChar::Category cat = QChar::category(c);
    return (cat >= QChar::Number_DecimalDigit && cat <= QChar::Number_Other)
        || (cat >= QChar::Letter_Uppercase && cat <= QChar::Letter_Other);
}

bool isLocalChar(char32_t c)
{
    return isWord(c) || (c < 0x80 && std::strchr(".!#$%&'*+/=?^`{|}~-", char(c)) != nullptr && c != 0);
}

bool isLabelChar(char32_t c)
{
    return c == '-' || isWord(c);
}

bool isLiteralChar(char16_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
}

// End of a run of label characters from i (i when there is none).
qsizetype labelEnd(QStringView s, qsizetype i)
{
    qsizetype w = 0;
    while (i < s.size() && isLabelChar(codePointAt(s, i, &w)))
        i += w;
    return i;
}

// The domain starting at p; its end, or -1.
qsizetype domainEnd(QStringView s, qsizetype p)
{
    if (p >= s.size())
        return -1;
    if (s.at(p) == u'[') {
        qsizetype q = p + 1;
        while (q < s.size() && isLiteralChar(s.at(q).unicode()))
            ++q;
        return q > p + 1 && q < s.size() && s.at(q) == u']' ? q + 1 : -1;
    }
    qsizetype q = labelEnd(s, p);
    if (q == p)
        return -1;
    int labels = 0;
    while (q + 1 < s.size() && s.at(q) == u'.') {
        const qsizetype e = labelEnd(s, q + 1);
        if (e == q + 1)
            break;
        q = e;
        ++labels;
    }
    return labels > 0 ? q : -1;
}

struct Match {
    qsizetype begin = -1;
    qsizetype end = -1;
};

Match findAddress(QStringView s, qsizetype from)
{
    qsizetype i = from;
    while (i < s.size()) {
        qsizetype w = 0;
        const char32_t c = codePointAt(s, i, &w);
        if (c == u'"') {
            // [^"\r\n]{1,64} then the closing quote.
            qsizetype j = i + 1;
            int count = 0;
            while (j < s.size() && count <= 64) {
                const char16_t u = s.at(j).unicode();
                if (u == u'"' || u == u'\r' || u == u'\n')
                    break;
                qsizetype cw = 0;
                (void)codePointAt(s, j, &cw);
                j += cw;
                ++count;
            }
            if (count >= 1 && count <= 64 && j + 1 < s.size() && s.at(j) == u'"' && s.at(j + 1) == u'@') {
                if (const qsizetype e = domainEnd(s, j + 2); e >= 0)
                    return {i, e};
            }
            i += w;
            continue;
        }
        if (!isLocalChar(c)) {
            i += w;
            continue;
        }
        // A run of local-part characters: every start inside it reaches the same end, so the
        // run is decided at once; the match starts at most 256 characters before the '@'.
        qsizetype e = i;
        qsizetype ew = 0;
        while (e < s.size() && isLocalChar(codePointAt(s, e, &ew)))
            e += ew;
        if (e < s.size() && s.at(e) == u'@') {
            if (const qsizetype end = domainEnd(s, e + 1); end >= 0) {
                qsizetype b = e;
                for (int n = 0; n < 256 && b > i; ++n)
                    b -= (b - 2 >= i && QChar::isLowSurrogate(s.at(b - 1).unicode())
                          && QChar::isHighSurrogate(s.at(b - 2).unicode())) ? 2 : 1;
                return {b, end};
            }
        }
        i = e;
    }
    return {};
}

QString matchedAddress(QStringView s, const Match& m)
{
    QStringView view = s.sliced(m.begin, m.end - m.begin);
    while (view.endsWith(u'.'))
        view.chop(1);
    // Lower-cased by hand when ASCII (nearly always): QString::toLower looks up every
    // character's case mapping.
    QString addr(view.size(), Qt::Uninitialized);
    QChar* out = addr.data();
    for (qsizetype i = 0; i < view.size(); ++i) {
        const char16_t u = view.at(i).unicode();
        if (u >= 0x80)
            return view.toString().toLower();
        out[i] = QChar(u >= u'A' && u <= u'Z' ? char16_t(u + 32) : u);
    }
    return addr;
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
    const Match m = findAddress(v, 0);
    return m.begin < 0 ? QString() : matchedAddress(v, m);
}

QStringList Address::findAll(const QString& text)
{
    QStringList out;
    for (Match m = findAddress(text, 0); m.begin >= 0; m = findAddress(text, m.end)) {
        const QString addr = matchedAddress(text, m);
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

QString Address::organisation(const QString& host)
{
    // An IP literal has no organisation in its labels; the list's default rule would make
    // "1.1" of both 10.0.1.1 and 192.168.1.1.
    const bool ipLiteral = host.startsWith(u'[') || host.contains(u':')
        || std::all_of(host.cbegin(), host.cend(), [](QChar c) { return c == u'.' || c.isDigit(); });
    if (host.isEmpty() || ipLiteral)
        return host;
    // The Public Suffix List (Debian's publicsuffix, else the copy built into libpsl): "web.de"
    // and "wp.pl" are organisations of their own, "co.uk" and "ne.jp" are not; loaded once,
    // then read-only, so any thread may ask. A host that is a suffix itself ("co.uk",
    // "localhost", an EC2 host under a per-customer suffix) is its own organisation.
    static const psl_ctx_t* const list = [] {
        const psl_ctx_t* latest = psl_latest(nullptr);
        return latest ? latest : psl_builtin();
    }();
    // Whole labels only: a fully qualified "mx.example.com." or a mangled "mx..example.com".
    const QByteArray name = host.split(u'.', Qt::SkipEmptyParts).join(u'.').toLower().toUtf8();
    const char* registrable = list ? psl_registrable_domain(list, name.constData()) : nullptr;
    return registrable ? QString::fromUtf8(registrable) : QString::fromUtf8(name);
}

QString Address::verpRecipient(const QString& address)
{
    // VERP has no RFC, but one universal shape: the box, '+' or '-', the recipient's local
    // part, '=', its domain, then '@' the sender's domain.
    const QString normalized = normalize(address);
    const QString local = normalized.section(u'@', 0, 0);
    const qsizetype separator = std::max(local.indexOf(u'+'), local.indexOf(u'-'));
    const qsizetype eq = local.lastIndexOf(u'=');
    if (separator < 0 || eq <= separator + 1 || eq + 1 >= local.size())
        return {};
    return normalize(local.mid(separator + 1, eq - separator - 1) + u'@' + local.mid(eq + 1));
}

bool Address::isPlausible(const QString& address)
{
    return !normalize(address).isEmpty();
}

bool Address::isWithinDomain(QStringView host, QStringView domain)
{
    return !domain.isEmpty() && host.endsWith(domain)
        && (host.size() == domain.size() || host.at(host.size() - domain.size() - 1) == u'.');
}

} // namespace bi::core::bounce
