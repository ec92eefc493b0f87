// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <thread>

#include <QString>

namespace bi::core::store {

class ProjectStore;

/// Reading work that runs beside the store's own thread: on a connection of its own to the
/// same project file, opened, used and closed in a thread of its own (STYLE §8). In WAL mode
/// it reads the state committed when its work began (one read transaction for the whole
/// work) while the owner writes, so a long pass over the logs can run on the second core
/// while another one writes its results. The work only reads.
/// Thread: start() and join() from the owner's thread; work runs in the new thread.
class SideReader final {
public:
    using Work = std::function<void(const ProjectStore& store)>;

    SideReader() = default;
    ~SideReader(); ///< joins
    SideReader(const SideReader&) = delete;
    SideReader& operator=(const SideReader&) = delete;

    /// Opens the project at path in a new thread and runs work there. Returns once the
    /// connection is open, true when work runs; false when nothing runs: a project without a
    /// file of its own (":memory:"), or one that cannot be opened again. Call it before the
    /// owner begins a write transaction: opening probes for the write lock (ProjectStore::open)
    /// and would wait for the busy timeout, then fail. Work should not throw (an exception
    /// ends it, see threw()).
    bool start(const QString& path, const QString& purpose, Work work);
    /// Waits for work to end (no-op when nothing runs).
    void join();
    /// After join(): work ended by an exception.
    [[nodiscard]] bool threw() const { return m_threw; }

private:
    std::thread m_thread;
    bool m_threw = false;
};

} // namespace bi::core::store
