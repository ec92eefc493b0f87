// SPDX-License-Identifier: GPL-3.0-or-later
#include <QElapsedTimer>
#include <QTest>

#include "core/mail/header_decoder.h"

using namespace Qt::StringLiterals;
using bi::core::mail::HeaderDecoder;

namespace {

// "=?charset?B?...?=" built at run time, so rows state the bytes, not their base64.
QByteArray bWord(const QByteArray& charset, const QByteArray& bytes)
{
    return "=?" + charset + "?B?" + bytes.toBase64() + "?=";
}

} // namespace

class TstHeaderDecoder : public QObject {
    Q_OBJECT

private slots:
    void decodeHeader_data();
    void decodeHeader();
    void decodeHeaderFallbackCharset();
    void decodeCharset_data();
    void decodeCharset();
    void decodeCharsetNeverLosesBytes();
    void canonicalCharset_data();
    void canonicalCharset();
    void quotedPrintable_data();
    void quotedPrintable();
    void base64_data();
    void base64();
    void rfc2231_data();
    void rfc2231();
    void splitParameterized_data();
    void splitParameterized();
    void hostileHeaderIsLinear();
};

void TstHeaderDecoder::decodeHeader_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QString>("expected");

    const QByteArray hello2022 = "\x1b$B$3$s$K$A$O\x1b(B"; // こんにちは in ISO-2022-JP
    QTest::newRow("plain-ascii-unchanged") << "Delivery Status Notification (Failure)"_ba
                                           << u"Delivery Status Notification (Failure)"_s;
    QTest::newRow("rfc2047-b-utf8") << bWord("UTF-8", "Zustellung fehlgeschlagen: Ä") << u"Zustellung fehlgeschlagen: Ä"_s;
    QTest::newRow("rfc2047-q-underscore-is-space") << "=?iso-8859-1?q?Unzustellbar:_caf=E9?="_ba
                                                   << u"Unzustellbar: café"_s;
    QTest::newRow("rfc2047-adjacent-words-whitespace-removed")
        << "=?utf-8?q?Mail?= \t =?utf-8?q?_delivery?=  =?utf-8?q?_failed?="_ba << u"Mail delivery failed"_s;
    QTest::newRow("rfc2047-text-between-words-kept") << "=?utf-8?q?a?= and =?utf-8?q?b?="_ba << u"a and b"_s;
    QTest::newRow("rfc2047-iso2022jp-split-across-words")
        << bWord("ISO-2022-JP", hello2022.left(6)) + "\r\n " + bWord("ISO-2022-JP", hello2022.mid(6))
        << u"こんにちは"_s;
    QTest::newRow("rfc2047-utf8-multibyte-split-across-words") << "=?utf-8?q?caf=C3?= =?UTF-8?Q?=A9?="_ba
                                                               << u"café"_s;
    QTest::newRow("rfc2047-different-charsets-adjacent") << "=?iso-8859-1?q?caf=E9?= =?utf-8?q?_=E2=82=AC?="_ba
                                                         << u"café €"_s;
    QTest::newRow("rfc2047-charset-with-language") << "=?UTF-8*en?Q?Hello?="_ba << u"Hello"_s;
    QTest::newRow("rfc2047-lowercase-b") << "=?utf-8?b?w6k=?="_ba << u"é"_s;
    QTest::newRow("rfc2047-b-missing-padding") << "=?utf-8?b?w6k?="_ba << u"é"_s;
    QTest::newRow("rfc2047-malformed-base64-left-literal") << "x =?utf-8?b?!!!?= y"_ba << u"x =?utf-8?b?!!!?= y"_s;
    QTest::newRow("rfc2047-unknown-encoding-left-literal") << "=?utf-8?x?abc?="_ba << u"=?utf-8?x?abc?="_s;
    QTest::newRow("rfc2047-unterminated-left-literal") << "Re: =?utf-8?q?abc"_ba << u"Re: =?utf-8?q?abc"_s;
    QTest::newRow("rfc2047-unknown-charset-utf8-fallback") << "=?x-no-such?q?caf=C3=A9?="_ba << u"café"_s;
    QTest::newRow("rfc2047-unknown-charset-windows1252-fallback") << "=?x-no-such?q?caf=E9_=80?="_ba
                                                                  << u"café €"_s;
    QTest::newRow("rfc2047-word-glued-to-text") << "Re:=?utf-8?q?caf=C3=A9?="_ba << u"Re:café"_s;
    QTest::newRow("folded-value-unfolded") << "Undelivered Mail\r\n Returned\n\tto Sender"_ba
                                           << u"Undelivered Mail Returned\tto Sender"_s;
    QTest::newRow("folded-value-leading-and-trailing-blanks") << "\r\n  from a by b;\r\n\t Mon \r\n"_ba
                                                             << u"from a by b;\t Mon"_s;
    QTest::newRow("folded-encoded-word-after-fold") << "Re:\r\n =?utf-8?q?caf=C3=A9?="_ba << u"Re: café"_s;
    QTest::newRow("folded-between-equals-and-question-mark") << "x =\r\n?utf-8?q?caf=C3=A9?= y"_ba
                                                            << u"x café y"_s;
    QTest::newRow("folded-8bit-after-fold") << "Zustellung\r\n fehlgeschlagen: \xc3\x84"_ba
                                            << u"Zustellung fehlgeschlagen: Ä"_s;
    // Longer than one block of sixteen bytes: what makes a field not plain, in a later block
    // and across the edge between two blocks.
    QTest::newRow("long-plain-with-question-marks") << "Why was https://example.net/?a=b&c=d rejected?"_ba
                                                    << u"Why was https://example.net/?a=b&c=d rejected?"_s;
    QTest::newRow("long-encoded-word-across-block-edge") << "Subject line 12=?utf-8?q?caf=C3=A9?= end"_ba
                                                         << u"Subject line 12café end"_s;
    QTest::newRow("long-encoded-word-starting-at-block-edge") << "Subject line 123=?utf-8?q?caf=C3=A9?="_ba
                                                              << u"Subject line 123café"_s;
    QTest::newRow("long-8bit-in-second-block") << "Zustellung fehlgeschlagen: \xc3\x84 und mehr"_ba
                                               << u"Zustellung fehlgeschlagen: Ä und mehr"_s;
    QTest::newRow("long-fold-in-second-block") << "from mail.example.net\r\n by mx.example.org"_ba
                                               << u"from mail.example.net by mx.example.org"_s;
    QTest::newRow("long-iso2022jp-in-second-block") << "Returned mail: see " + hello2022 << u"Returned mail: see こんにちは"_s;
    QTest::newRow("8bit-utf8-raw") << "Zustellung fehlgeschlagen: \xc3\x84"_ba << u"Zustellung fehlgeschlagen: Ä"_s;
    QTest::newRow("8bit-invalid-utf8-windows1252") << "caf\xe9 \x80"_ba << u"café €"_s;
    QTest::newRow("raw-iso2022jp-without-encoded-word") << "Re: " + hello2022 << u"Re: こんにちは"_s;
}

