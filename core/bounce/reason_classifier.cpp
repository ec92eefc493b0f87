// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/reason_classifier.h"

#include <array>

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QRegularExpression>
#include <QStringList>

#include "core/bounce/address.h"
#include "core/bounce/status_code.h"
#include "core/common/text_case.h"

using namespace Qt::StringLiterals;

// The decision follows sisimai 5.1 (https://libsisimai.org/en/reason/, BSD-2-Clause), read from
// lib/Sisimai/Fact.pm (REASON block), Sisimai::Rhost, Sisimai::Reason (get/anotherone) and the
// true()/match() functions of Sisimai::Reason::*. The phrase lists are data in
// core/bounce/data/*.json; only the order of decisions and the few reason-specific rules live here.

namespace bi::core::bounce {

namespace {

// Untrusted input: texts beyond this are cut before matching so one huge diagnostic cannot make
// classification slow. Real diagnostics are a few hundred bytes.
constexpr qsizetype kMaxDiagnosticChars = 64 * 1024;

// The lower-cased diagnostic plus the set of its adjacent character pairs (hashed into 4096
// bits). A phrase can occur only where each of its pairs occurs; testing that costs a few
// instructions per pair, a substring search costs some per character of the text, and of the
// ~700 phrases tried per recipient few get past the test.
class LowerText {
public:
    LowerText() = default;
    explicit LowerText(QString text)
        : m_text(std::move(text))
    {
        for (qsizetype i = 0; i + 1 < m_text.size(); ++i) {
            const uint h = pairHash(m_text.at(i), m_text.at(i + 1));
            m_pairs[h / 64] |= quint64(1) << (h % 64);
        }
    }

    [[nodiscard]] const QString& text() const { return m_text; }
    operator const QString&() const { return m_text; }
    [[nodiscard]] bool isEmpty() const { return m_text.isEmpty(); }

    /// False when phrase certainly does not occur; true when it may.
    [[nodiscard]] bool mayContain(QStringView phrase) const
    {
        for (qsizetype i = 0; i + 1 < phrase.size(); ++i) {
            const uint h = pairHash(phrase.at(i), phrase.at(i + 1));
            if (!(m_pairs[h / 64] & (quint64(1) << (h % 64))))
                return false;
        }
        return true;
    }
    [[nodiscard]] bool contains(QStringView phrase) const { return mayContain(phrase) && m_text.contains(phrase); }

private:
    static uint pairHash(QChar a, QChar b)
    {
        return ((uint(a.unicode()) * 0x9E3779B1u) ^ (uint(b.unicode()) * 0x85EBCA77u)) >> 20;
    }

    QString m_text;
    std::array<quint64, 64> m_pairs{};
};

// Sisimai::String->aligned: every part appears, each after the end of the previous one.
bool aligned(const LowerText& lower, const QStringList& parts)
{
    for (const QString& part : parts) {
        if (!lower.mayContain(part))
            return false;
    }
    const QString& text = lower.text();
    qsizetype from = 0;
    for (const QString& part : parts) {
        const qsizetype at = text.indexOf(part, from);
        if (at < 0)
            return false;
        from = at + part.size();
    }
    return !parts.isEmpty();
}

struct PhraseSet {
    QStringList index;
    QList<QStringList> pairs;
    QStringList exclude;

