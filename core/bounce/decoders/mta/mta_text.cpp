// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/mta_text.h"

#include <QRegularExpression>

#include "core/common/text_case.h"
#include "core/mail/header_decoder.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

bool isOriginal(const mail::MimePart& part)
{
    return part.type == "message" ? (part.subtype == "rfc822" || part.subtype == "global"
                                     || part.subtype.endsWith("-headers"))
                                  : part.subtype == "rfc822-headers";
}

bool isStatusPart(const mail::MimePart& part)
{
    return part.type == "message" && part.subtype.endsWith("delivery-status");
}

QString partText(const mail::MimePart& part)
{
    if (part.type == "text")
        return part.text();
    // message/delivery-status carries no charset; RFC 6533 global DSNs are UTF-8.
    return mail::HeaderDecoder::decodeCharset(part.body, QByteArrayLiteral("utf-8"));
}

// A multipart whose structure the MIME layer could not read (a boundary parameter folded
// onto a line of its own, lhost-apachejames style) is read as text: boundary lines and the
// header blocks after them are dropped, the rest kept.
QString flattenUnparsed(const mail::MimePart& part)
{
    const QString raw = mail::HeaderDecoder::decodeCharset(part.body.isEmpty() ? part.rawBody : part.body, {});
    QStringList out;
    bool inHeaders = false;
    for (const QString& line : MtaText::lines(raw)) {
        if (line.startsWith(u"--")) {
            inHeaders = true;
            continue;
        }
        if (inHeaders) {
            if (line.trimmed().isEmpty())
                inHeaders = false;
            continue;
        }
        out << line;
    }
    return out.join(u'\n');
}

// Depth first over one part; `out` collects the texts. multipart/alternative keeps the
// plain text only (the HTML says the same, with markup).
void collect(const mail::MimePart& part, QStringList& out, int depth)
{
    if (depth > 64 || isOriginal(part))
        return;
    if (part.isMultipart() && part.children.isEmpty()) {
        out << flattenUnparsed(part);
        return;
    }
    if (part.isMultipart()) {
        bool hasPlain = false;
        if (part.subtype == "alternative") {
            for (const mail::MimePart& child : part.children)
                hasPlain = hasPlain || child.mimeType() == "text/plain";
        }
        for (const mail::MimePart& child : part.children) {
            if (hasPlain && child.mimeType() == "text/html")
                continue;
            collect(child, out, depth + 1);
        }
        return;
    }
    if (part.type == "message")
        return; // other embedded messages (message/partial, message/external-body)
    if (part.type != "text" && !isStatusPart(part))
        return; // attachments: images, application/*
    if (!part.children.isEmpty())
        return;
    QString text = partText(part);
    if (part.subtype == "html")
        text = MtaText::htmlToText(text);
    out << text;
}

} // namespace

const QString& MtaText::bounceText(const DecodeContext& ctx)
{
    // About forty decoders read this text; it is built once per message.
    if (const QString* kept = ctx.memo(DecodeContext::Memo::BounceText))
        return *kept;
    const mail::MimePart& root = ctx.root();
    QString text;
    if (root.isMultipart()) {
        QStringList parts;
        collect(root, parts, 0);
        text = parts.join(u'\n');
    } else if (root.subtype == "html") {
        text = htmlToText(root.text());
    } else if (root.type == "text" || isStatusPart(root)) {
        text = partText(root);
    } else {
        // A bounce without Content-Type or with a wrong one: read the body as text anyway.
        text = mail::HeaderDecoder::decodeCharset(root.body.isEmpty() ? root.rawBody : root.body, {});
    }
    text.remove(u'\r');
    return ctx.setMemo(DecodeContext::Memo::BounceText, std::move(text));
}

QStringList MtaText::lines(const QString& text)
{
    QStringList out = text.split(u'\n');
    for (QString& line : out) {
        if (line.endsWith(u'\r'))
            line.chop(1);
    }
    return out;
}

qsizetype MtaText::findLine(const QStringList& lines, std::span<const QStringView> markers, qsizetype from,
                            bool ignoreIndent)
{
    for (qsizetype i = qMax<qsizetype>(0, from); i < lines.size(); ++i) {
        QStringView line(lines.at(i));
        if (ignoreIndent) {
            while (!line.isEmpty() && (line.front() == u' ' || line.front() == u'\t'))
                line = line.mid(1);
        }
        for (QStringView marker : markers) {
            if (line.startsWith(marker))
                return i;
        }
    }
    return -1;
}

QStringList MtaText::linesBefore(const QStringList& lines, std::span<const QStringView> markers, bool ignoreIndent)
{
    const qsizetype at = findLine(lines, markers, 0, ignoreIndent);
    return at < 0 ? lines : lines.mid(0, at);
}

QStringList MtaText::linesAfter(const QStringList& lines, std::span<const QStringView> markers, bool ignoreIndent)
{
    const qsizetype at = findLine(lines, markers, 0, ignoreIndent);
    return at < 0 ? QStringList() : lines.mid(at + 1);
}

