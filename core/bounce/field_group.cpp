// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/field_group.h"

#include "core/common/text_case.h"
#include "core/mail/header_decoder.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

QString FieldGroup::value(QByteArrayView name) const
{
    for (const Field& f : fields) {
        if (equalsCaseInsensitive(f.name, name))
            return f.value;
    }
    return {};
}

QStringList FieldGroup::values(QByteArrayView name) const
{
    QStringList out;
    for (const Field& f : fields) {
        if (equalsCaseInsensitive(f.name, name))
            out << f.value;
    }
    return out;
}

bool FieldGroup::has(QByteArrayView name) const
{
    for (const Field& f : fields) {
        if (equalsCaseInsensitive(f.name, name))
            return true;
    }
    return false;
}

namespace {

bool isFieldNameChar(char c)
{
    // RFC 5322 §2.2: printable US-ASCII except colon; we also refuse space.
    return c > 32 && c < 127 && c != ':';
}

qsizetype fieldNameEnd(const QByteArray& line)
{
    qsizetype i = 0;
    while (i < line.size() && isFieldNameChar(line.at(i)))
        ++i;
    if (i == 0 || i >= line.size() || line.at(i) != ':')
        return -1;
    return i;
}

} // namespace

QList<FieldGroup> FieldGroupParser::parse(const QByteArray& body)
{
    QList<FieldGroup> groups;
    FieldGroup current;
    QByteArray name;
    QByteArray value;
    auto flushField = [&] {
        if (!name.isEmpty()) {
            current.fields.append({name, mail::HeaderDecoder::decodeHeader(value.trimmed())});
        }
        name.clear();
        value.clear();
    };
    auto flushGroup = [&] {
        flushField();
        if (!current.isEmpty())
            groups.append(std::move(current));
        current = FieldGroup{};
    };

    qsizetype pos = 0;
    const qsizetype n = body.size();
    while (pos <= n) {
        qsizetype eol = body.indexOf('\n', pos);
        if (eol < 0)
            eol = n;
        QByteArray line = body.mid(pos, eol - pos);
        pos = eol + 1;
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.trimmed().isEmpty()) {
            flushGroup();
            if (eol >= n)
                break;
            continue;
        }
        if ((line.at(0) == ' ' || line.at(0) == '\t') && !name.isEmpty()) {
            // RFC 5322 §2.2.3 unfolding: the line break goes, the white space stays.
            value += ' ';
            value += line.trimmed();
        } else if (const qsizetype colon = fieldNameEnd(line); colon > 0) {
            flushField();
            name = line.left(colon);
            value = line.mid(colon + 1);
        } else {
            flushField(); // stray text ends the field it follows
        }
        if (eol >= n)
            break;
    }
    flushGroup();
    return groups;
}

QString FieldGroupParser::stripType(const QString& typedValue)
{
    QString v = typedValue;
    const qsizetype semi = v.indexOf(u';');
    if (semi >= 0 && semi < 24 && !v.left(semi).contains(u'@') && !v.left(semi).contains(u' '))
        v = v.mid(semi + 1);
    v = v.trimmed();
    while (v.size() >= 2 && ((v.startsWith(u'<') && v.endsWith(u'>')) || (v.startsWith(u'"') && v.endsWith(u'"'))))
        v = v.mid(1, v.size() - 2).trimmed();
    return v;
}

QString FieldGroupParser::mtaName(const QString& typedValue)
{
    QString v = stripType(typedValue);
    // A comment after the name: "(tcp_intranet-daemon)", "(Postfix)", "(8.15.2/8.15.2)".
    if (const qsizetype open = v.indexOf(u'('); open > 0)
        v = v.left(open).trimmed();
    return v;
}

QString FieldGroupParser::typeOf(const QString& typedValue)
{
    const qsizetype semi = typedValue.indexOf(u';');
    if (semi <= 0 || semi >= 24)
        return {};
    const QString t = typedValue.left(semi).trimmed();
    if (t.contains(u' ') || t.contains(u'@'))
        return {};
    return t.toLower();
}

} // namespace bi::core::bounce