void TstHeaderDecoder::decodeHeader()
{
    QFETCH(QByteArray, raw);
    QFETCH(QString, expected);
    QCOMPARE(HeaderDecoder::decodeHeader(raw), expected);
}

void TstHeaderDecoder::decodeHeaderFallbackCharset()
{
    // 8-bit Shift_JIS in a header: not UTF-8, so the part's charset applies.
    const QByteArray sjis = "\x93\xfa\x96\x7b"; // 日本
    QCOMPARE(HeaderDecoder::decodeHeader(sjis, "shift_jis"), u"日本"_s);
    // Valid UTF-8 wins over the fallback.
    QCOMPARE(HeaderDecoder::decodeHeader("\xe6\x97\xa5"_ba, "shift_jis"), u"日"_s);
    // NUL bytes stay.
    const QString withNul = HeaderDecoder::decodeHeader(QByteArray("a\0b", 3));
    QCOMPARE(withNul.size(), 3);
    QCOMPARE(withNul.at(1), QChar(u'\0'));
}

void TstHeaderDecoder::decodeCharset_data()
{
    QTest::addColumn<QByteArray>("charset");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");

    QTest::newRow("iso-2022-jp") << "ISO-2022-JP"_ba << "\x1b$BF|K\\\x1b(B"_ba << u"日本"_s;
    QTest::newRow("iso-2022-jp-nec-circled-digit") << "iso-2022-jp"_ba << "\x1b$B-!\x1b(B"_ba << u"①"_s;
    QTest::newRow("shift_jis") << "Shift_JIS"_ba << "\x93\xfa\x96\x7b"_ba << u"日本"_s;
    QTest::newRow("x-sjis") << "x-sjis"_ba << "\x93\xfa\x96\x7b"_ba << u"日本"_s;
    QTest::newRow("cp932-nec-row13") << "cp932"_ba << "\x87\x40"_ba << u"①"_s;
    QTest::newRow("ms932") << "MS932"_ba << "\x93\xfa\x96\x7b"_ba << u"日本"_s;
    QTest::newRow("euc-jp") << "EUC-JP"_ba << "\xc6\xfc\xcb\xdc"_ba << u"日本"_s;
    QTest::newRow("windows-1250") << "windows-1250"_ba << "\x8a"_ba << u"Š"_s;
    QTest::newRow("windows-1251") << "windows-1251"_ba << "\xc0"_ba << u"А"_s;
    QTest::newRow("windows-1252") << "windows-1252"_ba << "\x80"_ba << u"€"_s;
    QTest::newRow("windows-1253") << "windows-1253"_ba << "\xc1"_ba << u"Α"_s;
    QTest::newRow("windows-1254") << "windows-1254"_ba << "\xd0"_ba << u"Ğ"_s;
    QTest::newRow("windows-1255") << "windows-1255"_ba << "\xe0"_ba << u"א"_s;
    QTest::newRow("windows-1256") << "windows-1256"_ba << "\xc7"_ba << u"ا"_s;
    QTest::newRow("windows-1257") << "windows-1257"_ba << "\xc0"_ba << u"Ą"_s;
    QTest::newRow("windows-1258") << "windows-1258"_ba << "\xd0"_ba << u"Đ"_s;
    QTest::newRow("cp1250-alias") << "cp1250"_ba << "\x8a"_ba << u"Š"_s;
    QTest::newRow("iso-8859-1-read-as-windows-1252") << "ISO-8859-1"_ba << "caf\xe9 \x80"_ba << u"café €"_s;
    QTest::newRow("iso-8859-2") << "iso-8859-2"_ba << "\xa1"_ba << u"Ą"_s;
    QTest::newRow("iso-8859-3") << "iso-8859-3"_ba << "\xa1"_ba << u"Ħ"_s;
    QTest::newRow("iso-8859-4") << "iso-8859-4"_ba << "\xa1"_ba << u"Ą"_s;
    QTest::newRow("iso-8859-5") << "iso-8859-5"_ba << "\xb0"_ba << u"А"_s;
    QTest::newRow("iso-8859-6") << "iso-8859-6"_ba << "\xc7"_ba << u"ا"_s;
    QTest::newRow("iso-8859-7") << "iso-8859-7"_ba << "\xc1"_ba << u"Α"_s;
    QTest::newRow("iso-8859-8") << "iso-8859-8"_ba << "\xe0"_ba << u"א"_s;
    QTest::newRow("iso-8859-8-i") << "iso-8859-8-i"_ba << "\xe0"_ba << u"א"_s;
    QTest::newRow("iso-8859-9") << "iso-8859-9"_ba << "\xd0"_ba << u"Ğ"_s;
    QTest::newRow("iso-8859-10") << "iso-8859-10"_ba << "\xa1"_ba << u"Ą"_s;
    QTest::newRow("iso-8859-13") << "iso-8859-13"_ba << "\xc0"_ba << u"Ą"_s;
    QTest::newRow("iso-8859-14") << "iso-8859-14"_ba << "\xa1"_ba << u"Ḃ"_s;
    QTest::newRow("iso-8859-15") << "ISO-8859-15"_ba << "\xa4"_ba << u"€"_s;
    QTest::newRow("iso8859-15-no-dash") << "iso8859-15"_ba << "\xa4"_ba << u"€"_s;
    QTest::newRow("koi8-r") << "KOI8-R"_ba << "\xc1"_ba << u"а"_s;
    QTest::newRow("koi8-u") << "koi8-u"_ba << "\xa4"_ba << u"є"_s;
    QTest::newRow("gb2312") << "GB2312"_ba << "\xd6\xd0\xce\xc4"_ba << u"中文"_s;
    QTest::newRow("gbk") << "gbk"_ba << "\xd6\xd0\xce\xc4"_ba << u"中文"_s;
    QTest::newRow("gb18030") << "GB18030"_ba << "\xd6\xd0\xce\xc4"_ba << u"中文"_s;
    QTest::newRow("big5") << "Big5"_ba << "\xa4\xa4\xa4\xe5"_ba << u"中文"_s;
    QTest::newRow("euc-kr") << "EUC-KR"_ba << "\xc7\xd1\xb1\xb9"_ba << u"한국"_s;
    QTest::newRow("ks_c_5601-1987") << "ks_c_5601-1987"_ba << "\xc7\xd1\xb1\xb9"_ba << u"한국"_s;
    QTest::newRow("utf-7") << "UTF-7"_ba << "Hi Mom -+Jjo--!"_ba << u"Hi Mom -☺-!"_s;
    QTest::newRow("unicode-1-1-utf-7") << "unicode-1-1-utf-7"_ba << "Hi Mom -+Jjo--!"_ba << u"Hi Mom -☺-!"_s;
    QTest::newRow("unicode-1-1-utf-8") << "unicode-1-1-utf-8"_ba << "\xc3\xa9"_ba << u"é"_s;
    QTest::newRow("quoted-label") << "\"utf-8\""_ba << "\xc3\xa9"_ba << u"é"_s;
    QTest::newRow("us-ascii-with-utf8-bytes") << "us-ascii"_ba << "\xc3\xa9"_ba << u"é"_s;
    QTest::newRow("ansi_x3.4-1968-with-latin1-bytes") << "ANSI_X3.4-1968"_ba << "caf\xe9"_ba << u"café"_s;
    QTest::newRow("unknown-charset-utf8") << "x-foo-bar"_ba << "\xc3\xa9"_ba << u"é"_s;
    QTest::newRow("unknown-charset-windows1252") << "x-foo-bar"_ba << "\xe9\x80"_ba << u"é€"_s;
    QTest::newRow("empty-charset-iso2022jp-sniffed") << QByteArray() << "\x1b$BF|K\\\x1b(B"_ba << u"日本"_s;
    QTest::newRow("utf8-label-with-invalid-byte") << "utf-8"_ba << "\xc3\xa9 \xe9"_ba << u"é é"_s;
    QTest::newRow("utf8-four-byte-sequence") << "utf-8"_ba << "ok \xf0\x9f\x98\x80 ok"_ba << u"ok \U0001F600 ok"_s;
    QTest::newRow("utf8-cut-sequence-at-end") << "utf-8"_ba << "caf\xc3"_ba << u"caf\u00c3"_s;
    QTest::newRow("utf8-overlong-read-as-windows-1252") << "utf-8"_ba << "\xc0\xaf"_ba << u"\u00c0\u00af"_s;
    QTest::newRow("utf8-windows-1252-high-range") << "utf-8"_ba << "\x93quoted\x94 \xe2\x82\xac"_ba
                                                  << u"\u201cquoted\u201d \u20ac"_s;
    QTest::newRow("windows-1252-every-kind") << "windows-1252"_ba << "a\x80\x81\x9f\xa0\xff"_ba
                                             << u"a\u20ac\u0081\u0178\u00a0\u00ff"_s;
    QTest::newRow("utf8-mislabelled-as-iso-2022-jp") << "iso-2022-jp"_ba << "\xe6\x97\xa5\xe6\x9c\xac"_ba
                                                     << u"日本"_s;
}

