// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QByteArray>
#include <QString>

#include "core/bounce/bounce_report.h"
#include "core/mail/mime_part.h"

namespace bi::core::bounce {

/// What every decoder gets: the raw message and its MIME tree, plus lookups
/// shared by all formats. Thread: one thread per context (the lookups are computed on
/// first use and kept, since most of ~60 decoders ask for the same ones).
class DecodeContext final {
public:
    DecodeContext(const QByteArray& raw, const mail::MimePart& root);

    [[nodiscard]] const QByteArray& raw() const { return m_raw; }
    [[nodiscard]] const mail::MimePart& root() const { return m_root; }
    /// First part (depth first, not descending into embedded messages) of that MIME type.
    [[nodiscard]] const mail::MimePart* findPart(QByteArrayView mimeType) const;
    /// The embedded original: a message/rfc822 child, or the headers of text/rfc822-headers.
    [[nodiscard]] const mail::MimePart* originalPart() const;
    /// The first text/plain part of the bounce itself (the human-readable notice), decoded.
    [[nodiscard]] QString noticeText() const;
    /// The raw text of the message body (after the header section), for line scanners.
    [[nodiscard]] const QByteArray& rawBody() const;
    /// The message's Received fields (decoded), lower-cased, one per line, as Latin-1 bytes
    /// ('?' for other characters): searched for relay names by several provider detectors.
    [[nodiscard]] const QByteArray& receivedLower() const;

    /// Texts derived from the whole message that several decoders need (see MtaText); each
    /// is computed once per message by its owner and kept here.
    enum class Memo { BounceText, BounceTextSweptLower, Count };
    /// The kept text, or nullptr when not computed yet.
    [[nodiscard]] const QString* memo(Memo which) const;
    /// Keeps \a text and returns the kept copy.
    const QString& setMemo(Memo which, QString text) const;

private:
    const QByteArray& m_raw;
    const mail::MimePart& m_root;
    mutable std::optional<QString> m_noticeText;
    mutable std::optional<QByteArray> m_rawBody;
    mutable std::optional<QByteArray> m_receivedLower;
    mutable std::optional<QString> m_memo[static_cast<int>(Memo::Count)];
};

/// One bounce format: a detector and an extractor (issue: "each further format is a
/// small, separate unit"). Implementations are stateless and thread-safe.
class BounceDecoder {
public:
    virtual ~BounceDecoder() = default;
    /// Short family name stored with each result: "rfc3464", "arf", "qmail", ...
    [[nodiscard]] virtual QString family() const = 0;
    /// Cheap test: could this message be in this format?
    [[nodiscard]] virtual bool detect(const DecodeContext& ctx) const = 0;
    /// Extract recipients and their raw fields. Reason and hard bounce are decided later
    /// by ReasonClassifier from what the decoder found. nullopt when, after a closer
    /// look, the message is not this format after all.
    [[nodiscard]] virtual std::optional<BounceReport> decode(const DecodeContext& ctx) const = 0;
};

} // namespace bi::core::bounce
