// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/mailmarshalsmtp_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

constexpr QStringView kStart[] = {u"Your message:"};
constexpr QStringView kError = u"Could not be delivered because of";
constexpr QStringView kRecipients = u"The following recipients were affected:";

} // namespace

QString MailMarshalSMTPDecoder::family() const
{
    return u"mailmarshalsmtp"_s;
}

bool MailMarshalSMTPDecoder::detect(const DecodeContext& ctx) const
{
    return ctx.root().header("Subject").trimmed().startsWith(u"Undeliverable Mail: \"");
}

std::optional<BounceReport> MailMarshalSMTPDecoder::decode(const DecodeContext& ctx) const
{
    const QStringList lines = MtaText::lines(MtaText::bounceText(ctx));
    const qsizetype start = MtaText::findLine(lines, kStart);
    if (start < 0)
        return std::nullopt;
    static const QRegularExpression recipientLine(uR"(^\s{4}(\S+@\S+)$)"_s);
    static const QRegularExpression reportingMta(uR"(^Reporting-MTA:\s+<(.+)>$)"_s);
    static const QRegularExpression remoteMta(uR"(^Remote-MTA:\s+<(.+)>$)"_s);

    BounceReport report;
    report.family = family();
    QString diagnostic;
    QString remote;
    enum class Section { Prose, Error, Recipients } section = Section::Prose;
    for (qsizetype i = start; i < lines.size(); ++i) {
        const QString& line = lines.at(i);
        if (line.trimmed() == kError) {
            section = Section::Error;
            continue;
        }
        if (line.trimmed().startsWith(kRecipients)) {
            section = Section::Recipients;
            continue;
        }
        if (const auto m = recipientLine.match(line); m.hasMatch() && section == Section::Recipients) {
            BounceRecipient r;
            r.recipient = m.captured(1);
            r.action = u"failed"_s;
            report.recipients.append(r);
            continue;
        }
        if (section == Section::Error)
            diagnostic += u' ' + line;
        if (const auto m = reportingMta.match(line.trimmed()); m.hasMatch())
            report.reportingMta = m.captured(1);
        if (const auto m = remoteMta.match(line.trimmed()); m.hasMatch())
            remote = m.captured(1);
    }
    for (BounceRecipient& r : report.recipients) {
        r.diagnostic = diagnostic;
        r.remoteMta = remote;
    }
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
