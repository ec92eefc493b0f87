// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/side_reader.h"

#include <future>

#include "core/store/project_store.h"

using namespace Qt::StringLiterals;

namespace bi::core::store {

SideReader::~SideReader()
{
    join();
}

bool SideReader::start(const QString& path, const QString& purpose, Work work)
{
    join();
    m_threw = false;
    if (path.isEmpty() || path == u":memory:"_s)
        return false;
    std::promise<bool> opened;
    std::future<bool> isOpen = opened.get_future();
    m_thread = std::thread([this, &opened, path, purpose, work = std::move(work)] {
        bool told = false;
        try {
            auto store = ProjectStore::open(path, purpose, false);
            told = true;
            opened.set_value(bool(store)); // the caller goes on from here: no access to opened after
            if (store) {
                // One snapshot for the whole pass (no writes here): SQLite's read lock is
                // taken once, not once per statement (a tenth of reading the log chunks).
                // Without it (it takes no lock, so hardly fails) each statement reads alone.
                const bool snapshot = bool(store->beginRead());
                work(*store);
                if (snapshot)
                    store->rollback();
            }
        } catch (...) {
            m_threw = true;
            if (!told)
                opened.set_value(false);
        }
    });
    const bool running = isOpen.get();
    if (!running)
        join();
    return running;
}

void SideReader::join()
{
    if (m_thread.joinable())
        m_thread.join();
}

} // namespace bi::core::store
