// SPDX-License-Identifier: GPL-3.0-or-later
// bi-scenario: writes a seeded delivery scenario (logs, mailboxes, truth) into a directory.
#include <cstdio>

#include <QCommandLineParser>
#include <QCoreApplication>

#include "scenario.h"

using namespace Qt::StringLiterals;

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Write a seeded scenario: postfix.log, exim.log, mailbox-postfix.mbox, "
                                     u"mailbox-exim.mbox and truth.jsonl."_s);
    parser.addHelpOption();
    const QCommandLineOption seed(u"seed"_s, u"Random seed."_s, u"N"_s, u"1"_s);
    const QCommandLineOption messages(u"messages"_s, u"Messages to send."_s, u"N"_s, u"400"_s);
    const QCommandLineOption days(u"days"_s, u"Days the sending spreads over."_s, u"N"_s, u"8"_s);
    const QCommandLineOption backscatter(u"backscatter"_s, u"Forged-sender spam bounces in the mailboxes."_s, u"N"_s, u"0"_s);
    const QCommandLineOption outbound(u"outbound-backscatter"_s, u"Spam the smarthosts accept and bounce to its forged "
                                                                 u"sender, in the logs."_s, u"N"_s, u"0"_s);
    parser.addOptions({seed, messages, days, backscatter, outbound});
    parser.addPositionalArgument(u"DIR"_s, u"Output directory."_s);
    parser.process(app);
    if (parser.positionalArguments().size() != 1) {
        std::fprintf(stderr, "bi-scenario: give exactly one output DIR\n");
        return 2;
    }
    bi::scenario::ScenarioOptions options;
    options.seed = parser.value(seed).toULongLong();
    options.messages = parser.value(messages).toInt();
    options.days = parser.value(days).toInt();
    options.backscatter = parser.value(backscatter).toInt();
    options.outboundBackscatter = parser.value(outbound).toInt();
    QString error;
    const auto truth = bi::scenario::ScenarioGenerator(options).writeTo(parser.positionalArguments().constFirst(), &error);
    if (truth.isEmpty()) {
        std::fprintf(stderr, "bi-scenario: %s\n", qPrintable(error.isEmpty() ? u"nothing generated"_s : error));
        return 1;
    }
    std::printf("%lld recipient records written\n", static_cast<long long>(truth.size()));
    return 0;
}