void TstHeaderDecoder::decodeCharset()
{
    QFETCH(QByteArray, charset);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    QCOMPARE(HeaderDecoder::decodeCharset(bytes, charset), expected);
}

void TstHeaderDecoder::decodeCharsetNeverLosesBytes()
{
    // Every byte value, unknown charset: one character per byte outside valid UTF-8.
    QByteArray all;
    for (int b = 0x80; b < 0x100; ++b)
        all.append(char(b));
    const QString s = HeaderDecoder::decodeCharset(all, "x-unknown");
    QCOMPARE(s.size(), all.size());
    QVERIFY(!s.contains(QChar::ReplacementCharacter));
}

void TstHeaderDecoder::canonicalCharset_data()
{
    QTest::addColumn<QByteArray>("label");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("x-sjis") << "x-sjis"_ba << "shift_jis"_ba;
    QTest::newRow("cp932") << "CP932"_ba << "shift_jis"_ba;
    QTest::newRow("ks_c_5601-1987") << "ks_c_5601-1987"_ba << "euc-kr"_ba;
    QTest::newRow("gb2312-superset") << "gb2312"_ba << "gb18030"_ba;
    QTest::newRow("latin1") << "Latin1"_ba << "iso-8859-1"_ba;
    QTest::newRow("iso_8859-2-underscore") << "ISO_8859-2:1987"_ba << "iso-8859-2"_ba;
    QTest::newRow("x-cp1251") << "x-cp1251"_ba << "windows-1251"_ba;
    QTest::newRow("quoted-with-language") << "\"UTF-8*de\""_ba << "utf-8"_ba;
    QTest::newRow("typo-uft-8") << "uft-8"_ba << "utf-8"_ba;
    QTest::newRow("garbage-rejected") << "utf-8; drop table"_ba << QByteArray();
}

