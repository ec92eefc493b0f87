// SPDX-License-Identifier: GPL-3.0-or-later
// A generated project for the report and export tests, built through the CLI as a user would,
// and helpers that run the CLI and read its JSON lines.
#pragma once

#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QString>
#include <QStringList>

#include "scenario.h"

namespace bi::test {

struct CliRun {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

inline CliRun runProgram(const QString& program, const QStringList& args)
{
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(600'000))
        return {};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

inline CliRun runCli(const QStringList& args) { return runProgram(QStringLiteral(BI_CLI_PATH), args); }

inline QList<QJsonObject> jsonLines(const QByteArray& text)
{
    QList<QJsonObject> out;
    for (const QByteArray& line : text.split('\n')) {
        if (!line.trimmed().isEmpty())
            out << QJsonDocument::fromJson(line).object();
    }
    return out;
}

/// Writes a small seeded scenario into dir/scenario and imports its Postfix log and mailbox
/// into dir/project.bip. Returns an error text, empty on success.
inline QString buildScenarioProject(const QString& dir, const QString& project)
{
    bi::scenario::ScenarioOptions options;
    options.seed = 20260407;
    options.messages = 160;
    options.days = 6;
    QString error;
    const auto truth = bi::scenario::ScenarioGenerator(options).writeTo(dir + QStringLiteral("/scenario"), &error);
    if (truth.isEmpty())
        return QStringLiteral("scenario: ") + error;
    const CliRun import = runCli({QStringLiteral("import"), QStringLiteral("--db"), project, QStringLiteral("--tz"),
                                  QStringLiteral("UTC+01:00"), dir + QStringLiteral("/scenario/postfix.log"),
                                  dir + QStringLiteral("/scenario/mailbox-postfix.mbox")});
    if (import.exitCode != 0)
        return QStringLiteral("import failed: ") + QString::fromUtf8(import.err);
    return {};
}

} // namespace bi::test
