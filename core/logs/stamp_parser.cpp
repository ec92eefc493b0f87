// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/logs/stamp_parser.h"

#include "core/logs/log_text.h"

namespace bi::core::logs {

using text::isDigit;

namespace {

bool digitsAt(QByteArrayView v, qsizetype pos, int count, int& out)
{
    if (pos < 0 || pos + count > v.size())
        return false;
    int n = 0;
    for (int i = 0; i < count; ++i) {
        const char c = v[pos + i];
        if (!isDigit(c))
            return false;
        n = n * 10 + (c - '0');
    }
    out = n;
    return true;
}

// hh:mm:ss[.frac] at pos; returns the position after it or -1.
qsizetype timeAt(QByteArrayView v, qsizetype pos, WallTime& out)
{
    int h = 0, m = 0, s = 0;
    if (!digitsAt(v, pos, 2, h) || pos + 2 >= v.size() || v[pos + 2] != ':'
        || !digitsAt(v, pos + 3, 2, m) || pos + 5 >= v.size() || v[pos + 5] != ':'
        || !digitsAt(v, pos + 6, 2, s)) {
        return -1;
    }
    if (h > 23 || m > 59 || s > 60)
        return -1;
    qsizetype i = pos + 8;
    int msec = 0;
    if (i < v.size() && (v[i] == '.' || v[i] == ',') && i + 1 < v.size() && isDigit(v[i + 1])) {
        ++i;
        int scale = 100;
        int n = 0;
        while (i < v.size() && isDigit(v[i]) && n < 9) {
            msec += (v[i] - '0') * scale;
            scale /= 10;
            ++i;
            ++n;
        }
    }
    // A leap second (:60) is folded into the next second.
    out.secsOfDay = h * 3600 + m * 60 + s;
    out.msec = msec;
    return i;
}

} // namespace

bool StampParser::classic(QByteArrayView v, qsizetype& pos, WallTime& out)
{
    qsizetype i = pos;
    if (i + 3 > v.size())
        return false;
    const int month = text::monthFromAbbrev(v.sliced(i, 3));
    if (month == 0)
        return false;
    i += 3;
    if (i >= v.size() || v[i] != ' ')
        return false;
    while (i < v.size() && v[i] == ' ')
        ++i;
    int day = 0;
    if (digitsAt(v, i, 2, day))
        i += 2;
    else if (digitsAt(v, i, 1, day))
        i += 1;
    else
        return false;
    if (i >= v.size() || v[i] != ' ' || day < 1 || day > 31)
        return false;
    ++i;
    WallTime w;
    const qsizetype end = timeAt(v, i, w);
    if (end < 0 || (end < v.size() && v[end] != ' '))
        return false;
    w.year = 0;
    w.month = month;
    w.day = day;
    out = w;
    pos = end;
    return true;
}

bool StampParser::iso(QByteArrayView v, qsizetype& pos, WallTime& out)
{
    const qsizetype i = pos;
    int y = 0, mo = 0, d = 0;
    if (!digitsAt(v, i, 4, y) || i + 4 >= v.size() || v[i + 4] != '-' || !digitsAt(v, i + 5, 2, mo)
        || i + 7 >= v.size() || v[i + 7] != '-' || !digitsAt(v, i + 8, 2, d)
        || i + 10 >= v.size() || (v[i + 10] != 'T' && v[i + 10] != ' ')) {
        return false;
    }
    WallTime w;
    qsizetype end = timeAt(v, i + 11, w);
    if (end < 0 || !LogClock::isValidDate(y, mo, d))
        return false;
    w.year = y;
    w.month = mo;
    w.day = d;
    if (end < v.size() && (v[end] == 'Z' || v[end] == 'z')) {
        w.hasOffset = true;
        w.offsetSeconds = 0;
        ++end;
    } else if (end < v.size() && (v[end] == '+' || v[end] == '-')) {
        int oh = 0, om = 0;
        qsizetype j = end + 1;
        if (!digitsAt(v, j, 2, oh))
            return false;
        j += 2;
        if (j < v.size() && v[j] == ':')
            ++j;
        if (!digitsAt(v, j, 2, om) || oh > 18 || om > 59)
            return false;
        j += 2;
        w.hasOffset = true;
        w.offsetSeconds = (oh * 3600 + om * 60) * (v[end] == '-' ? -1 : 1);
        end = j;
    }
    if (end < v.size() && v[end] != ' ' && v[end] != ',' && v[end] != '\t')
        return false;
    out = w;
    pos = end;
    return true;
}

bool StampParser::spacedOffset(QByteArrayView v, qsizetype& pos, WallTime& out)
{
    const qsizetype i = pos;
    if (i + 6 > v.size() || v[i] != ' ' || (v[i + 1] != '+' && v[i + 1] != '-'))
        return false;
    int oh = 0, om = 0;
    if (!digitsAt(v, i + 2, 2, oh) || !digitsAt(v, i + 4, 2, om) || oh > 18 || om > 59)
        return false;
    if (i + 6 < v.size() && v[i + 6] != ' ')
        return false;
    out.hasOffset = true;
    out.offsetSeconds = (oh * 3600 + om * 60) * (v[i + 1] == '-' ? -1 : 1);
    pos = i + 6;
    return true;
}

bool StampParser::tai64n(QByteArrayView v, qsizetype& pos, qint64& msecs)
{
    const qsizetype i = pos;
    if (i + 25 > v.size() || v[i] != '@')
        return false;
    quint64 secs = 0;
    quint64 nanos = 0;
    for (int k = 0; k < 24; ++k) {
        const char c = v[i + 1 + k];
        if (!text::isHex(c))
            return false;
        const quint64 digit = quint64(isDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
        if (k < 16)
            secs = secs * 16 + digit;
        else
            nanos = nanos * 16 + digit;
    }
    constexpr quint64 kTaiBase = quint64(1) << 62;
    if (secs < kTaiBase + 10 || secs - kTaiBase > quint64(1) << 40 || nanos > 999999999)
        return false;
    if (i + 25 < v.size() && v[i + 25] != ' ')
        return false;
    msecs = qint64(secs - kTaiBase - 10) * 1000 + qint64(nanos / 1000000);
    pos = i + 25;
    return true;
}

bool StampParser::epoch(QByteArrayView v, qsizetype& pos, qint64& msecs)
{
    qsizetype i = pos;
    qint64 secs = 0;
    int n = 0;
    while (i < v.size() && isDigit(v[i]) && n < 12) {
        secs = secs * 10 + (v[i] - '0');
        ++i;
        ++n;
    }
    // 9-11 digits: 1973 to 5138; shorter numbers are not time stamps.
    if (n < 9 || n > 11)
        return false;
    int ms = 0;
    if (i < v.size() && v[i] == '.') {
        ++i;
        int scale = 100;
        while (i < v.size() && isDigit(v[i])) {
            ms += (v[i] - '0') * scale;
            scale /= 10;
            ++i;
        }
    }
    if (i < v.size() && v[i] != ' ')
        return false;
    msecs = secs * 1000 + ms;
    pos = i;
    return true;
}

} // namespace bi::core::logs
