// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/x4_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"
#include "core/bounce/decoders/mta/qmail_decoder.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

constexpr QStringView kOriginal[] = {u"--- Below this line is a copy of the message.", u"--- Original message follows."};

// The first sentences qmail clones and rebranded qmail-send templates write.
const QRegularExpression& startPattern()
{
    static const QRegularExpression re(
        uR"(^(?:He/Her is not .+ user|Hi\. .+ unable to deliver your message to the following addresses|Su mensaje no pudo ser entregado|This is the (?:machine generated message from mail service|mail delivery agent at)|Unable to deliver message to the following address|Unfortunately, your mail was not delivered to the following address:|Your (?:mail message to the following address|message to the following addresses)|We're sorry\.))"_s);
    return re;
}

} // namespace

QString X4Decoder::family() const
{
    return u"x4"_s;
}

bool X4Decoder::detect(const DecodeContext& ctx) const
{
    const QString subject = ctx.root().header("Subject").trimmed();
    if (subject.startsWith(u"failure notice") || subject.startsWith(u"Permanent Delivery Failure"))
        return true;
    static const QRegularExpression invoked(uR"(^\(qmail \d+ invoked for bounce\))"_s);
    for (const QString& received : ctx.root().headerAll("Received")) {
        if (invoked.match(received.trimmed()).hasMatch())
            return true;
    }
    return false;
}

std::optional<BounceReport> X4Decoder::decode(const DecodeContext& ctx) const
{
    const QStringList lines = MtaText::linesBefore(MtaText::lines(MtaText::bounceText(ctx)), kOriginal);
    qsizetype start = -1;
    for (qsizetype i = 0; i < lines.size() && start < 0; ++i) {
        if (startPattern().match(lines.at(i)).hasMatch())
            start = i;
    }
    if (start < 0)
        return std::nullopt;
    BounceReport report;
    report.family = family();
    report.recipients = QmailDecoder::readNotice(lines.mid(start + 1));
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
