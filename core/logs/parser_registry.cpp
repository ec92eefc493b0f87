// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/logs/parser_registry.h"

#include "core/logs/exchange/exchange_parser.h"
#include "core/logs/exim/exim_parser.h"
#include "core/logs/opensmtpd/opensmtpd_parser.h"
#include "core/logs/postfix/postfix_parser.h"
#include "core/logs/powermta/powermta_parser.h"
#include "core/logs/qmail/qmail_parser.h"
#include "core/logs/sendmail/sendmail_parser.h"

namespace bi::core::logs {

namespace {

template<typename P>
std::unique_ptr<LogParser> make()
{
    return std::make_unique<P>();
}

} // namespace

const QList<ParserRegistry::Entry>& ParserRegistry::entries()
{
    // Order breaks ties: the more specific syslog programs first.
    static const QList<Entry> kEntries = {
        {LogFormat::Postfix, &PostfixParser::sniffLine, &make<PostfixParser>},
        {LogFormat::Exim, &EximParser::sniffLine, &make<EximParser>},
        {LogFormat::Sendmail, &SendmailParser::sniffLine, &make<SendmailParser>},
        {LogFormat::Qmail, &QmailParser::sniffLine, &make<QmailParser>},
        {LogFormat::PowerMta, &PowerMtaParser::sniffLine, &make<PowerMtaParser>},
        {LogFormat::Exchange, &ExchangeParser::sniffLine, &make<ExchangeParser>},
        {LogFormat::OpenSmtpd, &OpenSmtpdParser::sniffLine, &make<OpenSmtpdParser>},
    };
    return kEntries;
}

const ParserRegistry::Entry* ParserRegistry::find(LogFormat format)
{
    for (const Entry& e : entries()) {
        if (e.format == format)
            return &e;
    }
    return nullptr;
}

std::unique_ptr<LogParser> ParserRegistry::create(LogFormat format)
{
    const Entry* e = find(format);
    return e ? e->create() : nullptr;
}

ParserRegistry::SniffResult ParserRegistry::sniff(const QList<QByteArrayView>& lines)
{
    const QList<Entry>& all = entries();
    QList<int> totals(all.size(), 0);
    QList<int> matched(all.size(), 0);
    QList<int> strong(all.size(), 0);
    SniffResult result;
    for (const QByteArrayView line : lines) {
        if (line.trimmed().isEmpty())
            continue;
        ++result.lines;
        for (qsizetype i = 0; i < all.size(); ++i) {
            const int s = all[i].sniffLine(line);
            if (s <= 0)
                continue;
            totals[i] += s;
            ++matched[i];
            if (s >= 2)
                ++strong[i];
        }
    }
    qsizetype best = -1;
    for (qsizetype i = 0; i < all.size(); ++i) {
        if (strong[i] == 0 || totals[i] < 3)
            continue;
        if (best < 0 || totals[i] > totals[best])
            best = i;
    }
    if (best >= 0) {
        result.format = all[best].format;
        result.score = totals[best];
        result.matchedLines = matched[best];
    }
    return result;
}

} // namespace bi::core::logs
