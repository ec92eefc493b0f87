// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/decoders/mta/mta_result.h"

#include <span>

#include <QSet>

#include "core/bounce/address.h"
#include "core/bounce/decoders/mta/mta_text.h"
#include "core/bounce/status_code.h"

using namespace Qt::StringLiterals;

namespace bi::core::bounce {

namespace {

// RFC 3463 §3: a code with a non-zero subject ("5.1.1", "4.7.0") says more than "5.0.0";
// sisimai (Sisimai::Fact) lets such a code in the remote server's text win over the Status
// field, which the reporting MTA often fills with its own summary.
bool isPrecise(const QString& code)
{
    const QStringList parts = code.split(u'.');
    return parts.size() == 3 && (parts.at(0) == u"4" || parts.at(0) == u"5") && parts.at(1).size() == 1
        && parts.at(1) != u"0";
}

// RFC 5321 §4.2.2 (and RFC 3463, 4954, 5248, 7504) reply codes of each class, the usual ones
// first: when a diagnostic quotes several replies ("450 busy ... 551 not our customer ... 503
// need RCPT"), the code of the class the status names, and the most telling one, is the reply.
constexpr int kReplies2[] = {211, 214, 220, 221, 235, 250, 251, 252, 253, 334, 354};
constexpr int kReplies4[] = {421, 450, 451, 452, 422, 430, 432, 453, 454, 455, 458, 459};
constexpr int kReplies5[] = {550, 552, 553, 551, 521, 525, 523, 524, 530, 533, 534, 535, 538, 555, 556, 554,
                             500, 501, 502, 503, 504};

// The three-digit numbers in \a text that stand alone: not part of a longer number, an IP
// address or a status code ("5.5.0", "192.0.2.250"). One pass over the text.
QSet<int> standaloneCodes(QStringView text)
{
    auto numeric = [](QChar c) { return c.isDigit() || c == u'.' || c == u'/'; };
    auto ascii = [](QChar c) { return c >= u'0' && c <= u'9'; };
    QSet<int> out;
    for (qsizetype at = 0; at + 3 <= text.size(); ++at) {
        if (!ascii(text.at(at)) || !ascii(text.at(at + 1)) || !ascii(text.at(at + 2)))
            continue;
        const QChar before = at > 0 ? text.at(at - 1) : u' ';
        const QChar after = at + 3 < text.size() ? text.at(at + 3) : u' ';
        if (!numeric(before) && !numeric(after))
            out.insert((text.at(at).unicode() - u'0') * 100 + (text.at(at + 1).unicode() - u'0') * 10
                       + (text.at(at + 2).unicode() - u'0'));
    }
    return out;
}

QString replyCodeIn(QStringView text, int statusClass)
{
    const QSet<int> present = standaloneCodes(text);
    if (present.isEmpty())
        return {};
    auto search = [&present](std::span<const int> codes) -> QString {
        for (int code : codes) {
            if (present.contains(code))
                return QString::number(code);
        }
        return {};
    };
    switch (statusClass) {
    case 2: return search(kReplies2);
    case 4: return search(kReplies4);
    case 5: return search(kReplies5);
    default: break;
    }
    for (std::span<const int> codes : {std::span<const int>(kReplies5), std::span<const int>(kReplies4),
                                       std::span<const int>(kReplies2)}) {
        if (QString found = search(codes); !found.isEmpty())
            return found;
    }
    return {};
}

// RFC 5321 §4.2.1: a multiline reply repeats its code on every line ("550-5.7.1 text
// 550-5.7.1 more 550 5.7.1 end"). Joined into one line the repetitions are wrapping, not the
// server's words: keep the first, drop the others. A repetition is the code at the start or
// after a blank, then '-' or ' ', then the status when it follows as a word of its own.
QString unfoldMultilineReply(const QString& diagnostic, const QString& reply, const QString& status)
{
    if (reply.isEmpty() || !diagnostic.contains(reply + u'-'))
        return diagnostic;
    auto blank = [](QChar c) { return c == u' ' || c == u'\t' || c == u'\n' || c == u'\r' || c == u'\f' || c == u'\v'; };
    const QStringView text(diagnostic);
    QString out;
    qsizetype last = 0;
    bool first = true;
    for (qsizetype at = text.indexOf(reply); at >= 0; at = text.indexOf(reply, at)) {
        qsizetype end = at + reply.size();
        if ((at > 0 && !blank(text.at(at - 1))) || end >= text.size()
            || (text.at(end) != u'-' && text.at(end) != u' ')) {
            ++at;
            continue;
        }
        ++end;
        if (!status.isEmpty() && text.mid(end).startsWith(status)
            && (end + status.size() == text.size() || text.at(end + status.size()) == u' '))
            end += status.size();
        out += text.mid(last, at - last);
        if (first) {
            QString kept = text.mid(at, end - at).toString();
            kept[reply.size()] = u' ';
            out += kept + u' ';
        }
        first = false;
        last = end;
        at = end;
    }
    out += text.mid(last);
    return MtaText::sweep(out);
}

MessageKind kindFor(const QString& action, const QString& status)
{
    if (action.startsWith(u"delayed"))
        return MessageKind::Delay;
    if (action == u"delivered" || action == u"relayed" || action == u"expanded")
        return MessageKind::Delivered;
    if (action.isEmpty() && status.startsWith(u'2'))
        return MessageKind::Delivered;
    return MessageKind::Bounce;
}

} // namespace

void MtaResult::finish(BounceRecipient& r)
{
    const QString address = Address::normalize(r.recipient);
    r.recipient = address;
    if (!r.originalRecipient.isEmpty())
        r.originalRecipient = Address::normalize(r.originalRecipient);
    r.diagnostic = MtaText::sweep(r.diagnostic);
    r.action = r.action.trimmed().toLower();
    r.remoteMta = r.remoteMta.trimmed();

    r.status = StatusCode::normalize(r.status);
    const QString inText = StatusCode::find(r.diagnostic);
    if (r.status.isEmpty() || isPrecise(inText))
        r.status = inText.isEmpty() ? r.status : inText;
    if (StatusCode::isPseudo(r.status))
        r.status.clear(); // only the classifier hands out sisimai's pseudo codes

    r.replyCode = r.replyCode.trimmed();
    if (r.replyCode.isEmpty())
        r.replyCode = replyCodeIn(r.diagnostic, StatusCode::classDigit(r.status));
    if (!r.replyCode.isEmpty() && !r.status.isEmpty()
        && StatusCode::classDigit(r.replyCode) != StatusCode::classDigit(r.status))
        r.replyCode.clear();

    r.diagnostic = unfoldMultilineReply(r.diagnostic, r.replyCode, r.status);

    if (!r.smtpCommand.isEmpty())
        r.smtpCommand = StatusCode::normalizeCommand(r.smtpCommand);
    r.kind = kindFor(r.action, r.status);
}

std::optional<BounceReport> MtaResult::finish(BounceReport report)
{
    QList<BounceRecipient> kept;
    QSet<QString> seen; // address + diagnostic: the same failure listed twice (text and DSN)
    for (BounceRecipient r : report.recipients) {
        finish(r);
        if (r.recipient.isEmpty())
            continue;
        const QString key = r.recipient + u'\n' + r.diagnostic;
        if (seen.contains(key))
            continue;
        seen.insert(key);
        kept.append(std::move(r));
    }
    report.recipients = std::move(kept);
    report.reportingMta = report.reportingMta.trimmed();
    if (report.recipients.isEmpty())
        return std::nullopt;
    report.kind = report.recipients.constFirst().kind;
    return report;
}

} // namespace bi::core::bounce
