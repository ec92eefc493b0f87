// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/provider/ezweb_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/provider/provider_support.h"
#include "core/bounce/status_code.h"
#include "core/common/text_case.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

constexpr QStringView kSubject = u"Mail System Error - Returned Mail";

// What au's notices say, and the reason each wording means. "rejected by a remote mail server"
// says nothing more than that (onhold: decided from the reply, if any).
struct Failure {
    const char16_t* reason;
    const char16_t* pattern;
};
constexpr Failure kFailures[] = {
    {u"mailboxfull", uR"(The user\(s\) account is temporarily over quota)"},
    // The recipient may not have paid (http://www.naruhodo-au.kddi.com/qa3429203.html).
    {u"suspend", uR"(The user\(s\) account is disabled\.)"},
    {u"suspend", uR"(The user\(s\) account is temporarily limited\.)"},
    {u"expired", u"Your message was not delivered within "},
    {u"onhold", u"Each of the following recipients was rejected by a remote mail server"},
};

int signs(const DecodeContext& ctx)
{
    const mail::MimePart& root = ctx.root();
    int n = 0;
    const QString from = root.header("From");
    n += containsCaseInsensitive(from, u"Postmaster@ezweb.ne.jp");
    n += containsCaseInsensitive(from, u"Postmaster@au.com");
    n += root.header("Subject").trimmed() == kSubject;
    n += ProviderSupport::receivedContains(ctx, u"ezweb.ne.jp (EZweb Mail) with");
    n += ProviderSupport::receivedContains(ctx, u".au.com (");
    const QString messageId = root.header("Message-ID").trimmed();
    n += messageId.endsWith(u".ezweb.ne.jp>", Qt::CaseInsensitive);
    n += messageId.endsWith(u".au.com>", Qt::CaseInsensitive);
    return n;
}

const QRegularExpression& failurePattern(const Failure& f)
{
    // One compiled pattern per table row, built once.
    static const QList<QRegularExpression> compiled = [] {
        QList<QRegularExpression> out;
        for (const Failure& row : kFailures)
            out << QRegularExpression(QString::fromUtf16(row.pattern));
        return out;
    }();
    return compiled.at(&f - kFailures);
}

QString failureReason(const QString& text)
{
    for (const Failure& f : kFailures) {
        if (failurePattern(f).match(text).hasMatch())
            return QString::fromUtf16(f.reason);
    }
    return {};
}

bool isFailureLine(const QString& line)
{
    for (const Failure& f : kFailures) {
        if (failurePattern(f).match(line).hasMatch())
            return true;
    }
    return false;
}

bool isAscii(const QString& line)
{
    for (QChar c : line) {
        if (c.unicode() > 0x7f)
            return false;
    }
    return true;
}

struct Entry {
    QString address;
    QString command;
    QStringList messages; // au's wording (kFailures)
    QStringList replies;  // other text: the remote reply
};

} // namespace

QString EzwebDecoder::family() const
{
    return u"ezweb"_s;
}

bool EzwebDecoder::detect(const DecodeContext& ctx) const
{
    return signs(ctx) >= 2;
}

std::optional<BounceReport> EzwebDecoder::decode(const DecodeContext& ctx) const
{
    static const QRegularExpression start(
        uR"(^(?:The user\(s\) |Your message |Each of the following|<[^ ]+@[^ ]+>$))"_s);
    static const QRegularExpression recipientLine(
        uR"(^(?:<([^ ]+@[^ ]+)>(?::.*)?|[ \t]+Recipient: <([^ ]+@[^ ]+)>.*)$)"_s);
    static const QRegularExpression commandLine(uR"(^[ \t]+>>>[ \t]+([A-Z]{4}))"_s);
    static const QRegularExpression replyMarker(uR"(^\s*<<<\s*)"_s);
    static const QRegularExpression dsnField(uR"(^[A-Za-z-]+:\s)"_s);
    // The quoted original follows a line of 50 dashes.
    const QStringView originalStarts[] = {u"--------------------------------------------------"};
    const QString notice = ProviderSupport::textBefore(ctx.noticeText(), originalStarts);

    Entry common; // text before the first recipient applies to all of them
    QList<Entry> entries;
    bool started = false;
    for (const QString& line : ProviderSupport::lines(notice)) {
        if (!started)
            started = start.match(line).hasMatch();
        if (!started || line.trimmed().isEmpty())
            continue;
        Entry& current = entries.isEmpty() ? common : entries.last();
        if (const QRegularExpressionMatch m = recipientLine.match(line); m.hasMatch()) {
            entries.append(Entry{m.captured(1).isEmpty() ? m.captured(2) : m.captured(1), {}, {}, {}});
        } else if (!isAscii(line) || dsnField.match(line).hasMatch()) {
            continue; // the Japanese version of the notice, or stray DSN fields
        } else if (const QRegularExpressionMatch c = commandLine.match(line); c.hasMatch()) {
            current.command = StatusCode::normalizeCommand(c.captured(1));
        } else if (isFailureLine(line)) {
            current.messages << line.trimmed();
        } else {
            current.replies << line.trimmed().remove(replyMarker);
        }
    }
    // au's spam filter marks what it refused with X-SPASIGN: NG.
    const bool filtered = ctx.root().header("X-SPASIGN").trimmed() == u"NG";
    BounceReport report = ProviderSupport::newReport(family());
    for (const Entry& e : entries) {
        const QStringList messages = e.messages.isEmpty() ? common.messages : e.messages;
        const QStringList replies = e.replies.isEmpty() ? common.replies : e.replies;
        BounceRecipient r = ProviderSupport::makeRecipient(e.address, (messages + replies).join(u' '));
        if (r.recipient.isEmpty())
            continue;
        if (!e.command.isEmpty())
            r.smtpCommand = e.command;
        if (filtered)
            r.reason = u"filtered"_s;
        else if (r.smtpCommand == u"RCPT")
            r.reason = u"userunknown"_s; // refused at RCPT TO by au's own server
        else
            r.reason = failureReason(messages.join(u' '));
        if (r.reason == u"onhold")
            r.reason.clear();
        // Outside au's own domains a refusal without a stated reason is an unknown user.
        if (r.reason.isEmpty() && !r.recipient.endsWith(u"@ezweb.ne.jp") && !r.recipient.endsWith(u"@au.com"))
            r.reason = u"userunknown"_s;
        report.recipients.append(std::move(r));
    }
    if (report.recipients.isEmpty())
        return std::nullopt;
    // ezweb-02 style: a DSN part gives the status the notice lacks.
    if (const std::optional<BounceReport> dsn = ProviderSupport::standardReport(ctx, family())) {
        for (BounceRecipient& r : report.recipients) {
            for (const BounceRecipient& d : dsn->recipients) {
                if (d.recipient == r.recipient && r.status.isEmpty())
                    r.status = d.status;
            }
        }
        report.reportingMta = dsn->reportingMta;
    }
    return report;
}

} // namespace bi::core::bounce
