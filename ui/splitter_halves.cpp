// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/splitter_halves.h"

#include <QEvent>
#include <QSplitter>
#include <QTimer>

namespace bi::ui {

namespace {

class HalvesOnShow final : public QObject {
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() != QEvent::Show)
            return false;
        auto* splitter = static_cast<QSplitter*>(watched);
        splitter->removeEventFilter(this);
        // After the show's layout pass: by then the splitter has the size it is shown at.
        QTimer::singleShot(0, splitter, [splitter] {
            const int total = splitter->orientation() == Qt::Horizontal ? splitter->width() : splitter->height();
            splitter->setSizes({total / 2, total - total / 2});
        });
        deleteLater();
        return false;
    }
};

} // namespace

void splitInHalvesWhenShown(QSplitter* splitter)
{
    splitter->installEventFilter(new HalvesOnShow(splitter));
}

} // namespace bi::ui
