// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/apachejames_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

QString ApacheJamesDecoder::family() const
{
    return u"apachejames"_s;
}

bool ApacheJamesDecoder::detect(const DecodeContext& ctx) const
{
    const mail::MimePart& root = ctx.root();
    if (root.header("Subject").trimmed() == u"[BOUNCE]" || root.header("Message-ID").contains(u".JavaMail."))
        return true;
    for (const QString& received : root.headerAll("Received")) {
        if (received.contains(u"JAMES SMTP Server"))
            return true;
    }
    return false;
}

std::optional<BounceReport> ApacheJamesDecoder::decode(const DecodeContext& ctx) const
{
    // james/transport/mailets/AbstractNotify: the error text, then "Message details:" with the
    // envelope ("  RCPT TO: user@example.org").
    static const QRegularExpression rcptTo(uR"(^\s+RCPT TO:\s*(\S+@\S+)$)"_s);
    const QStringList lines = MtaText::lines(MtaText::bounceText(ctx));
    BounceReport report;
    report.family = family();
    QString diagnostic;
    bool details = false;
    for (const QString& line : lines) {
        if (line.trimmed().isEmpty())
            continue;
        if (const auto m = rcptTo.match(line); m.hasMatch()) {
            BounceRecipient r;
            r.recipient = m.captured(1);
            r.action = u"failed"_s;
            report.recipients.append(r);
        } else if (line.trimmed() == u"Message details:") {
            details = true;
        } else if (!details) {
            diagnostic += u' ' + line;
        }
    }
    for (BounceRecipient& r : report.recipients)
        r.diagnostic = diagnostic;
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