QString MtaText::sweep(const QString& text)
{
    // Written into a buffer of the input's size: the result is never longer.
    QString out(text.size(), Qt::Uninitialized);
    QChar* const begin = out.data();
    QChar* o = begin;
    bool blank = false;
    for (const QChar c : text) {
        if (c == u'\r')
            continue;
        if (c == u' ' || c == u'\n' || c == u'\t') {
            blank = o != begin;
            continue;
        }
        if (blank)
            *o++ = u' ';
        blank = false;
        *o++ = c;
    }
    out.truncate(o - begin);
    // A MIME boundary glued to the end of a diagnostic by a broken notice
    // ("... User unknown --Boundary_(ID_...)") is not the server's text: from a blank, two
    // dashes and anything but a blank on, the rest goes (/ -{2,}[^ \t].*$/ on one line).
    for (qsizetype at = out.indexOf(u" --"); at >= 0; at = out.indexOf(u" --", at + 1)) {
        if (at + 3 < out.size() && out.at(at + 3) != u' ' && out.at(at + 3) != u'\t') {
            out.truncate(at);
            break;
        }
    }
    return out;
}

QString MtaText::sweptLowerBounceText(const DecodeContext& ctx)
{
    if (const QString* kept = ctx.memo(DecodeContext::Memo::BounceTextSweptLower))
        return *kept;
    return ctx.setMemo(DecodeContext::Memo::BounceTextSweptLower, lowerCase(sweep(bounceText(ctx))));
}

bool MtaText::containsAny(QStringView text, std::span<const QStringView> phrases, Qt::CaseSensitivity cs)
{
    for (QStringView phrase : phrases) {
        if (containsText(text, phrase, cs))
            return true;
    }
    return false;
}

QString MtaText::reasonFor(QStringView text, std::span<const ReasonPhrase> table, Qt::CaseSensitivity cs)
{
    for (const ReasonPhrase& row : table) {
        if (containsText(text, row.phrase, cs))
            return row.reason.toString();
    }
    return {};
}

QString MtaText::fieldValue(const QStringList& lines, QStringView name)
{
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QStringView line = QStringView(lines.at(i)).trimmed();
        if (!line.startsWith(name, Qt::CaseInsensitive) || line.size() <= name.size() || line.at(name.size()) != u':')
            continue;
        QString value = line.mid(name.size() + 1).trimmed().toString();
        // RFC 5322 §2.2.3 folding; only for unindented fields, as indented ones are quoted.
        if (!lines.at(i).startsWith(u' ') && !lines.at(i).startsWith(u'\t')) {
            for (qsizetype j = i + 1; j < lines.size(); ++j) {
                const QString& next = lines.at(j);
                if (next.isEmpty() || !(next.front() == u' ' || next.front() == u'\t'))
                    break;
                value += u' ' + next.trimmed();
            }
        }
        return value;
    }
    return {};
}

bool MtaText::isForwarded(const QString& subject)
{
    static const QRegularExpression re(uR"(^\s*fwd?:)"_s, QRegularExpression::CaseInsensitiveOption);
    return re.match(subject).hasMatch();
}

QStringList MtaText::unquote(const QStringList& lines)
{
    QStringList out;
    out.reserve(lines.size());
    for (const QString& line : lines) {
        if (line.startsWith(u'>'))
            out << line.mid(line.startsWith(u"> ") ? 2 : 1);
        else
            out << line;
    }
    return out;
}

QString MtaText::htmlToText(const QString& html)
{
    static const QRegularExpression lineTags(u"<\\s*(?:br|/p|/div|/tr|/li|/h[1-6])\\b[^>]*>"_s,
                                             QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression dropped(u"<\\s*(style|script|head)\\b.*?<\\s*/\\s*\\1\\s*>"_s,
                                            QRegularExpression::CaseInsensitiveOption
                                                | QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression tags(u"<[^<>]*>"_s);
    QString text = html;
    text.remove(dropped);
    text.replace(lineTags, u"\n"_s);
    text.remove(tags);
    static const std::pair<QStringView, QStringView> entities[] = {
        {u"&nbsp;", u" "}, {u"&lt;", u"<"}, {u"&gt;", u">"}, {u"&quot;", u"\""}, {u"&#39;", u"'"}, {u"&apos;", u"'"},
        {u"&amp;", u"&"},
    };
    for (const auto& [entity, replacement] : entities)
        text.replace(entity.toString(), replacement.toString(), Qt::CaseInsensitive);
    return text;
}

QString MtaText::originalHeader(const DecodeContext& ctx, const QStringList& inlineOriginal, QByteArrayView name)
{
    if (const mail::MimePart* original = ctx.originalPart()) {
        const QString value = original->header(name);
        if (!value.isEmpty())
            return value;
    }
    return fieldValue(inlineOriginal, QString::fromLatin1(name));
}

} // namespace bi::core::bounce
