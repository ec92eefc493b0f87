// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/status_code.h"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStringMatcher>
#include <QSet>

#include "core/common/text_case.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

// Pre-compiled once; QRegularExpression is safe to use from several threads once optimised.
QRegularExpression compiled(const QString& pattern,
                            QRegularExpression::PatternOptions options = QRegularExpression::NoPatternOption)
{
    QRegularExpression re(pattern, options | QRegularExpression::UseUnicodePropertiesOption);
    re.optimize();
    return re;
}

struct StatusTables {
    QHash<QString, QString> statusReasons;
    QHash<QString, QString> pseudoCodes;
    QHash<QString, QString> pseudoTemporaryOverrides;
    QSet<QString> permanentOnly;
    QString error;

    StatusTables()
    {
        QFile file(u":/bi/bounce/status_codes.json"_s);
        if (!file.open(QIODevice::ReadOnly)) {
            error = u"cannot open :/bi/bounce/status_codes.json"_s;
            return;
        }
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
        if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
            error = u"status_codes.json: "_s + parseError.errorString();
            return;
        }
        const QJsonObject root = doc.object();
        const auto readMap = [](const QJsonObject& object, QHash<QString, QString>& into) {
            for (auto it = object.begin(); it != object.end(); ++it)
                into.insert(it.key(), it.value().toString());
        };
        readMap(root.value(u"statusReasons"_s).toObject(), statusReasons);
        readMap(root.value(u"pseudoCodes"_s).toObject(), pseudoCodes);
        readMap(root.value(u"pseudoTemporaryOverrides"_s).toObject(), pseudoTemporaryOverrides);
        for (const auto& value : root.value(u"permanentOnly"_s).toArray())
            permanentOnly.insert(value.toString());
        if (statusReasons.isEmpty() || pseudoCodes.isEmpty())
            error = u"status_codes.json has no statusReasons or pseudoCodes"_s;
    }
};

const StatusTables& tables()
{
    static const StatusTables instance; // C++11 guarantees one thread-safe initialisation
    return instance;
}

// RFC 3463 §2: class "." subject "." detail; subject is 0-7, detail up to three digits
// (RFC 7372 and Exchange Online use 5.7.509 and the like).
const QRegularExpression& statusCandidateRe()
{
    // Not part of a longer dotted number on either side: "192.0.2.1" contains "0.2.1" and
    // "5.1.1.3" is not a status code.
    static const QRegularExpression re =
        compiled(u"(?<![0-9.])([245])\\.([0-9]{1,3})\\.([0-9]{1,3})(?![0-9]|\\.[0-9])"_s);
    return re;
}

bool validParts(int klass, int subject, int detail)
{
    return (klass == 2 || klass == 4 || klass == 5) && subject >= 0 && subject <= 7 && detail >= 0 && detail <= 999;
}

// A version number rather than a status: "Postfix 4.2.1", "v5.1.1", "version 4.1.8".
const QRegularExpression& versionPrefixRe()
{
    static const QRegularExpression re = compiled(
        u"(?:\\b(?:version|ver|release|build|exim|postfix|sendmail|qmail|courier|smtpd|mta)[ /:=]*|[a-z]v|\\bv)$"_s,
        QRegularExpression::CaseInsensitiveOption);
    return re;
}

// The reply code right before a status code: "550 5.1.1", "550-5.7.1", "554 #5.4.6".
const QRegularExpression& replyBeforeStatusRe()
{
    static const QRegularExpression re = compiled(u"\\b[245][0-9][0-9][ \\-]#?$"_s);
    return re;
}

const QRegularExpression& ipv4Re()
{
    static const QRegularExpression re = compiled(
        u"(?<![0-9.])(?:[0-9]{1,3}\\.){3}[0-9]{1,3}(?![0-9]|\\.[0-9])"_s);
    return re;
}

// RFC 5321 §4.2: a reply line starts with the code. Sendmail transcripts prefix "<<< ".
const QRegularExpression& replyAtLineStartRe()
{
    static const QRegularExpression re =
        compiled(u"(?:^|[\\r\\n])[ \\t]*(?:<<<[ \\t]*)?([245][0-5][0-9])(?=[ \\t\\-]|$|[\\r\\n])"_s);
    return re;
}

