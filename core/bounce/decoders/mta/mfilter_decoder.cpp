// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/mfilter_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"
#include "core/bounce/status_code.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

constexpr QStringView kOriginal[] = {u"-------original message", u"-------original mail info"};
constexpr QStringView kServerMessage = u"-------server message";
constexpr QStringView kSmtpCommand = u"-------SMTP command";

} // namespace

QString MFilterDecoder::family() const
{
    return u"mfilter"_s;
}

bool MFilterDecoder::detect(const DecodeContext& ctx) const
{
    const mail::MimePart& root = ctx.root();
    return root.header("X-Mailer").trimmed() == u"m-FILTER" && root.header("Subject").trimmed() == u"failure notice";
}

std::optional<BounceReport> MFilterDecoder::decode(const DecodeContext& ctx) const
{
    const QStringList lines = MtaText::linesBefore(MtaText::lines(MtaText::bounceText(ctx)), kOriginal);
    // The notice starts with the (Japanese) prose, then one address per line.
    static const QRegularExpression addressLine(uR"(^([^ ]+@[^ ]+\.[a-zA-Z]+)$)"_s);
    static const QRegularExpression commandLine(uR"(^[A-Z]{4})"_s);

    BounceReport report;
    report.family = family();
    bool inCommand = false;
    for (const QString& raw : lines) {
        const QString line = raw.trimmed();
        if (line.isEmpty())
            continue;
        if (const auto m = addressLine.match(line); m.hasMatch()) {
            BounceRecipient r;
            r.recipient = m.captured(1);
            r.action = u"failed"_s;
            report.recipients.append(r);
            continue;
        }
        if (report.recipients.isEmpty())
            continue;
        BounceRecipient& r = report.recipients.last();
        if (line == kServerMessage) {
            inCommand = false;
        } else if (line == kSmtpCommand) {
            inCommand = true;
        } else if (commandLine.match(line).hasMatch() && inCommand) {
            if (r.smtpCommand.isEmpty())
                r.smtpCommand = StatusCode::normalizeCommand(line);
        } else if (!line.startsWith(u'-') && r.diagnostic.isEmpty() && !inCommand) {
            r.diagnostic = line; // the first line of the server's message
        }
    }
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
