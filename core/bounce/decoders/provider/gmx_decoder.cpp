// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/provider/gmx_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/mta/mta_text.h"
#include "core/bounce/decoders/provider/provider_support.h"
#include "core/bounce/status_code.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

constexpr QStringView kNoticeStart = u"This message was created automatically by mail delivery software";
const QStringView kOriginalStarts[] = {u"--- The header of the original message is following. ---"};
constexpr QStringView kReasonLabel = u"Reason:";

constexpr ReasonPhrase kMessages[] = {
    {u"expired", u"delivery retry timeout exceeded"},
};

struct Pending {
    QString address;
    QString command;
    QString host;
    QString diagnostic;
    bool reasonNext = false;
};

void finish(const Pending& p, BounceReport& report)
{
    BounceRecipient r = ProviderSupport::makeRecipient(p.address, p.diagnostic);
    if (r.recipient.isEmpty())
        return;
    if (!p.command.isEmpty())
        r.smtpCommand = p.command;
    r.remoteMta = p.host;
    r.reason = MtaText::reasonFor(r.diagnostic, kMessages, Qt::CaseInsensitive);
    report.recipients.append(std::move(r));
}

} // namespace

QString GmxDecoder::family() const
{
    return u"gmx"_s;
}

bool GmxDecoder::detect(const DecodeContext& ctx) const
{
    return ctx.root().hasHeader("X-GMX-Antispam");
}

std::optional<BounceReport> GmxDecoder::decode(const DecodeContext& ctx) const
{
    const QString notice = ProviderSupport::textBefore(ctx.noticeText(), kOriginalStarts);
    // "shironeko@example.jp": or <kijitora@example.co.jp> on a line of its own.
    static const QRegularExpression recipientLine(uR"re(^(?:"([^ "]+@[^ "]+)":|<([^ >]+@[^ >]+)>)$)re"_s);
    static const QRegularExpression commandLine(uR"(^SMTP error .+ ([A-Z]{4}) command:$)"_s);
    static const QRegularExpression hostLine(uR"(^host:\s*(.+)$)"_s);
    // A line with a status code, a quoted address or a reply code is the remote reply.
    static const QRegularExpression replyLine(uR"(\b[45]\.\d\.\d\b|<[^ ]+@[^ ]+>|\b[45]\d{2}\b)"_s);
    BounceReport report = ProviderSupport::newReport(family());
    std::optional<Pending> pending;
    bool started = false;
    for (const QString& raw : ProviderSupport::lines(notice)) {
        const QString line = raw.trimmed();
        if (!started) {
            started = line.startsWith(kNoticeStart);
            continue;
        }
        if (line.isEmpty())
            continue;
        if (const QRegularExpressionMatch m = recipientLine.match(line); m.hasMatch()) {
            if (pending)
                finish(*pending, report);
            pending = Pending{m.captured(1).isEmpty() ? m.captured(2) : m.captured(1), {}, {}, {}, false};
            continue;
        }
        if (!pending)
            continue;
        if (const QRegularExpressionMatch c = commandLine.match(line); c.hasMatch()) {
            pending->command = StatusCode::normalizeCommand(c.captured(1));
        } else if (const QRegularExpressionMatch h = hostLine.match(line); h.hasMatch()) {
            pending->host = h.captured(1).trimmed();
        } else if (line == kReasonLabel) {
            pending->reasonNext = true;
        } else if (pending->reasonNext) {
            pending->diagnostic = line;
            pending->reasonNext = false;
        } else if (pending->diagnostic.isEmpty() && replyLine.match(line).hasMatch()) {
            pending->diagnostic = line;
        }
    }
    if (pending)
        finish(*pending, report);
    if (report.recipients.isEmpty())
        return std::nullopt;
    return report;
}

} // namespace bi::core::bounce
