// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/mail/mime_adapter.h"

#include <algorithm>
#include <cstring>
#include <exception>
#include <optional>
#include <string>

#include <mimetic/mimetic.h>

#include <QByteArrayMatcher>
#include <QHash>

#include "core/mail/header_decoder.h"
#include "core/common/text_case.h"

using namespace Qt::StringLiterals;

namespace bi::core::mail {

// How the work is split between mimetic and this file (behaviour checked against
// libmimetic 0.9.8 as shipped by Debian 12):
// - mimetic parses each entity's header section, fed as a pointer range over the message
//   buffer with the ignore masks set, and gives us Content-Type and
//   Content-Transfer-Encoding; our tokenizer cleans and checks its answer and supplies the
//   parameters. mimetic never sees a body, so its failures there cannot hurt us:
//   its recursion has no bound (message/rfc822 and multipart alike), its boundary search
//   over random-access input is not line-anchored (a "--boundary" inside a text line
//   splits the part), a missing inner closing boundary makes the inner part swallow the
//   rest of the message, and a message/rfc822 body becomes a child entity whose bytes are
//   no longer available as the parent's body.
// - We find every byte range ourselves, line by line, for LF and CRLF alike: mimetic keeps
//   no offsets, so raw header and raw body bytes could not be reproduced from its tree. Its
//   header values are not raw either: addField takes char* (values cut at NUL), folds are
//   collapsed, a last field not followed by another line is dropped, and quoted parameter
//   values are split at ';' (boundary="a;b"). It knows no RFC 2047/2231 or charsets.
// - mimetic grows header buffers by 128 bytes per copy: long fields cost quadratic time,
//   hence kMaxMimeticHeaderBytes.

namespace {

using Severity = Diagnostic::Severity;

// libmimetic grows its field buffers 128 bytes at a time, copying each time: quadratic in
// the longest field. Header sections above this size are read by our tokenizer alone.
constexpr qsizetype kMaxMimeticHeaderBytes = 64 * 1024;
// Every field is still scanned; only the list we keep is bounded.
constexpr int kMaxHeaderFields = 10000;
// Diagnostics kept per message.
constexpr qsizetype kMaxDiagnostics = 1000;
// Candidates looked at when the declared boundary never occurs.
constexpr int kMaxBoundaryGuesses = 1000;

struct Range {
    qsizetype begin = 0;
    qsizetype end = 0;
};

struct Line {
    qsizetype begin = 0;
    qsizetype end = 0;  // content end, without "\r\n" / "\n"
    qsizetype next = 0; // first byte after the line break
};

Line lineAt(const QByteArray& buf, qsizetype pos, qsizetype limit)
{
    const char* d = buf.constData();
    const void* nl = std::memchr(d + pos, '\n', size_t(limit - pos));
    const qsizetype e = nl ? static_cast<const char*>(nl) - d : limit;
    qsizetype contentEnd = e;
    if (contentEnd > pos && d[contentEnd - 1] == '\r')
        --contentEnd;
    return {pos, contentEnd, nl ? e + 1 : limit};
}

bool isWsp(char c)
{
    return c == ' ' || c == '\t';
}

// What QByteArray::trimmed() removes.
bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

bool isBlank(QByteArrayView s)
{
    return std::all_of(s.begin(), s.end(), isSpace);
}

bool isBlankLine(const QByteArray& buf, const Line& l)
{
    for (qsizetype i = l.begin; i < l.end; ++i) {
        if (!isWsp(buf[i]) && buf[i] != '\r')
            return false;
    }
    return true;
}

// RFC 2045 §5.1 token: no SPACE, CTLs or tspecials.
bool isToken(QByteArrayView s)
{
    if (s.isEmpty())
        return false;
    for (const char c : s) {
        const uchar u = uchar(c);
        if (u <= 32 || u >= 127 || std::strchr("()<>@,;:\\\"/[]?=", c))
            return false;
    }
    return true;
}

QByteArray fromStd(const std::string& s)
{
    return QByteArray(s.data(), qsizetype(s.size()));
}

// "Name:" at the start of the line; returns the end of the name (blanks before the colon
// trimmed) and the colon position, or -1. RFC 5322 §3.6.8 allows any printable character in
// names; we accept only the token characters real fields use (RFC 7230 tchar), so that
// unindented folds of parameters or lists ("boundary=x:y", "1;ABC;27:xyz") are not taken
// for fields.
qsizetype fieldNameEnd(const QByteArray& buf, const Line& l, qsizetype* colonAt)
{
    const void* colon = std::memchr(buf.constData() + l.begin, ':', size_t(l.end - l.begin));
    if (!colon)
        return -1;
    const qsizetype colonPos = static_cast<const char*>(colon) - buf.constData();
    qsizetype e = colonPos;
    // "Subject : x" (obsolete RFC 822 syntax) is accepted; blanks inside a name are not.
    while (e > l.begin && isWsp(buf[e - 1]))
        --e;
    if (e == l.begin)
        return -1;
    bool hasLetter = false; // "07:31:37 +0000" is the tail of a Received field, not a field
    for (qsizetype i = l.begin; i < e; ++i) {
        const char c = buf[i];
        const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        const bool tchar = letter || (c >= '0' && c <= '9') || std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
        if (!tchar || c == 0)
            return -1;
        hasLetter = hasLetter || letter;
    }
    if (!hasLetter)
        return -1;
    *colonAt = colonPos;
    return e;
}

// Some gateways strip the blank that starts a folded line (lhost-office365-09.eml:
// "Content-Type: multipart/alternative;" then "boundary=..." at column 0). Such a line
// continues the field when the field ends in a list separator, or when a real field
// follows within a few lines, before the empty line.
bool isUnindentedFold(const QByteArray& buf, const Line& l, qsizetype limit, const QByteArray& currentValue)
{
    const QByteArray tail = currentValue.trimmed();
    if (tail.isEmpty() || tail.endsWith(';') || tail.endsWith(','))
        return true;
    qsizetype pos = l.next;
    for (int k = 0; k < 5 && pos < limit; ++k) {
        const Line next = lineAt(buf, pos, limit);
        if (isBlankLine(buf, next))
            return false;
        qsizetype colon = 0;
        if (!isWsp(buf[next.begin]) && fieldNameEnd(buf, next, &colon) > 0)
            return true;
        pos = next.next;
    }
    return false;
}

struct RawField {
    QByteArray name;
    QByteArray value;
};

struct HeaderScan {
    QList<RawField> fields;
    qsizetype headerBegin = 0;
    qsizetype headerEnd = 0;
    qsizetype bodyBegin = 0;
    bool endedByEmptyLine = false;
    bool skippedEnvelope = false;
    bool unindentedFolds = false;
    bool tooManyFields = false;
    int contentTypeCount = 0;
    QByteArray contentType;
    int cteCount = 0;
    QByteArray cte;
};

// RFC 5322 §2.2: fields up to the first empty line. A line that is neither a field nor a
// continuation also ends the section (the body then starts with that line), as mimetic and
// most readers do; bounces without the empty line exist.
HeaderScan scanHeader(const QByteArray& buf, Range r, bool skipLeadingBlankLines)
{
    HeaderScan hs;
    qsizetype pos = r.begin;
    if (skipLeadingBlankLines) {
        // Embedded messages and text/rfc822-headers bodies sometimes start with an empty
        // line; taken literally, every header would become body.
        while (pos < r.end) {
            const Line l = lineAt(buf, pos, r.end);
            if (!isBlankLine(buf, l) || l.next == pos)
                break;
            pos = l.next;
        }
    }
    if (pos < r.end) {
        // An mbox envelope line ("From sender date") left in front of a message.
        const Line l = lineAt(buf, pos, r.end);
        const QByteArrayView first(buf.constData() + l.begin, l.end - l.begin);
        qsizetype colon = 0;
        if ((first.startsWith("From ") || first.startsWith(">From ")) && fieldNameEnd(buf, l, &colon) < 0) {
            hs.skippedEnvelope = true;
            pos = l.next;
        }
    }
    hs.headerBegin = pos;

    RawField current;
    bool haveCurrent = false;
    const auto finish = [&] {
        if (!haveCurrent)
            return;
        haveCurrent = false;
        // Single-line values were taken trimmed; only unfolded ones may end in blanks.
        if (!current.value.isEmpty() && (isSpace(current.value.front()) || isSpace(current.value.back())))
            current.value = current.value.trimmed();
        const bool isCt = equalsCaseInsensitive(current.name, "content-type");
        const bool isCte = equalsCaseInsensitive(current.name, "content-transfer-encoding");
        if (isCt && hs.contentTypeCount++ == 0)
            hs.contentType = current.value;
        if (isCte && hs.cteCount++ == 0)
            hs.cte = current.value;
        if (hs.fields.size() < kMaxHeaderFields)
            hs.fields.append(std::move(current));
        else
            hs.tooManyFields = true;
        current = RawField();
    };

    while (true) {
        if (pos >= r.end) {
            hs.headerEnd = r.end;
            hs.bodyBegin = r.end;
            break;
        }
        const Line l = lineAt(buf, pos, r.end);
        if (isBlankLine(buf, l)) {
            // A line of blanks where the empty line belongs is read as that empty line.
            hs.headerEnd = pos;
            hs.bodyBegin = l.next;
            hs.endedByEmptyLine = true;
            break;
        }
        if (isWsp(buf[pos])) {
            if (!haveCurrent) {
                hs.headerEnd = pos;
                hs.bodyBegin = pos;
                break;
            }
            // RFC 5322 §2.2.3 unfolding: drop the line break, keep the blanks.
            current.value.append(buf.constData() + l.begin, l.end - l.begin);
            pos = l.next;
            continue;
        }
        qsizetype colon = 0;
        qsizetype nameEnd = fieldNameEnd(buf, l, &colon);
        // "X-Microsoft-Antispam-Mailbox-Delivery:" then "abwl:0;wl:0;..." at column 0
        // (lhost-office365-08.eml): after an empty field, "name:value" without a blank is
        // the lost continuation, not a new field.
        if (nameEnd > 0 && haveCurrent && isBlank(current.value) && colon + 1 < l.end && !isWsp(buf[colon + 1]))
            nameEnd = -1;
        if (nameEnd > 0) {
            finish();
            current.name = buf.mid(l.begin, nameEnd - l.begin);
            // The value without its leading blanks (trailing ones go when the field is done).
            qsizetype v = colon + 1;
            while (v < l.end && isSpace(buf[v]))
                ++v;
            current.value = buf.mid(v, l.end - v);
            haveCurrent = true;
        } else if (haveCurrent && isUnindentedFold(buf, l, r.end, current.value)) {
            // The lost blank is put back so that words do not run together.
            current.value.append(' ');
            current.value.append(buf.constData() + l.begin, l.end - l.begin);
            hs.unindentedFolds = true;
        } else {
            hs.headerEnd = pos;
            hs.bodyBegin = pos;
            break;
        }
        pos = l.next;
    }
    finish();
    return hs;
}

struct MimeticView {
    bool hasContentType = false;
    QByteArray type;
    QByteArray subtype;
    bool hasCte = false;
    QByteArray cte;
};

// STYLE §9: a contiguous buffer, const access only, std::string converted with its length,
// nothing escapes.
std::optional<MimeticView> readWithMimetic(const QByteArray& buf, const HeaderScan& hs)
{
    const qsizetype size = hs.headerEnd - hs.headerBegin;
    if (size <= 0 || size > kMaxMimeticHeaderBytes)
        return std::nullopt;
    const QByteArrayView section(buf.constData() + hs.headerBegin, size);
    if (section.contains('\0'))
        return std::nullopt; // mimetic would cut the value at the NUL
    const char* b = section.data();
    const char* e = section.data() + size;
    QByteArray terminated;
    if (hs.endedByEmptyLine) {
        e = buf.constData() + hs.bodyBegin; // include the empty line
    } else {
        // mimetic stores a field only when it sees the start of the next line, so it must
        // see an empty line after the last field.
        terminated = section.toByteArray();
        if (!terminated.endsWith('\n'))
            terminated.append('\n');
        terminated.append('\n');
        b = terminated.constData();
        e = b + terminated.size();
    }
    try {
        mimetic::MimeEntity entity;
        entity.load(b, e, mimetic::imBody | mimetic::imChildParts | mimetic::imPreamble | mimetic::imEpilogue);
        // Non-const accessors would add missing fields (STYLE §9).
        const mimetic::MimeEntity& me = entity;
        const mimetic::Header& h = me.header();
        MimeticView v;
        v.hasContentType = h.hasField(mimetic::ContentType::label);
        if (v.hasContentType) {
            const mimetic::ContentType& ct = h.contentType();
            v.type = fromStd(ct.type());
            v.subtype = fromStd(ct.subtype());
        }
        v.hasCte = h.hasField(mimetic::ContentTransferEncoding::label);
        if (v.hasCte)
            v.cte = fromStd(h.contentTransferEncoding().mechanism());
        return v;
    } catch (const std::exception&) {
        return std::nullopt;
    } catch (...) {
        return std::nullopt;
    }
}

// mimetic's answer is used for Content-Type only when our scan found that field, and for
// Content-Transfer-Encoding whenever mimetic sees one. Without either field name anywhere in the
// section (many embedded headers and simple notices) mimetic has nothing to say: skip it.
bool needsMimetic(const QByteArray& buf, const HeaderScan& hs)
{
    if (hs.contentTypeCount > 0 || hs.cteCount > 0)
        return true;
    static const QByteArrayView kName("content-transfer-encoding");
    const char* d = buf.constData();
    for (qsizetype i = hs.headerBegin; i + kName.size() <= hs.headerEnd; ++i) {
        if ((d[i] == 'c' || d[i] == 'C')
            && QByteArrayView(d + i, kName.size()).compare(kName, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

// mimetic can only agree with our tokenizer when the fields are plain: one Content-Type whose
// value starts "type/subtype" (tokens, blanks around them at most, then ';' or the end), one
// Content-Transfer-Encoding that is a bare token or none at all, and no field put back together
// from an unindented fold. Then asking mimetic as well (a tenth of the parse time) is skipped.
bool tokenizerSuffices(const QByteArray& buf, const HeaderScan& hs)
{
    if (hs.unindentedFolds || hs.contentTypeCount > 1 || hs.cteCount > 1)
        return false;
    if (hs.contentTypeCount == 1) {
        QByteArrayView value(hs.contentType);
        if (const qsizetype semi = value.indexOf(';'); semi >= 0)
            value = value.first(semi);
        value = value.trimmed();
        const qsizetype slash = value.indexOf('/');
        if (slash <= 0 || !isToken(value.first(slash)) || !isToken(value.sliced(slash + 1)))
            return false;
    }
    if (hs.cteCount == 1)
        return isToken(QByteArrayView(hs.cte).trimmed());
    // No field of ours, but maybe one mimetic would see under another spelling.
    static const QByteArrayView kName("content-transfer-encoding");
    const char* d = buf.constData();
    for (qsizetype i = hs.headerBegin; i + kName.size() <= hs.headerEnd; ++i) {
        if ((d[i] == 'c' || d[i] == 'C')
            && QByteArrayView(d + i, kName.size()).compare(kName, Qt::CaseInsensitive) == 0)
            return false;
    }
    return true;
}

// mimetic keeps comments, quotes and blanks inside type and subtype
// ("text/plain(comment)", " text / plain "): reduce to the bare token.
QByteArray cleanToken(const QByteArray& in)
{
    return HeaderDecoder::splitParameterized(in, nullptr);
}

struct Context {
    bool inDigest = false;     // RFC 2046 §5.1.5: parts default to message/rfc822
    bool headersOnly = false;  // text/rfc822-headers: the child has headers only
    bool embedded = false;     // an embedded message: skip leading empty lines
};

class Builder {
public:
    explicit Builder(qsizetype inputSize)
        : m_containerBudget(4 * inputSize + 1024 * 1024)
    {
    }

    MimePart parseEntity(const QByteArray& buf, Range r, int depth, const QString& path, Context ctx);

    void note(MimePart& part, const QString& path, Severity severity, const QString& what)
    {
        // Hostile input can produce one problem per part; past the cap only count them.
        if (m_all.size() >= kMaxDiagnostics) {
            ++m_suppressed;
            return;
        }
        Diagnostic d{severity, path.isEmpty() ? u"mime"_s : u"mime@"_s + path, what};
        part.diagnostics.append(d);
        m_all.append(std::move(d));
    }

    /// Every diagnostic of the tree, for the root.
    [[nodiscard]] Diagnostics takeAll()
    {
        if (m_suppressed > 0) {
            m_all.append(Diagnostic{Severity::Warning, u"mime"_s,
                                    u"%1 further MIME diagnostics not listed"_s.arg(m_suppressed)});
        }
        return std::move(m_all);
    }

private:
    void setContentType(MimePart& part, const QString& path, const HeaderScan& hs,
                        const std::optional<MimeticView>& mv, Context ctx);
    QByteArray transferEncoding(const HeaderScan& hs, const std::optional<MimeticView>& mv) const;
    QByteArray undoTransferEncoding(MimePart& part, const QString& path, const QByteArray& raw,
                                    const QByteArray& cte);
    void splitMultipart(MimePart& part, const QByteArray& buf, Range body, int depth, const QString& path);
    struct Split {
        QList<Range> parts;
        bool closed = false;   // a close delimiter was seen
        bool indented = false; // some delimiter line started with blanks
    };
    Split findParts(const QByteArray& buf, Range body, const QByteArray& boundary) const;
    QByteArray inferBoundary(const QByteArray& buf, Range body) const;
    QByteArray guessBoundary(const QByteArray& buf, Range body) const;
    bool reservePart(MimePart& parent, const QString& path);
    void keepContainerBody(MimePart& part, const QString& path, const QByteArray& buf, Range body, int depth);

    Diagnostics m_all;
    int m_suppressed = 0;
    int m_parts = 0;
    bool m_partLimitReported = false;
    qsizetype m_containerBudget;
};

bool Builder::reservePart(MimePart& parent, const QString& path)
{
    if (m_parts >= MimeAdapter::kMaxParts) {
        if (!m_partLimitReported) {
            m_partLimitReported = true;
            note(parent, path, Severity::Warning,
                 u"more than %1 MIME parts; the rest is kept unsplit in the enclosing part"_s.arg(
                     MimeAdapter::kMaxParts));
        }
        return false;
    }
    return true;
}

void Builder::setContentType(MimePart& part, const QString& path, const HeaderScan& hs,
                             const std::optional<MimeticView>& mv, Context ctx)
{
    const QByteArray defaultType = ctx.inDigest ? "message"_ba : "text"_ba;
    const QByteArray defaultSubtype = ctx.inDigest ? "rfc822"_ba : "plain"_ba;
    part.type = defaultType;
    part.subtype = defaultSubtype;
    if (hs.contentTypeCount == 0)
        return; // RFC 2045 §5.2 default; not a problem
    if (hs.contentTypeCount > 1) {
        note(part, path, Severity::Warning,
             u"%1 Content-Type fields; the first one is used"_s.arg(hs.contentTypeCount));
    }
    QMap<QByteArray, QString> params;
    const QByteArray ours = HeaderDecoder::splitParameterized(hs.contentType, &params);
    QByteArray type;
    QByteArray subtype;
    if (mv && mv->hasContentType) {
        type = cleanToken(mv->type);
        subtype = cleanToken(mv->subtype);
    }
    if (!isToken(type) || !isToken(subtype)) {
        const qsizetype slash = ours.indexOf('/');
        type = slash > 0 ? ours.left(slash) : ours;
        subtype = slash > 0 ? ours.mid(slash + 1) : QByteArray();
    }
    part.params = params;
    if (isToken(type) && isToken(subtype)) {
        part.type = type;
        part.subtype = subtype;
        return;
    }
    if (type == "text" && subtype.isEmpty()) {
        // "Content-Type: text; charset=iso-2022-jp" is common in Japanese bounces.
        part.subtype = "plain";
        note(part, path, Severity::Info, u"Content-Type \"text\" without subtype read as text/plain"_s);
        return;
    }
    note(part, path, Severity::Warning,
         u"unparsable Content-Type \"%1\"; using %2/%3"_s.arg(
             HeaderDecoder::decodeHeader(hs.contentType.left(200)), QString::fromLatin1(defaultType),
             QString::fromLatin1(defaultSubtype)));
}

QByteArray Builder::transferEncoding(const HeaderScan& hs, const std::optional<MimeticView>& mv) const
{
    QByteArray cte;
    if (mv && mv->hasCte)
        cte = cleanToken(mv->cte);
    if (cte.isEmpty() && hs.cteCount > 0)
        cte = HeaderDecoder::splitParameterized(hs.cte, nullptr);
    return cte;
}

QByteArray Builder::undoTransferEncoding(MimePart& part, const QString& path, const QByteArray& raw,
                                         const QByteArray& cte)
{
    // RFC 2045 §6.1; "7-bit"/"8-bit" are harmless misspellings seen in the wild.
    if (cte.isEmpty() || cte == "7bit" || cte == "8bit" || cte == "binary" || cte == "7-bit" || cte == "8-bit")
        return raw;
    bool clean = true;
    if (cte == "base64") {
        QByteArray out = HeaderDecoder::decodeBase64(raw, &clean);
        if (!clean)
            note(part, path, Severity::Info, u"base64 body contains characters outside the alphabet or a cut quantum"_s);
        return out;
    }
    if (cte == "quoted-printable") {
        QByteArray out = HeaderDecoder::decodeQuotedPrintable(raw, false, &clean);
        if (!clean)
            note(part, path, Severity::Info, u"quoted-printable body contains malformed '=' sequences (kept as written)"_s);
        return out;
    }
    note(part, path, Severity::Warning,
         u"unknown Content-Transfer-Encoding \"%1\"; body left as is"_s.arg(
             QString::fromLatin1(cte.left(100))));
    return raw;
}

void Builder::keepContainerBody(MimePart& part, const QString& path, const QByteArray& buf, Range body, int depth)
{
    // Containers nested in containers repeat their children's bytes; for a huge, deeply
    // nested message that would multiply memory by the depth.
    const qsizetype size = body.end - body.begin;
    if (depth == 0 || size <= m_containerBudget) {
        part.rawBody = buf.mid(body.begin, size);
        if (depth > 0)
            m_containerBudget -= size;
        return;
    }
    note(part, path, Severity::Info,
         u"raw body of this nested container (%1 bytes) not kept, to bound memory; its parts are still parsed"_s.arg(size));
}

Builder::Split Builder::findParts(const QByteArray& buf, Range body, const QByteArray& boundary) const
{
    // RFC 2046 §5.1.1: a delimiter is a line "--boundary" (the close delimiter adds "--"),
    // optionally followed by blanks; the line break before it belongs to the delimiter.
    Split split;
    const QByteArray delimiter = "--" + boundary;
    const QByteArrayMatcher matcher(delimiter);
    const char* d = buf.constData();
    qsizetype partStart = -1;
    qsizetype from = body.begin;
    while (from < body.end) {
        const qsizetype hit = matcher.indexIn(d, body.end, from);
        if (hit < 0)
            break;
        // Not at the start of a line: mimetic would split here, we do not. Blanks in front
        // are tolerated: transports indent lines (rfc3464-35.eml has " --boundary").
        qsizetype lineStart = hit;
        while (lineStart > body.begin && isWsp(d[lineStart - 1]))
            --lineStart;
        if (lineStart != body.begin && d[lineStart - 1] != '\n') {
            from = hit + 1;
            continue;
        }
        const Line l = lineAt(buf, hit, body.end);
        const qsizetype restBegin = hit + delimiter.size();
        bool isClose = false;
        bool isDelimiter = true;
        if (l.end - restBegin >= 2 && d[restBegin] == '-' && d[restBegin + 1] == '-') {
            isClose = true; // anything after "--boundary--" is tolerated
        } else {
            for (qsizetype i = restBegin; i < l.end; ++i) {
                if (!isWsp(d[i])) {
                    isDelimiter = false; // "--boundaryX": a longer boundary, or text
                    break;
                }
            }
        }
        if (isDelimiter) {
            if (lineStart != hit)
                split.indented = true;
            if (partStart >= 0) {
                qsizetype e = lineStart;
                if (e > partStart && d[e - 1] == '\n')
                    --e;
                if (e > partStart && d[e - 1] == '\r')
                    --e;
                split.parts.append({partStart, e});
            }
            if (isClose) {
                split.closed = true;
                return split;
            }
            partStart = l.next;
        }
        from = l.next > hit ? l.next : hit + 1;
    }
    if (partStart >= 0)
        split.parts.append({partStart, body.end});
    return split;
}

QByteArray Builder::guessBoundary(const QByteArray& buf, Range body) const
{
    // The declared boundary never occurs (edited or re-wrapped messages). If some
    // "--token" line repeats, it is the real one.
    QHash<QByteArray, int> counts;
    QList<QByteArray> order;
    qsizetype pos = body.begin;
    while (pos < body.end) {
        const Line l = lineAt(buf, pos, body.end);
        if (l.end - l.begin > 2 && buf[l.begin] == '-' && buf[l.begin + 1] == '-') {
            QByteArray cand = buf.mid(l.begin + 2, l.end - l.begin - 2);
            while (!cand.isEmpty() && isWsp(cand.back()))
                cand.chop(1);
            if (cand.endsWith("--"))
                cand.chop(2);
            bool plausible = !cand.isEmpty() && cand.size() <= 200;
            bool onlyDashes = true;
            for (const char c : std::as_const(cand)) {
                if (isWsp(c) || uchar(c) < 32 || uchar(c) >= 127)
                    plausible = false;
                if (c != '-')
                    onlyDashes = false;
            }
            if (plausible && !onlyDashes) {
                auto it = counts.find(cand);
                if (it == counts.end()) {
                    if (counts.size() < kMaxBoundaryGuesses) {
                        counts.insert(cand, 1);
                        order.append(cand);
                    }
                } else {
                    ++it.value();
                }
            }
        }
        pos = l.next;
    }
    for (const QByteArray& cand : std::as_const(order)) {
        if (counts.value(cand) >= 2)
            return cand;
    }
    return {};
}

QByteArray Builder::inferBoundary(const QByteArray& buf, Range body) const
{
    // A header without Content-Type over a body that plainly is a MIME report: the MIME
    // fields were lost on the way (lhost-sendmail-53.eml), the parts remain. Only a report
    // part convinces us; a text body quoting a MIME message must stay text.
    const QByteArrayView view(buf.constData() + body.begin, body.end - body.begin);
    const bool mentionsReport = view.contains("elivery-status") || view.contains("ELIVERY-STATUS")
        || view.contains("eedback-report") || view.contains("EEDBACK-REPORT");
    if (!mentionsReport)
        return {};
    const QByteArray guess = guessBoundary(buf, body);
    if (guess.isEmpty())
        return {};
    const Split split = findParts(buf, body, guess);
    for (const Range& r : split.parts) {
        const HeaderScan hs = scanHeader(buf, r, false);
        if (hs.contentTypeCount == 0)
            continue;
        const QByteArray type = HeaderDecoder::splitParameterized(hs.contentType, nullptr);
        if (type == "message/delivery-status" || type == "message/global-delivery-status"
            || type == "message/feedback-report")
            return guess;
    }
    return {};
}

void Builder::splitMultipart(MimePart& part, const QByteArray& buf, Range body, int depth, const QString& path)
{
    QByteArray boundary = part.params.value("boundary"_ba).toLatin1();
    if (boundary.isEmpty()) {
        note(part, path, Severity::Warning, u"multipart without a boundary parameter; kept as one part"_s);
        return;
    }
    Split split = findParts(buf, body, boundary);
    if (split.parts.isEmpty()) {
        const QByteArray guess = guessBoundary(buf, body);
        if (guess.isEmpty()) {
            note(part, path, Severity::Warning,
                 u"boundary \"%1\" never occurs; multipart kept as one part"_s.arg(QString::fromLatin1(boundary.left(200))));
            return;
        }
        note(part, path, Severity::Warning,
             u"boundary \"%1\" never occurs; split at \"%2\" found in the body"_s.arg(
                 QString::fromLatin1(boundary.left(200)), QString::fromLatin1(guess)));
        split = findParts(buf, body, guess);
    }
    if (!split.closed)
        note(part, path, Severity::Info, u"multipart has no closing boundary (truncated?)"_s);
    if (split.indented)
        note(part, path, Severity::Info, u"boundary delimiter line indented with blanks; accepted"_s);
    const QList<Range>& ranges = split.parts;
    const Context childCtx{.inDigest = part.subtype == "digest"};
    for (qsizetype i = 0; i < ranges.size(); ++i) {
        if (!reservePart(part, path))
            break;
        const QString childPath = path.isEmpty() ? QString::number(i + 1) : path + u'.' + QString::number(i + 1);
        part.children.append(parseEntity(buf, ranges[i], depth + 1, childPath, childCtx));
    }
}

MimePart Builder::parseEntity(const QByteArray& buf, Range r, int depth, const QString& path, Context ctx)
{
    ++m_parts;
    MimePart part;
    const HeaderScan hs = scanHeader(buf, r, ctx.embedded || ctx.headersOnly);
    part.rawHeader = buf.mid(hs.headerBegin, hs.headerEnd - hs.headerBegin);
    if (hs.skippedEnvelope)
        note(part, path, Severity::Info, u"mbox \"From \" line in front of the header skipped"_s);
    if (!hs.endedByEmptyLine && hs.bodyBegin < r.end && !ctx.headersOnly) {
        note(part, path, Severity::Info,
             hs.fields.isEmpty() ? u"no header section; the part is all body"_s
                                 : u"header section not ended by an empty line; the body starts at the first non-header line"_s);
    }
    if (hs.unindentedFolds)
        note(part, path, Severity::Info, u"folded header line without leading blank read as a continuation"_s);
    if (hs.tooManyFields) {
        note(part, path, Severity::Warning,
             u"more than %1 header fields; only the first ones are listed"_s.arg(kMaxHeaderFields));
    }

    const std::optional<MimeticView> mv =
        needsMimetic(buf, hs) && !tokenizerSuffices(buf, hs) ? readWithMimetic(buf, hs) : std::nullopt;
    setContentType(part, path, hs, mv, ctx);

    // 8-bit header text is most often in the body's charset (RFC 6532 aside).
    const QByteArray charset = part.params.value("charset"_ba).toLatin1();
    part.headers.reserve(hs.fields.size());
    for (const RawField& f : hs.fields)
        part.headers.append(HeaderField{f.name, f.value, HeaderDecoder::decodeHeader(f.value, charset)});
    if (ctx.headersOnly)
        return part;

    const Range body{hs.bodyBegin, r.end};
    if (hs.contentTypeCount == 0 && !ctx.inDigest && depth < MimeAdapter::kMaxNesting) {
        if (const QByteArray boundary = inferBoundary(buf, body); !boundary.isEmpty()) {
            part.type = "multipart";
            part.subtype = "mixed";
            part.params.insert("boundary"_ba, QString::fromLatin1(boundary));
            note(part, path, Severity::Warning,
                 u"no Content-Type, but the body is a MIME report with boundary \"%1\"; read as multipart/mixed"_s.arg(
                     QString::fromLatin1(boundary)));
        }
    }
    const QByteArray cte = transferEncoding(hs, mv);
    const bool canDescend = depth < MimeAdapter::kMaxNesting;
    const QByteArray mime = part.mimeType();
    const bool isMessage = mime == "message/rfc822" || mime == "message/global";
    const bool isHeaders = mime == "text/rfc822-headers" || mime == "message/rfc822-headers"
        || mime == "message/global-headers";

    if ((part.isMultipart() || isMessage || isHeaders) && !canDescend) {
        note(part, path, Severity::Warning,
             u"MIME nesting deeper than %1 levels; this %2 part is kept unparsed"_s.arg(
                 QString::number(MimeAdapter::kMaxNesting), QString::fromLatin1(mime)));
        part.rawBody = buf.mid(body.begin, body.end - body.begin);
        part.body = undoTransferEncoding(part, path, part.rawBody, cte);
        return part;
    }

    if (part.isMultipart()) {
        if (!cte.isEmpty() && cte != "7bit" && cte != "8bit" && cte != "binary") {
            note(part, path, Severity::Info,
                 u"Content-Transfer-Encoding \"%1\" on a multipart ignored (RFC 2045 §6.4)"_s.arg(
                     QString::fromLatin1(cte.left(100))));
        }
        keepContainerBody(part, path, buf, body, depth);
        splitMultipart(part, buf, body, depth, path);
        if (part.children.isEmpty())
            part.body = part.rawBody.isNull() ? buf.mid(body.begin, body.end - body.begin) : part.rawBody;
        return part;
    }

    if (isMessage) {
        keepContainerBody(part, path, buf, body, depth);
        const QString childPath = path.isEmpty() ? u"1"_s : path + u".1"_s;
        const bool identity = cte.isEmpty() || cte == "7bit" || cte == "8bit" || cte == "binary";
        if (body.begin >= body.end) {
            note(part, path, Severity::Warning, u"%1 part is empty"_s.arg(QString::fromLatin1(mime)));
        } else if (!reservePart(part, path)) {
            // limit reported
        } else if (identity) {
            part.children.append(parseEntity(buf, body, depth + 1, childPath, Context{.embedded = true}));
        } else {
            // RFC 2046 §5.2.1 forbids encoding message/rfc822, but some MTAs base64 the
            // returned message; its raw bytes are then those of the decoded text.
            note(part, path, Severity::Info,
                 u"%1 part with Content-Transfer-Encoding \"%2\" decoded before parsing"_s.arg(
                     QString::fromLatin1(mime), QString::fromLatin1(cte.left(100))));
            const QByteArray decoded = undoTransferEncoding(
                part, path, part.rawBody.isNull() ? buf.mid(body.begin, body.end - body.begin) : part.rawBody, cte);
            part.children.append(
                parseEntity(decoded, Range{0, decoded.size()}, depth + 1, childPath, Context{.embedded = true}));
        }
        return part;
    }

    part.rawBody = buf.mid(body.begin, body.end - body.begin);
    part.body = undoTransferEncoding(part, path, part.rawBody, cte);
    if (isHeaders && !part.body.isEmpty() && reservePart(part, path)) {
        // RFC 6522 §4: text/rfc822-headers holds the header of the returned message.
        const QString childPath = path.isEmpty() ? u"1"_s : path + u".1"_s;
        part.children.append(
            parseEntity(part.body, Range{0, part.body.size()}, depth + 1, childPath, Context{.headersOnly = true, .embedded = true}));
    }
    return part;
}

} // namespace

MimePart MimeAdapter::parse(const QByteArray& message)
{
    try {
        const qsizetype size = qMin(message.size(), kMaxParseBytes);
        Builder builder(size);
        MimePart root = builder.parseEntity(message, Range{0, size}, 0, QString(), Context{});
        root.diagnostics = builder.takeAll();
        if (message.size() > kMaxParseBytes) {
            root.diagnostics.prepend(Diagnostic{
                Severity::Warning, u"mime"_s,
                u"message of %1 bytes; only the first %2 bytes were parsed"_s.arg(message.size()).arg(kMaxParseBytes)});
        }
        return root;
    } catch (const std::exception& e) {
        MimePart part;
        part.rawBody = message;
        part.diagnostics.append(Diagnostic{Severity::Error, u"mime"_s,
                                           u"MIME parsing failed: "_s + QString::fromLocal8Bit(e.what())});
        return part;
    } catch (...) {
        MimePart part;
        part.rawBody = message;
        part.diagnostics.append(Diagnostic{Severity::Error, u"mime"_s, u"MIME parsing failed"_s});
        return part;
    }
}

} // namespace bi::core::mail
