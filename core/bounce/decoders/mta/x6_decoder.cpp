// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/x6_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

constexpr QStringView kOriginal[] = {u"The attachment contains the original mail headers"};

} // namespace

QString X6Decoder::family() const
{
    return u"x6"_s;
}

bool X6Decoder::detect(const DecodeContext& ctx) const
{
    return ctx.root().header("Subject").trimmed().startsWith(u"There was an error sending your mail");
}

std::optional<BounceReport> X6Decoder::decode(const DecodeContext& ctx) const
{
    const QStringList lines = MtaText::linesBefore(MtaText::lines(MtaText::bounceText(ctx)), kOriginal);
    static const QRegularExpression start(uR"(^\d+\s*error\(s\):)"_s);
    // "SMTP Server <host> rejected recipient <user@example.org> (Error following RCPT command)..."
    static const QRegularExpression bracketed(uR"(<([^ <>@]+@[^ <>@]+)>)"_s);
    static const QRegularExpression afterErrors(uR"(errors:\s*([^ ]+@[^ ]+))"_s);
    static const QRegularExpression command(uR"(\b(HELO|EHLO|MAIL|RCPT|DATA)\b)"_s);

    BounceReport report;
    report.family = family();
    bool started = false;
    for (const QString& line : lines) {
        if (!started) {
            started = start.match(line).hasMatch();
            continue;
        }
        auto m = bracketed.match(line);
        if (!m.hasMatch())
            m = afterErrors.match(line);
        if (!m.hasMatch())
            continue;
        BounceRecipient r;
        r.recipient = m.captured(1);
        r.diagnostic = line;
        r.action = u"failed"_s;
        if (const auto c = command.match(line); c.hasMatch())
            r.smtpCommand = c.captured(1);
        report.recipients.append(r);
    }
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
