// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the MIME adapter (mimetic behind MimeAdapter::parse) and the accessors
// every decoder calls on the resulting tree.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include <QByteArray>

#include "core/mail/mime_adapter.h"

using bi::core::mail::MimeAdapter;
using bi::core::mail::MimePart;

namespace {

qsizetype walk(const MimePart& part, int depth)
{
    // The adapter promises a bounded tree (kMaxNesting levels; the +2 covers the root and
    // the rfc822-headers child of the deepest container).
    if (depth > MimeAdapter::kMaxNesting + 2)
        abort();
    qsizetype n = 1;
    (void)part.text();
    (void)part.header("Content-Type");
    (void)part.headerAll("Received");
    for (const MimePart& child : part.children)
        n += walk(child, depth + 1);
    return n;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char*>(data), qsizetype(size));
    const MimePart root = MimeAdapter::parse(input);
    walk(root, 0);
    (void)root.findAll("message/delivery-status");
    return 0;
}
