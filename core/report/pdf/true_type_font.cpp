// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/report/pdf/true_type_font.h"

#include <QFile>
#include <QFileInfo>
#include <QStringDecoder>

using namespace Qt::StringLiterals;

namespace bi::core::report::pdf {

namespace {

// Big-endian readers that return 0 past the end, so a damaged font cannot read out of bounds.
quint32 u32(const QByteArray& d, qsizetype at)
{
    if (at < 0 || at + 4 > d.size())
        return 0;
    const auto* p = reinterpret_cast<const uchar*>(d.constData() + at);
    return (quint32(p[0]) << 24) | (quint32(p[1]) << 16) | (quint32(p[2]) << 8) | quint32(p[3]);
}

quint16 u16(const QByteArray& d, qsizetype at)
{
    if (at < 0 || at + 2 > d.size())
        return 0;
    const auto* p = reinterpret_cast<const uchar*>(d.constData() + at);
    return quint16((p[0] << 8) | p[1]);
}

qint16 s16(const QByteArray& d, qsizetype at) { return static_cast<qint16>(u16(d, at)); }

} // namespace

Result<TrueTypeFont> TrueTypeFont::load(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Io, u"cannot read the font: %1"_s.arg(file.errorString()), path);
    TrueTypeFont f;
    f.m_data = file.readAll();
    const QByteArray& d = f.m_data;
    const quint32 version = u32(d, 0);
    if (version != 0x00010000 && version != 0x74727565) // 'true'
        return makeError(ErrorCode::Format, u"not a TrueType font"_s, path);
    QHash<QByteArray, qsizetype> tables;
    const int count = u16(d, 4);
    for (int i = 0; i < count; ++i) {
        const qsizetype rec = 12 + 16 * i;
        const qsizetype offset = u32(d, rec + 8);
        if (offset + qsizetype(u32(d, rec + 12)) > d.size())
            return makeError(ErrorCode::Format, u"font table out of bounds"_s, path);
        tables.insert(d.mid(rec, 4), offset);
    }
    for (const char* needed : {"head", "hhea", "hmtx", "maxp", "cmap"}) {
        if (!tables.contains(QByteArray(needed)))
            return makeError(ErrorCode::Format, u"font has no %1 table"_s.arg(QLatin1StringView(needed)), path);
    }
    const qsizetype head = tables.value("head");
    f.m_unitsPerEm = u16(d, head + 18);
    if (f.m_unitsPerEm <= 0)
        return makeError(ErrorCode::Format, u"font has no units per em"_s, path);
    for (int i = 0; i < 4; ++i)
        f.m_bbox[i] = s16(d, head + 36 + 2 * i);
    const qsizetype hhea = tables.value("hhea");
    f.m_ascent = s16(d, hhea + 4);
    f.m_descent = s16(d, hhea + 6);
    f.m_hMetricCount = u16(d, hhea + 34);
    f.m_hmtx = tables.value("hmtx");
    f.m_glyphCount = u16(d, tables.value("maxp") + 4);
    f.m_capHeight = f.m_ascent;
    if (tables.contains("OS/2")) {
        const qsizetype os2 = tables.value("OS/2");
        if (u16(d, os2) >= 2)
            f.m_capHeight = s16(d, os2 + 88);
    }
    // cmap: prefer the full-Unicode format 12 subtable, keep format 4 for the BMP.
    const qsizetype cmap = tables.value("cmap");
    const int subtables = u16(d, cmap + 2);
    for (int i = 0; i < subtables; ++i) {
        const qsizetype rec = cmap + 4 + 8 * i;
        const int platform = u16(d, rec);
        const int encoding = u16(d, rec + 2);
        const qsizetype at = cmap + u32(d, rec + 4);
        const bool unicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10));
        if (!unicode)
            continue;
        const int format = u16(d, at);
        if (format == 4 && f.m_cmap4 < 0)
            f.m_cmap4 = at;
        else if (format == 12 && f.m_cmap12 < 0)
            f.m_cmap12 = at;
    }
    if (f.m_cmap4 < 0 && f.m_cmap12 < 0)
        return makeError(ErrorCode::Format, u"font has no Unicode cmap (format 4 or 12)"_s, path);
    // The PostScript name (name id 6) names the font in the PDF; the file name will do otherwise.
    f.m_name = QFileInfo(path).completeBaseName();
    if (tables.contains("name")) {
        const qsizetype name = tables.value("name");
        const int records = u16(d, name + 2);
        const qsizetype strings = name + u16(d, name + 4);
        for (int i = 0; i < records; ++i) {
            const qsizetype rec = name + 6 + 12 * i;
            if (u16(d, rec + 6) != 6)
                continue;
            const QByteArray raw = d.mid(strings + u16(d, rec + 10), u16(d, rec + 8));
            const QString text = u16(d, rec) == 1 ? QString::fromLatin1(raw)
                                                  : QString(QStringDecoder(QStringDecoder::Utf16BE)(raw));
            QString clean;
            for (QChar c : text) {
                if (c.isLetterOrNumber() || c == u'-')
                    clean += c;
            }
            if (!clean.isEmpty()) {
                f.m_name = clean;
                break;
            }
        }
    }
    return f;
}

quint16 TrueTypeFont::glyphId(char32_t codePoint) const
{
    const auto it = m_cache.constFind(codePoint);
    if (it != m_cache.constEnd())
        return *it;
    const quint16 g = lookup(codePoint);
    m_cache.insert(codePoint, g);
    return g;
}

quint16 TrueTypeFont::lookup(char32_t c) const
{
    const QByteArray& d = m_data;
    if (m_cmap12 >= 0) {
        const quint32 groups = u32(d, m_cmap12 + 12);
        quint32 lo = 0;
        quint32 hi = groups;
        while (lo < hi) {
            const quint32 mid = (lo + hi) / 2;
            const qsizetype g = m_cmap12 + 16 + 12 * qsizetype(mid);
            const quint32 start = u32(d, g);
            const quint32 end = u32(d, g + 4);
            if (c < start)
                hi = mid;
            else if (c > end)
                lo = mid + 1;
            else
                return quint16(u32(d, g + 8) + (c - start));
        }
        return 0;
    }
    if (c > 0xFFFF)
        return 0;
    const int segCount = u16(d, m_cmap4 + 6) / 2;
    const qsizetype ends = m_cmap4 + 14;
    const qsizetype starts = ends + 2 * segCount + 2;
    const qsizetype deltas = starts + 2 * segCount;
    const qsizetype ranges = deltas + 2 * segCount;
    for (int i = 0; i < segCount; ++i) {
        if (c > u16(d, ends + 2 * i))
            continue;
        const quint16 start = u16(d, starts + 2 * i);
        if (c < start)
            return 0;
        const quint16 delta = u16(d, deltas + 2 * i);
        const quint16 range = u16(d, ranges + 2 * i);
        if (range == 0)
            return quint16(c + delta);
        const quint16 g = u16(d, ranges + 2 * i + range + 2 * (c - start));
        return g == 0 ? 0 : quint16(g + delta);
    }
    return 0;
}

int TrueTypeFont::advance(quint16 glyph) const
{
    if (m_hMetricCount <= 0)
        return 0;
    const int index = glyph < m_hMetricCount ? glyph : m_hMetricCount - 1;
    return u16(m_data, m_hmtx + 4 * index);
}

double TrueTypeFont::textWidth(QStringView text, double size) const
{
    qint64 units = 0;
    for (char32_t c : text.toUcs4())
        units += advance(glyphId(c));
    return double(units) * size / m_unitsPerEm;
}

} // namespace bi::core::report::pdf
