// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>

namespace bi::core {

/// Hands items from one producing thread to one consuming thread, at most depth of them in
/// flight (bounded memory whatever the input). Either side may abort(): from then on both
/// push() and pop() return false at once, so neither waits for a partner that gave up.
/// Thread: push() in the producer, pop() in the consumer, the rest in either.
template <typename T>
class BoundedQueue final {
public:
    explicit BoundedQueue(std::size_t depth) : m_depth(depth) {}

    /// Blocks while depth items wait. False when aborted (the item is dropped).
    bool push(T&& item)
    {
        std::unique_lock lock(m_mutex);
        m_space.wait(lock, [&] { return m_aborted || m_items.size() < m_depth; });
        if (m_aborted)
            return false;
        m_items.push_back(std::move(item));
        m_ready.notify_one();
        return true;
    }
    /// Blocks until an item comes. False when the queue is closed and empty, or aborted.
    bool pop(T& out)
    {
        std::unique_lock lock(m_mutex);
        m_ready.wait(lock, [&] { return m_aborted || m_closed || !m_items.empty(); });
        if (m_aborted || m_items.empty())
            return false;
        out = std::move(m_items.front());
        m_items.pop_front();
        m_space.notify_one();
        return true;
    }
    /// The producer is done: pop() drains what is left, then returns false.
    void close()
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        m_ready.notify_all();
    }
    /// Gives up on both sides; waiting items are dropped.
    void abort()
    {
        std::lock_guard lock(m_mutex);
        m_aborted = true;
        m_items.clear();
        m_ready.notify_all();
        m_space.notify_all();
    }
    [[nodiscard]] bool isAborted() const
    {
        std::lock_guard lock(m_mutex);
        return m_aborted;
    }

private:
    const std::size_t m_depth;
    mutable std::mutex m_mutex;
    std::condition_variable m_ready;
    std::condition_variable m_space;
    std::deque<T> m_items;
    bool m_closed = false;
    bool m_aborted = false;
};

} // namespace bi::core
