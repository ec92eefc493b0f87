// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/exchange2007_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/mta/mta_dsn.h"
#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

// The NDR's administrator section and where the original's headers start (en, fr, it).
constexpr QStringView kStart[] = {u"Diagnostic information for administrators:",
                                  u"Informations de diagnostic pour les administrateurs",
                                  u"Informazioni di diagnostica per gli amministratori"};
constexpr QStringView kOriginal[] = {u"Original message headers:", u"En-têtes de message d'origine",
                                     u"Intestazioni originali del messaggio:"};

// Exchange's enhanced status texts ("550 5.1.1 RESOLVER.ADR.RecipNotFound; not found").
struct NdrCode {
    QStringView code;
    QStringView reason;
};
constexpr NdrCode kNdrCodes[] = {
    {u"SMTPSEND.DNS.NonExistentDomain", u"hostunknown"},
    {u"SMTPSEND.DNS.MxLoopback", u"networkerror"},
    {u"RESOLVER.ADR.BadPrimary", u"systemerror"},
    {u"RESOLVER.ADR.RecipNotFound", u"userunknown"},
    {u"RESOLVER.ADR.ExRecipNotFound", u"userunknown"},
    {u"RESOLVER.ADR.RecipLimit", u"toomanyconn"},
    {u"RESOLVER.ADR.InvalidInSmtp", u"systemerror"},
    {u"RESOLVER.ADR.Ambiguous", u"systemerror"},
    {u"RESOLVER.RST.AuthRequired", u"securityerror"},
    {u"RESOLVER.RST.NotAuthorized", u"rejected"},
    {u"RESOLVER.RST.RecipSizeLimit", u"mesgtoobig"},
    {u"QUEUE.Expired", u"expired"},
};

} // namespace

QString Exchange2007Decoder::family() const
{
    return u"exchange2007"_s;
}

bool Exchange2007Decoder::detect(const DecodeContext& ctx) const
{
    const mail::MimePart& root = ctx.root();
    // Localised subject prefixes: "Undeliverable:", "Non remis :", "Non recapitabile:".
    static const QRegularExpression subject(uR"(^(?:Undeliverable|Non[ _]remis|Non recapitabile)[ _]?:)"_s);
    if (!subject.match(root.header("Subject").trimmed()).hasMatch())
        return false;
    static const QRegularExpression language(uR"(^[a-z]{2}(?:-[A-Z]{2})?$)"_s);
    if (!language.match(root.header("Content-Language").trimmed()).hasMatch())
        return false;
    // Exchange Online (Office 365) writes the same NDR and stamps these headers.
    return !root.hasHeader("X-MS-Exchange-CrossTenant-OriginalArrivalTime")
        && !root.hasHeader("X-MS-Exchange-CrossTenant-FromEntityHeader");
}

std::optional<BounceReport> Exchange2007Decoder::decode(const DecodeContext& ctx) const
{
    const QStringList all = MtaText::lines(MtaText::bounceText(ctx));
    const qsizetype start = MtaText::findLine(all, kStart);
    if (start < 0)
        return std::nullopt;
    qsizetype end = MtaText::findLine(all, kOriginal, start);
    if (end < 0)
        end = all.size();

    // "Generating server: host", then per recipient its address and the NDR line
    // ("#550 5.1.1 RESOLVER...", "Remote Server returned '550 5.1.1 ...'").
    static const QRegularExpression server(uR"(^(?:Generating server|Serveur de g\S+ration|Server di generazione)\s*:\s*(.*)$)"_s);
    static const QRegularExpression addressLine(uR"(^([^ @]+@[^ @]+)$)"_s);
    static const QRegularExpression ndrLine(uR"(([45]\d{2}) ([45]\.\d\.\d+) .+$)"_s);
    static const QRegularExpression ndrCode(uR"( ((?:RESOLVER|QUEUE|SMTPSEND)\.[A-Za-z]+(?:\.\w+)?);)"_s);

    BounceReport report;
    report.family = family();
    bool afterServer = false;
    for (qsizetype i = start + 1; i < end; ++i) {
        const QString line = all.at(i).trimmed();
        if (!afterServer) {
            if (const auto m = server.match(line); m.hasMatch()) {
                report.reportingMta = m.captured(1).trimmed();
                afterServer = true;
            }
            continue;
        }
        if (const auto a = addressLine.match(line); a.hasMatch()) {
            BounceRecipient r;
            r.recipient = a.captured(1);
            r.action = u"failed"_s;
            report.recipients.append(r);
        } else if (const auto n = ndrLine.match(line); n.hasMatch() && !report.recipients.isEmpty()) {
            BounceRecipient& r = report.recipients.last();
            r.replyCode = n.captured(1);
            r.status = n.captured(2);
            r.diagnostic = line;
        }
    }
    // Older versions without the administrator addresses: the RFC 3464 part has them.
    const QList<BounceRecipient> dsn = MtaDsn::read(MtaDsn::statusPartLines(ctx), report);
    if (report.recipients.isEmpty())
        report.recipients = dsn;
    for (qsizetype i = 0; i < report.recipients.size(); ++i) {
        BounceRecipient& r = report.recipients[i];
        if (const BounceRecipient* d = MtaDsn::pair(dsn, r.recipient, i, report.recipients.size())) {
            if (r.status.isEmpty())
                r.status = d->status;
            if (r.diagnostic.isEmpty())
                r.diagnostic = d->diagnostic;
            r.remoteMta = d->remoteMta;
        }
        if (const auto m = ndrCode.match(r.diagnostic); m.hasMatch()) {
            for (const NdrCode& c : kNdrCodes) {
                if (m.captured(1) == c.code)
                    r.reason = c.reason.toString();
            }
        }
    }
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
