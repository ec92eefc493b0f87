// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/provider/googlegroups_decoder.h"

#include <QRegularExpression>

#include "core/bounce/decoders/provider/provider_support.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

constexpr QStringView kSender = u"mailer-daemon@googlemail.com";
constexpr QStringView kSubject = u"Delivery Status Notification";
const QStringView kOriginalStarts[] = {u"----- Original message -----"};

// Google Groups lists, in the sender's language, the four reasons a post may be refused
// (the group name is misspelt, the group was removed, you must join first, the group takes
// no posts): four bullet lines mean the group refused the sender.
constexpr int kRefusalBullets = 4;

// The notice is a few paragraphs; the first four carry the message, the rest is the
// help-centre link and the signature.
constexpr qsizetype kNoticeParagraphs = 4;

} // namespace

QString GoogleGroupsDecoder::family() const
{
    return u"googlegroups"_s;
}

bool GoogleGroupsDecoder::detect(const DecodeContext& ctx) const
{
    const mail::MimePart& root = ctx.root();
    return root.hasHeader("X-Failed-Recipients") && root.hasHeader("X-Google-Smtp-Source")
        && ProviderSupport::headerContains(root, "From", kSender)
        && ProviderSupport::headerContains(root, "Subject", kSubject);
}

std::optional<BounceReport> GoogleGroupsDecoder::decode(const DecodeContext& ctx) const
{
    const QString notice = ProviderSupport::textBefore(ctx.noticeText(), kOriginalStarts);
    static const QRegularExpression bullet(uR"(^ ?\* ?)"_s, QRegularExpression::MultilineOption);
    int bullets = 0;
    for (auto it = bullet.globalMatch(notice); it.hasNext(); it.next())
        ++bullets;
    const QString hint = bullets == kRefusalBullets ? u"rejected"_s : QString();

    static const QRegularExpression blankLine(uR"(\r?\n[ \t]*\r?\n)"_s);
    QStringList paragraphs = notice.trimmed().split(blankLine, Qt::SkipEmptyParts);
    if (paragraphs.size() > kNoticeParagraphs)
        paragraphs.resize(kNoticeParagraphs);
    const QString diagnostic = ProviderSupport::sweep(paragraphs.join(u' '));

    BounceReport report = ProviderSupport::newReport(family());
    for (const QString& address : ctx.root().header("X-Failed-Recipients").split(u',', Qt::SkipEmptyParts)) {
        BounceRecipient r = ProviderSupport::makeRecipient(address, diagnostic);
        if (r.recipient.isEmpty())
            continue;
        r.reason = hint;
        report.recipients.append(std::move(r));
    }
    if (report.recipients.isEmpty())
        return std::nullopt;
    return report;
}

} // namespace bi::core::bounce
