// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/mail/mail_date.h"

#include <array>
#include <cstdio>

#include <QByteArrayList>
#include <QString>

using namespace Qt::StringLiterals;

namespace bi::core::mail {

namespace {

// Longer values are not dates; the bound keeps hostile headers cheap.
constexpr qsizetype kMaxDateBytes = 512;

constexpr std::array<const char*, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<const char*, 12> kMonthNames = {"january", "february", "march", "april",
                                                     "may", "june", "july", "august",
                                                     "september", "october", "november", "december"};
constexpr std::array<const char*, 12> kRfcMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<const char*, 7> kWeekdays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr std::array<const char*, 7> kWeekdayNames = {"monday", "tuesday", "wednesday", "thursday",
                                                      "friday", "saturday", "sunday"};

struct NamedZone {
    const char* name;
    int minutes;
};

// RFC 5322 §4.3 obs-zone names, plus a few unambiguous names that real MTAs write
// (JST in Japanese bounces, CET/CEST in European ones). Ambiguous names (IST, BST)
// are deliberately absent: they fall into "unknown offset".
constexpr NamedZone kZones[] = {
    {"ut", 0}, {"utc", 0}, {"gmt", 0}, {"z", 0}, {"wet", 0},
    {"est", -300}, {"edt", -240}, {"cst", -360}, {"cdt", -300},
    {"mst", -420}, {"mdt", -360}, {"pst", -480}, {"pdt", -420},
    {"cet", 60}, {"cest", 120}, {"met", 60}, {"mest", 120}, {"west", 60},
    {"eet", 120}, {"eest", 180}, {"msk", 180}, {"hkt", 480}, {"sgt", 480},
    {"jst", 540}, {"kst", 540}, {"aest", 600}, {"aedt", 660}, {"nzst", 720}, {"nzdt", 780},
};

struct Fields {
    int day = -1;
    int month = -1; // 1..12
    int year = -1;
    int yearDigits = 0;
    int hour = -1;
    int minute = -1;
    int second = 0;
    int offsetMinutes = 0;
    bool hasZone = false;
    bool zoneKnown = false;
    int ampm = 0; // 0 none, 1 am, 2 pm
};

bool allDigits(QByteArrayView s)
{
    if (s.isEmpty())
        return false;
    for (const char c : s) {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

bool allAlpha(QByteArrayView s)
{
    if (s.isEmpty())
        return false;
    for (const char c : s) {
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            return false;
    }
    return true;
}

QByteArray stripComments(QByteArrayView raw)
{
    QByteArray out;
    out.reserve(raw.size());
    int depth = 0;
    for (qsizetype i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c == '\\' && depth > 0) {
            ++i;
            continue;
        }
        if (c == '(') {
            ++depth;
            out.append(' ');
        } else if (c == ')' && depth > 0) {
            --depth;
        } else if (depth == 0) {
            out.append(c);
        }
    }
    return out;
}

int monthFromName(const QByteArray& t)
{
    if (!allAlpha(t) || t.size() < 3)
        return -1;
    for (int m = 0; m < 12; ++m) {
        if (t == kMonths[m] || t == kMonthNames[m])
            return m + 1;
    }
    if (t == "sept")
        return 9;
    return -1;
}

bool isWeekday(const QByteArray& t)
{
    for (int d = 0; d < 7; ++d) {
        if (t == kWeekdays[d] || t == kWeekdayNames[d])
            return true;
    }
    return t == "tues" || t == "thur" || t == "thurs";
}

// "+0900", "-05:00", "+9", "+09" -> minutes east of UTC.
bool parseNumericZone(QByteArrayView t, Fields* f)
{
    if (t.size() < 2 || (t[0] != '+' && t[0] != '-'))
        return false;
    QByteArray digits;
    for (qsizetype i = 1; i < t.size(); ++i) {
        if (t[i] == ':')
            continue;
        if (t[i] < '0' || t[i] > '9')
            return false;
        digits.append(t[i]);
    }
    int hours = 0;
    int minutes = 0;
    if (digits.size() == 4) {
        hours = digits.left(2).toInt();
        minutes = digits.mid(2).toInt();
    } else if (digits.size() == 1 || digits.size() == 2) {
        hours = digits.toInt();
    } else if (digits.size() == 3) {
        hours = digits.left(1).toInt();
        minutes = digits.mid(1).toInt();
    } else {
        return false;
    }
    f->hasZone = true;
    // RFC 5322 §3.3: "-0000" says the local offset is unknown. Offsets no place uses
    // (beyond ±14 h, minutes >= 60) are treated the same way rather than trusted.
    if ((t[0] == '-' && hours == 0 && minutes == 0) || hours > 14 || minutes >= 60) {
        f->zoneKnown = false;
        f->offsetMinutes = 0;
        return true;
    }
    f->zoneKnown = true;
    f->offsetMinutes = (t[0] == '-' ? -1 : 1) * (hours * 60 + minutes);
    return true;
}

bool parseNamedZone(const QByteArray& t, Fields* f)
{
    for (const NamedZone& z : kZones) {
        if (t == z.name) {
            f->hasZone = true;
            f->zoneKnown = true;
            f->offsetMinutes = z.minutes;
            return true;
        }
    }
    // RFC 5322 §4.3: military zones were defined with the wrong sign in RFC 822, so
    // (except "Z") they carry no usable offset and count as -0000.
    if (t.size() == 1 && t[0] >= 'a' && t[0] <= 'z' && t[0] != 'j') {
        f->hasZone = true;
        f->zoneKnown = false;
        f->offsetMinutes = 0;
        return true;
    }
    return false;
}

bool parseTime(QByteArrayView t, Fields* f)
{
    const QByteArrayList parts = t.toByteArray().split(':');
    if (parts.size() < 2 || parts.size() > 3)
        return false;
    QByteArray secondPart = parts.size() == 3 ? parts[2] : QByteArray("0");
    if (const qsizetype dot = secondPart.indexOf('.'); dot >= 0)
        secondPart.truncate(dot); // fractional seconds (ISO 8601) are dropped
    if (!allDigits(parts[0]) || !allDigits(parts[1]) || !allDigits(secondPart) || parts[0].size() > 2
        || parts[1].size() > 2 || secondPart.size() > 2)
        return false;
    f->hour = parts[0].toInt();
    f->minute = parts[1].toInt();
    f->second = secondPart.toInt();
    return true;
}

// Split glued tokens: "29-Apr-2009", "10:00:00+0900", "10:00:00Z", "GMT+0900", "2009-04-29T10:00:00Z".
QByteArrayList tokenize(const QByteArray& text)
{
    QByteArrayList out;
    QByteArray cleaned = text;
    cleaned.replace(',', ' ');
    const QByteArrayList words = cleaned.simplified().split(' ');
    for (QByteArray w : words) {
        if (w.isEmpty())
            continue;
        w = w.toLower();
        // ISO 8601 "2009-04-29t10:00:00z" -> "2009-04-29" "10:00:00z"
        if (w.size() > 10 && allDigits(w.left(4)) && w[4] == '-' && w[10] == 't') {
            out.append("iso:" + w.left(10));
            w = w.mid(11);
        }
        // "29-apr-2009", "2009-04-29"
        if (!w.contains(':') && w.count('-') == 2 && !w.startsWith('-')) {
            const QByteArrayList dmy = w.split('-');
            const bool iso = dmy[0].size() == 4 && allDigits(dmy[0]) && allDigits(dmy[1]) && allDigits(dmy[2]);
            // Numeric "dd-mm-yyyy" is ambiguous (US order), so only a named month is split.
            if (iso || (allDigits(dmy[0]) && allAlpha(dmy[1]) && allDigits(dmy[2]))) {
                if (iso) {
                    out.append("iso:" + w); // year-month-day, resolved by the caller
                } else {
                    out.append(dmy[0]);
                    out.append(dmy[1]);
                    out.append(dmy[2]);
                }
                continue;
            }
        }
        if (w.contains(':')) {
            qsizetype sign = -1;
            for (qsizetype i = 1; i < w.size(); ++i) {
                if (w[i] == '+' || w[i] == '-' || (w[i] >= 'a' && w[i] <= 'z')) {
                    sign = i;
                    break;
                }
            }
            if (sign > 0) {
                out.append(w.left(sign));
                out.append(w.mid(sign));
                continue;
            }
        }
        // "gmt+0900", "utc-05:00"
        for (const char* prefix : {"gmt", "utc", "ut"}) {
            const QByteArray p(prefix);
            if (w.size() > p.size() + 1 && w.startsWith(p) && (w[p.size()] == '+' || w[p.size()] == '-')) {
                w = w.mid(p.size());
                break;
            }
        }
        out.append(w);
    }
    return out;
}

bool finish(Fields& f);
std::optional<Fields> extractCommon(QByteArrayView s);

std::optional<Fields> extract(QByteArrayView raw)
{
    if (auto common = extractCommon(raw))
        return common;
    const QByteArray text = stripComments(raw.first(qMin(raw.size(), kMaxDateBytes)));
    Fields f;
    for (const QByteArray& t : tokenize(text)) {
        if (t.startsWith("iso:")) {
            const QByteArrayList ymd = t.mid(4).split('-');
            if (f.year < 0 && f.month < 0 && f.day < 0) {
                f.year = ymd[0].toInt();
                f.yearDigits = 4;
                f.month = ymd[1].toInt();
                f.day = ymd[2].toInt();
            }
            continue;
        }
        if (t.contains(':') && f.hour < 0 && (t[0] >= '0' && t[0] <= '9')) {
            if (!parseTime(t, &f))
                return std::nullopt;
            continue;
        }
        if (t == "am" || t == "a.m.") {
            f.ampm = 1;
            continue;
        }
        if (t == "pm" || t == "p.m.") {
            f.ampm = 2;
            continue;
        }
        if (t[0] == '+' || (t[0] == '-' && t.size() > 1)) {
            if (!f.hasZone && parseNumericZone(t, &f))
                continue;
            continue; // a second zone or junk after the date: ignore
        }
        if (allDigits(t)) {
            const int v = t.size() <= 4 ? t.toInt() : -1;
            if (t.size() >= 3 && f.year < 0) {
                f.year = v;
                f.yearDigits = int(t.size());
            } else if (t.size() <= 2 && f.day < 0 && v <= 31 && f.hour < 0) {
                f.day = v;
            } else if (t.size() <= 2 && f.year < 0) {
                f.year = v;
                f.yearDigits = int(t.size());
            } else if (t.size() <= 2 && f.day < 0 && v <= 31) {
                f.day = v;
            }
            continue;
        }
        if (isWeekday(t))
            continue;
        if (const int m = monthFromName(t); m > 0 && f.month < 0) {
            f.month = m;
            continue;
        }
        if (!f.hasZone && allAlpha(t) && parseNamedZone(t, &f))
            continue;
        if (!f.hasZone && f.hour >= 0 && allAlpha(t) && t.size() <= 5) {
            // RFC 5322 §4.3: an unknown zone name means "-0000".
            f.hasZone = true;
            f.zoneKnown = false;
        }
        // Anything else ("at", trailing junk) is ignored.
    }
    if (!finish(f))
        return std::nullopt;
    return f;
}

bool finish(Fields& f)
{
    if (f.day < 1 || f.month < 1 || f.month > 12 || f.year < 0 || f.hour < 0 || f.minute < 0)
        return false;
    // RFC 5322 §4.3: two-digit years 00-49 are 20xx, 50-99 are 19xx; three digits add 1900.
    if (f.yearDigits <= 2)
        f.year += f.year < 50 ? 2000 : 1900;
    else if (f.yearDigits == 3)
        f.year += 1900;
    if (f.year < 1000 || f.year > 9999)
        return false;
    if (f.ampm == 2 && f.hour < 12)
        f.hour += 12;
    else if (f.ampm == 1 && f.hour == 12)
        f.hour = 0;
    if (f.second == 60)
        f.second = 59; // leap second: QTime has no 23:59:60
    return f.hour <= 23 && f.minute <= 59 && f.second <= 59;
}

// The shape nearly every MTA writes, "[Www, ]D Mon YYYY HH:MM[:SS] +HHMM", followed by blanks
// or one comment ("(CET)"), read without allocating. Anything else returns nothing and goes to
// extract(), which reads it the same way.
std::optional<Fields> extractCommon(QByteArrayView s)
{
    const qsizetype n = s.size();
    qsizetype i = 0;
    auto blank = [&s](qsizetype at) { return s[at] == ' ' || s[at] == '\t' || s[at] == '\r' || s[at] == '\n'; };
    auto skipBlanks = [&] {
        while (i < n && blank(i))
            ++i;
    };
    auto digit = [&s, n](qsizetype at) { return at < n && s[at] >= '0' && s[at] <= '9'; };
    auto two = [&s](qsizetype at) { return (s[at] - '0') * 10 + (s[at + 1] - '0'); };
    auto threeLetters = [&s, n](qsizetype at, const auto& names) -> int {
        if (at + 3 > n)
            return -1;
        for (std::size_t k = 0; k < names.size(); ++k) {
            if (qstrnicmp(s.data() + at, 3, names[k], 3) == 0)
                return int(k);
        }
        return -1;
    };
    if (n > kMaxDateBytes)
        return std::nullopt;
    Fields f;
    skipBlanks();
    if (threeLetters(i, kWeekdays) >= 0) {
        if (i + 3 >= n || s[i + 3] != ',')
            return std::nullopt;
        i += 4;
        skipBlanks();
    }
    if (!digit(i))
        return std::nullopt;
    f.day = s[i++] - '0';
    if (digit(i))
        f.day = f.day * 10 + (s[i++] - '0');
    if (i >= n || s[i] != ' ')
        return std::nullopt;
    skipBlanks();
    const int month = threeLetters(i, kMonths);
    if (month < 0 || i + 3 >= n || s[i + 3] != ' ')
        return std::nullopt;
    f.month = month + 1;
    i += 3;
    skipBlanks();
    if (!(digit(i) && digit(i + 1) && digit(i + 2) && digit(i + 3)) || i + 4 >= n || !blank(i + 4))
        return std::nullopt;
    f.year = two(i) * 100 + two(i + 2);
    f.yearDigits = 4;
    i += 4;
    skipBlanks();
    if (!(digit(i) && digit(i + 1) && i + 2 < n && s[i + 2] == ':' && digit(i + 3) && digit(i + 4)))
        return std::nullopt;
    f.hour = two(i);
    f.minute = two(i + 3);
    i += 5;
    if (i < n && s[i] == ':') {
        if (!(digit(i + 1) && digit(i + 2)))
            return std::nullopt;
        f.second = two(i + 1);
        i += 3;
    }
    if (i >= n || !blank(i))
        return std::nullopt;
    skipBlanks();
    if (i + 5 > n || (s[i] != '+' && s[i] != '-') || !(digit(i + 1) && digit(i + 2) && digit(i + 3) && digit(i + 4)))
        return std::nullopt;
    const int hours = two(i + 1), minutes = two(i + 3);
    f.hasZone = true;
    // As parseNumericZone: "-0000" and offsets no place uses mean "unknown".
    if ((s[i] == '-' && hours == 0 && minutes == 0) || hours > 14 || minutes >= 60) {
        f.zoneKnown = false;
    } else {
        f.zoneKnown = true;
        f.offsetMinutes = (s[i] == '-' ? -1 : 1) * (hours * 60 + minutes);
    }
    i += 5;
    skipBlanks();
    if (i < n && s[i] == '(') {
        for (++i; i < n && s[i] != ')'; ++i) {
            if (s[i] == '(' || s[i] == '\\')
                return std::nullopt; // nested or quoted: the general reader
        }
        if (i >= n)
            return std::nullopt;
        ++i;
        skipBlanks();
    }
    if (i != n || !finish(f))
        return std::nullopt;
    return f;
}

QByteArray format(const Fields& f)
{
    const int off = f.zoneKnown ? f.offsetMinutes : 0;
    const int absOff = off < 0 ? -off : off;
    char text[64];
    const int n = std::snprintf(text, sizeof text, "%02d %s %04d %02d:%02d:%02d %c%02d%02d", f.day,
                                kRfcMonths[f.month - 1], f.year, f.hour, f.minute, f.second,
                                off < 0 ? '-' : '+', absOff / 60, absOff % 60);
    return QByteArray(text, qBound(0, n, int(sizeof text) - 1));
}

} // namespace

QByteArray MailDate::normalize(QByteArrayView raw)
{
    const auto f = extract(raw);
    return f ? format(*f) : QByteArray();
}

std::optional<QDateTime> MailDate::parse(QByteArrayView raw)
{
    return parse(raw, nullptr);
}

std::optional<QDateTime> MailDate::parse(QByteArrayView raw, bool* offsetKnown)
{
    if (offsetKnown)
        *offsetKnown = false;
    const auto f = extract(raw);
    if (!f)
        return std::nullopt;
    // Built from the fields directly: the same value QDateTime::fromString(format(*f),
    // Qt::RFC2822Date) gives (checked for every field range extract() lets through, zero offset
    // as Qt::UTC included), without formatting and parsing text for each message.
    const QDate date(f->year, f->month, f->day);
    const QTime time(f->hour, f->minute, f->second);
    if (!date.isValid() || !time.isValid())
        return std::nullopt; // e.g. 31 Feb
    const QDateTime dt(date, time, Qt::OffsetFromUTC, (f->zoneKnown ? f->offsetMinutes : 0) * 60);
    if (offsetKnown)
        *offsetKnown = f->zoneKnown;
    return dt;
}

} // namespace bi::core::mail
