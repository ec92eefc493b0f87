// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/messagingserver_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/mta/mta_dsn.h"
#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

constexpr QStringView kStart[] = {u"This report relates to a message you sent with the following header fields:"};
constexpr QStringView kOriginal[] = {u"Content-type: message/rfc822", u"Content-Type: message/rfc822", u"Return-path:"};

constexpr ReasonPhrase kMessages[] = {
    {u"hostunknown", u"Illegal host/domain name found"},
};

} // namespace

QString MessagingServerDecoder::family() const
{
    return u"messagingserver"_s;
}

bool MessagingServerDecoder::detect(const DecodeContext& ctx) const
{
    // The MIME boundaries Messaging Server writes: "Boundary_(ID_...)".
    if (ctx.root().rawHeaderValue("Content-Type").contains("Boundary_(ID_"))
        return true;
    return ctx.root().header("Subject").trimmed().startsWith(u"Delivery Notification: ");
}

std::optional<BounceReport> MessagingServerDecoder::decode(const DecodeContext& ctx) const
{
    const QStringList all = MtaText::lines(MtaText::bounceText(ctx));
    const qsizetype start = MtaText::findLine(all, kStart);
    if (start < 0)
        return std::nullopt;
    qsizetype end = MtaText::findLine(all, kOriginal, start);
    if (end < 0)
        end = all.size();

    static const QRegularExpression field(uR"(^\s+(Recipient address|Original address|Reason|Diagnostic code|Remote system):\s*(.*)$)"_s,
                                          QRegularExpression::CaseInsensitiveOption);
    BounceReport report;
    report.family = family();
    const bool delayed = ctx.root().header("Subject").contains(u"delayed");
    for (qsizetype i = start + 1; i < end; ++i) {
        const auto m = field.match(all.at(i));
        if (!m.hasMatch())
            continue;
        const QString name = m.captured(1).toLower();
        const QString value = m.captured(2).trimmed();
        if (name == u"recipient address") {
            BounceRecipient r;
            r.recipient = value;
            r.action = delayed ? u"delayed"_s : u"failed"_s;
            report.recipients.append(r);
            continue;
        }
        if (report.recipients.isEmpty())
            continue;
        BounceRecipient& r = report.recipients.last();
        if (name == u"original address") {
            // "Recipient address: @smtp.example.net:user@server" is the routed form.
            r.originalRecipient = r.recipient;
            r.recipient = value;
        } else if (name == u"reason") {
            r.diagnostic = value;
        } else if (name == u"diagnostic code") {
            r.diagnosticType = value.section(u';', 0, 0).trimmed().toLower();
            r.diagnostic = value.contains(u';') ? value.section(u';', 1).trimmed() : value;
        } else if (name == u"remote system") {
            r.remoteMta = value.section(u';', 1).section(u' ', 0, 0);
        }
    }
    // Status (with its comment) comes from the RFC 3464 part.
    const QList<BounceRecipient> dsn = MtaDsn::read(MtaDsn::statusPartLines(ctx), report);
    for (qsizetype i = 0; i < report.recipients.size(); ++i) {
        BounceRecipient& r = report.recipients[i];
        const BounceRecipient* d = MtaDsn::pair(dsn, r.recipient, i, report.recipients.size());
        if (d) {
            r.status = d->status;
            if (r.diagnostic.isEmpty())
                r.diagnostic = d->diagnostic;
        }
        r.reason = MtaText::reasonFor(r.diagnostic, kMessages);
    }
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