// Postfix "host x said: 550 ...", Exim "Remote host said:", qmail "Remote host said:", others.
const QRegularExpression& replyAfterMarkerRe()
{
    static const QRegularExpression re = compiled(
        u"(?:said|says|reply|response|responded|replied|answered|returned|error|reason)[ \\t]*:?[ \\t]*\\(?"
        "([245][0-5][0-9])(?=[ \\t\\-):]|$)"_s,
        QRegularExpression::CaseInsensitiveOption);
    return re;
}

const QRegularExpression& replyBeforeStatusAnywhereRe()
{
    static const QRegularExpression re =
        compiled(u"(?<![0-9.])([245][0-5][0-9])[ \\-]#?[245]\\.[0-9]{1,3}\\.[0-9]{1,3}"_s);
    return re;
}

// Last resort, like sisimai's SMTP::Reply->find: any stand-alone 4xx/5xx (and 250-253).
const QRegularExpression& replyAnywhereRe()
{
    static const QRegularExpression re =
        compiled(u"(?<![\\w.\\-/#=:])([45][0-5][0-9]|25[0-3])(?![\\w%@/=]|\\.[0-9]|:[0-9])"_s);
    return re;
}

struct CommandPattern {
    QRegularExpression re;
    bool takeLast = false;
    QString fixed = {}; // the command when the pattern has no command name to capture
};

const std::array<CommandPattern, 12>& commandPatterns()
{
    static const std::array<CommandPattern, 12> patterns = {{
        // Postfix: "(in reply to RCPT TO command)", "(in reply to end of DATA command)"
        {compiled(u"in reply to (?:the )?(rcpt to|mail from|end of data|data|bdat|helo|ehlo|lhlo|starttls|auth|quit|xforward)\\b"_s,
                  QRegularExpression::CaseInsensitiveOption)},
        // Exim: "SMTP error from remote mail server after RCPT TO:<...>", "after end of data",
        // "after initial connection"; other MTAs "error after MAIL FROM"
        {compiled(u"\\bafter (?:the )?(?:pipelined )?(rcpt to|mail from|end of data|data|bdat|helo|ehlo|lhlo|starttls|auth|quit|initial connection)\\b"_s,
                  QRegularExpression::CaseInsensitiveOption)},
        // Postfix lost connection: "while sending RCPT TO", "while receiving the initial server greeting"
        {compiled(u"while (?:sending|performing) (rcpt to|mail from|end of data|data|bdat|helo|ehlo|lhlo|starttls|auth|quit)\\b|"
                  "while (receiving the initial server greeting)"_s,
                  QRegularExpression::CaseInsensitiveOption)},
        // Sendmail transcript ">>> RCPT To:<...>"; the last command sent is the one answered.
        {compiled(u"(?:^|[\\r\\n ])>>> ?(rcpt|mail|data|ehlo|helo|lhlo|starttls|auth|quit|bdat)\\b"_s,
                  QRegularExpression::CaseInsensitiveOption), true},
        // The server refused the session at its greeting (Postfix "refused to talk to me",
        // Amazon SES "[CONN]" style labels are handled by normalizeCommand()).
        {compiled(u"(refused to talk to me|greeting|\\[conn\\])"_s, QRegularExpression::CaseInsensitiveOption)},
        // qmail-remote: "Connected to 192.0.2.1 but my name was rejected." / "... but sender was rejected."
        {compiled(u"but my name was rejected"_s, QRegularExpression::CaseInsensitiveOption), false, u"HELO"_s},
        {compiled(u"but sender was rejected"_s, QRegularExpression::CaseInsensitiveOption), false, u"MAIL"_s},
        // qmail-remote "does not like recipient.", Amazon SES "[RCPT_TO]", DragonFly "did not like our RCPT TO:"
        {compiled(u"does not like recipient|\\[rcpt_to\\]|\\brcpt to\\b"_s, QRegularExpression::CaseInsensitiveOption),
         false, u"RCPT"_s},
        {compiled(u"\\[mail_from\\]|\\bmail from\\b"_s, QRegularExpression::CaseInsensitiveOption), false, u"MAIL"_s},
        // Sendmail's "Need RCPT (recipient)" answers DATA after every recipient was refused.
        {compiled(u"need rcpt \\(recipient\\)"_s, QRegularExpression::CaseInsensitiveOption), false, u"DATA"_s},
        // Sendmail answers RCPT TO as "<address>... User unknown" (srvrsmtp.c "%s... %s").
        {compiled(u"<[^<>\\s@]+@[^<>\\s]+>\\.\\.\\. "_s), false, u"RCPT"_s},
        {compiled(u"\\[data\\]|\\bend of data\\b"_s, QRegularExpression::CaseInsensitiveOption), false, u"DATA"_s},
    }};
    return patterns;
}

