// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/bounce_decoder.h"

namespace bi::core::bounce {

namespace {

const mail::MimePart* findDepthFirst(const mail::MimePart& part, QByteArrayView mimeType, bool intoMessages)
{
    if (part.mimeType() == mimeType)
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
    if (m_root.type == "text")
        return m_root.text();
    if (const mail::MimePart* part = findPart("text/plain"))
        return part->text();
    return {};
}

QByteArray DecodeContext::rawBody() const
{
    qsizetype at = m_raw.indexOf("\n\n");
    const qsizetype crlf = m_raw.indexOf("\r\n\r\n");
    if (crlf >= 0 && (at < 0 || crlf < at))
        return m_raw.mid(crlf + 4);
    return at >= 0 ? m_raw.mid(at + 2) : QByteArray();
}

} // namespace bi::core::bounce
