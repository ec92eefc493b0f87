// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/logs/syslog/syslog_line.h"

#include <algorithm>
#include <array>
#include <cstdlib>

#include <QDateTime>

#include "core/logs/log_text.h"
#include "core/logs/stamp_parser.h"

namespace bi::core::logs {

namespace {

void skipSpaces(QByteArrayView v, qsizetype& pos)
{
    while (pos < v.size() && v[pos] == ' ')
        ++pos;
}

QByteArrayView tokenAt(QByteArrayView v, qsizetype pos)
{
    qsizetype end = text::findChar(v, ' ', pos);
    if (end < 0)
        end = v.size();
    return v.sliced(pos, end - pos);
}

// Loghub: "<alert tag> <epoch> <yyyy.mm.dd> <node> " before the syslog stamp
// [sendmail/loghub-Thunderbird_2k-sendmail.log].
bool collectorPrefix(QByteArrayView v, qsizetype& pos, SyslogLine& out)
{
    qsizetype i = pos;
    const QByteArrayView tag = tokenAt(v, i);
    if (tag.isEmpty() || tag.size() > 32)
        return false;
    i += tag.size();
    skipSpaces(v, i);
    qint64 msecs = 0;
    qsizetype j = i;
    if (!StampParser::epoch(v, j, msecs))
        return false;
    i = j;
    skipSpaces(v, i);
    const QByteArrayView date = tokenAt(v, i);
    if (date.size() != 10 || date[4] != '.' || date[7] != '.')
        return false;
    qint64 year = 0;
    if (!text::parseUInt(date.first(4), year))
        return false;
    i += date.size();
    skipSpaces(v, i);
    const QByteArrayView node = tokenAt(v, i);
    if (node.isEmpty())
        return false;
    i += node.size();
    skipSpaces(v, i);
    out.collectorEpochMSecs = msecs;
    out.collectorYear = int(year);
    pos = i;
    return true;
}

void skipPriority(QByteArrayView v, qsizetype& pos)
{
    if (pos >= v.size() || v[pos] != '<')
        return;
    qsizetype i = pos + 1;
    while (i < v.size() && i - pos <= 4 && text::isDigit(v[i]))
        ++i;
    if (i > pos + 1 && i < v.size() && v[i] == '>')
        pos = i + 1;
}

// RFC 5424 §6.3: "-" or one or more [id param="value" ...] elements; a value escapes '"',
// '\\' and ']' with a backslash. Advances pos past it; false when it is broken.
bool skipStructuredData(QByteArrayView v, qsizetype& pos)
{
    if (pos < v.size() && v[pos] == '-') {
        ++pos;
        return true;
    }
    if (pos >= v.size() || v[pos] != '[')
        return false;
    while (pos < v.size() && v[pos] == '[') {
        bool quoted = false;
        qsizetype i = pos + 1;
        for (; i < v.size(); ++i) {
            const char c = v[i];
            if (quoted && c == '\\')
                ++i;
            else if (c == '"')
                quoted = !quoted;
            else if (!quoted && c == ']')
                break;
        }
        if (i >= v.size())
            return false;
        pos = i + 1;
    }
    return true;
}

// The rest of an RFC 5424 line after "<PRI>" (rsyslog's RSYSLOG_SyslogProtocol23Format,
// syslog-ng's syslog-protocol flag): VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID
// STRUCTURED-DATA [BOM]MSG, any header field "-" when unknown. A line without a time stamp is
// of no use to a timeline and is refused like any line without one.
bool rfc5424(QByteArrayView line, qsizetype pos, SyslogLine& out)
{
    qsizetype i = pos;
    while (i < line.size() && i - pos < 3 && text::isDigit(line[i]))
        ++i;
    if (i == pos || line[pos] == '0' || i >= line.size() || line[i] != ' ')
        return false;
    ++i;
    if (!StampParser::iso(line, i, out.wall) || i >= line.size() || line[i] != ' ')
        return false;
    std::array<QByteArrayView, 4> fields; // hostname, app-name, procid, msgid
    for (QByteArrayView& f : fields) {
        ++i;
        f = tokenAt(line, i);
        if (f.isEmpty())
            return false;
        i += f.size();
        if (i >= line.size())
            return false; // structured data must follow
        if (f == "-")
            f = {};
    }
    ++i;
    if (!skipStructuredData(line, i) || fields[1].isEmpty())
        return false;
    if (i < line.size() && line[i] == ' ')
        ++i;
    if (line.sliced(i).startsWith("\xEF\xBB\xBF"))
        i += 3;
    out.host = fields[0];
    out.program = fields[1];
    out.pid = fields[2];
    out.message = line.sliced(i);
    return true;
}

// journalctl -o short-unix: "1772507100.123456 host prog[pid]: msg", seconds since the epoch
// (UTC) where the syslog stamp would be. Turned into a UTC wall time, so every parser reads it
// as it reads an RFC 3339 stamp.
bool unixStamp(QByteArrayView line, qsizetype& pos, WallTime& out)
{
    qsizetype i = pos;
    qint64 msecs = 0;
    if (!StampParser::epoch(line, i, msecs) || i >= line.size() || i - pos < 11 || line[pos + 10] != '.')
        return false;
    const QDateTime utc = QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC);
    const QDate date = utc.date();
    out = WallTime();
    out.year = date.year();
    out.month = date.month();
    out.day = date.day();
    out.secsOfDay = utc.time().msecsSinceStartOfDay() / 1000;
    out.msec = int(msecs % 1000);
    out.hasOffset = true;
    out.offsetSeconds = 0;
    pos = i;
    return true;
}

// journalctl -o short-full: "Tue 2026-03-03 04:05:01 CET host prog[pid]: msg". The zone is
// printed as an abbreviation, which names no offset reliably (CST is three zones): UTC and GMT
// are taken as such, a numeric "+0100" too, anything else is left to the source's time zone.
bool weekdayStamp(QByteArrayView line, qsizetype& pos, WallTime& out)
{
    static constexpr std::array<const char*, 7> kDays{"Mon ", "Tue ", "Wed ", "Thu ", "Fri ", "Sat ", "Sun "};
    const QByteArrayView rest = line.sliced(pos);
    if (std::none_of(kDays.begin(), kDays.end(), [&rest](const char* d) { return rest.startsWith(QByteArrayView(d)); }))
        return false;
    qsizetype i = pos + 4;
    WallTime w;
    if (!StampParser::iso(line, i, w) || w.hasOffset || i >= line.size() || line[i] != ' ')
        return false;
    ++i;
    const QByteArrayView zone = tokenAt(line, i);
    qsizetype j = i - 1;
    if (zone == "UTC" || zone == "GMT") {
        w.hasOffset = true;
        w.offsetSeconds = 0;
    } else if (!StampParser::spacedOffset(line, j, w)) {
        const bool abbreviation = zone.size() >= 2 && zone.size() <= 6
            && std::all_of(zone.begin(), zone.end(), [](char c) { return (c >= 'A' && c <= 'Z') || c == '+' || c == '-' || text::isDigit(c); });
        if (!abbreviation)
            return false;
    }
    out = w;
    pos = i + zone.size();
    return true;
}

bool startsWithNoise(QByteArrayView rest)
{
    return text::startsWith(rest, "last message repeated ") || text::startsWith(rest, "-- MARK --")
        || text::startsWith(rest, "message repeated ");
}

} // namespace

