// SPDX-License-Identifier: GPL-3.0-or-later
// The bundled demo data (resources/demo) imported into a project, as the GUI tests start from it.
#pragma once

#include <QString>

#include "core/import/import_job.h"
#include "core/store/project_store.h"

namespace bi::test {

/// resources/demo/, with a trailing slash.
inline QString demoDir()
{
    return QStringLiteral(BI_TEST_DATA_DIR) + QStringLiteral("/../../resources/demo/");
}

/// Imports the demo mailbox and smarthost log into a new project at path; returns what went
/// wrong, or an empty string. The demo has well over 100 recipients, every fate among them.
inline QString importDemo(const QString& path)
{
    auto store = bi::core::store::ProjectStore::open(path, QStringLiteral("test-import"));
    if (!store)
        return store.error().toString();
    bi::core::import::ImportJob job(*store);
    auto summary = job.run({demoDir() + QStringLiteral("mailbox.mbox"), demoDir() + QStringLiteral("smarthost.log")});
    if (!summary)
        return summary.error().toString();
    return summary->fates > 100 ? QString() : QStringLiteral("the demo gave only %1 fates").arg(summary->fates);
}

} // namespace bi::test