// Literal text each command pattern needs, lower case: a pattern can match only where one of
// them occurs. Tested on an ASCII-lowered copy, so only for ASCII texts: with Unicode
// properties, caseless 'k' and 's' also match U+212A and U+017F. Matchers are built once:
// QString::contains() rebuilds its skip table on every call for a long text.
using Hints = std::vector<QStringMatcher>;
const std::array<Hints, 12>& commandHints()
{
    static const std::array<Hints, 12> hints = [] {
        const std::array<QStringList, 12> words = {{
            {u"in reply to"_s},
            {u"after"_s},
            {u"while"_s},
            {u">>>"_s},
            {u"refused to talk to me"_s, u"greeting"_s, u"[conn]"_s},
            {u"but my name was rejected"_s},
            {u"but sender was rejected"_s},
            {u"does not like recipient"_s, u"[rcpt_to]"_s, u"rcpt to"_s},
            {u"[mail_from]"_s, u"mail from"_s},
            {u"need rcpt (recipient)"_s},
            {u">... "_s},
            {u"[data]"_s, u"end of data"_s},
        }};
        std::array<Hints, 12> out;
        for (std::size_t i = 0; i < words.size(); ++i) {
            for (const QString& w : words[i])
                out[i].emplace_back(w, Qt::CaseSensitive);
        }
        return out;
    }();
    return hints;
}

// The ASCII text in lower case, or a null string when the text has other characters.
QString asciiLower(QStringView text)
{
    const bool ascii = std::all_of(text.begin(), text.end(), [](QChar c) { return c.unicode() < 0x80; });
    return ascii ? lowerCase(text) : QString();
}

// Every status code candidate has a class digit, a dot and a digit ("5.1"): texts without one
// (most lines of a bounce) need no regular expression at all.
bool mayHoldStatus(QStringView text)
{
    for (qsizetype i = 0; i + 2 < text.size(); ++i) {
        const char16_t c = text.at(i).unicode();
        if ((c == u'2' || c == u'4' || c == u'5') && text.at(i + 1) == u'.' && text.at(i + 2).unicode() >= u'0'
            && text.at(i + 2).unicode() <= u'9')
            return true;
    }
    return false;
}

// Every reply code pattern needs "[245][0-9][0-9]"; masking IPv4 addresses only removes digits.
bool mayHoldReply(QStringView text)
{
    const auto isDigit = [](QChar c) { return c.unicode() >= u'0' && c.unicode() <= u'9'; };
    for (qsizetype i = 0; i + 2 < text.size(); ++i) {
        const char16_t c = text.at(i).unicode();
        if ((c == u'2' || c == u'4' || c == u'5') && isDigit(text.at(i + 1)) && isDigit(text.at(i + 2)))
            return true;
    }
    return false;
}

} // namespace

bool StatusCode::isValid(QStringView code)
{
    const auto parts = code.split(u'.');
    if (parts.size() != 3)
        return false;
    std::array<int, 3> numbers{};
    for (int i = 0; i < 3; ++i) {
        const QStringView part = parts.at(i);
        if (part.isEmpty() || part.size() > 3)
            return false;
        for (const QChar c : part) {
            if (c < u'0' || c > u'9')
                return false;
        }
        if (i == 0 && part.size() != 1)
            return false;
        numbers[static_cast<std::size_t>(i)] = part.toInt();
    }
    return validParts(numbers[0], numbers[1], numbers[2]);
}

