// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QTabWidget>

#include "core/inspect/inspect_detail.h"

class QLabel;
class QPlainTextEdit;
class QTreeView;

namespace bi::ui {

class MimeTreeModel;

/// The raw side of the inspector: tabs with the bounce's exact bytes (header section apart
/// from the body), its MIME structure, its decoded text parts, the quoted original message
/// and the smarthost's log lines. Everything is read-only plain text: untrusted mail is
/// never rendered as HTML. Thread: GUI.
class RawPane final : public QTabWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RawPane)
public:
    enum Tab { MessageTab, StructureTab, TextTab, OriginalTab, LogTab };

    explicit RawPane(QWidget* parent = nullptr);
    ~RawPane() override;

    void setDetail(const core::inspect::InspectDetail& detail);
    void clear();

    /// Raw bytes shown as text: UTF-8 when valid, else Latin-1 (every byte stays visible),
    /// NUL shown as U+2400.
    [[nodiscard]] static QString bytesToText(const QByteArray& bytes);

    [[nodiscard]] QString headerText() const;
    [[nodiscard]] QString bodyText() const;
    [[nodiscard]] QString textPartsText() const;
    [[nodiscard]] QString originalText() const;
    [[nodiscard]] QString logText() const;
    [[nodiscard]] MimeTreeModel* mimeModel() const { return m_mimeModel; }
    [[nodiscard]] QTreeView* mimeView() const { return m_mimeView; }

private:
    void showPart(const QModelIndex& index);

    QPlainTextEdit* m_header = nullptr;
    QPlainTextEdit* m_body = nullptr;
    QLabel* m_messageInfo = nullptr;
    MimeTreeModel* m_mimeModel = nullptr;
    QTreeView* m_mimeView = nullptr;
    QPlainTextEdit* m_partView = nullptr;
    QPlainTextEdit* m_textParts = nullptr;
    QPlainTextEdit* m_original = nullptr;
    QPlainTextEdit* m_log = nullptr;
    bool m_logShownForYou = false; ///< the Log lines tab was brought up because there was no message
};

} // namespace bi::ui
