// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QStringList>

#include "core/common/result.h"

namespace bi::core::store {
class ProjectStore;
}

namespace bi::core::backscatter {

/// The project's own sending domains and relays, and the signing secrets, as kept in the
/// project settings (table settings; keys documented in core/store/schema.cpp, migration 3).
/// The user's entries and the learned ones are kept apart so relearning after an import
/// never overwrites what the user typed; names the user removed from the learned ones are
/// remembered in `excluded`. Lists are stored comma-separated (what FateCorrelator reads).
/// Thread: value type; load/save use the store's thread.
struct OwnSettings {
    QStringList userDomains;    ///< "own_domains"
    QStringList userHosts;      ///< "own_hosts": relay host names (full or short syslog names)
    QStringList learnedDomains; ///< "own_domains_learned"
    QStringList learnedHosts;   ///< "own_hosts_learned"
    QStringList excluded;       ///< "own_excluded": learned names the user does not want
    QByteArray batvSecret;      ///< "batv_secret": BATV/PRVS signing key; empty when unknown
    QByteArray srsSecret;       ///< "srs_secret": SRS signing key; empty when unknown

    /// Domains in use: the user's plus the learned ones not excluded, sorted, unique.
    [[nodiscard]] QStringList domains() const;
    /// Hosts in use, likewise.
    [[nodiscard]] QStringList hosts() const;

    /// Reads every key (missing keys give empty lists). Errors: SQLite refused.
    [[nodiscard]] static Result<OwnSettings> load(const store::ProjectStore& store);
    /// Writes every key (empty lists remove their key). Errors: SQLite refused.
    [[nodiscard]] Result<void> save(store::ProjectStore& store) const;
    /// Writes only the learned lists (what an import run changes).
    [[nodiscard]] Result<void> saveLearned(store::ProjectStore& store) const;
};

} // namespace bi::core::backscatter