QString StatusCode::normalize(QStringView value)
{
    QStringView v = value.trimmed();
    while (!v.isEmpty() && (v.front() == u'#' || v.front() == u'('))
        v = v.mid(1);
    qsizetype end = 0;
    while (end < v.size() && (v.at(end).isDigit() || v.at(end) == u'.'))
        ++end;
    const QStringView head = v.left(end);
    // "5.1.1." from "5.1.1. User unknown" still counts.
    const QStringView code = head.endsWith(u'.') ? head.chopped(1) : head;
    return isValid(code) ? code.toString() : QString();
}

QString StatusCode::find(QStringView text)
{
    if (text.isEmpty() || !mayHoldStatus(text))
        return {};
    const QString haystack = text.toString();

    QString bestAfterReply;
    QString bestHash;
    QString bestOther;
    QString successCode; // 2.X.X only when nothing else is there (delivery reports)

    auto it = statusCandidateRe().globalMatch(haystack);
    while (it.hasNext()) {
        const auto m = it.next();
        if (!validParts(m.capturedView(1).toInt(), m.capturedView(2).toInt(), m.capturedView(3).toInt()))
            continue;
        const QString code = m.captured(0);
        const qsizetype start = m.capturedStart(0);
        const QString before = haystack.mid(qMax<qsizetype>(0, start - 24), qMin<qsizetype>(24, start));
        const bool afterReply = replyBeforeStatusRe().match(before).hasMatch();
        if (!afterReply && versionPrefixRe().match(before).hasMatch())
            continue;
        if (code.startsWith(u'2')) {
            if (successCode.isEmpty())
                successCode = code;
            continue;
        }
        if (afterReply) {
            if (bestAfterReply.isEmpty())
                bestAfterReply = code;
        } else if (before.endsWith(u'#')) {
            if (bestHash.isEmpty())
                bestHash = code;
        } else if (bestOther.isEmpty()) {
            bestOther = code;
        }
    }
    if (!bestAfterReply.isEmpty())
        return bestAfterReply;
    if (!bestHash.isEmpty())
        return bestHash;
    if (!bestOther.isEmpty())
        return bestOther;
    return successCode;
}

QString StatusCode::findReplyCode(QStringView text)
{
    if (text.isEmpty() || !mayHoldReply(text))
        return {};
    // Octets of IPv4 addresses look like reply codes ("192.0.2.250"): mask them first, as
    // sisimai's SMTP::Reply->find does.
    QString masked = text.toString();
    masked.replace(ipv4Re(), u"*.*.*.*"_s);

    for (const QRegularExpression* re : {&replyAtLineStartRe(), &replyAfterMarkerRe(), &replyBeforeStatusAnywhereRe()}) {
        const auto m = re->match(masked);
        if (m.hasMatch())
            return m.captured(1);
    }
    const auto m = replyAnywhereRe().match(masked);
    return m.hasMatch() ? m.captured(1) : QString();
}

int StatusCode::classDigit(QStringView code)
{
    const QStringView c = code.trimmed();
    if (c.size() < 3)
        return 0;
    const QChar first = c.front();
    if (first != u'2' && first != u'4' && first != u'5')
        return 0;
    if (!(c.at(1) == u'.' || c.at(1).isDigit()))
        return 0;
    return first.digitValue();
}

namespace {

// A bare status or reply code, or the code found in a text.
QString codeOf(QStringView codeOrText)
{
    const QStringView trimmed = codeOrText.trimmed();
    if (StatusCode::isValid(trimmed))
        return trimmed.toString();
    if (trimmed.size() == 3 && trimmed.front().isDigit() && trimmed.at(1).isDigit() && trimmed.at(2).isDigit())
        return trimmed.toString();
    QString code = StatusCode::find(trimmed);
    if (code.isEmpty())
        code = StatusCode::findReplyCode(trimmed);
    return code;
}

} // namespace

bool StatusCode::isTemporary(QStringView codeOrText)
{
    const QString code = codeOf(codeOrText);
    if (!code.isEmpty())
        return classDigit(code) == 4;
    // Sisimai::SMTP::Failure->is_temporary: wording when there is no code.
    const QString lower = codeOrText.toString().toLower();
    return lower.contains(u" temporar"_s) || lower.contains(u" persistent"_s);
}