void TstHeaderDecoder::canonicalCharset()
{
    QFETCH(QByteArray, label);
    QFETCH(QByteArray, expected);
    QCOMPARE(HeaderDecoder::canonicalCharset(label), expected);
}

void TstHeaderDecoder::quotedPrintable_data()
{
    QTest::addColumn<QByteArray>("in");
    QTest::addColumn<bool>("isHeader");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<bool>("clean");
    QTest::newRow("qp-soft-line-break") << "Diagnostic-Code: smtp; 550 5.1.1 user=\nunknown"_ba << false
                                        << "Diagnostic-Code: smtp; 550 5.1.1 userunknown"_ba << true;
    QTest::newRow("qp-soft-line-break-crlf") << "ab=\r\ncd\r\n"_ba << false << "abcd\r\n"_ba << true;
    QTest::newRow("qp-soft-break-with-trailing-blanks") << "ab=  \ncd"_ba << false << "abcd"_ba << true;
    QTest::newRow("qp-hex-octets") << "caf=C3=A9 =3D"_ba << false << "caf\xc3\xa9 ="_ba << true;
    QTest::newRow("qp-lowercase-hex") << "caf=c3=a9"_ba << false << "caf\xc3\xa9"_ba << true;
    QTest::newRow("qp-malformed-equals-kept") << "a=ZZb =\x01"_ba << false << "a=ZZb =\x01"_ba << false;
    QTest::newRow("qp-trailing-blanks-dropped") << "line  \nnext\t\r\n"_ba << false << "line\nnext\r\n"_ba << true;
    QTest::newRow("qp-inner-blanks-kept") << "a  b"_ba << false << "a  b"_ba << true;
    QTest::newRow("qp-equals-at-end") << "abc="_ba << false << "abc"_ba << true;
    QTest::newRow("q-header-underscore") << "a_b=5F"_ba << true << "a b_"_ba << true;
    // Bodies longer than one block of sixteen bytes: escapes, soft breaks and blanks at and
    // around the block edges, and a last block shorter than sixteen.
    const QByteArray run = "0123456789abcdefghijklmnopqrstuvwxyz"_ba;
    for (int at : {0, 1, 15, 16, 17, 31, 32}) {
        const QByteArray before = run.left(at);
        QTest::newRow(qPrintable(u"qp-long-escape-at-%1"_s.arg(at)))
            << before + "=C3=A9" + run << false << before + "\xc3\xa9" + run << true;
        QTest::newRow(qPrintable(u"qp-long-soft-break-at-%1"_s.arg(at)))
            << before + "=\r\n" + run << false << before + run << true;
        QTest::newRow(qPrintable(u"qp-long-trailing-blanks-at-%1"_s.arg(at)))
            << before + " \t \r\n" + run << false << before + "\r\n" + run << true;
        QTest::newRow(qPrintable(u"qp-long-inner-blank-at-%1"_s.arg(at)))
            << before + " " + run << false << before + " " + run << true;
    }
    QTest::newRow("qp-long-malformed-equals-kept") << run + "=ZZ" + run << false << run + "=ZZ" + run << false;
    QTest::newRow("qp-long-ends-in-blanks") << run + run + "  "_ba << false << run + run << true;
}

