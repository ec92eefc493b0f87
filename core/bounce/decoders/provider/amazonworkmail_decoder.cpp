// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/provider/amazonworkmail_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/provider/provider_support.h"
#include "core/bounce/status_code.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

// The DSN fields follow this line inside the text part (there is no message/delivery-status
// part); an HTML copy of the notice may follow them.
constexpr QStringView kFieldsStart = u"Technical report:";
constexpr QStringView kHtmlStart = u"<!DOCTYPE HTML";

bool isWorkMail(const mail::MimePart& root)
{
    for (QByteArrayView name : {QByteArrayView("X-Original-Mailer"), QByteArrayView("X-Mailer")}) {
        if (root.header(name).trimmed().compare(u"Amazon WorkMail", Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace

QString AmazonWorkMailDecoder::family() const
{
    return u"amazonworkmail"_s;
}

bool AmazonWorkMailDecoder::detect(const DecodeContext& ctx) const
{
    return ctx.root().hasHeader("X-SES-Outgoing") && isWorkMail(ctx.root());
}

std::optional<BounceReport> AmazonWorkMailDecoder::decode(const DecodeContext& ctx) const
{
    const QString notice = ctx.noticeText();
    const qsizetype start = notice.indexOf(kFieldsStart);
    if (start < 0)
        return std::nullopt;
    QString fields = notice.mid(start + kFieldsStart.size());
    if (const qsizetype html = fields.indexOf(kHtmlStart, 0, Qt::CaseInsensitive); html >= 0)
        fields.truncate(html);
    std::optional<BounceReport> report = ProviderSupport::reportFromFields(fields.toUtf8(), family());
    if (!report)
        return std::nullopt;

    // "554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed
    // out>" (lhost-amazonworkmail-05): WorkMail's own verdict first, the last reply of the
    // remote server in angle brackets. The verdict names the reason, the reply is the diagnostic.
    static const QRegularExpression remoteReply(uR"(<([245]\d\d[ -].+)>)"_s);
    for (BounceRecipient& r : report->recipients) {
        if (ProviderSupport::isVagueStatus(r.status) || r.status.endsWith(u".1.0")) {
            if (const QString found = StatusCode::find(r.diagnostic); !found.isEmpty())
                r.status = found;
        }
        // The DSN status is WorkMail's verdict on the delivery; it names the reason.
        r.reason = StatusCode::reasonFor(r.status);
        if (const QRegularExpressionMatch m = remoteReply.match(r.diagnostic); m.hasMatch()) {
            r.diagnostic = m.captured(1).trimmed();
            r.status.clear();
            r.replyCode.clear();
            r.smtpCommand.clear();
            ProviderSupport::completeFromDiagnostic(r);
        }
    }
    return report;
}

} // namespace bi::core::bounce