bool SyslogLine::parse(QByteArrayView line, SyslogLine& out)
{
    out = SyslogLine();
    // journalctl's own lines between the entries: "-- Journal begins at ... --", "-- Boot
    // 7b3c... --", "-- Reboot --", "-- No entries --".
    if (text::startsWith(line, "-- ") && line.endsWith(" --")) {
        out.message = line;
        out.isNoise = true;
        return true;
    }
    qsizetype pos = 0;
    skipSpaces(line, pos);
    const qsizetype beforePriority = pos;
    skipPriority(line, pos); // "<13>Jan  1 ..." as sent on the wire (RFC 3164 §4.1.1)
    if (pos > beforePriority && pos < line.size() && text::isDigit(line[pos]) && rfc5424(line, pos, out))
        return true;
    out = SyslogLine();
    // Classic and RFC 3339 stamps first (every line of a syslog file); journalctl's
    // short-unix and short-full shapes and collector prefixes only where those fail.
    if (!StampParser::classic(line, pos, out.wall) && !StampParser::iso(line, pos, out.wall)
        && !unixStamp(line, pos, out.wall) && !weekdayStamp(line, pos, out.wall)) {
        if (!collectorPrefix(line, pos, out))
            return false;
        if (!StampParser::classic(line, pos, out.wall) && !StampParser::iso(line, pos, out.wall))
            return false;
    }
    skipSpaces(line, pos);
    if (pos >= line.size())
        return false;

    // syslog-ng/rsyslog templates that print "<facility.priority>" before the host
    // [sendmail/fail2ban-sendmail-reject.log: "Jun 17 14:37:39 <mail.notice> robin sm-mta..."]
    if (pos < line.size() && line[pos] == '<') {
        const qsizetype close = text::findChar(line, '>', pos);
        if (close > pos && close - pos <= 24 && close + 1 < line.size() && line[close + 1] == ' ') {
            pos = close + 1;
            skipSpaces(line, pos);
        }
    }
    const QByteArrayView first = tokenAt(line, pos);
    if (startsWithNoise(line.sliced(pos))) {
        out.message = line.sliced(pos);
        out.isNoise = true;
        return true;
    }
    // A hostname never ends with ':'; such a token is the program of a host-less line.
    if (!first.endsWith(':')) {
        QByteArrayView host = first;
        if (const qsizetype at = host.lastIndexOf('@'); at >= 0)
            host = host.sliced(at + 1); // collector's "src@host"
        out.host = host;
        pos += first.size();
        skipSpaces(line, pos);
        if (startsWithNoise(line.sliced(pos))) {
            out.message = line.sliced(pos);
            out.isNoise = true;
            return true;
        }
    }
    const qsizetype progStart = pos;
    while (pos < line.size() && line[pos] != ':' && line[pos] != '[' && line[pos] != ' ')
        ++pos;
    if (pos == progStart || pos >= line.size())
        return false;
    out.program = line.sliced(progStart, pos - progStart);
    if (line[pos] == '[') {
        const qsizetype close = text::findChar(line, ']', pos);
        if (close < 0)
            return false;
        out.pid = line.sliced(pos + 1, close - pos - 1);
        pos = close + 1;
    }
    if (pos >= line.size() || line[pos] != ':')
        return false;
    ++pos;
    if (pos < line.size() && line[pos] == ' ')
        ++pos;
    out.message = line.sliced(pos);
    if (text::startsWith(out.message, "message repeated ") && out.message.contains(" times: ["))
        out.isNoise = true;
    return true;
}