    [[nodiscard]] bool matches(const LowerText& lower) const
    {
        if (lower.isEmpty())
            return false;
        for (const QString& phrase : exclude) {
            if (lower.contains(phrase))
                return false;
        }
        for (const QString& phrase : index) {
            if (lower.contains(phrase))
                return true;
        }
        for (const QStringList& pair : pairs) {
            if (aligned(lower, pair))
                return true;
        }
        return false;
    }
};

// Reason-specific first-pass rules that do not fit the generic traits (see probe()).
enum class Logic { Generic, UserUnknown, Filtered, Rejected, HostUnknown, MesgTooBig, SyntaxError };

struct ReasonEntry {
    QString name;
    PhraseSet phrases;
    Logic logic = Logic::Generic;
    bool byStatus = false;
    bool requiresStatus = false;
    QStringList skipCommands;
    QStringList replyCodes;
    QStringList skipHintReasons;
};

struct ProviderRule {
    QString reason;
    QStringList status;
    QString rangePrefix;
    int rangeMin = 0;
    int rangeMax = -1;
    QStringList reply;
    QStringList command;
    QStringList phrases;
};

struct CodeRange {
    int min = 0;
    int max = -1;
    QString reason;
};

struct CodeLabel {
    QRegularExpression re;
    int digits = 0;
    QHash<QString, QString> codes;
    QList<CodeRange> ranges;
    QString fallback;
};

struct Provider {
    QString name;
    QStringList hosts;
    bool requireReply = false;
    bool requireStatus = false;
    bool classless = false;
    bool hasCodeLabel = false;
    CodeLabel codeLabel;
    QList<ProviderRule> rules;
};

// What sisimai's MTA (lhost) modules decide from their own wording.
struct Family {
    QStringList names;
    QStringList detect; // text that reveals the family when the decoder did not name one
    QString fallback;
    QList<ProviderRule> rules;
};

QStringList lowerStrings(const QJsonValue& value)
{
    QStringList out;
    for (const auto& item : value.toArray()) {
        const QString s = item.toString().toLower();
        if (!s.isEmpty())
            out.append(s);
    }
    return out;
}

QStringList upperStrings(const QJsonValue& value)
{
    QStringList out;
    for (const auto& item : value.toArray())
        out.append(item.toString().toUpper());
    return out;
}

QStringList plainStrings(const QJsonValue& value)
{
    QStringList out;
    for (const auto& item : value.toArray())
        out.append(item.toString());
    return out;
}

bool readJson(const QString& path, QJsonObject& out, QString& error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        error = u"cannot open "_s + path;
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        error = path + u": "_s + parseError.errorString();
        return false;
    }
    out = doc.object();
    return true;
}

class Tables {
public:
    QHash<QString, ReasonEntry> reasons;
    QStringList probeOrder;
    QStringList fallbackOrder;
    QStringList retryReasons;
    QStringList userUnknownConflicts;
    QList<Provider> providers;
    QList<Family> families;
    QString error;

    Tables()
    {
        QJsonObject phrases;
        if (readJson(u":/bi/bounce/reason_phrases.json"_s, phrases, error))
            loadPhrases(phrases);
        QJsonObject rules;
        QString rulesError;
        if (readJson(u":/bi/bounce/provider_rules.json"_s, rules, rulesError))
            loadProviders(rules);
        QJsonObject familyRules;
        QString familyError;
        if (readJson(u":/bi/bounce/family_rules.json"_s, familyRules, familyError))
            loadFamilies(familyRules);
        if (error.isEmpty())
            error = rulesError;
        if (error.isEmpty())
            error = familyError;
        if (error.isEmpty() && (reasons.isEmpty() || probeOrder.isEmpty()))
            error = u"reason_phrases.json has no reasons"_s;
    }

    [[nodiscard]] bool matches(const QString& reason, const LowerText& lower) const
    {
        const auto it = reasons.constFind(reason);
        return it != reasons.cend() && it->phrases.matches(lower);
    }

private:
    void loadPhrases(const QJsonObject& root)
    {
        probeOrder = lowerStrings(root.value(u"probeOrder"_s));
        fallbackOrder = lowerStrings(root.value(u"fallbackOrder"_s));
        retryReasons = lowerStrings(root.value(u"retryReasons"_s));
        userUnknownConflicts = lowerStrings(root.value(u"userUnknownConflicts"_s));
        const QJsonObject all = root.value(u"reasons"_s).toObject();
        static const QHash<QString, Logic> logics = {
            {u"userunknown"_s, Logic::UserUnknown}, {u"filtered"_s, Logic::Filtered},
            {u"rejected"_s, Logic::Rejected},       {u"hostunknown"_s, Logic::HostUnknown},
            {u"mesgtoobig"_s, Logic::MesgTooBig},   {u"syntaxerror"_s, Logic::SyntaxError},
        };
        for (auto it = all.begin(); it != all.end(); ++it) {
            const QJsonObject object = it.value().toObject();
            ReasonEntry entry;
            entry.name = it.key().toLower();
            entry.phrases.index = lowerStrings(object.value(u"index"_s));
            entry.phrases.exclude = lowerStrings(object.value(u"exclude"_s));
            for (const auto& pair : object.value(u"pairs"_s).toArray())
                entry.phrases.pairs.append(lowerStrings(pair));
            const QJsonObject probe = object.value(u"probe"_s).toObject();
            entry.logic = logics.value(probe.value(u"logic"_s).toString(), Logic::Generic);
            entry.byStatus = probe.value(u"byStatus"_s).toBool();
            entry.requiresStatus = probe.value(u"requiresStatus"_s).toBool();
            entry.skipCommands = upperStrings(probe.value(u"skipCommands"_s));
            entry.replyCodes = plainStrings(probe.value(u"replyCodes"_s));
            entry.skipHintReasons = lowerStrings(probe.value(u"skipHintReasons"_s));
            reasons.insert(entry.name, entry);
        }
    }

