// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/courier_decoder.h"

#include <QHash>
#include <QRegularExpression>

#include "core/bounce/address.h"
#include "core/bounce/decoders/mta/mta_dsn.h"
#include "core/bounce/decoders/mta/mta_result.h"
#include "core/bounce/decoders/mta/mta_text.h"
#include "core/bounce/status_code.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

// courier/module.dsn: the headline of failure and delay reports.
constexpr QStringView kStart[] = {u"UNDELIVERABLE MAIL", u"DELAYS IN DELIVERING YOUR MESSAGE"};

// Courier's own failures (no remote server involved).
constexpr ReasonPhrase kMessages[] = {
    {u"hostunknown", u"No such domain."},
    {u"systemerror", u"This domain's DNS violates RFC 1035."},
    {u"networkerror", u"DNS lookup failed."},
};

} // namespace

QString CourierDecoder::family() const
{
    return u"courier"_s;
}

bool CourierDecoder::detect(const DecodeContext& ctx) const
{
    const mail::MimePart& root = ctx.root();
    if (root.header("From").contains(u"Courier mail server at "))
        return true;
    const QString subject = root.header("Subject");
    if (subject.contains(u"NOTICE: mail delivery status.") || subject.contains(u"WARNING: delayed mail."))
        return true;
    // courier/libs/comctlfile: "<courier.HEXTIME.HEXPID@host>"
    static const QRegularExpression messageId(uR"(^<courier\.[0-9A-F]+\.)"_s);
    return messageId.match(root.header("Message-ID").trimmed()).hasMatch();
}

std::optional<BounceReport> CourierDecoder::decode(const DecodeContext& ctx) const
{
    const QStringList all = MtaText::lines(MtaText::bounceText(ctx));
    qsizetype start = MtaText::findLine(all, kStart, 0, true);
    if (start < 0)
        return std::nullopt;

    BounceReport report;
    report.family = family();
    QStringList dsn = MtaDsn::statusPartLines(ctx);
    if (dsn.isEmpty())
        dsn = all.mid(start);
    report.recipients = MtaDsn::read(dsn, report);

    // The text part: "<user@example.jp>:", the host, then ">>> COMMAND" / "<<< reply".
    static const QRegularExpression recipientLine(uR"(^<([^<>]+@[^<>]+)>:\s*$)"_s);
    static const QRegularExpression sent(uR"(^>>>\s+([A-Za-z]{4}))"_s);
    QString currentAddress;
    QString firstCommand;
    QHash<QString, QString> commandOf;
    for (qsizetype i = start + 1; i < all.size(); ++i) {
        const QString& line = all.at(i);
        if (const auto m = recipientLine.match(line); m.hasMatch()) {
            currentAddress = Address::normalize(m.captured(1));
        } else if (const auto s = sent.match(line); s.hasMatch()) {
            const QString command = StatusCode::normalizeCommand(s.captured(1));
            if (firstCommand.isEmpty())
                firstCommand = command;
            if (!currentAddress.isEmpty() && !commandOf.contains(currentAddress))
                commandOf.insert(currentAddress, command);
        }
    }
    for (BounceRecipient& r : report.recipients) {
        r.smtpCommand = commandOf.value(Address::normalize(r.recipient), firstCommand);
        r.reason = MtaText::reasonFor(MtaText::sweep(r.diagnostic), kMessages);
    }
    return MtaResult::finish(std::move(report));
}

} // namespace bi::core::bounce
