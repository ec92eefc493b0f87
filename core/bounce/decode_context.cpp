// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/bounce/bounce_decoder.h"

#include <cstring>

#include "core/common/text_case.h"

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
        // The first empty line ends the header: "\n\n" or "\r\n\r\n", found line by line
        // (memchr) rather than by two substring searches over the header.
        const char* d = m_raw.constData();
        const qsizetype n = m_raw.size();
        qsizetype body = -1;
        for (qsizetype at = 0; at < n;) {
            const void* nl = std::memchr(d + at, '\n', size_t(n - at));
            if (!nl)
                break;
            const qsizetype eol = static_cast<const char*>(nl) - d;
            if (eol + 1 < n && d[eol + 1] == '\n') {
                body = eol + 2;
                break;
            }
            if (eol >= 1 && d[eol - 1] == '\r' && eol + 2 < n && d[eol + 1] == '\r' && d[eol + 2] == '\n') {
                body = eol + 3;
                break;
            }
            at = eol + 1;
        }
        m_rawBody = body >= 0 ? m_raw.mid(body) : QByteArray();
    }
    return *m_rawBody;
}

const QByteArray& DecodeContext::receivedLower() const
{
    if (!m_receivedLower) {
        QString all;
        for (const mail::HeaderField& f : m_root.headers) {
            if (f.name.size() == 8 && f.name.compare("Received", Qt::CaseInsensitive) == 0)
                all += f.value + u'\n';
        }
        m_receivedLower = lowerCase(all).toLatin1();
    }
    return *m_receivedLower;
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