    void loadProviders(const QJsonObject& root)
    {
        for (const auto& value : root.value(u"providers"_s).toArray()) {
            const QJsonObject object = value.toObject();
            Provider provider;
            provider.name = object.value(u"name"_s).toString();
            provider.hosts = lowerStrings(object.value(u"hosts"_s));
            provider.requireReply = object.value(u"requireReply"_s).toBool();
            provider.requireStatus = object.value(u"requireStatus"_s).toBool();
            provider.classless = object.value(u"classlessCodes"_s).toBool();
            const QJsonObject label = object.value(u"codeLabel"_s).toObject();
            if (!label.isEmpty()) {
                provider.hasCodeLabel = true;
                provider.codeLabel.re = QRegularExpression(label.value(u"pattern"_s).toString(),
                                                           QRegularExpression::UseUnicodePropertiesOption);
                provider.codeLabel.re.optimize();
                provider.codeLabel.digits = label.value(u"digits"_s).toInt();
                provider.codeLabel.fallback = label.value(u"fallback"_s).toString();
                const QJsonObject codes = label.value(u"codes"_s).toObject();
                for (auto it = codes.begin(); it != codes.end(); ++it)
                    provider.codeLabel.codes.insert(it.key().toLower(), it.value().toString());
                for (const auto& rangeValue : label.value(u"ranges"_s).toArray()) {
                    const QJsonArray range = rangeValue.toArray();
                    if (range.size() == 3)
                        provider.codeLabel.ranges.append({range.at(0).toInt(), range.at(1).toInt(), range.at(2).toString()});
                }
                if (!provider.codeLabel.re.isValid() && error.isEmpty())
                    error = u"provider_rules.json: bad pattern for "_s + provider.name;
            }
            provider.rules = loadRules(object.value(u"rules"_s));
            providers.append(provider);
        }
    }

    void loadFamilies(const QJsonObject& root)
    {
        for (const auto& value : root.value(u"families"_s).toArray()) {
            const QJsonObject object = value.toObject();
            Family family;
            family.names = lowerStrings(object.value(u"names"_s));
            family.detect = lowerStrings(object.value(u"detect"_s));
            family.fallback = object.value(u"default"_s).toString();
            family.rules = loadRules(object.value(u"rules"_s));
            families.append(family);
        }
    }