bool StatusCode::isPermanent(QStringView codeOrText)
{
    const QString code = codeOf(codeOrText);
    if (!code.isEmpty())
        return classDigit(code) == 5;
    return codeOrText.toString().toLower().contains(u" permanent"_s);
}

bool StatusCode::isPseudo(QStringView code)
{
    const QStringView c = code.trimmed();
    return c.size() == 7 && (c.front() == u'4' || c.front() == u'5') && c.mid(1, 4) == u".0.9"
        && c.at(5).isDigit() && c.at(6).isDigit();
}

QString StatusCode::reasonFor(QStringView status)
{
    const QString code = normalize(status);
    if (code.isEmpty())
        return {};
    return tables().statusReasons.value(code);
}

QString StatusCode::pseudoStatus(QStringView reason, bool temporary)
{
    const StatusTables& t = tables();
    const QString name = reason.toString();
    QString detail = t.pseudoCodes.value(name);
    if (detail.isEmpty())
        return {};
    const bool useTemporary = temporary && !t.permanentOnly.contains(name);
    if (useTemporary)
        detail = t.pseudoTemporaryOverrides.value(name, detail);
    return (useTemporary ? u"4.0."_s : u"5.0."_s) + detail;
}

QString StatusCode::normalizeCommand(QStringView command)
{
    const QString c = command.trimmed().toString().toUpper().simplified();
    if (c.isEmpty())
        return {};
    static const std::array<std::pair<QStringView, QStringView>, 9> prefixes = {{
        {u"RCPT", u"RCPT"}, {u"MAIL", u"MAIL"}, {u"END OF DATA", u"DATA"}, {u"DATA", u"DATA"}, {u"BDAT", u"DATA"},
        {u"STARTTLS", u"STARTTLS"}, {u"AUTH", u"AUTH"}, {u"QUIT", u"QUIT"}, {u"XFORWARD", u"MAIL"},
    }};
    for (const auto& [prefix, name] : prefixes) {
        if (c.startsWith(prefix))
            return name.toString();
    }
    if (c.startsWith(u"EHLO"_s) || c.startsWith(u"LHLO"_s))
        return u"EHLO"_s;
    if (c.startsWith(u"HELO"_s))
        return u"HELO"_s;
    if (c.startsWith(u"CONN"_s) || c.startsWith(u"INITIAL CONNECTION"_s) || c.contains(u"GREETING"_s)
        || c.contains(u"REFUSED TO TALK"_s) || c == u"[CONN]"_s)
        return u"CONN"_s;
    return {};
}

QString StatusCode::findCommand(QStringView text)
{
    if (text.isEmpty())
        return {};
    const QString haystack = text.toString();
    const QString lower = asciiLower(text);
    const auto& hints = commandHints();
    static_assert(std::tuple_size_v<std::remove_reference_t<decltype(hints)>>
                  == std::tuple_size_v<std::remove_reference_t<decltype(commandPatterns())>>);
    for (std::size_t p = 0; p < commandPatterns().size(); ++p) {
        const CommandPattern& pattern = commandPatterns()[p];
        if (!lower.isNull()
            && std::none_of(hints[p].begin(), hints[p].end(),
                            [&lower](const QStringMatcher& h) { return h.indexIn(lower) >= 0; }))
            continue;
        QRegularExpressionMatch found;
        if (pattern.takeLast) {
            auto it = pattern.re.globalMatch(haystack);
            while (it.hasNext())
                found = it.next();
        } else {
            found = pattern.re.match(haystack);
        }
        if (!found.hasMatch())
            continue;
        if (!pattern.fixed.isEmpty())
            return pattern.fixed;
        QString captured;
        for (int i = found.lastCapturedIndex(); i >= 1 && captured.isEmpty(); --i)
            captured = found.captured(i);
        const QString name = normalizeCommand(captured);
        if (!name.isEmpty())
            return name;
    }
    return {};
}

QString StatusCode::dataError()
{
    return tables().error;
}

} // namespace bi::core::bounce
