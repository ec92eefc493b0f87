// SPDX-License-Identifier: GPL-3.0-or-later
#include "corpus_records.h"

#include <cstdio>

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace corpus {

QString corpusDir()
{
    const QString dir = QString::fromUtf8(BI_SHARED_CORPUS_DIR);
    if (!QDir(dir + u"/bounces/emails"_s).exists()) {
        std::printf("SKIP: shared corpus not found at %s (configure with -DBI_SHARED_CORPUS_DIR=...)\n",
                    qPrintable(dir));
        return {};
    }
    return QDir(dir).canonicalPath();
}

QList<QJsonObject> runCliJsonl(const QStringList& args, int* exitCode, QString* stderrText)
{
    QProcess process;
    process.start(QString::fromUtf8(BI_CLI_PATH), args);
    process.waitForFinished(600000);
    if (exitCode)
        *exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    if (stderrText)
        *stderrText = QString::fromUtf8(process.readAllStandardError());
    QList<QJsonObject> out;
    for (const QByteArray& line : process.readAllStandardOutput().split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        out << QJsonDocument::fromJson(line).object();
    }
    return out;
}

QList<QJsonObject> readJsonl(const QString& path)
{
    QList<QJsonObject> out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return out;
    for (const QByteArray& line : f.readAll().split('\n')) {
        if (!line.trimmed().isEmpty())
            out << QJsonDocument::fromJson(line).object();
    }
    return out;
}

bool statusAgrees(const QString& expected, const QString& actual)
{
    static const QRegularExpression pseudo(u"^[245]\\.0\\.9\\d\\d$"_s);
    if (pseudo.match(expected).hasMatch())
        return !actual.isEmpty() && actual.at(0) == expected.at(0);
    return expected == actual;
}

bool recordAgrees(const QJsonObject& expected, const QJsonObject& actual, QString* why)
{
    QStringList diffs;
    auto cmp = [&](const char16_t* field, const QString& e, const QString& a) {
        if (e != a)
            diffs << u"%1 %2≠%3"_s.arg(QString::fromUtf16(field), e, a);
    };
    cmp(u"recipient", expected[u"recipient"_s].toString().toLower(), actual[u"recipient"_s].toString().toLower());
    if (!statusAgrees(expected[u"status"_s].toString(), actual[u"status"_s].toString()))
        diffs << u"status %1≠%2"_s.arg(expected[u"status"_s].toString(), actual[u"status"_s].toString());
    cmp(u"replycode", expected[u"replycode"_s].toVariant().toString(), actual[u"replycode"_s].toVariant().toString());
    cmp(u"reason", expected[u"reason"_s].toString(), actual[u"reason"_s].toString());
    if (expected[u"hardbounce"_s].toBool() != actual[u"hardbounce"_s].toBool())
        diffs << u"hardbounce"_s;
    if (why)
        *why = diffs.join(u", "_s);
    return diffs.isEmpty();
}

} // namespace corpus
