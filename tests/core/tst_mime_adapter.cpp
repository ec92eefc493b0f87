// SPDX-License-Identifier: GPL-3.0-or-later
#include <atomic>
#include <thread>
#include <utility>
#include <vector>

#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QTest>

#include "core/mail/mime_adapter.h"

using namespace Qt::StringLiterals;
using bi::core::Diagnostic;
using bi::core::mail::MimeAdapter;
using bi::core::mail::MimePart;

namespace {

QByteArray fixture(const QString& name)
{
    QFile f(QStringLiteral(BI_MIME_DATA_DIR "/") + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(f.fileName()));
    return f.readAll();
}

// "1.2" -> second child of the first child; "" -> root.
const MimePart* partAt(const MimePart& root, const QString& path)
{
    const MimePart* p = &root;
    if (path.isEmpty())
        return p;
    for (const QString& step : path.split(u'.')) {
        const int i = step.toInt() - 1;
        if (i < 0 || i >= p->children.size())
            return nullptr;
        p = &p->children[i];
    }
    return p;
}

bool hasDiagnostic(const MimePart& part, const QString& contains)
{
    for (const Diagnostic& d : part.diagnostics) {
        if (d.what.contains(contains, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

QString diagnosticsText(const MimePart& part)
{
    QStringList lines;
    for (const Diagnostic& d : part.diagnostics)
        lines.append(d.toString());
    return lines.join(u" | ");
}

struct TreeStats {
    int parts = 0;
    int maxDepth = 0;
};

TreeStats stats(const MimePart& root)
{
    TreeStats s;
    QList<std::pair<const MimePart*, int>> stack{{&root, 0}};
    while (!stack.isEmpty()) {
        const auto [p, depth] = stack.takeLast();
        ++s.parts;
        s.maxDepth = qMax(s.maxDepth, depth);
        for (const MimePart& c : p->children)
            stack.append({&c, depth + 1});
    }
    return s;
}

QByteArray toCrlf(QByteArray lf)
{
    return lf.replace("\n", "\r\n");
}

} // namespace

class TstMimeAdapter : public QObject {
    Q_OBJECT

private slots:
    void dsnReport_data();
    void dsnReport();
    void rfc822HeadersAndEncodedMessage();
    void digestDefaultsToMessageRfc822();
    void wrongBoundaryRecovered();
    void parts_data();
    void parts();
    void duplicateHeadersKept();
    void rawBytesExact();
    void nulBytes();
    void rfc2231ParameterInPart();
    void textUsesCharsetParam();
    void garbage_data();
    void garbage();
    void fuzzSoup();
    void parallelParsesAgree();
};

void TstMimeAdapter::dsnReport_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QByteArray>("eol");
    const QByteArray lf = fixture(u"dsn-report.eml"_s);
    QTest::newRow("dsn-report-lf") << lf << "\n"_ba;
    QTest::newRow("dsn-report-crlf") << toCrlf(lf) << "\r\n"_ba;
}

void TstMimeAdapter::dsnReport()
{
    QFETCH(QByteArray, message);
    QFETCH(QByteArray, eol);
    const MimePart root = MimeAdapter::parse(message);
    QVERIFY2(root.diagnostics.isEmpty(), qPrintable(diagnosticsText(root)));
    QCOMPARE(root.mimeType(), "multipart/report"_ba);
    QCOMPARE(root.params.value("report-type"), u"delivery-status"_s);
    QCOMPARE(root.params.value("boundary"), u"8C6F2A0B.1240930802/relay.example.com"_s);
    QCOMPARE(root.header("subject"), u"こんにちは Undelivered Mail"_s);
    QCOMPARE(root.headerAll("Received").size(), 2);
    QCOMPARE(root.children.size(), 3);

    const MimePart& notice = root.children[0];
    QCOMPARE(notice.mimeType(), "text/plain"_ba);
    QCOMPARE(notice.params.value("charset"), u"us-ascii"_s);
    QVERIFY(notice.body.startsWith("This is the mail system"));
    // The line break before the delimiter belongs to the delimiter (RFC 2046 §5.1.1).
    QVERIFY(notice.body.endsWith("User unknown"));

    const MimePart& status = root.children[1];
    QCOMPARE(status.mimeType(), "message/delivery-status"_ba);
    QVERIFY(status.children.isEmpty());
    QVERIFY(status.body.contains("Status: 5.1.1" + eol));
    QCOMPARE(root.findAll("message/delivery-status").size(), 1);

    const MimePart& returned = root.children[2];
    QCOMPARE(returned.mimeType(), "message/rfc822"_ba);
    QCOMPARE(returned.children.size(), 1);
    const MimePart& original = returned.children[0];
    QCOMPARE(original.header("Subject"), u"hello"_s);
    QCOMPARE(original.mimeType(), "multipart/alternative"_ba);
    QCOMPARE(original.children.size(), 2);
    QCOMPARE(original.children[0].text(), u"café au lait please"_s);
    QCOMPARE(original.children[1].mimeType(), "text/html"_ba);
    QCOMPARE(original.children[1].text(), u"<p>café</p>"_s);
}

void TstMimeAdapter::rfc822HeadersAndEncodedMessage()
{
    const MimePart root = MimeAdapter::parse(fixture(u"rfc822-headers-report.eml"_s));
    QCOMPARE(root.children.size(), 4);
    const MimePart& headers = root.children[2];
    QCOMPARE(headers.mimeType(), "text/rfc822-headers"_ba);
    QVERIFY(headers.body.contains("Message-ID: <abc@example.com>"));
    QCOMPARE(headers.children.size(), 1);
    QCOMPARE(headers.children[0].header("subject"), u"résumé"_s);
    QCOMPARE(headers.children[0].header("Message-ID"), u"<abc@example.com>"_s);
    QVERIFY(headers.children[0].body.isEmpty());

    // RFC 2046 forbids base64 on message/rfc822; MTAs do it anyway.
    const MimePart& returned = root.children[3];
    QCOMPARE(returned.mimeType(), "message/rfc822"_ba);
    QCOMPARE(returned.children.size(), 1);
    QCOMPARE(returned.children[0].header("subject"), u"résumé"_s);
    QCOMPARE(returned.children[0].body, "body of the returned message\n"_ba);
    QVERIFY(hasDiagnostic(returned, u"decoded before parsing"_s));
}

void TstMimeAdapter::digestDefaultsToMessageRfc822()
{
    const MimePart root = MimeAdapter::parse(fixture(u"digest.eml"_s));
    QCOMPARE(root.mimeType(), "multipart/digest"_ba);
    QCOMPARE(root.children.size(), 2);
    for (const MimePart& c : root.children) {
        QCOMPARE(c.mimeType(), "message/rfc822"_ba);
        QCOMPARE(c.children.size(), 1);
    }
    QCOMPARE(root.children[1].children[0].header("Subject"), u"second"_s);
    QCOMPARE(root.children[1].children[0].body, "two"_ba);
}

void TstMimeAdapter::wrongBoundaryRecovered()
{
    const MimePart root = MimeAdapter::parse(fixture(u"wrong-boundary.eml"_s));
    QCOMPARE(root.children.size(), 2);
    QCOMPARE(root.children[1].mimeType(), "message/delivery-status"_ba);
    QVERIFY(hasDiagnostic(root, u"actual-boundary-42"_s));
}

void TstMimeAdapter::parts_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("mimeType");
    QTest::addColumn<int>("childCount");
    QTest::addColumn<QByteArray>("body");         // "*" = not checked
    QTest::addColumn<QString>("diagnostic");      // "" = none expected on the root
    QTest::addColumn<QByteArray>("headerName");   // optional header check on the part
    QTest::addColumn<QString>("headerValue");

    const QByteArray any = "*";
    QTest::newRow("no-content-type-defaults-text-plain")
        << "From: a@example.com\nSubject: x\n\nhello\n"_ba << QString() << "text/plain"_ba << 0 << "hello\n"_ba
        << QString() << "subject"_ba << u"x"_s;
    QTest::newRow("unparsable-content-type-defaults-with-diagnostic")
        << "Content-Type: ???\n\nx"_ba << QString() << "text/plain"_ba << 0 << "x"_ba
        << u"unparsable Content-Type"_s << QByteArray() << QString();
    QTest::newRow("content-type-text-without-subtype")
        << "Content-Type: text; charset=iso-2022-jp\n\nx"_ba << QString() << "text/plain"_ba << 0 << "x"_ba
        << u"without subtype"_s << QByteArray() << QString();
    QTest::newRow("type-lower-cased-comments-stripped")
        << "Content-Type: TEXT/HTML (markup); charset=UTF-8\n\n<p>"_ba << QString() << "text/html"_ba << 0
        << "<p>"_ba << QString() << QByteArray() << QString();
    QTest::newRow("quoted-semicolon-in-boundary")
        << "Content-Type: multipart/mixed; boundary=\"b;x\"\n\n--b;x\n\none\n--b;x\n\ntwo\n--b;x--\n"_ba
        << u"2"_s << "text/plain"_ba << 0 << "two"_ba << QString() << QByteArray() << QString();
    QTest::newRow("message-rfc822-child-parsed")
        << "Content-Type: message/rfc822\n\nSubject: inner\nContent-Type: text/html\n\n<b>body</b>"_ba << u"1"_s
        << "text/html"_ba << 0 << "<b>body</b>"_ba << QString() << "Subject"_ba << u"inner"_s;
    QTest::newRow("message-rfc822-leading-empty-line")
        << "Content-Type: message/rfc822\n\n\nSubject: inner\n\nbody"_ba << u"1"_s << "text/plain"_ba << 0
        << "body"_ba << QString() << "Subject"_ba << u"inner"_s;
    QTest::newRow("message-rfc822-empty-diagnostic")
        << "Content-Type: message/rfc822\n\n"_ba << QString() << "message/rfc822"_ba << 0 << any << u"is empty"_s
        << QByteArray() << QString();
    QTest::newRow("message-global-child-parsed")
        << "Content-Type: message/global\n\nSubject: =?utf-8?q?caf=C3=A9?=\n\nx"_ba << u"1"_s << "text/plain"_ba
        << 0 << "x"_ba << QString() << "subject"_ba << u"café"_s;
    QTest::newRow("missing-boundary-diagnostic")
        << "Content-Type: multipart/mixed\n\n--x\n\npart\n--x--\n"_ba << QString() << "multipart/mixed"_ba << 0
        << "--x\n\npart\n--x--\n"_ba << u"without a boundary"_s << QByteArray() << QString();
    QTest::newRow("boundary-never-occurs-diagnostic")
        << "Content-Type: multipart/mixed; boundary=zz\n\njust text\n"_ba << QString() << "multipart/mixed"_ba << 0
        << "just text\n"_ba << u"never occurs"_s << QByteArray() << QString();
    QTest::newRow("missing-close-boundary-diagnostic")
        << "Content-Type: multipart/mixed; boundary=b\n\n--b\n\none\n--b\n\ntwo\n"_ba << u"2"_s << "text/plain"_ba
        << 0 << "two\n"_ba << u"no closing boundary"_s << QByteArray() << QString();
    QTest::newRow("boundary-mid-line-not-split")
        << "Content-Type: multipart/mixed; boundary=b\n\n--b\n\nsee --b here\n--b--\n"_ba << u"1"_s
        << "text/plain"_ba << 0 << "see --b here"_ba << QString() << QByteArray() << QString();
    QTest::newRow("longer-boundary-not-split")
        << "Content-Type: multipart/mixed; boundary=b\n\n--b\n\n--bb\n--b--\n"_ba << u"1"_s << "text/plain"_ba
        << 0 << "--bb"_ba << QString() << QByteArray() << QString();
    QTest::newRow("delimiter-trailing-blanks")
        << "Content-Type: multipart/mixed; boundary=b\n\n--b \t\n\none\n--b--  \n"_ba << u"1"_s << "text/plain"_ba
        << 0 << "one"_ba << QString() << QByteArray() << QString();
    QTest::newRow("missing-inner-close-boundary-outer-continues")
        << "Content-Type: multipart/mixed; boundary=outer\n\n--outer\nContent-Type: multipart/alternative; "
           "boundary=inner\n\n--inner\n\nalt\n--outer\nContent-Type: message/delivery-status\n\nStatus: 5.1.1\n"
           "--outer--\n"_ba
        << u"2"_s << "message/delivery-status"_ba << 0 << "Status: 5.1.1"_ba << u"no closing boundary"_s
        << QByteArray() << QString();
    QTest::newRow("empty-part-between-delimiters")
        << "Content-Type: multipart/mixed; boundary=b\n\n--b\n--b\n\ntwo\n--b--\n"_ba << u"1"_s << "text/plain"_ba
        << 0 << ""_ba << QString() << QByteArray() << QString();
    QTest::newRow("crlf-delimiters")
        << "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\none\r\n\r\n--b--\r\n"_ba << u"1"_s
        << "text/plain"_ba << 0 << "one\r\n"_ba << QString() << QByteArray() << QString();
    QTest::newRow("qp-body-decoded")
        << "Content-Transfer-Encoding: quoted-printable\n\na=3Db=\nc\n"_ba << QString() << "text/plain"_ba << 0
        << "a=bc\n"_ba << QString() << QByteArray() << QString();
    QTest::newRow("base64-body-missing-padding")
        << "Content-Transfer-Encoding: base64\n\naGk\n"_ba << QString() << "text/plain"_ba << 0 << "hi"_ba
        << QString() << QByteArray() << QString();
    QTest::newRow("cte-upper-case-with-comment")
        << "Content-Transfer-Encoding: BASE64 (really)\n\naGk=\n"_ba << QString() << "text/plain"_ba << 0 << "hi"_ba
        << QString() << QByteArray() << QString();
    QTest::newRow("unknown-cte-diagnostic")
        << "Content-Transfer-Encoding: x-uuencode\n\nbegin 644 a\n"_ba << QString() << "text/plain"_ba << 0
        << "begin 644 a\n"_ba << u"unknown Content-Transfer-Encoding"_s << QByteArray() << QString();
    QTest::newRow("delivery-status-is-leaf")
        << "Content-Type: message/delivery-status\n\nReporting-MTA: dns; a\n\nFinal-Recipient: rfc822; b\n"_ba
        << QString() << "message/delivery-status"_ba << 0 << "Reporting-MTA: dns; a\n\nFinal-Recipient: rfc822; b\n"_ba
        << QString() << QByteArray() << QString();
    QTest::newRow("feedback-report-is-leaf")
        << "Content-Type: message/feedback-report\n\nFeedback-Type: abuse\n"_ba << QString()
        << "message/feedback-report"_ba << 0 << "Feedback-Type: abuse\n"_ba << QString() << QByteArray() << QString();
    QTest::newRow("header-without-blank-line")
        << "Subject: x\nThis is the body\n"_ba << QString() << "text/plain"_ba << 0 << "This is the body\n"_ba
        << u"not ended by an empty line"_s << "subject"_ba << u"x"_s;
    QTest::newRow("header-only-no-body") << "Subject: last field kept"_ba << QString() << "text/plain"_ba << 0
                                         << ""_ba << QString() << "subject"_ba << u"last field kept"_s;
    QTest::newRow("mbox-envelope-line-skipped")
        << "From MAILER-DAEMON Thu Apr 29 00:00:00 2009\nSubject: s\n\nb"_ba << QString() << "text/plain"_ba << 0
        << "b"_ba << u"\"From \" line"_s << "subject"_ba << u"s"_s;
    QTest::newRow("obsolete-blank-before-colon") << "Subject : spaced\n\nb"_ba << QString() << "text/plain"_ba << 0
                                                 << "b"_ba << QString() << "subject"_ba << u"spaced"_s;
    QTest::newRow("multipart-with-base64-cte-ignored")
        << "Content-Type: multipart/mixed; boundary=b\nContent-Transfer-Encoding: base64\n\n--b\n\nx\n--b--\n"_ba
        << u"1"_s << "text/plain"_ba << 0 << "x"_ba << u"on a multipart ignored"_s << QByteArray() << QString();
    QTest::newRow("duplicate-content-type-first-wins")
        << "Content-Type: text/html\nContent-Type: text/plain\n\nx"_ba << QString() << "text/html"_ba << 0 << "x"_ba
        << u"2 Content-Type fields"_s << QByteArray() << QString();
    QTest::newRow("obsolete-blank-before-colon-not-envelope")
        << "From : a@example.com\nSubject: s\n\nb"_ba << QString() << "text/plain"_ba << 0 << "b"_ba << QString()
        << "from"_ba << u"a@example.com"_s;
    QTest::newRow("unindented-fold-after-semicolon")
        << "Content-Type: multipart/alternative;\nboundary=\"b\"\n\n--b\n\none\n--b--\n"_ba << u"1"_s
        << "text/plain"_ba << 0 << "one"_ba << u"without leading blank"_s << QByteArray() << QString();
    QTest::newRow("unindented-fold-before-next-field")
        << "Received: from a.example\n(10.0.0.1) by b.example\nSubject: s\n\nbody"_ba << QString() << "text/plain"_ba
        << 0 << "body"_ba << u"without leading blank"_s << "received"_ba << u"from a.example (10.0.0.1) by b.example"_s;
    QTest::newRow("indented-delimiter-accepted")
        << "Content-Type: multipart/report; boundary=b\n\n--b\n\none\n --b\nContent-Type: message/delivery-status\n\n"
           "Status: 5.0.0\n--b--\n"_ba
        << u"2"_s << "message/delivery-status"_ba << 0 << "Status: 5.0.0"_ba << u"indented"_s << QByteArray()
        << QString();
    QTest::newRow("no-content-type-report-inferred")
        << "Subject: Returned mail\n\nThis is a MIME-encapsulated message\n\n--q1.x/h\n\nhello\n--q1.x/h\n"
           "Content-Type: message/delivery-status\n\nStatus: 5.0.0\n--q1.x/h--\n"_ba
        << u"2"_s << "message/delivery-status"_ba << 0 << "Status: 5.0.0"_ba << u"read as multipart/mixed"_s
        << QByteArray() << QString();
    QTest::newRow("no-content-type-quoted-mime-stays-text")
        << "Subject: failure notice\n\nHi.\n--- copy of the message:\n--b1\nContent-Type: text/plain\n\nx\n--b1--\n"_ba
        << QString() << "text/plain"_ba << 0 << any << QString() << QByteArray() << QString();
    QTest::newRow("header-8bit-in-part-charset")
        << "Content-Type: text/plain; charset=shift_jis\nSubject: \x93\xfa\x96\x7b\n\nx"_ba << QString()
        << "text/plain"_ba << 0 << "x"_ba << QString() << "subject"_ba << u"日本"_s;
}

void TstMimeAdapter::parts()
{
    QFETCH(QByteArray, message);
    QFETCH(QString, path);
    QFETCH(QByteArray, mimeType);
    QFETCH(int, childCount);
    QFETCH(QByteArray, body);
    QFETCH(QString, diagnostic);
    QFETCH(QByteArray, headerName);
    QFETCH(QString, headerValue);

    const MimePart root = MimeAdapter::parse(message);
    const MimePart* part = partAt(root, path);
    QVERIFY2(part, qPrintable(u"no part at "_s + path));
    QCOMPARE(part->mimeType(), mimeType);
    QCOMPARE(part->children.size(), childCount);
    if (body != "*")
        QCOMPARE(part->body, body);
    if (diagnostic.isEmpty())
        QVERIFY2(root.diagnostics.isEmpty(), qPrintable(diagnosticsText(root)));
    else
        QVERIFY2(hasDiagnostic(root, diagnostic), qPrintable(diagnosticsText(root)));
    if (!headerName.isEmpty())
        QCOMPARE(part->header(headerName), headerValue);
}

void TstMimeAdapter::duplicateHeadersKept()
{
    const QByteArray msg = "Received: from a\n\tby b; Mon, 1 Jan 2001 00:00:00 +0000\n"
                           "X-Dup: one\n"
                           "Received: from c by d\n"
                           "x-dup:   =?utf-8?q?tw=C3=B6?=  \n"
                           "\nbody"_ba;
    const MimePart root = MimeAdapter::parse(msg);
    QCOMPARE(root.headers.size(), 4);
    QCOMPARE(root.headers[0].name, "Received"_ba);
    QCOMPARE(root.headers[0].rawValue, "from a\tby b; Mon, 1 Jan 2001 00:00:00 +0000"_ba);
    QCOMPARE(root.headers[3].name, "x-dup"_ba);
    QCOMPARE(root.headers[3].rawValue, "=?utf-8?q?tw=C3=B6?="_ba);
    QCOMPARE(root.headerAll("X-DUP"), (QStringList{u"one"_s, u"twö"_s}));
    QCOMPARE(root.headerAll("received").size(), 2);
    QCOMPARE(root.header("received"), u"from a\tby b; Mon, 1 Jan 2001 00:00:00 +0000"_s);
    QCOMPARE(root.rawHeaderValue("X-Dup"), "one"_ba);
    QVERIFY(root.hasHeader("x-DUP"));
    QVERIFY(!root.hasHeader("Subject"));
    QVERIFY(root.header("Subject").isNull());
}

void TstMimeAdapter::rawBytesExact()
{
    for (const bool crlf : {false, true}) {
        const QByteArray msg = crlf ? toCrlf(fixture(u"dsn-report.eml"_s)) : fixture(u"dsn-report.eml"_s);
        const QByteArray blank = crlf ? "\r\n\r\n"_ba : "\n\n"_ba;
        const MimePart root = MimeAdapter::parse(msg);
        const qsizetype headerLen = msg.indexOf(blank) + blank.size() / 2;
        QCOMPARE(root.rawHeader, msg.left(headerLen));
        QCOMPARE(root.rawBody, msg.mid(headerLen + blank.size() / 2));
        // The delivery-status part: from after its header's empty line to before the
        // line break that precedes the next delimiter.
        const QByteArray eol = crlf ? "\r\n"_ba : "\n"_ba;
        const QByteArray dsHeader = "Content-Type: message/delivery-status" + eol + eol;
        const qsizetype dsStart = msg.indexOf(dsHeader) + dsHeader.size();
        const qsizetype dsEnd = msg.indexOf(eol + "--8C6F2A0B", dsStart);
        QCOMPARE(root.children[1].rawBody, msg.mid(dsStart, dsEnd - dsStart));
        QCOMPARE(root.children[1].rawHeader, "Content-Description: Delivery report" + eol + dsHeader.chopped(eol.size()));
        // An embedded message's raw header is the returned message's header, byte for byte.
        const MimePart& original = root.children[2].children[0];
        const qsizetype origStart = msg.indexOf("Received: by relay.example.com");
        const qsizetype origHeaderEnd = msg.indexOf(blank, origStart) + eol.size();
        QCOMPARE(original.rawHeader, msg.mid(origStart, origHeaderEnd - origStart));
    }
}

void TstMimeAdapter::nulBytes()
{
    const QByteArray msg("Subject: a\0b\nContent-Type: text/plain\n\nx\0y", 42);
    const MimePart root = MimeAdapter::parse(msg);
    QCOMPARE(root.rawHeaderValue("Subject"), QByteArray("a\0b", 3));
    QCOMPARE(root.header("Subject").size(), 3);
    QCOMPARE(root.body, QByteArray("x\0y", 3));
    QCOMPARE(root.mimeType(), "text/plain"_ba);
}

void TstMimeAdapter::rfc2231ParameterInPart()
{
    const MimePart root = MimeAdapter::parse(
        "Content-Type: application/octet-stream;\n name*0*=iso-8859-1'fr'caf%E9;\n name*1=\".txt\"\n\nx"_ba);
    QCOMPARE(root.mimeType(), "application/octet-stream"_ba);
    QCOMPARE(root.params.value("name"), u"café.txt"_s);
}

void TstMimeAdapter::textUsesCharsetParam()
{
    const MimePart jp = MimeAdapter::parse("Content-Type: text/plain; charset=\"ISO-2022-JP\"\n\n\x1b$BF|K\\\x1b(B"_ba);
    QCOMPARE(jp.text(), u"日本"_s);
    const MimePart latin = MimeAdapter::parse(
        "Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\ncaf=E9"_ba);
    QCOMPARE(latin.text(), u"café"_s);
}

void TstMimeAdapter::garbage_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QString>("diagnostic"); // "" = not checked

    {
        QByteArray m;
        for (int i = 0; i < 10000; ++i)
            m += "Content-Type: multipart/mixed; boundary=b" + QByteArray::number(i) + "\n\n--b" + QByteArray::number(i) + "\n";
        QTest::newRow("nested-10000-levels-bounded") << m << u"nesting deeper"_s;
    }
    QTest::newRow("nested-10000-message-rfc822-bounded")
        << "Content-Type: message/rfc822\n\n"_ba.repeated(10000) << u"nesting deeper"_s;
    QTest::newRow("nested-10000-same-boundary")
        << "Content-Type: multipart/mixed; boundary=b\n\n--b\n"_ba.repeated(10000) << QString();
    QTest::newRow("100k-parts")
        << "Content-Type: multipart/mixed; boundary=b\n\n"_ba + "--b\nContent-Type: text/plain\n\nx\n"_ba.repeated(100000)
        << u"more than 10000 MIME parts"_s;
    QTest::newRow("10mb-header-line") << "Subject: " + QByteArray(10 * 1024 * 1024, 'a') + "\n\nbody"_ba << QString();
    QTest::newRow("10mb-boundary-parameter")
        << "Content-Type: multipart/mixed; boundary=" + QByteArray(10 * 1024 * 1024, 'b') + "\n\n--b\n"_ba
        << u"never occurs"_s;
    QTest::newRow("50mb-part")
        << "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Transfer-Encoding: base64\n\n"_ba
               + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5\n"_ba.repeated(50 * 1024 * 1024 / 69)
               + "--b--\n"_ba
        << QString();
    QTest::newRow("over-parse-limit")
        << "Subject: big\n\n"_ba + QByteArray(MimeAdapter::kMaxParseBytes + 1024, 'x') << u"only the first"_s;
    QTest::newRow("nul-bytes-everywhere") << QByteArray(100000, '\0') << QString();
    QTest::newRow("empty-message") << QByteArray() << QString();
    QTest::newRow("truncated-mid-header") << "Content-Type: multipart/mixed; boundary=\"abc"_ba << QString();
    QTest::newRow("truncated-after-delimiter") << "Content-Type: multipart/mixed; boundary=abc\n\n--abc"_ba
                                               << u"no closing boundary"_s;
    QTest::newRow("many-header-fields") << "X-A: b\n"_ba.repeated(200000) + "\nbody"_ba
                                        << u"more than 10000 header fields"_s;
    QTest::newRow("deeply-nested-comment")
        << "Content-Type: text/plain " + QByteArray(1000000, '(') + "\n\nx"_ba << QString();
    QTest::newRow("long-encoded-word-run") << "Subject: " + "=?utf-8?b?QUJD?= "_ba.repeated(200000) + "\n\nx"_ba
                                           << QString();
    QTest::newRow("lone-cr-line-endings")
        << "Content-Type: multipart/mixed; boundary=b\r\r--b\r\rx\r--b--\r"_ba << QString();
    QTest::newRow("only-delimiter-lines")
        << "Content-Type: multipart/mixed; boundary=b\n\n"_ba + "--b\n"_ba.repeated(200000) << u"more than"_s;
    QTest::newRow("bad-base64-message-rfc822")
        << "Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n!!!!\n"_ba << QString();
    {
        QByteArray random(1024 * 1024, Qt::Uninitialized);
        QRandomGenerator gen(20090429);
        for (char& c : random)
            c = char(gen.bounded(256));
        QTest::newRow("random-bytes") << random << QString();
    }
}

void TstMimeAdapter::garbage()
{
    QFETCH(QByteArray, message);
    QFETCH(QString, diagnostic);
    QElapsedTimer timer;
    timer.start();
    const MimePart root = MimeAdapter::parse(message);
    const qint64 ms = timer.elapsed();
    QVERIFY2(ms < 10000, qPrintable(u"took %1 ms"_s.arg(ms)));
    const TreeStats s = stats(root);
    QVERIFY(s.maxDepth <= MimeAdapter::kMaxNesting);
    QVERIFY(s.parts <= MimeAdapter::kMaxParts + 1);
    if (!diagnostic.isEmpty())
        QVERIFY2(hasDiagnostic(root, diagnostic), qPrintable(diagnosticsText(root).left(2000)));
}

void TstMimeAdapter::fuzzSoup()
{
    // Random concatenations of MIME fragments: every parse must return quickly and
    // respect the limits.
    const QList<QByteArray> fragments = {
        "Content-Type: multipart/mixed; boundary=a\n", "Content-Type: multipart/report; boundary=\"b\"\n",
        "Content-Type: message/rfc822\n", "Content-Type: text/rfc822-headers\n",
        "Content-Type: multipart/digest; boundary=a\n", "Content-Transfer-Encoding: base64\n",
        "Content-Transfer-Encoding: quoted-printable\n", "\n", "\r\n", "--a\n", "--b\n", "--a--\n", "--b--\n",
        "Subject: =?utf-8?q?x?=\n", " folded\n", "=?ISO-2022-JP?B?GyRCJDMbKEI=?=", "aGVsbG8=\n", "=3D=\n",
        "From x Thu Apr 29 00:00:00 2009\n", "Content-Type: ", "boundary*0*=utf-8''a;\n", QByteArray("\0", 1),
        "(((", "\"", ";", ":",
    };
    QRandomGenerator gen(42);
    QElapsedTimer timer;
    timer.start();
    for (int round = 0; round < 3000; ++round) {
        QByteArray msg;
        const int n = int(gen.bounded(1, 60));
        for (int i = 0; i < n; ++i)
            msg += fragments[gen.bounded(int(fragments.size()))];
        const MimePart root = MimeAdapter::parse(msg);
        const TreeStats s = stats(root);
        QVERIFY(s.maxDepth <= MimeAdapter::kMaxNesting);
    }
    QVERIFY2(timer.elapsed() < 10000, qPrintable(u"took %1 ms"_s.arg(timer.elapsed())));
}

void TstMimeAdapter::parallelParsesAgree()
{
    // "Thread: any": each call has its own mimetic objects; libmimetic's statics are only
    // read while parsing. Run under ASAN/TSAN builds to make this meaningful.
    const QByteArray msg = fixture(u"dsn-report.eml"_s);
    const MimePart reference = MimeAdapter::parse(msg);
    std::atomic<int> mismatches{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 200; ++i) {
                const MimePart p = MimeAdapter::parse(msg);
                if (p.children.size() != 3 || p.header("subject") != reference.header("subject")
                    || p.children[2].children.size() != 1
                    || p.children[2].children[0].rawHeader != reference.children[2].children[0].rawHeader)
                    ++mismatches;
            }
        });
    }
    for (std::thread& th : threads)
        th.join();
    QCOMPARE(mismatches.load(), 0);
}

QTEST_GUILESS_MAIN(TstMimeAdapter)
#include "tst_mime_adapter.moc"