    static QList<ProviderRule> loadRules(const QJsonValue& value)
    {
        QList<ProviderRule> rules;
        for (const auto& ruleValue : value.toArray()) {
            const QJsonObject r = ruleValue.toObject();
            ProviderRule rule;
            rule.reason = r.value(u"reason"_s).toString();
            rule.status = plainStrings(r.value(u"status"_s));
            const QJsonArray range = r.value(u"statusRange"_s).toArray();
            if (range.size() == 3) {
                rule.rangePrefix = range.at(0).toString();
                rule.rangeMin = range.at(1).toInt();
                rule.rangeMax = range.at(2).toInt();
            }
            rule.reply = plainStrings(r.value(u"reply"_s));
            rule.command = upperStrings(r.value(u"command"_s));
            rule.phrases = lowerStrings(r.value(u"phrases"_s));
            rules.append(rule);
        }
        return rules;
    }
};

const Tables& tables()
{
    static const Tables instance; // loaded once, thread-safe (C++11 static initialisation)
    return instance;
}

// What sisimai's Sisimai::Fact holds while it decides (the subset the reason needs).
struct Fact {
    QString hint;       // the decoder's reason, when it is a known name
    QString status;     // valid RFC 3463 code or empty
    QString byCode;     // StatusCode::reasonFor(status), asked by every probe
    QString reply;      // three digits or empty
    QString command;    // normalised SMTP command or empty
    QString action;     // lower case
    QString diagnostic; // one line
    LowerText lower;    // diagnostic in lower case, for the phrase tables
    QString diagType;   // upper case, "SMTP" unless the bounce said otherwise
    QString rhost;      // lower case
    QString domain;     // recipient domain, lower case
};

// Sisimai::Fact: a specific code in the diagnostic ("550 5.1.1 ...") replaces the Status field;
// X.0.X codes do not, they say less than the field. Only [45].[1-9].[1-9]+ qualifies.
bool isSpecificCode(const QString& code)
{
    if (!StatusCode::isValid(code) || code.startsWith(u'2'))
        return false;
    const QStringList parts = code.split(u'.');
    if (parts.at(1) == u"0"_s)
        return false;
    for (const QChar c : parts.at(2)) {
        if (c == u'0')
            return false;
    }
    return true;
}

// PCRE's \b without Unicode properties: ASCII letters, digits and '_' are word characters.
bool isRegexWordChar(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'0' && u <= u'9') || (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || u == u'_';
}

// How often code occurs as /\bcode\b/, overlapping matches included (as QString::count with a
// regular expression counts them). Plain search: compiling a pattern per diagnostic cost more than
// all the rest of the classification.
int countWholeWord(QStringView text, QStringView code)
{
    const bool wordFirst = isRegexWordChar(code.front());
    const bool wordLast = isRegexWordChar(code.back());
    int count = 0;
    for (qsizetype at = text.indexOf(code); at >= 0; at = text.indexOf(code, at + 1)) {
        const qsizetype end = at + code.size();
        const bool wordBefore = at > 0 && isRegexWordChar(text.at(at - 1));
        const bool wordAfter = end < text.size() && isRegexWordChar(text.at(end));
        if (wordBefore != wordFirst && wordAfter != wordLast)
            ++count;
    }
    return count;
}

bool isRegexSpace(QChar c)
{
    const char16_t u = c.unicode();
    return u == u' ' || (u >= u'\t' && u <= u'\r');
}

// Sisimai::Fact: when the status or reply code appears more than twice, the text is a multi-line
// reply ("550-5.7.1 ... 550-5.7.1 ... 550 5.7.1 ..."); drop the repeated prefixes.
QString sweepMultilineReply(const QString& text, const QString& status, const QString& reply)
{
    if (reply.isEmpty())
        return text;
    int count = countWholeWord(text, reply);
    if (!status.isEmpty())
        count += countWholeWord(text, status);
    if (count <= 2)
        return text;
    // Like sisimai, only the repeated continuation prefixes (after a space) go; the first stays:
    // s/\s<reply>[- ](?:<status>)?/ /g.
    QString out;
    out.reserve(text.size());
    const QStringView view(text);
    qsizetype i = 0;
    while (i < view.size()) {
        const qsizetype sep = i + 1 + reply.size();
        if (isRegexSpace(view.at(i)) && sep < view.size() && view.sliced(i + 1, reply.size()) == reply
            && (view.at(sep) == u'-' || view.at(sep) == u' ')) {
            qsizetype end = sep + 1;
            if (!status.isEmpty() && view.sliced(end).startsWith(status))
                end += status.size();
            out += u' ';
            i = end;
        } else {
            out += view.at(i);
            ++i;
        }
    }
    // s/<html>.*<\/html>//gis: from the first opening tag to the last closing tag after it.
    if (const qsizetype open = out.indexOf(u"<html>", 0, Qt::CaseInsensitive); open >= 0) {
        const qsizetype close = out.lastIndexOf(u"</html>", -1, Qt::CaseInsensitive);
        if (close >= open + 6)
            out.remove(open, close + 7 - open);
    }
    return out.simplified();
}

bool isReplyCode(const QString& value)
{
    return value.size() == 3 && value.at(0).isDigit() && value.at(1).isDigit() && value.at(2).isDigit()
        && StatusCode::classDigit(value) != 0;
}

QString domainOf(const QString& recipient)
{
    QString r = recipient.trimmed().toLower();
    const qsizetype at = r.lastIndexOf(u'@');
    if (at >= 0)
        r = r.mid(at + 1);
    while (r.endsWith(u'>') || r.endsWith(u'.'))
        r.chop(1);
    return r;
}

Fact makeFact(const ReasonInput& input, const Tables& t)
{
    Fact f;
    const QString hint = input.hintReason.trimmed().toLower();
    if (t.reasons.contains(hint) || hint == u"delivered"_s || hint == u"feedback"_s || hint == u"undefined"_s
        || hint == u"onhold"_s)
        f.hint = hint;

    QString diagnostic = input.diagnostic.left(kMaxDiagnosticChars);
    const QString statusField = StatusCode::normalize(input.status);
    if (!StatusCode::isPseudo(statusField))
        f.status = statusField;
    const QString inText = StatusCode::find(diagnostic);
    if (isSpecificCode(inText))
        f.status = inText;

    f.byCode = StatusCode::reasonFor(f.status);

    const QString givenReply = input.replyCode.trimmed();
    f.reply = isReplyCode(givenReply) ? givenReply : StatusCode::findReplyCode(diagnostic);

    f.command = StatusCode::normalizeCommand(input.smtpCommand);
    if (f.command.isEmpty())
        f.command = StatusCode::findCommand(diagnostic);

    f.action = input.action.trimmed().toLower();
    if (f.action.isEmpty() && input.kind == MessageKind::Delay)
        f.action = u"delayed"_s;

    f.diagnostic = sweepMultilineReply(simplifiedText(diagnostic), f.status, f.reply);
    f.lower = LowerText(lowerCase(f.diagnostic));
    f.diagType = input.diagnosticType.trimmed().toUpper();
    if (f.diagType.isEmpty())
        f.diagType = u"SMTP"_s;
    f.rhost = input.remoteHost.trimmed().toLower();
    f.domain = domainOf(input.recipient);
    return f;
}

// ---------------------------------------------------------------------------------------------
// Sisimai::Rhost: replies of some providers are read with their own tables.

bool hostMatches(const Provider& provider, const Fact& f)
{
    for (const QString& host : provider.hosts) {
        if (!f.rhost.isEmpty() && f.rhost.contains(host))
            return true;
        // Sisimai::Rhost also takes the recipient's domain when a host pattern contains it
        // ("orange.fr" in ".orange.fr"); we require a whole label so "e.com" is not ".me.com".
        if (Address::isWithinDomain(host, f.domain))
            return true;
    }
    return false;
}

bool codeEquals(const QString& have, const QString& want, bool classless)
{
    if (!classless)
        return have == want;
    return have.size() > 1 && want.size() > 1 && have.mid(1) == want.mid(1);
}

bool ruleMatches(const ProviderRule& rule, const Fact& f, bool classless)
{
    if (!rule.status.isEmpty()) {
        bool any = false;
        for (const QString& s : rule.status)
            any = any || codeEquals(f.status, s, classless);
        if (!any)
            return false;
    }
    if (!rule.rangePrefix.isEmpty()) {
        if (!f.status.startsWith(rule.rangePrefix))
            return false;
        bool ok = false;
        const int last = f.status.section(u'.', 2, 2).toInt(&ok);
        if (!ok || last < rule.rangeMin || last > rule.rangeMax)
            return false;
    }
    if (!rule.reply.isEmpty()) {
        bool any = false;
        for (const QString& r : rule.reply)
            any = any || codeEquals(f.reply, r, classless);
        if (!any)
            return false;
    }
    if (!rule.command.isEmpty() && !rule.command.contains(f.command))
        return false;
    if (rule.phrases.isEmpty())
        return true;
    for (const QString& phrase : rule.phrases) {
        if (f.lower.contains(phrase))
            return true;
    }
    return false;
}

QString providerReason(const Fact& f, const Tables& t)
{
    if (f.diagnostic.isEmpty())
        return {};
    for (const Provider& provider : t.providers) {
        if (!hostMatches(provider, f))
            continue;
        if (provider.requireReply && f.reply.isEmpty())
            return {};
        if (provider.requireStatus && f.status.isEmpty())
            return {};
        if (provider.hasCodeLabel) {
            const CodeLabel& label = provider.codeLabel;
            const auto m = label.re.match(f.lower.text());
            if (m.hasMatch()) {
                QString code = m.lastCapturedIndex() >= 1 ? m.captured(1) : m.captured(0);
                if (label.digits > 0)
                    code = m.captured(0).right(label.digits);
                QString reason = label.codes.value(code);
                bool isNumber = false;
                const int number = code.toInt(&isNumber);
                for (qsizetype i = 0; reason.isEmpty() && isNumber && i < label.ranges.size(); ++i) {
                    if (number >= label.ranges.at(i).min && number <= label.ranges.at(i).max)
                        reason = label.ranges.at(i).reason;
                }
                if (reason.isEmpty())
                    reason = label.fallback;
                if (!reason.isEmpty())
                    return reason;
            }
        }
        for (const ProviderRule& rule : provider.rules) {
            if (ruleMatches(rule, f, provider.classless))
                return rule.reason;
        }
        return {}; // first matching provider only, as Sisimai::Rhost
    }
    return {};
}

// What the decoder family (sisimai's Lhost module) would have decided from its own wording, for
// decoders that pass the family but no reason of their own.
QString familyReason(const ReasonInput& input, const Fact& f, const Tables& t)
{
    const auto decide = [&f](const Family& family) {
        for (const ProviderRule& rule : family.rules) {
            if (ruleMatches(rule, f, false))
                return rule.reason;
        }
        return family.fallback;
    };
    const QString name = input.family.trimmed().toLower();
    if (!name.isEmpty()) {
        for (const Family& family : t.families) {
            if (family.names.contains(name))
                return decide(family);
        }
    }
    // Sisimai::RFC3464 hands messages of local delivery agents ("mail.local: ...") to Sisimai::MDA.
    if (!name.isEmpty() && name != u"rfc3464"_s)
        return {};
    for (const Family& family : t.families) {
        for (const QString& phrase : family.detect) {
            if (f.lower.contains(phrase))
                return decide(family);
        }
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
// Sisimai::Reason: the first pass (true() of each class in ClassOrder[0]).

bool isBeforeData(const QString& command)
{
    static const QStringList beforeData = {u"CONN"_s, u"EHLO"_s, u"HELO"_s, u"STARTTLS"_s,
                                           u"AUTH"_s, u"MAIL"_s, u"RCPT"_s};
    return beforeData.contains(command);
}

bool probe(const ReasonEntry& e, const Fact& f, const Tables& t)
{
    const QString& byCode = f.byCode;
    switch (e.logic) {
    case Logic::UserUnknown:
        // X.1.1 is userunknown unless the text names a more precise cause; without the code,
        // only a reply to RCPT TO can mean the recipient (RFC 5321 §3.3).
        if (f.hint == e.name)
            return true;
        if (byCode == u"suspend"_s)
            return false;
        if (byCode == e.name) {
            for (const QString& other : t.userUnknownConflicts) {
                if (t.matches(other, f.lower))
                    return false;
            }
            return true;
        }
        return f.command == u"RCPT"_s && e.phrases.matches(f.lower);
    case Logic::Filtered:
        // After DATA the server has read the message: an "unknown user" there is a filter.
        if (f.hint == e.name)
            return true;
        if (byCode == u"suspend"_s)
            return false;
        if (byCode == e.name)
            return t.matches(u"userunknown"_s, f.lower) || e.phrases.matches(f.lower);
        if (isBeforeData(f.command))
            return false;
        return e.phrases.matches(f.lower) || t.matches(u"userunknown"_s, f.lower);
    case Logic::Rejected: {
        // The envelope sender: at MAIL FROM (RFC 5321 §3.3), or by wording when nothing else decides.
        if (f.hint == e.name)
            return true;
        const QString temp = byCode.isEmpty() ? u"undefined"_s : byCode;
        if (temp == e.name)
            return true;
        if (f.command == u"MAIL"_s)
            return e.phrases.matches(f.lower);
        if (f.command == u"DATA"_s)
            return temp != u"userunknown"_s && e.phrases.matches(f.lower);
        if (temp == u"undefined"_s || temp == u"onhold"_s || temp == u"securityerror"_s || temp == u"systemerror"_s)
            return e.phrases.matches(f.lower);
        return false;
    }
    case Logic::HostUnknown:
        // X.1.2 unless the text shows a DNS failure (networkerror) rather than a missing domain.
        if (f.hint == e.name)
            return true;
        if (byCode == e.name)
            return !t.matches(u"networkerror"_s, f.lower);
        return e.phrases.matches(f.lower);
    case Logic::MesgTooBig:
        // X.2.3 is the per-mailbox limit (exceedlimit), not the system-wide size (X.3.4).
        if (f.hint == e.name || byCode == e.name)
            return true;
        if (byCode == u"exceedlimit"_s || f.status == u"5.2.3"_s)
            return false;
        return e.phrases.matches(f.lower);
    case Logic::SyntaxError: {
        // RFC 5321 §4.2.2: 500-504 are command syntax/sequence errors; sisimai takes 501-507
        // and 401-407.
        if (f.hint == e.name)
            return true;
        bool ok = false;
        const int reply = f.reply.toInt(&ok);
        return ok && ((reply > 400 && reply < 408) || (reply > 500 && reply < 508));
    }
    case Logic::Generic:
        break;
    }
    if (e.requiresStatus && f.status.isEmpty())
        return false;
    if (f.hint == e.name)
        return true;
    if (e.skipHintReasons.contains(f.hint))
        return false;
    if (e.byStatus && byCode == e.name)
        return true;
    if (!e.replyCodes.isEmpty() && e.replyCodes.contains(f.reply))
        return true;
    if (e.skipCommands.contains(f.command))
        return false;
    return e.phrases.matches(f.lower);
}

// Sisimai::Reason->anotherone: phrases of ClassOrder[1], then the status class, the action
// and the command.
QString anotherOne(const Fact& f, const Tables& t)
{
    if (!f.hint.isEmpty())
        return f.hint;
    const QString& byCode = f.byCode;
    const bool tryText = byCode.isEmpty() || t.retryReasons.contains(byCode) || f.diagType != u"SMTP"_s;
    if (!tryText)
        return byCode;
    for (const QString& name : t.fallbackOrder) {
        if (t.matches(name, f.lower))
            return name;
    }
    if (!byCode.isEmpty())
        return byCode;

    const QStringView subject = QStringView(f.status).left(3);
    if (subject == u"5.6" || subject == u"4.6")
        return u"contenterror"_s; // RFC 3463 X.6.X: message content or media status
    if (subject == u"5.7" || subject == u"4.7")
        return u"securityerror"_s; // RFC 3463 X.7.X: security or policy status
    if (f.diagType.startsWith(u"X-UNIX"_s))
        return u"mailererror"_s; // RFC 3464 §2.3.6 diagnostic type of a local delivery program
    const auto syntax = t.reasons.constFind(u"syntaxerror"_s);
    if (syntax != t.reasons.cend() && probe(*syntax, f, t))
        return u"syntaxerror"_s;
    if (f.action.startsWith(u"delayed"_s) || f.action.startsWith(u"expired"_s))
        return u"expired"_s; // RFC 3464 §2.3.3: the MTA is still retrying or gave up retrying
    if (f.command == u"CONN"_s || f.command == u"EHLO"_s || f.command == u"HELO"_s)
        return u"blocked"_s; // refused at the greeting or at HELO: the client itself is refused
    return {};
}

// Sisimai::Reason->get
QString reasonGet(const Fact& f, const Tables& t)
{
    if (!f.hint.isEmpty() && !t.retryReasons.contains(f.hint))
        return f.hint;
    if (f.status.startsWith(u"2."_s))
        return u"delivered"_s;

    QString reason;
    if (f.diagType == u"SMTP"_s) {
        for (const QString& name : t.probeOrder) {
            const auto entry = t.reasons.constFind(name);
            if (entry != t.reasons.cend() && probe(*entry, f, t)) {
                reason = name;
                break;
            }
        }
    }
    if (!reason.isEmpty() && reason != u"undefined"_s)
        return reason;

    reason = anotherOne(f, t);
    if (reason == u"undefined"_s)
        reason.clear();
    if (reason.isEmpty() && f.action == u"delayed"_s)
        reason = u"expired"_s;
    if (!reason.isEmpty())
        return reason;
    if (t.matches(u"vacation"_s, f.lower))
        return u"vacation"_s;
    return f.diagnostic.isEmpty() ? u"undefined"_s : u"onhold"_s;
}

// Message kinds and decoder families that are not failures at all.
QString nonFailureReason(const ReasonInput& input, const Fact& f)
{
    switch (input.kind) {
    case MessageKind::Delivered:
        return u"delivered"_s;
    case MessageKind::Feedback:
        return u"feedback"_s; // RFC 5965 ARF report
    case MessageKind::AutoReply:
        return u"vacation"_s; // RFC 3834 automatic response
    default:
        break;
    }
    const QString family = input.family.trimmed().toLower();
    if (family == u"arf"_s || family == u"feedback-loop"_s || family == u"feedback"_s)
        return u"feedback"_s;
    if (family == u"rfc3834"_s || family == u"vacation"_s || family == u"autoreply"_s)
        return u"vacation"_s;
    if (f.hint == u"feedback"_s || f.hint == u"vacation"_s || f.hint == u"delivered"_s)
        return f.hint;
    // RFC 3464 §2.3.3 "delivered" and a 2.X.X status are positive reports.
    if (f.action == u"delivered"_s)
        return u"delivered"_s;
    return {};
}

} // namespace

bool ReasonClassifier::isHardBounce(QStringView reason, QStringView errorText)
{
    if (reason == u"userunknown" || reason == u"hostunknown" || reason == u"hasmoved")
        return true;
    if (reason != u"notaccept")
        return false;
    // Sisimai::SMTP::Failure->is_hardbounce: a null MX (RFC 7505) or 5xx is permanent; a 4xx
    // "not accepting" or a text that says temporary is soft.
    return !StatusCode::isTemporary(errorText);
}

QString ReasonClassifier::familyRuleReason(QStringView family, QStringView text)
{
    const Tables& t = tables();
    ReasonInput input;
    input.diagnostic = text.toString();
    const Fact f = makeFact(input, t);
    const QString name = family.toString().toLower();
    for (const Family& fam : t.families) {
        if (!fam.names.contains(name))
            continue;
        for (const ProviderRule& rule : fam.rules) {
            if (ruleMatches(rule, f, false))
                return rule.reason;
        }
        return {};
    }
    return {};
}

ReasonResult ReasonClassifier::classify(const ReasonInput& input)
{
    const Tables& t = tables();
    Fact f = makeFact(input, t);

    ReasonResult result;
    result.status = f.status;
    result.replyCode = f.reply;
    result.smtpCommand = f.command;

    const QString special = nonFailureReason(input, f);
    if (!special.isEmpty()) {
        result.reason = special;
        if (special != u"delivered"_s) {
            // Sisimai::Fact: feedback and vacation have no reply code.
            result.replyCode.clear();
        }
        return result;
    }

    if (f.hint.isEmpty())
        f.hint = familyReason(input, f, t);
    if (!f.hint.isEmpty() && !t.retryReasons.contains(f.hint)) {
        result.reason = f.hint;
    } else {
        result.reason = providerReason(f, t);
        if (result.reason.isEmpty())
            result.reason = reasonGet(f, t);
        if (result.reason.isEmpty())
            result.reason = u"undefined"_s;
    }

    if (result.reason == u"delivered"_s || result.reason == u"vacation"_s || result.reason == u"feedback"_s) {
        if (result.reason != u"delivered"_s)
            result.replyCode.clear();
        return result;
    }

    const QString errorText = (f.status + u' ' + f.diagnostic).trimmed();
    result.hardBounce = isHardBounce(result.reason, errorText);

    if (result.status.isEmpty()) {
        // Sisimai::Fact DELIVERYSTATUS: a pseudo code, temporary only when the text says so.
        const QString replyAndText = (f.reply + u' ' + f.diagnostic).trimmed();
        const bool temporary = !replyAndText.isEmpty() && StatusCode::isTemporary(replyAndText);
        result.status = StatusCode::pseudoStatus(result.reason, temporary);
    }
    // Sisimai::Fact REPLYCODE: a reply code of another class than the status is dropped.
    if (!result.replyCode.isEmpty() && !result.status.isEmpty()
        && result.replyCode.front() != result.status.front())
        result.replyCode.clear();
    return result;
}

QString ReasonClassifier::dataError()
{
    const QString own = tables().error;
    return own.isEmpty() ? StatusCode::dataError() : own;
}

} // namespace bi::core::bounce
