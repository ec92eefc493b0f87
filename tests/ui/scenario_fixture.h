// SPDX-License-Identifier: GPL-3.0-or-later
// A generated scenario (tests/scenario) imported into a project, as the pane tests start from it.
#pragma once

#include <QDir>
#include <QString>
#include <QTimeZone>

#include "core/import/import_job.h"
#include "core/store/project_store.h"
#include "scenario.h"

namespace bi::test {

/// Writes the scenario of seed and messages into dir/s and imports its Postfix log (stamped at
/// +01:00) and mailbox into a new project at project; returns what went wrong, or "".
inline QString importScenario(const QString& dir, quint64 seed, int messages, const QString& project)
{
    bi::scenario::ScenarioOptions options;
    options.seed = seed;
    options.messages = messages;
    QString error;
    if (bi::scenario::ScenarioGenerator(options).writeTo(QDir(dir).filePath(QStringLiteral("s")), &error).isEmpty())
        return QStringLiteral("scenario: ") + error;
    auto store = bi::core::store::ProjectStore::open(project, QStringLiteral("test"));
    if (!store)
        return store.error().toString();
    bi::core::import::ImportOptions io;
    io.logTimeZone = QTimeZone(3600);
    bi::core::import::ImportJob job(*store, io);
    auto summary = job.run({QDir(dir).filePath(QStringLiteral("s/postfix.log")),
                            QDir(dir).filePath(QStringLiteral("s/mailbox-postfix.mbox"))});
    if (!summary)
        return summary.error().toString();
    return summary->errors.isEmpty() ? QString() : summary->errors.join(u'\n');
}

} // namespace bi::test