void TstHeaderDecoder::quotedPrintable()
{
    QFETCH(QByteArray, in);
    QFETCH(bool, isHeader);
    QFETCH(QByteArray, expected);
    QFETCH(bool, clean);
    bool wasClean = true;
    QCOMPARE(HeaderDecoder::decodeQuotedPrintable(in, isHeader, &wasClean), expected);
    QCOMPARE(wasClean, clean);
    QCOMPARE(HeaderDecoder::decodeQuotedPrintable(in, isHeader), expected);
}

void TstHeaderDecoder::base64_data()
{
    QTest::addColumn<QByteArray>("in");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<bool>("clean");
    QTest::newRow("base64-plain") << "aGVsbG8gd29ybGQ="_ba << "hello world"_ba << true;
    QTest::newRow("base64-missing-padding") << "aGVsbG8gd29ybGQ"_ba << "hello world"_ba << true;
    QTest::newRow("base64-missing-double-padding") << "aGk"_ba << "hi"_ba << true;
    QTest::newRow("base64-line-breaks") << "aGVs\r\nbG8g\nd29y bGQ=\r\n"_ba << "hello world"_ba << true;
    QTest::newRow("base64-junk-skipped") << "aGVs*bG8g!d29ybGQ="_ba << "hello world"_ba << false;
    QTest::newRow("base64-concatenated-blocks") << "aGk=aGk="_ba << "hihi"_ba << true;
    QTest::newRow("base64-dangling-sextet") << "aGVsbA=Z"_ba << "hell"_ba << false;
    QTest::newRow("base64-empty") << QByteArray() << QByteArray() << true;
}

