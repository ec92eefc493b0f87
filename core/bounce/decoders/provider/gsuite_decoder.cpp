// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/provider/gsuite_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/mta/mta_text.h"
#include "core/bounce/decoders/provider/provider_support.h"
#include "core/bounce/status_code.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

constexpr QStringView kSender = u"mailer-daemon@googlemail.com";
constexpr QStringView kSubject = u"Delivery Status Notification";

// Google's wording in the notice and in its own Diagnostic-Code texts (DNS lookups it made).
constexpr ReasonPhrase kMessages[] = {
    {u"userunknown", u"because the address couldn't be found. Check for typos or unnecessary spaces and try again."},
    {u"notaccept", u"Null MX"},
    {u"networkerror", u" had no relevant answers."},
    {u"networkerror", u" responded with code NXDOMAIN"},
};

// The human-readable notice: a title "** Address not found **", an explanation, then
// optionally "The response from the remote server was:" / "The response was:" and the reply.
struct Notice {
    QString explanation;
    QString response;
};

Notice readNotice(const QString& text)
{
    static const QRegularExpression title(uR"(^\*\* .+ \*\*$)"_s);
    static const QRegularExpression responseMarker(uR"(^The response( from the remote server)? was:$)"_s);
    Notice notice;
    QStringList explanation;
    QStringList response;
    bool inNotice = false;
    bool inResponse = false;
    for (const QString& raw : ProviderSupport::lines(text)) {
        const QString line = raw.trimmed();
        if (!inNotice) {
            inNotice = title.match(line).hasMatch();
            if (inNotice)
                explanation << line;
            continue;
        }
        if (responseMarker.match(line).hasMatch()) {
            inResponse = true;
            continue;
        }
        (inResponse ? response : explanation) << line;
    }
    notice.explanation = ProviderSupport::sweep(explanation.join(u' '));
    notice.response = ProviderSupport::sweep(response.join(u' '));
    return notice;
}

} // namespace

QString GSuiteDecoder::family() const
{
    return u"gsuite"_s;
}

bool GSuiteDecoder::detect(const DecodeContext& ctx) const
{
    const mail::MimePart& root = ctx.root();
    return ProviderSupport::headerContains(root, "From", kSender)
        && ProviderSupport::headerContains(root, "Subject", kSubject) && ctx.findPart("message/delivery-status");
}

std::optional<BounceReport> GSuiteDecoder::decode(const DecodeContext& ctx) const
{
    std::optional<BounceReport> report = ProviderSupport::standardReport(ctx, family());
    if (!report)
        return std::nullopt;
    // Google writes its own host name as Reporting-MTA "googlemail.com"; the notice text says
    // more than the DSN fields when the remote reply or Google's DNS lookup failed.
    const Notice notice = readNotice(ctx.noticeText());
    const QString better = notice.response.isEmpty() ? notice.explanation : notice.response;
    for (BounceRecipient& r : report->recipients) {
        static const QRegularExpression digitsOnly(uR"(^\d+$)"_s);
        if (r.diagnostic.isEmpty() || digitsOnly.match(r.diagnostic).hasMatch()) {
            r.diagnostic = better;
            ProviderSupport::completeFromDiagnostic(r);
        } else if (!better.isEmpty()) {
            // "Status: 5.0.0" with the reply "550 #5.1.0 Address rejected." in the notice
            // (lhost-gsuite-01): take the more specific code from the notice.
            if (ProviderSupport::isVagueStatus(r.status)) {
                if (const QString found = StatusCode::find(better); !found.isEmpty() && !found.endsWith(u".0.0"))
                    r.status = found;
            }
            if (r.replyCode.isEmpty() || r.replyCode.endsWith(u"00")) {
                if (const QString found = StatusCode::findReplyCode(better); !found.isEmpty() && !found.endsWith(u"00"))
                    r.replyCode = found;
            }
        }
        // "Remote-MTA: dns; lsean.ezweb.ne.jp. (27.85.176.228, the server for the domain ezweb.ne.jp.)"
        r.remoteMta = r.remoteMta.section(u' ', 0, 0);
        while (r.remoteMta.endsWith(u'.'))
            r.remoteMta.chop(1);
        r.reason = MtaText::reasonFor(r.diagnostic, kMessages, Qt::CaseInsensitive);
    }
    return report;
}

} // namespace bi::core::bounce
