// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/logs/log_text.h"

#include <algorithm>
#include <cstring>

namespace bi::core::logs::text {

QString str(QByteArrayView bytes)
{
    return QString::fromUtf8(bytes.data(), bytes.size());
}

QByteArrayView stripAngles(QByteArrayView v)
{
    v = v.trimmed();
    if (v.size() >= 2 && v.front() == '<' && v.back() == '>')
        return v.sliced(1, v.size() - 2).trimmed();
    return v;
}

bool parseUInt(QByteArrayView v, qint64& out)
{
    if (v.isEmpty() || v.size() > 18)
        return false;
    qint64 n = 0;
    for (char c : v) {
        if (!isDigit(c))
            return false;
        n = n * 10 + (c - '0');
    }
    out = n;
    return true;
}

bool parseSeconds(QByteArrayView v, double& out)
{
    if (v.isEmpty() || v.size() > 24)
        return false;
    qsizetype digits = 0;
    bool dot = false;
    for (char c : v) {
        if (isDigit(c))
            ++digits;
        else if (c == '.' && !dot)
            dot = true;
        else
            return false;
    }
    if (digits == 0)
        return false;
    // Up to 15 digits with the point inside (Postfix's "delay=0.57", "delays=0.1/0/0.23/0.24"
    // on every delivery line): the integer of all digits is exact in a double, and so is the
    // power of ten, so their quotient is the correctly rounded value, the one toDouble() gives
    // (which costs ten times as much).
    if (digits <= 15 && v.front() != '.' && v.back() != '.') {
        static constexpr double kPowersOfTen[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
                                                  1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
        qint64 n = 0;
        int fraction = 0;
        bool afterPoint = false;
        for (char c : v) {
            if (c == '.') {
                afterPoint = true;
                continue;
            }
            n = n * 10 + (c - '0');
            fraction += afterPoint ? 1 : 0;
        }
        out = double(n) / kPowersOfTen[fraction];
        return true;
    }
    bool ok = false;
    const double d = v.toDouble(&ok);
    if (!ok)
        return false;
    out = d;
    return true;
}

int monthFromAbbrev(QByteArrayView v)
{
    if (v.size() != 3)
        return 0;
    static constexpr const char* kMonths[12] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                "jul", "aug", "sep", "oct", "nov", "dec"};
    const char a = char(v[0] | 0x20), b = char(v[1] | 0x20), c = char(v[2] | 0x20);
    for (int i = 0; i < 12; ++i) {
        if (kMonths[i][0] == a && kMonths[i][1] == b && kMonths[i][2] == c)
            return i + 1;
    }
    return 0;
}

double parseClockDuration(QByteArrayView v)
{
    v = v.trimmed();
    qint64 days = 0;
    if (const qsizetype plus = v.indexOf('+'); plus > 0) {
        if (!parseUInt(v.first(plus), days))
            return -1;
        v = v.sliced(plus + 1);
    }
    // hh:mm:ss, hours may have more than two digits in old versions.
    const qsizetype c1 = v.indexOf(':');
    const qsizetype c2 = c1 < 0 ? -1 : v.indexOf(':', c1 + 1);
    if (c1 <= 0 || c2 <= c1)
        return -1;
    qint64 h = 0, m = 0, s = 0;
    if (!parseUInt(v.first(c1), h) || !parseUInt(v.sliced(c1 + 1, c2 - c1 - 1), m)
        || !parseUInt(v.sliced(c2 + 1), s)) {
        return -1;
    }
    return double(days * 86400 + h * 3600 + m * 60 + s);
}

double parseUnitDuration(QByteArrayView v)
{
    v = v.trimmed();
    if (v.isEmpty())
        return -1;
    double total = 0;
    qsizetype i = 0;
    while (i < v.size()) {
        qsizetype start = i;
        while (i < v.size() && (isDigit(v[i]) || v[i] == '.'))
            ++i;
        double n = 0;
        if (!parseSeconds(v.sliced(start, i - start), n))
            return -1;
        if (i == v.size())
            return total + n; // a bare number: seconds
        switch (v[i]) {
        case 'd': total += n * 86400; break;
        case 'h': total += n * 3600; break;
        case 'm': total += n * 60; break;
        case 's': total += n; break;
        default: return -1;
        }
        ++i;
    }
    return total;
}

qsizetype enhancedStatusLengthAt(QByteArrayView v, qsizetype pos)
{
    if (pos < 0 || pos + 5 > v.size())
        return 0;
    const char cls = v[pos];
    if ((cls != '2' && cls != '4' && cls != '5') || v[pos + 1] != '.')
        return 0;
    qsizetype i = pos + 2;
    qsizetype n = 0;
    while (i < v.size() && isDigit(v[i]) && n < 3) {
        ++i;
        ++n;
    }
    if (n == 0 || i >= v.size() || v[i] != '.')
        return 0;
    ++i;
    n = 0;
    while (i < v.size() && isDigit(v[i]) && n < 3) {
        ++i;
        ++n;
    }
    if (n == 0)
        return 0;
    if (i < v.size() && (isAlnum(v[i]) || v[i] == '.'))
        return 0;
    return i - pos;
}

QByteArrayView findEnhancedStatus(QByteArrayView v)
{
    for (qsizetype i = 0; i + 5 <= v.size(); ++i) {
        if (i > 0 && (isAlnum(v[i - 1]) || v[i - 1] == '.'))
            continue;
        if (const qsizetype n = enhancedStatusLengthAt(v, i))
            return v.sliced(i, n);
    }
    return {};
}

namespace {

int replyCodeAt(QByteArrayView v, qsizetype pos)
{
    if (pos < 0 || pos + 3 > v.size())
        return 0;
    const char c0 = v[pos];
    if ((c0 != '2' && c0 != '3' && c0 != '4' && c0 != '5') || !isDigit(v[pos + 1])
        || !isDigit(v[pos + 2])) {
        return 0;
    }
    if (pos + 3 < v.size() && v[pos + 3] != ' ' && v[pos + 3] != '-')
        return 0;
    return (c0 - '0') * 100 + (v[pos + 1] - '0') * 10 + (v[pos + 2] - '0');
}

} // namespace

QByteArrayView nextQueueId(QByteArrayView reply)
{
    if (const qsizetype q = reply.lastIndexOf("queued as "); q >= 0) {
        qsizetype i = q + 10;
        while (i < reply.size() && isAlnum(reply[i]))
            ++i;
        return reply.sliced(q + 10, i - q - 10);
    }
    if (const qsizetype a = reply.lastIndexOf(" Message accepted for delivery"); a > 0) {
        qsizetype i = a;
        while (i > 0 && isAlnum(reply[i - 1]))
            --i;
        return reply.sliced(i, a - i);
    }
    return {};
}

Reply parseReply(QByteArrayView v)
{
    Reply r;
    qsizetype i = 0;
    while (i < v.size() && v[i] == ' ')
        ++i;
    if (const int code = replyCodeAt(v, i)) {
        r.code = code;
        i += 3;
        if (i < v.size())
            ++i; // ' ' or '-'
    }
    if (const qsizetype n = enhancedStatusLengthAt(v, i)) {
        r.dsn = v.sliced(i, n);
        i += n;
        if (i < v.size() && v[i] == ':') // OpenSMTPD "421 4.3.0: Temporary Error"
            ++i;
        while (i < v.size() && v[i] == ' ')
            ++i;
    }
    r.text = v.sliced(qMin(i, v.size()));
    return r;
}

qsizetype findReply(QByteArrayView v)
{
    for (qsizetype i = 0; i + 3 <= v.size(); ++i) {
        if (!replyCodeAt(v, i))
            continue;
        if (i > 0 && (isAlnum(v[i - 1]) || v[i - 1] == '.' || v[i - 1] == '-'))
            continue;
        const bool atStart = i == 0;
        const bool afterMarker = i > 0
            && (v[i - 1] == '(' || v[i - 1] == '"' || v[i - 1] == '\''
                || (i >= 2 && v[i - 1] == ' ' && v[i - 2] == ':'));
        const bool statusFollows = i + 4 < v.size() && enhancedStatusLengthAt(v, i + 4) > 0;
        if (atStart || afterMarker || statusFollows)
            return i;
    }
    return -1;
}

qsizetype find(QByteArrayView hay, QByteArrayView needle, qsizetype from)
{
    from = std::max<qsizetype>(from, 0);
    const qsizetype n = needle.size();
    if (from > hay.size() || hay.size() - from < n)
        return -1;
    if (n == 0)
        return from;
    const char* const begin = hay.data();
    const char* p = begin + from;
    const char* const last = begin + (hay.size() - n); // the last place needle can start
    while (p <= last) {
        p = static_cast<const char*>(std::memchr(p, needle[0], size_t(last - p + 1)));
        if (!p)
            return -1;
        if (std::memcmp(p + 1, needle.data() + 1, size_t(n - 1)) == 0)
            return p - begin;
        ++p;
    }
    return -1;
}

QByteArrayView fieldValue(QByteArrayView list, QByteArrayView key, QByteArrayView sep, bool* found)
{
    if (found)
        *found = false;
    if (key.isEmpty())
        return {};
    qsizetype from = 0;
    while (from < list.size()) {
        const qsizetype k = find(list, key, from);
        if (k < 0)
            return {};
        const qsizetype eq = k + key.size();
        const bool boundary = k == 0 || list[k - 1] == ' ' || list[k - 1] == ',';
        if (!boundary || eq >= list.size() || list[eq] != '=') {
            from = k + 1;
            continue;
        }
        const qsizetype start = eq + 1;
        qsizetype end = -1;
        if (start < list.size() && list[start] == '<') {
            const qsizetype close = list.indexOf('>', start);
            if (close >= 0)
                end = close + 1;
        }
        if (end < 0) {
            end = find(list, sep, start);
            if (end < 0)
                end = list.size();
        }
        if (found)
            *found = true;
        return list.sliced(start, end - start);
    }
    return {};
}

} // namespace bi::core::logs::text
