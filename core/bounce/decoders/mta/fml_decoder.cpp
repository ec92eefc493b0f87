// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/fml_decoder.h"

#include <vector>

#include <QRegularExpression>

#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

constexpr QStringView kOriginal[] = {u"Original mail as follows:"};

struct ReasonPattern {
    QStringView reason;
    QStringView pattern;
};
// fml's error texts (the reason is in the body) ...
constexpr ReasonPattern kBodyPatterns[] = {
    {u"rejected", uR"((?:Ignored )*NOT MEMBER article from |reject (?:mail from .+@.+|since .+ header may cause mail loop|spammers:)|You are not a member of this mailing list)"},
    {u"systemerror", uR"(Duplicated Message-ID|fml .+ has detected a loop condition so that|Loop Back Warning:)"},
    {u"securityerror", uR"(Security alert:)"},
};
// ... and its subjects, when the body does not say.
constexpr ReasonPattern kSubjectPatterns[] = {
    {u"rejected", uR"((?:Ignored )*NOT MEMBER article from |reject mail (?:.+:|from) ,|Spam mail from a spammer is rejected|You .+ are not member)"},
    {u"systemerror", uR"(fml system error message|Loop Alert: |Loop Back Warning: |WARNING: UNIX FROM Loop)"},
    {u"securityerror", uR"(Security Alert)"},
};

struct CompiledPattern {
    QString reason;
    QRegularExpression re;
};

template <std::size_t N>
std::vector<CompiledPattern> compile(const ReasonPattern (&patterns)[N])
{
    std::vector<CompiledPattern> out;
    for (const ReasonPattern& p : patterns) {
        QRegularExpression re(p.pattern.toString());
        re.optimize();
        out.push_back({p.reason.toString(), re});
    }
    return out;
}

QString reasonFor(const QString& text, const std::vector<CompiledPattern>& patterns)
{
    for (const CompiledPattern& p : patterns) {
        if (p.re.match(text).hasMatch())
            return p.reason;
    }
    return {};
}

} // namespace

QString FmlDecoder::family() const
{
    return u"fml"_s;
}

bool FmlDecoder::detect(const DecodeContext& ctx) const
{
    const mail::MimePart& root = ctx.root();
    if (!root.hasHeader("X-MLServer"))
        return false;
    static const QRegularExpression admin(uR"(.+-admin@.+)"_s);
    static const QRegularExpression messageId(uR"(^<\d+\.FML.+@.+>$)"_s);
    return admin.match(root.header("From")).hasMatch() && messageId.match(root.header("Message-ID").trimmed()).hasMatch();
}

std::optional<BounceReport> FmlDecoder::decode(const DecodeContext& ctx) const
{
    const QStringList lines = MtaText::linesBefore(MtaText::lines(MtaText::bounceText(ctx)), kOriginal);
    // "... <list@example.org>." ends the sentence that names the address concerned.
    static const QRegularExpression addressAtEnd(uR"(<([^ <>]+@[^ <>]+)>\.$)"_s);
    BounceReport report;
    report.family = family();
    for (const QString& line : lines) {
        if (line.isEmpty())
            continue;
        if (const auto m = addressAtEnd.match(line); m.hasMatch()) {
            BounceRecipient r;
            r.recipient = m.captured(1);
            r.diagnostic = line;
            r.action = u"failed"_s;
            report.recipients.append(r);
        } else if (!report.recipients.isEmpty()) {
            report.recipients.last().diagnostic += line;
        }
    }
    static const std::vector<CompiledPattern> body = compile(kBodyPatterns);
    static const std::vector<CompiledPattern> subjects = compile(kSubjectPatterns);
    const QString subject = ctx.root().header("Subject");
    for (BounceRecipient& r : report.recipients) {
        r.reason = reasonFor(MtaText::sweep(r.diagnostic), body);
        if (r.reason.isEmpty())
            r.reason = reasonFor(subject, subjects);
    }
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