void TstHeaderDecoder::base64()
{
    QFETCH(QByteArray, in);
    QFETCH(QByteArray, expected);
    QFETCH(bool, clean);
    bool wasClean = true;
    QCOMPARE(HeaderDecoder::decodeBase64(in, &wasClean), expected);
    QCOMPARE(wasClean, clean);
    QCOMPARE(HeaderDecoder::decodeBase64(in), expected);
}

void TstHeaderDecoder::rfc2231_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("expected");
    QTest::newRow("rfc2231-utf8") << "UTF-8''%E2%82%AC%20rates"_ba << u"€ rates"_s;
    QTest::newRow("rfc2231-language") << "iso-8859-1'en'caf%E9"_ba << u"café"_s;
    QTest::newRow("rfc2231-no-charset") << "''plain%20text"_ba << u"plain text"_s;
    QTest::newRow("rfc2231-malformed-percent-kept") << "utf-8''100%zz"_ba << u"100%zz"_s;
    QTest::newRow("rfc2231-no-quotes") << "a%20b"_ba << u"a b"_s;
}

void TstHeaderDecoder::rfc2231()
{
    QFETCH(QByteArray, value);
    QFETCH(QString, expected);
    QCOMPARE(HeaderDecoder::decodeRfc2231(value), expected);
}

