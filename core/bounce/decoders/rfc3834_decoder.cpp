// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/rfc3834_decoder.h"

#include <QRegularExpression>

#include "core/bounce/address.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

struct HeaderRule {
    QByteArrayView header;
    const char16_t* pattern;
};

// RFC 3834 §5 Auto-Submitted, plus the de-facto markers of Exchange
// (X-Auto-Response-Suppress), Apple Mail (X-Apple-Action) and old sendmail
// vacation (Precedence: auto_reply), and the subjects auto-responders write.
const HeaderRule kAutoReplyRules[] = {
    {"Auto-Submitted", u"^auto-(generated|replied|notified)"},
    {"X-Auto-Response-Suppress", u"(oof|autoreply)"},
    {"X-Apple-Action", u"^vacation$"},
    {"Precedence", u"^auto_reply$"},
    {"X-Autoreply", u"^(yes|true|1)"},
    {"X-Autorespond", u"."},
    {"Subject", u"^(auto:|auto[ -]?reply:|auto[ -]?response:|automatic reply:|autoreply:|"
                u"out of (the )?office( reply| autoreply)?:|abwesenheitsnotiz|r[ée]ponse automatique|"
                u"vacation reply|自動応答|自動返信)"},
};

// Bounces and system mail also carry Auto-Submitted; these are never vacation replies.
const HeaderRule kExclusionRules[] = {
    {"From", u"(^|[<\\s])(root|postmaster|mailer-daemon)@"},
    {"To", u"(^|[<\\s])root@"},
    {"Subject", u"(security information for|mail failure -|undeliver|delivery (status )?notification|"
                u"returned mail|failure notice|delivery failure)"},
};

struct CompiledRule {
    QByteArrayView header;
    QRegularExpression re;
};

template<std::size_t N>
QList<CompiledRule> compile(const HeaderRule (&rules)[N])
{
    QList<CompiledRule> out;
    for (const HeaderRule& rule : rules)
        out.append({rule.header, QRegularExpression(QString::fromUtf16(rule.pattern),
                                                    QRegularExpression::CaseInsensitiveOption)});
    return out;
}

const QList<CompiledRule>& autoReplyRules()
{
    static const QList<CompiledRule> rules = compile(kAutoReplyRules);
    return rules;
}

const QList<CompiledRule>& exclusionRules()
{
    static const QList<CompiledRule> rules = compile(kExclusionRules);
    return rules;
}

bool matches(const mail::MimePart& root, const CompiledRule& rule)
{
    const QRegularExpression& re = rule.re;
    for (const QString& value : root.headerAll(rule.header)) {
        if (re.match(value.trimmed()).hasMatch())
            return true;
    }
    return false;
}

// The first few lines of the reply are what the person wrote: that is the diagnostic.
QString leadingText(const QString& body, int maxLines)
{
    QStringList kept;
    for (const QString& rawLine : body.split(u'\n')) {
        const QString line = rawLine.trimmed();
        if (line.isEmpty() || !line.contains(u' '))
            continue;
        kept << line;
        if (kept.size() >= maxLines)
            break;
    }
    return kept.join(u' ').simplified();
}

} // namespace

QString Rfc3834Decoder::family() const
{
    return u"rfc3834"_s;
}

bool Rfc3834Decoder::detect(const DecodeContext& ctx) const
{
    for (const CompiledRule& rule : exclusionRules()) {
        if (matches(ctx.root(), rule))
            return false;
    }
    for (const CompiledRule& rule : autoReplyRules()) {
        if (matches(ctx.root(), rule))
            return true;
    }
    return false;
}

std::optional<BounceReport> Rfc3834Decoder::decode(const DecodeContext& ctx) const
{
    // The person who is away is the one who wrote the reply.
    QString who = Address::normalize(ctx.root().header("From"));
    if (who.isEmpty())
        who = Address::normalize(ctx.root().header("Return-Path"));
    if (who.isEmpty())
        return std::nullopt;

    BounceReport report;
    report.family = family();
    report.kind = MessageKind::AutoReply;
    BounceRecipient r;
    r.kind = MessageKind::AutoReply;
    r.recipient = who;
    r.diagnostic = leadingText(ctx.noticeText(), 5);
    if (r.diagnostic.isEmpty())
        r.diagnostic = ctx.root().header("Subject").simplified();
    report.recipients.append(std::move(r));
    return report;
}

} // namespace bi::core::bounce
