// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

/// Helpers shared by the tests that drive bounce-inspector-cli over the labelled corpus.
namespace corpus {

/// The shared corpus folder, or an empty string (after printing why) when absent.
QString corpusDir();

/// Runs the CLI with args; returns stdout split into parsed JSON objects.
/// exitCode receives the process exit code; stderrText what it printed there.
QList<QJsonObject> runCliJsonl(const QStringList& args, int* exitCode = nullptr, QString* stderrText = nullptr);

/// Reads a JSONL file.
QList<QJsonObject> readJsonl(const QString& path);

/// Status equality as labelled: sisimai's pseudo codes X.0.9NN compare by class digit only.
bool statusAgrees(const QString& expected, const QString& actual);

/// True when recipient, status, replycode, reason and hardbounce all match.
bool recordAgrees(const QJsonObject& expected, const QJsonObject& actual, QString* why = nullptr);

} // namespace corpus
