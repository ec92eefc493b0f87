// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/provider/yahoo_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/provider/provider_support.h"
#include "core/bounce/status_code.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

constexpr QStringView kNoticeStart = u"Sorry, we were unable to deliver your message";
constexpr QStringView kRemoteSaid = u"Remote host said:";
const QStringView kOriginalStarts[] = {u"--- Below this line is a copy of the message."};

struct Pending {
    QString address;
    QStringList text;
};

void finish(const Pending& p, BounceReport& report)
{
    QString text = ProviderSupport::sweep(p.text.join(u' '));
    if (text.startsWith(kRemoteSaid))
        text = text.mid(kRemoteSaid.size()).trimmed();
    // Yahoo tags the reply with the command it answered: "... User Unknown [RCPT_TO]".
    static const QRegularExpression commandTag(uR"(\s*\[([A-Z]{4})(?:_[A-Z]+)?\]$)"_s);
    QString command;
    if (const QRegularExpressionMatch m = commandTag.match(text); m.hasMatch()) {
        command = StatusCode::normalizeCommand(m.captured(1));
        text.truncate(m.capturedStart(0));
    }
    BounceRecipient r = ProviderSupport::makeRecipient(p.address, text);
    if (r.recipient.isEmpty())
        return;
    if (!command.isEmpty())
        r.smtpCommand = command;
    // A reply that names the recipient answered RCPT TO (sisimai, Sisimai::Lhost::Yahoo).
    static const QRegularExpression quotedAddress(uR"(<[^>]+@[^>]+>)"_s);
    if (r.smtpCommand.isEmpty() && quotedAddress.match(r.diagnostic).hasMatch())
        r.smtpCommand = u"RCPT"_s;
    report.recipients.append(std::move(r));
}

} // namespace

QString YahooDecoder::family() const
{
    return u"yahoo"_s;
}

bool YahooDecoder::detect(const DecodeContext& ctx) const
{
    return ctx.root().hasHeader("X-YMailISG");
}

std::optional<BounceReport> YahooDecoder::decode(const DecodeContext& ctx) const
{
    const QString notice = ProviderSupport::textBefore(ctx.noticeText(), kOriginalStarts);
    static const QRegularExpression recipientLine(uR"(^<([^ >]+@[^ >]+)>:\s*$)"_s);
    BounceReport report = ProviderSupport::newReport(family());
    std::optional<Pending> pending;
    bool started = false;
    for (const QString& line : ProviderSupport::lines(notice)) {
        if (!started) {
            started = line.startsWith(kNoticeStart);
            continue;
        }
        if (const QRegularExpressionMatch m = recipientLine.match(line); m.hasMatch()) {
            if (pending)
                finish(*pending, report);
            pending = Pending{m.captured(1), {}};
        } else if (pending && !line.trimmed().isEmpty()) {
            pending->text << line;
        }
    }
    if (pending)
        finish(*pending, report);
    if (report.recipients.isEmpty())
        return std::nullopt;
    return report;
}

} // namespace bi::core::bounce
