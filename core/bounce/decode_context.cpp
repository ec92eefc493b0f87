// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/bounce_decoder.h"

namespace bi::core::bounce {

namespace {

// part.mimeType() == mimeType without building the string (decoders ask for a part type
// several times per message).
bool hasMimeType(const mail::MimePart& part, QByteArrayView mimeType)
{
    const qsizetype typeSize = part.type.size();
    return mimeType.size() == typeSize + 1 + part.subtype.size() && mimeType.at(typeSize) == '/'
        && mimeType.first(typeSize) == part.type && mimeType.sliced(typeSize + 1) == part.subtype;
}

const mail::MimePart* findDepthFirst(const mail::MimePart& part, QByteArrayView mimeType, bool intoMessages)
{
    if (hasMimeType(part, mimeType))
        return &part;
    const bool isMessage = part.type == "message" || part.subtype == "rfc822-headers";
    if (isMessage && !intoMessages)
        return nullptr;
    for (const mail::MimePart& child : part.children) {
        if (const mail::MimePart* hit = findDepthFirst(child, mimeType, intoMessages))
            return hit;
    }
    return nullptr;
}

} // namespace

DecodeContext::DecodeContext(const QByteArray& raw, const mail::MimePart& root)
    : m_raw(raw), m_root(root)
{
}

const mail::MimePart* DecodeContext::findPart(QByteArrayView mimeType) const
{
    return findDepthFirst(m_root, mimeType, false);
}

const mail::MimePart* DecodeContext::originalPart() const
{
    for (QByteArrayView type : {QByteArrayView("message/rfc822"), QByteArrayView("text/rfc822-headers"),
                                QByteArrayView("message/rfc822-headers"), QByteArrayView("message/global"),
                                QByteArrayView("message/global-headers")}) {
        const mail::MimePart* part = findPart(type);
        if (part && !part->children.isEmpty())
            return &part->children.constFirst();
    }
    return nullptr;
}

QString DecodeContext::noticeText() const
{
    if (!m_noticeText) {
        if (m_root.type == "text")
            m_noticeText = m_root.text();
        else if (const mail::MimePart* part = findPart("text/plain"))
            m_noticeText = part->text();
        else
            m_noticeText = QString();
    }
    return *m_noticeText;
}

const QByteArray& DecodeContext::rawBody() const
{
    if (!m_rawBody) {
        qsizetype at = m_raw.indexOf("\n\n");
        // A CRLF header end can only come before the first "\n\n"; searching past it would
        // read the whole message of an LF-only mailbox.
        const qsizetype crlfLimit = at < 0 ? m_raw.size() : qMin(m_raw.size(), at + 4);
        const qsizetype crlf = QByteArrayView(m_raw).first(crlfLimit).indexOf("\r\n\r\n");
        if (crlf >= 0 && (at < 0 || crlf < at))
            m_rawBody = m_raw.mid(crlf + 4);
        else
            m_rawBody = at >= 0 ? m_raw.mid(at + 2) : QByteArray();
    }
    return *m_rawBody;
}

const QString* DecodeContext::memo(Memo which) const
{
    const std::optional<QString>& slot = m_memo[static_cast<int>(which)];
    return slot ? &*slot : nullptr;
}

const QString& DecodeContext::setMemo(Memo which, QString text) const
{
    std::optional<QString>& slot = m_memo[static_cast<int>(which)];
    slot = std::move(text);
    return *slot;
}

} // namespace bi::core::bounce
