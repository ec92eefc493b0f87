// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/x3_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/mta/mta_dsn.h"
#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"
#include "core/bounce/status_code.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

constexpr QStringView kStart[] = {u"This is an automatically generated Delivery Status Notification."};

} // namespace

QString X3Decoder::family() const
{
    return u"x3"_s;
}

bool X3Decoder::detect(const DecodeContext& ctx) const
{
    const mail::MimePart& root = ctx.root();
    return root.header("From").trimmed().startsWith(u"Mail Delivery System")
        && root.header("Subject").trimmed().startsWith(u"Delivery status notification");
}

std::optional<BounceReport> X3Decoder::decode(const DecodeContext& ctx) const
{
    const QStringList lines = MtaText::lines(MtaText::bounceText(ctx));
    const qsizetype start = MtaText::findLine(lines, kStart, 0, true);
    if (start < 0)
        return std::nullopt;
    static const QRegularExpression recipientLine(uR"(^\s+\*\s(\S+@\S+)$)"_s);
    // "SMTP:RCPT host 192.0.2.233: 553 5.3.0 <...>... No such user here", "Routing: ..."
    static const QRegularExpression smtpLine(uR"(^SMTP:(\S+)\s(.+)$)"_s);
    static const QRegularExpression routingLine(uR"(^Routing: (.+)$)"_s);

    BounceReport report;
    report.family = family();
    for (qsizetype i = start + 1; i < lines.size(); ++i) {
        const QString& line = lines.at(i);
        if (const auto m = recipientLine.match(line); m.hasMatch()) {
            BounceRecipient r;
            r.recipient = m.captured(1);
            r.action = u"failed"_s;
            report.recipients.append(r);
            continue;
        }
        if (report.recipients.isEmpty())
            continue;
        BounceRecipient& r = report.recipients.last();
        if (const auto s = smtpLine.match(line); s.hasMatch()) {
            r.smtpCommand = StatusCode::normalizeCommand(s.captured(1));
            r.diagnostic = s.captured(2);
        } else if (const auto t = routingLine.match(line); t.hasMatch()) {
            r.diagnostic = t.captured(1);
        }
    }
    // Some versions add an RFC 3464 part; its diagnostic stands in when the text has none.
    const QList<BounceRecipient> dsn = MtaDsn::read(MtaDsn::statusPartLines(ctx), report);
    for (qsizetype i = 0; i < report.recipients.size(); ++i) {
        BounceRecipient& r = report.recipients[i];
        if (!r.diagnostic.isEmpty())
            continue;
        if (const BounceRecipient* d = MtaDsn::pair(dsn, r.recipient, i, report.recipients.size())) {
            r.diagnostic = d->diagnostic;
            r.diagnosticType = d->diagnosticType;
        }
    }
    // X3 reports its statuses in the text only; a Status field would contradict it.
    for (BounceRecipient& r : report.recipients)
        r.status = StatusCode::find(MtaText::sweep(r.diagnostic));
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
