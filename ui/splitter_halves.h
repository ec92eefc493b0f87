// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class QSplitter;

namespace bi::ui {

/// Gives a splitter's two panes half each once it is first shown, with its real size. Set
/// before that, sizes are clamped to the panes' minimums and a wide pane keeps the head start
/// through every later resize. Call it only where no saved layout was restored.
void splitInHalvesWhenShown(QSplitter* splitter);

} // namespace bi::ui
