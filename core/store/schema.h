// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSqlDatabase>

#include "core/common/result.h"

namespace bi::core::store {

/// The project database schema and its numbered, forward-only migrations.
/// The version lives in PRAGMA user_version, our file signature in PRAGMA application_id.
/// Each table is documented next to its CREATE statement in schema.cpp.
/// Thread: the connection's thread. No exceptions.
class Schema final {
public:
    /// The version this build writes. Migration N turns version N-1 into N.
    static constexpr int kCurrentVersion = 11;
    /// PRAGMA application_id of every project ("BIpj"), so foreign SQLite files are told apart.
    static constexpr int kApplicationId = 0x42497069;

    /// Checks the file is ours (or empty) and applies migrateTo(v+1) ... migrateTo(kCurrentVersion).
    /// Returns the version now in the file. Errors (ErrorCode::Format): a newer schema
    /// ("made by a newer Bounce Inspector (schema N)"), an SQLite file of another program.
    /// ErrorCode::Database: SQLite refused (locked, read-only, corrupt).
    [[nodiscard]] static Result<int> migrate(const QSqlDatabase& db);
    /// The checks migrate() makes before migrating, without writing: the file's schema
    /// version, 0 for a new empty file. Errors as migrate()'s.
    [[nodiscard]] static Result<int> check(const QSqlDatabase& db);

    /// Applies migration `version` in its own IMMEDIATE transaction, together with the
    /// user_version bump; a no-op when the file is already at or past `version` (another
    /// process migrated it meanwhile). Errors: the file is not at version-1, unknown version.
    [[nodiscard]] static Result<void> migrateTo(const QSqlDatabase& db, int version);

    [[nodiscard]] static Result<int> userVersion(const QSqlDatabase& db);
    [[nodiscard]] static Result<int> applicationId(const QSqlDatabase& db);
};

} // namespace bi::core::store
