// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/report/pdf/pdf_document.h"

#include <algorithm>

#include <zlib.h>

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace bi::core::report::pdf {

namespace {

QByteArray num(double v)
{
    QByteArray s = QByteArray::number(v, 'f', 2);
    while (s.endsWith('0'))
        s.chop(1);
    if (s.endsWith('.'))
        s.chop(1);
    return s == "-0" ? QByteArray("0") : s;
}

QByteArray colour(Rgb c, bool stroke)
{
    return num(c.r) + ' ' + num(c.g) + ' ' + num(c.b) + (stroke ? " RG\n" : " rg\n");
}

QByteArray hex16(quint32 v, int digits = 4)
{
    return QByteArray::number(v, 16).toUpper().rightJustified(digits, '0');
}

// A PDF text string for the Info dictionary: UTF-16BE with BOM, in hex, so no character of
// the title can end the string or be read as syntax.
QByteArray infoString(const QString& text)
{
    QByteArray out = "<FEFF";
    for (QChar c : text)
        out += hex16(c.unicode());
    return out + '>';
}

QByteArray toUnicodeCMap(const std::map<quint16, char32_t>& used)
{
    QByteArray cmap = "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                      "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                      "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
    // Not .notdef: every character no font has shares glyph 0, which would copy as the first
    // of them (an address of CJK letters as one letter repeated).
    std::vector<std::pair<quint16, char32_t>> entries;
    for (const auto& [glyph, cp] : used) {
        if (glyph != 0)
            entries.emplace_back(glyph, cp);
    }
    for (size_t i = 0; i < entries.size(); i += 100) {
        const size_t n = std::min<size_t>(100, entries.size() - i);
        cmap += QByteArray::number(qulonglong(n)) + " beginbfchar\n";
        for (size_t j = i; j < i + n; ++j) {
            const char32_t cp = entries[j].second;
            QByteArray utf16;
            if (cp > 0xFFFF) {
                const char32_t v = cp - 0x10000;
                utf16 = hex16(0xD800 + (v >> 10)) + hex16(0xDC00 + (v & 0x3FF));
            } else {
                utf16 = hex16(cp);
            }
            cmap += '<' + hex16(entries[j].first) + "> <" + utf16 + ">\n";
        }
        cmap += "endbfchar\n";
    }
    cmap += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    return cmap;
}

class ObjectTable {
public:
    int reserve()
    {
        m_bodies.emplace_back();
        return int(m_bodies.size());
    }
    void set(int id, QByteArray body) { m_bodies[size_t(id - 1)] = std::move(body); }
    int add(QByteArray body)
    {
        const int id = reserve();
        set(id, std::move(body));
        return id;
    }
    int addStream(const QByteArray& dict, const QByteArray& data)
    {
        const QByteArray packed = flate(data);
        return add("<< " + dict + " /Filter /FlateDecode /Length " + QByteArray::number(packed.size()) + " >>\nstream\n"
                   + packed + "\nendstream");
    }
    QByteArray serialise(int catalog, int info) const
    {
        QByteArray out = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
        std::vector<qsizetype> offsets;
        for (size_t i = 0; i < m_bodies.size(); ++i) {
            offsets.push_back(out.size());
            out += QByteArray::number(qulonglong(i + 1)) + " 0 obj\n" + m_bodies[i] + "\nendobj\n";
        }
        const qsizetype xref = out.size();
        out += "xref\n0 " + QByteArray::number(qulonglong(m_bodies.size() + 1)) + "\n0000000000 65535 f \n";
        for (qsizetype o : offsets)
            out += QByteArray::number(o).rightJustified(10, '0') + " 00000 n \n";
        out += "trailer\n<< /Size " + QByteArray::number(qulonglong(m_bodies.size() + 1)) + " /Root "
            + QByteArray::number(catalog) + " 0 R /Info " + QByteArray::number(info) + " 0 R >>\nstartxref\n"
            + QByteArray::number(xref) + "\n%%EOF\n";
        return out;
    }

private:
    std::vector<QByteArray> m_bodies;
};

QByteArray ref(int id) { return QByteArray::number(id) + " 0 R"; }

} // namespace

QByteArray flate(const QByteArray& data)
{
    uLongf size = compressBound(uLong(data.size()));
    QByteArray out(qsizetype(size), Qt::Uninitialized);
    if (compress2(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(data.constData()),
                  uLong(data.size()), 6) != Z_OK)
        return {};
    out.resize(qsizetype(size));
    return out;
}

void PdfPage::text(double x, double baseline, int font, double size, const QByteArray& glyphHex, Rgb c)
{
    m_content += "BT\n" + colour(c, false) + "/F" + QByteArray::number(font + 1) + ' ' + num(size) + " Tf\n" + num(x)
        + ' ' + num(flip(baseline)) + " Td\n<" + glyphHex + "> Tj\nET\n";
}

void PdfPage::fillRect(double x, double y, double w, double h, Rgb c)
{
    m_content += colour(c, false) + num(x) + ' ' + num(flip(y + h)) + ' ' + num(w) + ' ' + num(h) + " re f\n";
}

void PdfPage::strokeRect(double x, double y, double w, double h, double lineWidth, Rgb c)
{
    m_content += colour(c, true) + num(lineWidth) + " w\n" + num(x) + ' ' + num(flip(y + h)) + ' ' + num(w) + ' '
        + num(h) + " re S\n";
}

void PdfPage::line(double x1, double y1, double x2, double y2, double lineWidth, Rgb c)
{
    m_content += colour(c, true) + num(lineWidth) + " w\n" + num(x1) + ' ' + num(flip(y1)) + " m " + num(x2) + ' '
        + num(flip(y2)) + " l S\n";
}

void PdfPage::polyline(const std::vector<std::pair<double, double>>& points, double lineWidth, Rgb c)
{
    if (points.size() < 2)
        return;
    m_content += colour(c, true) + num(lineWidth) + " w 1 j\n";
    for (size_t i = 0; i < points.size(); ++i)
        m_content += num(points[i].first) + ' ' + num(flip(points[i].second)) + (i == 0 ? " m\n" : " l\n");
    m_content += "S\n";
}

int PdfDocument::addFont(TrueTypeFont font)
{
    m_fonts.push_back({std::move(font), {}});
    return int(m_fonts.size()) - 1;
}

int PdfDocument::fontFor(int font, char32_t c) const
{
    if (m_fallback < 0 || m_fallback == font || m_fonts.at(size_t(font)).font.glyphId(c) != 0
        || m_fonts.at(size_t(m_fallback)).font.glyphId(c) == 0)
        return font;
    return m_fallback;
}

QList<PdfDocument::Run> PdfDocument::shape(int font, QStringView text, double size)
{
    QList<Run> runs;
    for (char32_t c : text.toUcs4()) {
        if (c < 0x20)
            c = u' ';
        const int f = fontFor(font, c);
        EmbeddedFont& ef = m_fonts.at(size_t(f));
        const quint16 g = ef.font.glyphId(c);
        ef.used.emplace(g, c);
        if (runs.isEmpty() || runs.last().font != f)
            runs.append({f, {}, 0});
        runs.last().glyphs += hex16(g);
        runs.last().width += ef.font.advance(g) * size / ef.font.unitsPerEm();
    }
    return runs;
}

double PdfDocument::textWidth(int font, QStringView text, double size) const
{
    if (m_fallback < 0)
        return m_fonts.at(size_t(font)).font.textWidth(text, size);
    double width = 0;
    for (char32_t c : text.toUcs4()) {
        if (c < 0x20)
            c = u' ';
        const TrueTypeFont& f = m_fonts.at(size_t(fontFor(font, c))).font;
        width += f.advance(f.glyphId(c)) * size / f.unitsPerEm();
    }
    return width;
}

PdfPage& PdfDocument::addPage(double width, double height)
{
    m_pages.emplace_back(width, height);
    return m_pages.back();
}

QByteArray PdfDocument::toBytes(const QString& title, const QString& subject) const
{
    ObjectTable objects;
    const int catalog = objects.reserve();
    const int pagesId = objects.reserve();
    QByteArray fontResources;
    for (size_t i = 0; i < m_fonts.size(); ++i) {
        const EmbeddedFont& ef = m_fonts[i];
        if (ef.used.empty() && int(i) == m_fallback)
            continue; // a fallback no page needed: its megabytes stay out
        const TrueTypeFont& f = ef.font;
        const double scale = 1000.0 / f.unitsPerEm();
        const QByteArray name = '/' + f.postScriptName().toLatin1();
        const int file = objects.addStream("/Length1 " + QByteArray::number(f.data().size()), f.data());
        const int descriptor = objects.add(
            "<< /Type /FontDescriptor /FontName " + name + " /Flags 32 /FontBBox [" + num(f.bboxValue(0) * scale) + ' '
            + num(f.bboxValue(1) * scale) + ' ' + num(f.bboxValue(2) * scale) + ' ' + num(f.bboxValue(3) * scale)
            + "] /ItalicAngle 0 /Ascent " + num(f.ascent() * scale) + " /Descent " + num(f.descent() * scale)
            + " /CapHeight " + num(f.capHeight() * scale) + " /StemV 80 /FontFile2 " + ref(file) + " >>");
        QByteArray widths = "[";
        for (const auto& [glyph, cp] : ef.used)
            widths += QByteArray::number(glyph) + " [" + num(f.advance(glyph) * scale) + "] ";
        widths += ']';
        const int cid = objects.add("<< /Type /Font /Subtype /CIDFontType2 /BaseFont " + name
                                    + " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
                                      " /FontDescriptor " + ref(descriptor) + " /DW 1000 /W " + widths
                                    + " /CIDToGIDMap /Identity >>");
        const int toUnicode = objects.addStream({}, toUnicodeCMap(ef.used));
        const int type0 = objects.add("<< /Type /Font /Subtype /Type0 /BaseFont " + name
                                      + " /Encoding /Identity-H /DescendantFonts [" + ref(cid) + "] /ToUnicode "
                                      + ref(toUnicode) + " >>");
        fontResources += "/F" + QByteArray::number(qulonglong(i + 1)) + ' ' + ref(type0) + ' ';
    }
    const int resources = objects.add("<< /Font << " + fontResources + ">> /ProcSet [/PDF /Text] >>");
    QByteArray kids;
    for (const PdfPage& p : m_pages) {
        const int content = objects.addStream({}, p.content());
        kids += ref(objects.add("<< /Type /Page /Parent " + ref(pagesId) + " /MediaBox [0 0 " + num(p.width()) + ' '
                                + num(p.height()) + "] /Resources " + ref(resources) + " /Contents " + ref(content)
                                + " >>"))
            + ' ';
    }
    objects.set(pagesId, "<< /Type /Pages /Kids [" + kids + "] /Count " + QByteArray::number(qulonglong(m_pages.size()))
                             + " >>");
    objects.set(catalog, "<< /Type /Catalog /Pages " + ref(pagesId) + " >>");
    const QByteArray date = "(D:" + QDateTime::currentDateTimeUtc().toString(u"yyyyMMddHHmmss"_s).toLatin1() + "Z)";
    const int info = objects.add("<< /Title " + infoString(title) + " /Subject " + infoString(subject)
                                 + " /Producer " + infoString(u"Bounce Inspector " BI_VERSION ""_s)
                                 + " /CreationDate " + date + " >>");
    return objects.serialise(catalog, info);
}

} // namespace bi::core::report::pdf
