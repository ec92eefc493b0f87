// SPDX-License-Identifier: GPL-3.0-or-later
// lowerCase(), simplifiedText() and containsCaseInsensitive() give Qt's results, on their ASCII
// fast paths and on the Unicode ones alike.
#include <QTest>

#include "core/common/text_case.h"

using namespace Qt::StringLiterals;

class TstTextCase final : public QObject {
    Q_OBJECT
private slots:
    void sameAsQt_data();
    void sameAsQt();
    void simplifiedSameAsQt_data();
    void simplifiedSameAsQt();
    void caseInsensitiveSameAsQt_data();
    void caseInsensitiveSameAsQt();
    void letterEitherCase();
    void equalsSameAsQt_data();
    void equalsSameAsQt();
};

void TstTextCase::sameAsQt_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("ascii") << u"550 5.1.1 <User@Example.NET>: Recipient address REJECTED [@Z]`{"_s;
    QTest::newRow("latin-1 late") << (u"Mailbox FULL: "_s + QChar(0xC4) + u"RGER"_s);
    QTest::newRow("dotted capital I changes length") << (u"ISTANBUL "_s + QChar(0x130) + u"ZMIR"_s);
    QTest::newRow("kelvin sign") << (QChar(0x212A) + u"ELVIN"_s);
    QTest::newRow("japanese") << u"宛先不明 USER UNKNOWN"_s;
    QTest::newRow("lower already") << u"user@example.net"_s;
    QTest::newRow("non-ascii lower") << (u"m"_s + QChar(0xFC) + u"ller@example.de"_s);
}

void TstTextCase::sameAsQt()
{
    QFETCH(QString, text);
    QCOMPARE(bi::core::lowerCase(text), text.toLower());
    QCOMPARE(bi::core::lowerCase(QStringView(text)), text.toLower());
    // A QString without upper-case letters comes back shared, not copied.
    const QString lowered = bi::core::lowerCase(text);
    const bool unchanged = text == text.toLower();
    if (unchanged && !text.isEmpty()) {
        for (const QChar c : std::as_const(text)) {
            if (c.unicode() >= 0x80)
                return; // through Qt's mapping: equal, may be a copy
        }
        QCOMPARE(lowered.constData(), text.constData());
    } else if (!unchanged) {
        QVERIFY(lowered.constData() != text.constData());
    }
}

void TstTextCase::simplifiedSameAsQt_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("simple already") << u"from mx.example.net by mx2 with ESMTP"_s;
    QTest::newRow("folded") << u"from mx.example.net\tby mx2\n with ESMTP"_s;
    QTest::newRow("double space") << u"550  user unknown"_s;
    QTest::newRow("leading") << u" 550 user unknown"_s;
    QTest::newRow("trailing") << u"550 user unknown "_s;
    QTest::newRow("only blanks") << u" \t "_s;
    QTest::newRow("no-break space") << (u"550"_s + QChar(0xA0) + u"user"_s);
}

void TstTextCase::simplifiedSameAsQt()
{
    QFETCH(QString, text);
    QCOMPARE(bi::core::simplifiedText(text), text.simplified());
}

