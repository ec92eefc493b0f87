// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <Qt>

namespace bi::ui {

/// Roles shared by every model of the application (STYLE §6): views show DisplayRole,
/// sorting and tests use RawValueRole (epoch ms, enum int, byte count, bool).
enum Role : int {
    RawValueRole = Qt::UserRole + 1,
    MessageIdRole, ///< messages.id of the row, for selection-driven detail views
    FateIdRole,    ///< fates.id of the row; 0 when the row is not loaded yet
};

} // namespace bi::ui