QByteArrayView SyslogLine::daemon() const
{
    const qsizetype slash = program.lastIndexOf('/');
    return slash < 0 ? program : program.sliced(slash + 1);
}

bool SyslogLine::resolveTime(LogClock& clock, LogClock::Stamp& out) const
{
    if (collectorEpochMSecs >= 0 && wall.year == 0 && collectorYear > 0) {
        // The collector's epoch is UTC; the host's wall clock shows its zone (FORMATS.md §3:
        // 12:01:31 local vs 20:01:31 UTC is UTC-8). Offsets are whole quarter hours.
        const qint64 epochSecs = collectorEpochMSecs / 1000;
        if (LogClock::isValidDate(collectorYear, wall.month, wall.day)) {
            const qint64 local = LogClock::daysFromCivil(collectorYear, wall.month, wall.day) * 86400
                + wall.secsOfDay;
            const qint64 diff = local - epochSecs;
            const qint64 rounded = ((diff >= 0 ? diff + 450 : diff - 450) / 900) * 900;
            if (std::llabs(rounded) <= 14 * 3600) {
                out.utc = QDateTime::fromMSecsSinceEpoch(collectorEpochMSecs, Qt::UTC);
                out.offsetSeconds = int(rounded);
                return true;
            }
        }
        out = clock.fromUtcMSecs(collectorEpochMSecs);
        return true;
    }
    return clock.resolve(wall, out);
}

} // namespace bi::core::logs