void TstHeaderDecoder::splitParameterized_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QByteArray>("param");
    QTest::addColumn<QString>("paramValue");

    QTest::newRow("simple") << "text/plain; charset=us-ascii"_ba << "text/plain"_ba << "charset"_ba << u"us-ascii"_s;
    QTest::newRow("upper-case-and-blanks") << " TEXT / Plain ; CHARSET = \"UTF-8\""_ba << "text/plain"_ba
                                           << "charset"_ba << u"UTF-8"_s;
    QTest::newRow("quoted-semicolon") << "multipart/mixed; boundary=\"b;x\"; x=1"_ba << "multipart/mixed"_ba
                                      << "boundary"_ba << u"b;x"_s;
    QTest::newRow("quoted-pair") << "text/plain; name=\"a\\\"b\""_ba << "text/plain"_ba << "name"_ba << u"a\"b"_s;
    QTest::newRow("comments") << "text/plain (body) ; charset=utf-8 (Unicode)"_ba << "text/plain"_ba
                              << "charset"_ba << u"utf-8"_s;
    QTest::newRow("missing-semicolon") << "text/plain charset=iso-2022-jp"_ba << "text/plain"_ba << "charset"_ba
                                       << u"iso-2022-jp"_s;
    QTest::newRow("folded") << "multipart/report;\r\n\treport-type=delivery-status;\r\n\tboundary=\"x\""_ba
                            << "multipart/report"_ba << "report-type"_ba << u"delivery-status"_s;
    QTest::newRow("rfc2231-extended") << "application/pdf; name*=utf-8''%E2%82%AC.pdf"_ba << "application/pdf"_ba
                                      << "name"_ba << u"€.pdf"_s;
    QTest::newRow("rfc2231-continuation-charset")
        << "application/pdf; name*0*=iso-8859-1'fr'caf%E9; name*1=\" au lait\"; name*2*=%2Epdf"_ba
        << "application/pdf"_ba << "name"_ba << u"café au lait.pdf"_s;
    QTest::newRow("rfc2231-continuation-out-of-order") << "text/plain; title*1=\"world\"; title*0=\"hello \""_ba
                                                       << "text/plain"_ba << "title"_ba << u"hello world"_s;
    QTest::newRow("rfc2231-wins-over-plain") << "text/plain; name=\"plain\"; name*=utf-8''%C3%A9"_ba
                                             << "text/plain"_ba << "name"_ba << u"é"_s;
    QTest::newRow("rfc2047-in-quoted-value") << "text/plain; name=\"=?utf-8?q?caf=C3=A9?=\""_ba << "text/plain"_ba
                                             << "name"_ba << u"café"_s;
    QTest::newRow("boundary-not-decoded") << "multipart/mixed; boundary=\"=?utf-8?q?x?=\""_ba << "multipart/mixed"_ba
                                          << "boundary"_ba << u"=?utf-8?q?x?="_s;
    QTest::newRow("unterminated-quote") << "text/plain; name=\"abc"_ba << "text/plain"_ba << "name"_ba << u"abc"_s;
    QTest::newRow("quoted-type") << "\"text/html\"; charset=utf-8"_ba << "text/html"_ba << "charset"_ba
                                 << u"utf-8"_s;
    QTest::newRow("disposition") << "attachment; filename=\"report.txt\""_ba << "attachment"_ba << "filename"_ba
                                 << u"report.txt"_s;
}

void TstHeaderDecoder::splitParameterized()
{
    QFETCH(QByteArray, raw);
    QFETCH(QByteArray, value);
    QFETCH(QByteArray, param);
    QFETCH(QString, paramValue);
    QMap<QByteArray, QString> params;
    QCOMPARE(HeaderDecoder::splitParameterized(raw, &params), value);
    QCOMPARE(params.value(param), paramValue);
}

void TstHeaderDecoder::hostileHeaderIsLinear()
{
    // 10 MB of near-encoded-words and of an unterminated comment must not go quadratic.
    QElapsedTimer timer;
    timer.start();
    const QByteArray words = QByteArray("=?utf-8?q?").repeated(1024 * 1024);
    const QString decoded = HeaderDecoder::decodeHeader(words);
    QCOMPARE(decoded.size(), words.size());
    QMap<QByteArray, QString> params;
    const QByteArray ct = "text/plain; a=(" + QByteArray(10 * 1024 * 1024, '(');
    QCOMPARE(HeaderDecoder::splitParameterized(ct, &params), "text/plain"_ba);
    QVERIFY2(timer.elapsed() < 10000, qPrintable(u"took %1 ms"_s.arg(timer.elapsed())));
}

QTEST_GUILESS_MAIN(TstHeaderDecoder)
#include "tst_header_decoder.moc"
