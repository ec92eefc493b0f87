// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <memory>

#include "core/common/result.h"
#include "core/store/fate_record.h"

namespace bi::core::store {

class ProjectStore;

/// The fates table (schema v2): one row per (message, recipient), recomputed by the
/// correlator after every import. Uses the ProjectStore's connection; same thread.
class FateRepository final {
public:
    explicit FateRepository(const ProjectStore& store);
    ~FateRepository();
    FateRepository(const FateRepository&) = delete;
    FateRepository& operator=(const FateRepository&) = delete;

    /// Removes every fate; call inside the transaction that writes the new ones.
    [[nodiscard]] Result<void> clear();
    [[nodiscard]] Result<qint64> add(const FateRecord& record);

    /// Every fate ordered by queued time (then recipient). Streams; return false to stop.
    [[nodiscard]] Result<void> forEach(const std::function<bool(const FateRecord&)>& callback) const;
    /// The fates of one recipient address (case-insensitive), in time order.
    [[nodiscard]] Result<QList<FateRecord>> forRecipient(const QString& address) const;
    [[nodiscard]] Result<qint64> count() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_d;
};

} // namespace bi::core::store
