// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/provider/yandex_decoder.h"

#include "core/bounce/decoders/provider/provider_support.h"
#include "core/bounce/status_code.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

constexpr QStringView kSender = u"mailer-daemon@yandex.";

// The Postfix-style paragraph of one recipient in the notice: "<addr>: host ... said: ...
// (in reply to RCPT TO command)", up to the next paragraph.
QString paragraphOf(const QString& notice, const QString& address)
{
    const QString opener = u'<' + address + u">:"_s;
    const qsizetype at = notice.indexOf(opener, 0, Qt::CaseInsensitive);
    if (at < 0)
        return {};
    qsizetype end = notice.indexOf(u"\n<"_s, at + opener.size());
    const qsizetype blank = notice.indexOf(u"\n\n"_s, at + opener.size());
    if (blank >= 0 && (end < 0 || blank < end))
        end = blank;
    return notice.mid(at, end < 0 ? -1 : end - at);
}

} // namespace

QString YandexDecoder::family() const
{
    return u"yandex"_s;
}

bool YandexDecoder::detect(const DecodeContext& ctx) const
{
    return ctx.root().hasHeader("X-Yandex-Uniq") && ProviderSupport::headerContains(ctx.root(), "From", kSender);
}

std::optional<BounceReport> YandexDecoder::decode(const DecodeContext& ctx) const
{
    std::optional<BounceReport> report = ProviderSupport::standardReport(ctx, family());
    if (!report)
        return std::nullopt;
    const QString notice = ctx.noticeText();
    for (BounceRecipient& r : report->recipients) {
        if (r.smtpCommand.isEmpty())
            r.smtpCommand = StatusCode::findCommand(ProviderSupport::sweep(paragraphOf(notice, r.recipient)));
    }
    return report;
}

} // namespace bi::core::bounce
