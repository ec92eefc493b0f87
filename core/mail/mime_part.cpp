// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/mail/mime_part.h"

#include <QStringList>

#include "core/mail/header_decoder.h"
#include "core/common/text_case.h"

using namespace Qt::StringLiterals;

namespace bi::core::mail {

namespace {

// Decoders look up a dozen names per message in every header.
bool sameName(QByteArrayView a, QByteArrayView b)
{
    return equalsCaseInsensitive(a, b);
}

} // namespace

QString MimePart::header(QByteArrayView name) const
{
    for (const HeaderField& f : headers) {
        if (sameName(f.name, name))
            return f.value;
    }
    return {};
}

QStringList MimePart::headerAll(QByteArrayView name) const
{
    QStringList out;
    for (const HeaderField& f : headers) {
        if (sameName(f.name, name))
            out.append(f.value);
    }
    return out;
}

QByteArray MimePart::rawHeaderValue(QByteArrayView name) const
{
    for (const HeaderField& f : headers) {
        if (sameName(f.name, name))
            return f.rawValue;
    }
    return {};
}

bool MimePart::hasHeader(QByteArrayView name) const
{
    for (const HeaderField& f : headers) {
        if (sameName(f.name, name))
            return true;
    }
    return false;
}

QString MimePart::text() const
{
    return HeaderDecoder::decodeCharset(body, params.value("charset"_ba).toLatin1());
}

QList<const MimePart*> MimePart::findAll(QByteArrayView mimeType) const
{
    // Iterative pre-order walk: the tree depth is bounded by MimeAdapter, but a walk that
    // does not recurse stays safe for trees built by hand as well.
    QList<const MimePart*> out;
    QList<const MimePart*> stack{this};
    while (!stack.isEmpty()) {
        const MimePart* p = stack.takeLast();
        if (p->mimeType() == mimeType)
            out.append(p);
        for (auto it = p->children.crbegin(); it != p->children.crend(); ++it)
            stack.append(&*it);
    }
    return out;
}

} // namespace bi::core::mail
