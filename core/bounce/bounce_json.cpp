// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/bounce_json.h"

#include <cstring>

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

char hexDigit(uint v)
{
    return char(v < 10 ? '0' + v : 'a' + v - 10);
}

// RFC 8259 §7 string, written byte for byte as QJsonDocument::toJson(Compact) writes it (the
// format the records had when they were built with QJsonObject): '"', '\\' and control
// characters escaped (\b \f \n \r \t, else \u00xx), everything else as UTF-8, and a UTF-16
// code unit that is not part of a valid surrogate pair as \uxxxx. Building a QJsonObject per
// record cost more than parsing the bounce.
void appendString(QByteArray& out, QStringView s)
{
    // Written through a pointer into room for the worst case (every unit as "\uxxxx"): a
    // QByteArray::append per character cost more than the escaping itself.
    const qsizetype old = out.size();
    const qsizetype worst = old + 6 * s.size() + 2;
    if (out.capacity() < worst)
        out.reserve(qMax(worst, 2 * out.capacity()));
    out.resize(worst);
    char* const base = out.data();
    char* o = base + old;
    const auto hex4 = [&o](uint u) {
        *o++ = '\\';
        *o++ = 'u';
        *o++ = hexDigit((u >> 12) & 0xf);
        *o++ = hexDigit((u >> 8) & 0xf);
        *o++ = hexDigit((u >> 4) & 0xf);
        *o++ = hexDigit(u & 0xf);
    };
    *o++ = '"';
    const char16_t* p = s.utf16();
    const char16_t* const end = p + s.size();
    while (p != end) {
        const char16_t u = *p++;
        if (u < 0x80) {
            if (u >= 0x20 && u != u'"' && u != u'\\') {
                *o++ = char(u);
                continue;
            }
            switch (u) {
            case u'"': *o++ = '\\'; *o++ = '"'; break;
            case u'\\': *o++ = '\\'; *o++ = '\\'; break;
            case 0x8: *o++ = '\\'; *o++ = 'b'; break;
            case 0xc: *o++ = '\\'; *o++ = 'f'; break;
            case 0xa: *o++ = '\\'; *o++ = 'n'; break;
            case 0xd: *o++ = '\\'; *o++ = 'r'; break;
            case 0x9: *o++ = '\\'; *o++ = 't'; break;
            default: hex4(u);
            }
        } else if (u < 0x800) {
            *o++ = char(0xc0 | (u >> 6));
            *o++ = char(0x80 | (u & 0x3f));
        } else if (!QChar::isSurrogate(u)) {
            *o++ = char(0xe0 | (u >> 12));
            *o++ = char(0x80 | ((u >> 6) & 0x3f));
            *o++ = char(0x80 | (u & 0x3f));
        } else if (QChar::isHighSurrogate(u) && p != end && QChar::isLowSurrogate(*p)) {
            const char32_t cp = QChar::surrogateToUcs4(u, *p++);
            *o++ = char(0xf0 | (cp >> 18));
            *o++ = char(0x80 | ((cp >> 12) & 0x3f));
            *o++ = char(0x80 | ((cp >> 6) & 0x3f));
            *o++ = char(0x80 | (cp & 0x3f));
        } else {
            hex4(u);
        }
    }
    *o++ = '"';
    out.truncate(o - base);
}

// Members are written in the order QJsonObject kept them: sorted by key.
class RecordWriter {
public:
    explicit RecordWriter(qsizetype reserve) { m_out.reserve(reserve); }

    void string(const char* key, QStringView value)
    {
        this->key(key);
        appendString(m_out, value);
    }
    void number(const char* key, qint64 value)
    {
        this->key(key);
        m_out.append(QByteArray::number(value));
    }
    void boolean(const char* key, bool value)
    {
        this->key(key);
        m_out.append(value ? "true" : "false");
    }
    [[nodiscard]] QByteArray take()
    {
        m_out.append('}');
        return std::move(m_out);
    }

private:
    void key(const char* name)
    {
        // One resize and a copy: three QByteArray::append calls per member cost a tenth of
        // the record.
        const qsizetype n = qsizetype(std::strlen(name));
        const qsizetype old = m_out.size();
        m_out.resize(old + n + 4);
        char* o = m_out.data() + old;
        *o++ = old == 0 ? '{' : ',';
        *o++ = '"';
        std::memcpy(o, name, size_t(n));
        o += n;
        *o++ = '"';
        *o = ':';
    }

    QByteArray m_out;
};

} // namespace

QString BounceJson::isoDate(const QDateTime& date)
{
    if (!date.isValid())
        return {};
    const int offset = date.offsetFromUtc();
    const int minutes = std::abs(offset) / 60;
    const QDate day = date.date();
    const QTime time = date.time();
    if (day.year() < 0 || day.year() > 9999) {
        return date.toString(u"yyyy-MM-dd'T'HH:mm:ss"_s) + (offset < 0 ? u'-' : u'+')
            + u"%1:%2"_s.arg(minutes / 60, 2, 10, QChar(u'0')).arg(minutes % 60, 2, 10, QChar(u'0'));
    }
    // "yyyy-MM-ddTHH:mm:ss+hh:mm" written digit by digit: QDateTime::toString with a format
    // cost more than the rest of a record.
    char16_t out[25];
    const auto put = [&out](int at, int value, int digits) {
        for (int i = digits - 1; i >= 0; --i, value /= 10)
            out[at + i] = char16_t(u'0' + value % 10);
    };
    put(0, day.year(), 4);
    out[4] = u'-';
    put(5, day.month(), 2);
    out[7] = u'-';
    put(8, day.day(), 2);
    out[10] = u'T';
    put(11, time.hour(), 2);
    out[13] = u':';
    put(14, time.minute(), 2);
    out[16] = u':';
    put(17, time.second(), 2);
    out[19] = offset < 0 ? u'-' : u'+';
    put(20, qMin(minutes / 60, 99), 2);
    out[22] = u':';
    put(23, minutes % 60, 2);
    return QString(reinterpret_cast<const QChar*>(out), 25);
}

QByteArray BounceJson::record(const QString& file, int message, const BounceReport& report, qsizetype index,
                              int ordinal)
{
    const BounceRecipient& r = report.recipients.at(index);
    RecordWriter w(512 + file.size() + r.diagnostic.size() * 3);
    w.string("action", r.action);
    w.string("bounce_message_id", report.bounceMessageId);
    w.string("date", isoDate(report.date));
    w.string("diagnostic", r.diagnostic);
    w.string("diagnostic_type", r.diagnosticType);
    w.string("envelope_id", report.envelopeId);
    w.string("family", report.family);
    w.string("feedbacktype", r.feedbackType);
    w.string("file", file);
    w.boolean("hardbounce", r.hardBounce);
    w.number("index", ordinal > 0 ? ordinal : index + 1);
    w.string("kind", kindName(r.kind));
    w.string("lhost", report.reportingMta);
    w.number("message", message);
    w.string("original_message_id", report.original.messageId);
    w.string("original_recipient", r.originalRecipient);
    w.string("queue_id", report.queueId);
    w.string("reason", r.reason);
    w.string("recipient", r.recipient);
    w.string("replycode", r.replyCode);
    w.string("rhost", r.remoteMta);
    w.string("smtp_command", r.smtpCommand);
    w.string("status", r.status);
    return w.take();
}

} // namespace bi::core::bounce
