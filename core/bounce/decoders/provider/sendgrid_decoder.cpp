// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/provider/sendgrid_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/provider/provider_support.h"
#include "core/bounce/status_code.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

constexpr QStringView kReturnPath = u"apps@sendgrid.net";
constexpr QStringView kNoticeStart = u"This is an automatically generated message from SendGrid.";

} // namespace

QString SendGridDecoder::family() const
{
    return u"sendgrid"_s;
}

bool SendGridDecoder::detect(const DecodeContext& ctx) const
{
    return ProviderSupport::headerContains(ctx.root(), "Return-Path", kReturnPath)
        && ctx.findPart("message/delivery-status");
}

std::optional<BounceReport> SendGridDecoder::decode(const DecodeContext& ctx) const
{
    const QString notice = ctx.noticeText();
    if (!notice.contains(kNoticeStart))
        return std::nullopt;
    std::optional<BounceReport> report = ProviderSupport::standardReport(ctx, family());
    if (!report)
        return std::nullopt;
    // The notice repeats the reply with the command it answered: "... User Unknown  in RCPT TO",
    // "in MAIL FROM", "in End of DATA".
    static const QRegularExpression inCommand(uR"(.+ in (?:End of )?([A-Z]{4}).*$)"_s,
                                              QRegularExpression::MultilineOption);
    const QRegularExpressionMatch command = inCommand.match(notice);
    for (BounceRecipient& r : report->recipients) {
        if (r.smtpCommand.isEmpty() && command.hasMatch())
            r.smtpCommand = StatusCode::normalizeCommand(command.captured(1));
        // SendGrid's non-standard "Action: expired": it gave up after retrying.
        if (r.action == u"expired") {
            r.reason = u"expired"_s;
            r.kind = MessageKind::Bounce;
        }
    }
    return report;
}

} // namespace bi::core::bounce
