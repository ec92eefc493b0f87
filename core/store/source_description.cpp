// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/source_description.h"

#include <QLocale>

#include "core/logs/log_event.h"
#include "core/store/log_repository.h"

using namespace Qt::StringLiterals;

namespace bi::core::store {

namespace {

// "1 line", "1,337,373 lines": with group separators, and the noun in the number it needs.
QString count(qint64 n, const QString& one, const QString& many)
{
    QLocale c = QLocale::c();
    c.setNumberOptions({});
    return c.toString(n) + u' ' + (n == 1 ? one : many);
}

// The log's own part: format, lines, events and time zone; empty when the log has no state
// yet (its import failed before the first commit).
QString describeLog(const ProjectStore& store, qint64 sourceId)
{
    const LogRepository logs(store);
    auto state = logs.state(sourceId);
    if (!state || !*state)
        return {};
    const LogSourceState& s = **state;
    const logs::LogFormat format = logs::logFormatFromName(s.format);
    QString line = format == logs::LogFormat::Unknown ? u"log of no known format"_s
                                                      : logs::logFormatTitle(format) + u" log"_s;
    line += u", %1, %2"_s.arg(count(s.importedLines, u"line"_s, u"lines"_s), count(s.events, u"event"_s, u"events"_s));
    if (!s.timeZone.isEmpty())
        line += u", stamps without an offset read in "_s + s.timeZone;
    return line;
}

} // namespace

QString describeSource(const ProjectStore& store, const SourceInfo& source)
{
    QString what;
    if (source.kind == u"log")
        what = describeLog(store, source.id);
    if (what.isEmpty() && source.messageCount == 0 && source.status == SourceStatus::Complete && source.size > 0) {
        // Read whole, and every message in it was stored from another file before (a copy,
        // the same mail as Maildir files): each message is stored once.
        what = u"%1, no messages of its own (all were in the project already)"_s.arg(source.kind);
    } else if (what.isEmpty()) {
        what = u"%1, %2, %3"_s.arg(source.kind, count(source.messageCount, u"message"_s, u"messages"_s),
                                   count(source.bounceCount, u"bounce"_s, u"bounces"_s));
    }
    return u"%1 — %2, %3"_s.arg(source.path, what, sourceStatusName(source.status));
}

} // namespace bi::core::store