void TstTextCase::caseInsensitiveSameAsQt_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("needle");
    QTest::newRow("ascii hit") << u"by MX.Outlook.COM with"_s << u".outlook.com"_s;
    QTest::newRow("ascii miss") << u"by mx.outlook.co with"_s << u".outlook.com"_s;
    QTest::newRow("at the end") << u"abcXYZ"_s << u"xyz"_s;
    QTest::newRow("longer needle") << u"ab"_s << u"abc"_s;
    QTest::newRow("empty needle") << u"ab"_s << QString();
    QTest::newRow("kelvin sign folds to k") << (QChar(0x212A) + u"ddi.com"_s) << u"kddi.com"_s;
    QTest::newRow("hit before non-ascii") << (u"guest "_s + QChar(0xE9)) << u"GUEST"_s;
    QTest::newRow("non-ascii needle") << u"Stra\u00DFe"_s << u"STRA\u00DFE"_s;
    // Texts longer than one block of eight characters, with the match at every offset around
    // the block edges, at the very end, and missing by its first, a middle or its last letter.
    const QString filler = u"Remote host said: 550 5.1.1 mailbox unavailable; "_s;
    for (int at : {0, 1, 7, 8, 9, 15, 16, 17, 23, 24, 31}) {
        QString text = filler.left(at) + u"Sender Not Pre-Approved"_s + filler;
        QTest::newRow(qPrintable(u"long, hit at %1"_s.arg(at))) << text << u"sender not pre-approved"_s;
        QTest::newRow(qPrintable(u"long, hit at the end after %1"_s.arg(at)))
            << (filler + filler.left(at) + u"APPROVED"_s) << u"approved"_s;
    }
    QTest::newRow("long, first letter differs") << (filler + u"xpproved"_s + filler) << u"approved"_s;
    QTest::newRow("long, middle letter differs") << (filler + u"apprXved"_s + filler) << u"approved"_s;
    QTest::newRow("long, last letter differs") << (filler + u"approvex"_s + filler) << u"approved"_s;
    QTest::newRow("long, '@' and '`' share a fold") << (filler + u"`host"_s + filler) << u"@host"_s;
    QTest::newRow("long, non-ascii inside the only match")
        << (filler + u"appr"_s + QChar(0xF6) + u"ved"_s + filler) << u"approved"_s;
    QTest::newRow("long, kelvin sign after a block") << (filler + QChar(0x212A) + u"ddi.com"_s) << u"kddi.com"_s;
    QTest::newRow("long, hit after non-ascii") << (QChar(0xE9) + filler + u"Guest List"_s) << u"guest list"_s;
    QTest::newRow("one character needle") << filler << u"Y"_s;
    QTest::newRow("needle as long as the text") << filler.toUpper() << filler;
}

void TstTextCase::caseInsensitiveSameAsQt()
{
    QFETCH(QString, text);
    QFETCH(QString, needle);
    QCOMPARE(bi::core::containsCaseInsensitive(text, needle), text.contains(needle, Qt::CaseInsensitive));
}

void TstTextCase::letterEitherCase()
{
    using bi::core::indexOfLetterEitherCase;
    const QByteArray text = "0123456789abcdef-0123456789abcdeM-0123456789m"_ba;
    QCOMPARE(indexOfLetterEitherCase(text, 'm'), 32);             // upper case, second block
    QCOMPARE(indexOfLetterEitherCase(text, 'm', 33), 44);         // lower case, in the tail
    QCOMPARE(indexOfLetterEitherCase(text, 'm', 45), -1);
    QCOMPARE(indexOfLetterEitherCase(text, 'a'), 10);
    QCOMPARE(indexOfLetterEitherCase(text, 'z'), -1);
    QCOMPARE(indexOfLetterEitherCase("-\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r"_ba, 'm'), -1); // '-' | 0x20 is '-', '\r' | 0x20 is '-'
    QCOMPARE(indexOfLetterEitherCase(QByteArray(40, 'M'), 'm', 39), 39);
    QCOMPARE(indexOfLetterEitherCase(QByteArray(), 'm'), -1);
}

void TstTextCase::equalsSameAsQt_data()
{
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::newRow("same") << "Content-Type"_ba << "Content-Type"_ba;
    QTest::newRow("cases differ") << "content-TYPE"_ba << "Content-Type"_ba;
    QTest::newRow("lengths differ") << "Content-Type"_ba << "Content-Types"_ba;
    QTest::newRow("last letter differs") << "X-Mailer"_ba << "X-Mailes"_ba;
    QTest::newRow("'@' is not '`'") << "a@b"_ba << "a`b"_ba;
    QTest::newRow("'[' is not '{'") << "x[1]"_ba << "x{1]"_ba;
    QTest::newRow("digits") << "X-Spam-Score-1"_ba << "x-spam-score-1"_ba;
    QTest::newRow("empty") << QByteArray() << ""_ba;
    QTest::newRow("latin-1 letters in two cases") << "X-\xc0"_ba << "x-\xe0"_ba;
    QTest::newRow("latin-1 and ascii") << "X-\xc0"_ba << "x-a"_ba;
    QTest::newRow("latin-1 first letters in two cases") << "\xc9tat"_ba << "\xe9TAT"_ba;
    QTest::newRow("first bytes differ beyond case") << "\xc9tat"_ba << "\xe8tat"_ba;
}

void TstTextCase::equalsSameAsQt()
{
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QCOMPARE(bi::core::equalsCaseInsensitive(a, b), QByteArrayView(a).compare(b, Qt::CaseInsensitive) == 0);
    QCOMPARE(bi::core::equalsCaseInsensitive(b, a), QByteArrayView(b).compare(a, Qt::CaseInsensitive) == 0);
}

QTEST_GUILESS_MAIN(TstTextCase)
#include "tst_text_case.moc"
