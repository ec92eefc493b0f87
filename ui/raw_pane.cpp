// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/raw_pane.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTabBar>
#include <QTreeView>
#include <QUtf8StringView>
#include <QVBoxLayout>

#include "ui/mime_tree_model.h"

using namespace Qt::StringLiterals;

namespace bi::ui {

namespace {

QPlainTextEdit* makeText(QWidget* parent, bool wrap = false)
{
    auto* edit = new QPlainTextEdit(parent);
    edit->setReadOnly(true);
    edit->setUndoRedoEnabled(false);
    edit->setLineWrapMode(wrap ? QPlainTextEdit::WidgetWidth : QPlainTextEdit::NoWrap);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return edit;
}

QWidget* titled(const QString& title, QWidget* content, QWidget* parent)
{
    auto* box = new QWidget(parent);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    auto* label = new QLabel(title, box);
    label->setTextFormat(Qt::PlainText);
    QFont bold = label->font();
    bold.setBold(true);
    label->setFont(bold);
    layout->addWidget(label);
    content->setParent(box);
    layout->addWidget(content);
    return box;
}

} // namespace

RawPane::RawPane(QWidget* parent) : QTabWidget(parent)
{
    setDocumentMode(true);

    // Message: the header section in its own, tinted box above the body.
    auto* message = new QWidget(this);
    auto* messageLayout = new QVBoxLayout(message);
    messageLayout->setContentsMargins(0, 0, 0, 0);
    m_messageInfo = new QLabel(message);
    m_messageInfo->setTextFormat(Qt::PlainText);
    messageLayout->addWidget(m_messageInfo);
    auto* split = new QSplitter(Qt::Vertical, message);
    m_header = makeText(split);
    m_header->setObjectName(u"rawHeader"_s);
    QPalette tinted = m_header->palette();
    tinted.setColor(QPalette::Base, tinted.color(QPalette::AlternateBase));
    m_header->setPalette(tinted);
    m_body = makeText(split);
    m_body->setObjectName(u"rawBody"_s);
    split->addWidget(titled(tr("Header section"), m_header, split));
    split->addWidget(titled(tr("Body"), m_body, split));
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    messageLayout->addWidget(split);
    addTab(message, tr("Raw message"));

    // Structure: MIME tree, and the selected part's header and decoded body.
    auto* structure = new QSplitter(Qt::Horizontal, this);
    m_mimeModel = new MimeTreeModel(this);
    m_mimeView = new QTreeView(structure);
    m_mimeView->setModel(m_mimeModel);
    m_mimeView->setUniformRowHeights(true);
    m_mimeView->header()->setSectionResizeMode(MimeTreeModel::Part, QHeaderView::ResizeToContents);
    m_partView = makeText(structure);
    structure->addWidget(m_mimeView);
    structure->addWidget(m_partView);
    structure->setStretchFactor(1, 2);
    connect(m_mimeView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) { showPart(current); });
    addTab(structure, tr("MIME structure"));

    m_textParts = makeText(this, true);
    addTab(m_textParts, tr("Decoded text"));
    m_original = makeText(this);
    addTab(m_original, tr("Original message"));
    m_log = makeText(this);
    addTab(m_log, tr("Log lines"));
    // A tab the user picks stays picked.
    connect(tabBar(), &QTabBar::tabBarClicked, this, [this] { m_logShownForYou = false; });
    clear();
}

RawPane::~RawPane() = default;

QString RawPane::bytesToText(const QByteArray& bytes)
{
    QString text = QUtf8StringView(bytes).isValidUtf8() ? QString::fromUtf8(bytes) : QString::fromLatin1(bytes);
    text.replace(QChar(0), QChar(0x2400));
    return text;
}

void RawPane::setDetail(const core::inspect::InspectDetail& d)
{
    if (d.messageRow > 0) {
        m_messageInfo->setText(tr("Message %1, %2 bytes").arg(d.messageRow).arg(d.raw.size()));
        m_header->setPlainText(bytesToText(d.rawHeader));
        m_body->setPlainText(bytesToText(d.rawBody));
    } else {
        m_messageInfo->setText(tr("No bounce message in the mailbox for this recipient."));
        m_header->clear();
        m_body->clear();
    }
    m_mimeModel->setRoot(d.mime, d.hasMime);
    m_mimeView->expandAll();
    m_partView->clear();

    QString texts;
    for (const core::inspect::TextPart& t : d.textParts) {
        texts += u"───── %1 %2 ─────\n"_s.arg(t.path, t.mimeType);
        texts += t.text;
        if (!texts.endsWith(u'\n'))
            texts += u'\n';
        texts += u'\n';
    }
    m_textParts->setPlainText(texts);
    m_original->setPlainText(d.embeddedOriginal.isEmpty() ? QString() : bytesToText(d.embeddedOriginal));
    if (d.embeddedOriginal.isEmpty() && d.messageRow > 0)
        m_original->setPlaceholderText(tr("The bounce quotes no original message."));

    QString log;
    for (const core::inspect::LogLine& l : d.logLines)
        log += bytesToText(l.raw) + u'\n';
    m_log->setPlainText(log);
    m_log->setPlaceholderText(tr("No smarthost log lines for this message."));

    // Without a bounce message the message tabs are empty and the log lines are the evidence:
    // show them, and go back to the message when the next recipient has one.
    if (d.messageRow <= 0 && !d.logLines.isEmpty() && currentIndex() != LogTab) {
        setCurrentIndex(LogTab);
        m_logShownForYou = true;
    } else if (d.messageRow > 0 && m_logShownForYou && currentIndex() == LogTab) {
        setCurrentIndex(MessageTab);
        m_logShownForYou = false;
    }
}

void RawPane::clear()
{
    m_messageInfo->clear();
    m_header->clear();
    m_body->clear();
    m_mimeModel->clear();
    m_partView->clear();
    m_textParts->clear();
    m_original->clear();
    m_original->setPlaceholderText({});
    m_log->clear();
    m_log->setPlaceholderText({});
}

void RawPane::showPart(const QModelIndex& index)
{
    const core::mail::MimePart* part = m_mimeModel->part(index);
    if (!part) {
        m_partView->clear();
        return;
    }
    QString text = bytesToText(part->rawHeader);
    if (!text.endsWith(u'\n'))
        text += u'\n';
    text += u'\n';
    if (part->children.isEmpty())
        text += part->type == "text" || part->mimeType().startsWith("message/") ? part->text()
                                                                               : bytesToText(part->rawBody);
    m_partView->setPlainText(text);
}

QString RawPane::headerText() const { return m_header->toPlainText(); }
QString RawPane::bodyText() const { return m_body->toPlainText(); }
QString RawPane::textPartsText() const { return m_textParts->toPlainText(); }
QString RawPane::originalText() const { return m_original->toPlainText(); }
QString RawPane::logText() const { return m_log->toPlainText(); }

} // namespace bi::ui
